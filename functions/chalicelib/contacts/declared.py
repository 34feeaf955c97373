"""The Annexe 3 answers of a back-office sheet (the cell's liaison sheet, an association's contact sheet): the same
list and the same checks as the site's forms (rules/origins.py), read from the posted boxes."""

from __future__ import annotations

from rules import origins

from ..intake.validation import FieldError, clean_text


def clean_declared(form: dict[str, list[str]], data: dict[str, object], errors: dict[str, str]) -> None:
    """Put the checked origins (and their « précisez ») into ``data``, or a French message into ``errors``: a
    value the list does not know is refused, never stored."""
    chosen = list(dict.fromkeys(v for v in form.get(origins.FIELD, []) if v))
    if origins.unknown(chosen) or len(chosen) > len(origins.ORIGINS):
        errors[origins.FIELD] = "Choisissez parmi les réponses de la liste."
        return
    if chosen:
        data[origins.FIELD] = [o.id for o in origins.ORIGINS if o.id in chosen]
    detail = (form.get(origins.DETAIL_FIELD) or [""])[-1].strip()
    if detail:
        try:
            data[origins.DETAIL_FIELD] = clean_text(detail, origins.DETAIL_MAX)
        except FieldError as problem:
            errors[origins.DETAIL_FIELD] = str(problem)


def choices() -> list[tuple[str, str, bool]]:
    """(id, label, grouped) for the sheets' boxes: row 1's details under « Le bouche-à-oreille »."""
    return [(o.id, o.label, o.grouped) for o in origins.ORIGINS]
