"""What the « traitée » page and the back office say of the 72 hours once a household became a client."""

from __future__ import annotations

from rules.dates import french_date, french_datetime

from ..requests.enums import Rating
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


def charter_rows(record: Request) -> list[tuple[str, str]]:
    """The back office's request page: the 72 hours and the satisfaction answers, beside the charter's 48 hours."""
    rows = [("Intervenant sous 72 heures", commitment(record))] if rules.started(record) else []
    if record.mission_difficulty_at:
        told = "la personne en a été prévenue" if record.mission_difficulty_told_at else "message à la personne à venir"
        rows.append(("Difficulté signalée", f"le {french_datetime(record.mission_difficulty_at)} ; {told}"))
    if record.satisfaction_sent_at:
        notes = [f"{label} {value}/5 ({Rating.label_of(str(value))})" for label, value in
                 (("accueil", record.satisfaction_welcome), ("suivi de la relation", record.satisfaction_relationship))
                 if value is not None]
        sent = french_datetime(record.satisfaction_sent_at)
        text = " ; ".join(notes) if notes else f"questionnaire envoyé le {sent}, sans réponse"
        if record.satisfaction_comment:
            text += f" — « {record.satisfaction_comment} »"
        rows.append(("Satisfaction après la première mission", text))
    return rows
