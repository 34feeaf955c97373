"""What the « traitée » page and the back office say of the 72 hours once a household became a client."""

from __future__ import annotations

from rules.dates import french_date, french_datetime

from ..requests.model import Request
from . import rules


def commitment(record: Request) -> str:
    """« Intervenant sous 72 heures : … » (empty for any other outcome)."""
    end = rules.deadline(record)
    if end is None:
        return ""
    day = rules.first_mission(record)
    first = f"première mission le {french_date(day)}" if day else f"première mission {rules.PROPOSED}"
    status = {True: " (dans le délai)", False: " (après le délai : prévenez la personne)", None: ""}[
        rules.in_time(record)]
    text = f"Intervenant sous 72 heures (jours ouvrés) : au plus tard le {french_datetime(end)} ; {first}{status}."
    if day is None and not record.mission_difficulty_at:
        text += " Sans date d'ici là, un rappel vous sera envoyé la veille."
    return text
