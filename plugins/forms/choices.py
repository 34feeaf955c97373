"""The fixed answers of the two forms, as the pages lay them out.

The values and labels come from ``rules.vocabulary``, which the form functions import too: one list for both.
"""

from __future__ import annotations

from rules.vocabulary import AVAILABILITY, CONTACT_MODES, DAYS, FREQUENCIES, SITE_FEEDBACK, SLOT_HINTS, SLOTS

__all__ = ["CONTACT_MODES", "DAYS", "FREQUENCIES", "SITE_FEEDBACK", "SLOTS", "SLOT_HINTS", "availability_grid",
           "retention_label"]


def availability_grid() -> list[tuple[str, list[tuple[str, str]]]]:
    """Rows of the callback grid: (day label, [(value ``lundi-matin``, accessible name « Lundi matin »)])."""
    cells = iter(AVAILABILITY)
    return [(day_label, [next(cells) for _ in SLOTS]) for _, day_label in DAYS]


def retention_label(days: int) -> str:
    """365 → « 12 mois », 730 → « 24 mois », 90 → « 3 mois », 10 → « 10 jours »."""
    months = round(days / 30.4375)
    if days >= 28 and abs(months * 30.4375 - days) <= 3:
        return f"{months} mois"
    return f"{days} jour{'s' if days > 1 else ''}"
