"""The « traitée » form: the outcome an AI (or the cell) records for a request, checked with French messages.

Field names are the page's (``templates/handled.html``): ``resultat``, ``premiere_intervention``, ``motif``,
``orientation``. The values come from ``chalicelib.requests.enums``, so the figures and the back office read the same.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .enums import NoFollowUpReason, Orientation, Outcome
from ..intake.validation import FieldError, read_day

OUTCOMES = Outcome.choices()
REASONS = NoFollowUpReason.choices()
ORIENTATIONS = Orientation.choices()
FIELDS = ("resultat", "premiere_intervention", "motif", "orientation")


@dataclass(frozen=True)
class Choice:
    name: str
    label: str
    help: str
    choices: tuple[tuple[str, str], ...] = ()


EXTRA_FIELDS = (
    Choice("premiere_intervention", "Date de la première intervention",
           "Si la personne est devenue cliente (au format jj/mm/aaaa) : la charte prévoit un intervenant sous "
           "72 heures. Laissez vide si la date reste à proposer."),
    Choice("motif", "Motif", "Obligatoire si la demande est restée sans suite.", REASONS),
    Choice("orientation", "Orientée vers", "Si vous avez orienté la personne ailleurs (facultatif).", ORIENTATIONS),
)


class OutcomeInvalid(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def clean_outcome(fields: dict[str, str], received: datetime.date,
                  today: datetime.date) -> dict[str, str | None]:
    """{outcome, reason, orientation, first_visit} for lifecycle ``handled``, or OutcomeInvalid."""
    errors: dict[str, str] = {}
    outcome = fields.get("resultat", "")
    reason = fields.get("motif") or None
    orientation = fields.get("orientation") or None
    visit = (fields.get("premiere_intervention") or "").strip() or None
    if outcome not in dict(OUTCOMES):
        errors["resultat"] = "Choisissez le résultat de la demande."
    if outcome == Outcome.NO_FOLLOW_UP and reason not in dict(REASONS):
        errors["motif"] = "Choisissez le motif : la demande est restée sans suite."
    elif reason is not None and reason not in dict(REASONS):
        errors["motif"] = "Choisissez un motif de la liste."
    if orientation is not None and orientation not in dict(ORIENTATIONS):
        errors["orientation"] = "Choisissez une orientation de la liste."
    if visit is not None:
        try:
            day = read_day(visit)
        except FieldError as problem:
            errors["premiere_intervention"] = str(problem)
        else:
            visit = day.isoformat()   # stored as the figures read it, however it was typed
            if not received <= day <= today + datetime.timedelta(days=366):
                errors["premiere_intervention"] = "La date de la première intervention vient après la demande, " \
                                                  "dans l'année qui suit."
    if errors:
        raise OutcomeInvalid(errors)
    return {"outcome": outcome, "reason": reason if outcome == Outcome.NO_FOLLOW_UP else None,
            "orientation": orientation if outcome == Outcome.ORIENTED else None,
            "first_visit": visit if outcome == Outcome.CLIENT else None}
