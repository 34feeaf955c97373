"""The 72 hours' messages: the association's reminder (every detail: its address is verified) and the household's
short message about a difficulty (fixed text, nothing the visitor typed: the household's address was only seen to
accept our acknowledgement). Twins in ``templates/mail/mission_*.txt`` and ``.html``, headers set in Python."""

from __future__ import annotations

from email.message import EmailMessage

from rules.dates import french_datetime
from rules.phone import Phone

from ..intake.forms import TITLES, describe
from ..mail.messages import compose, contact_rows, mailbox, new_message, shared_address
from ..requests.model import Request
from ..routing import Contact, Routing
from ..sms.texts import PREFIX, fit
from . import rules


def _holder(record: Request, routing: Routing) -> Contact:
    return routing.recipient(record.association) or routing.network


def reminder(record: Request, routing: Routing, mission_url: str) -> EmailMessage:
    """To the association, a working day before the 72 hours end: book the first mission or say there is a
    difficulty (the household is then told)."""
    ai, data = _holder(record, routing), record.data
    end = rules.deadline(record) or 0
    subject = f"Intervenant sous 72 heures : {data.get('nom', '')} – échéance le {french_datetime(end)}"
    msg = new_message(subject, routing, shared_address(ai.name, ai.email), None, record.ref)
    day = rules.first_mission(record)
    rows = [("Référence", record.ref), ("Cliente depuis le", french_datetime(int(record.client_at or 0))),
            ("Première mission", day.strftime("%d/%m/%Y") if day else rules.PROPOSED),
            ("Échéance des 72 heures", french_datetime(end))] + describe(record.kind, record.fields, routing)
    return compose(msg, "mission_reminder", what=TITLES[record.kind].lower(), deadline=french_datetime(end),
                   details=rows, mission_url=mission_url, network=routing.network.name)


def difficulty(record: Request, routing: Routing) -> EmailMessage:
    """To the household: the association has a difficulty finding an intervenant in time, and will call."""
    ai = _holder(record, routing)
    subject = f"Votre demande {record.ref} : l'intervenant prend un peu plus de temps"
    msg = new_message(subject, routing, mailbox(record.data["email"]),
                      shared_address(ai.name, ai.email), record.ref)
    return compose(msg, "mission_difficulty", ai_name=ai.name, ref=record.ref, contact=contact_rows(ai),
                   network_phone=routing.network.phone.display if routing.network.phone else "")


def difficulty_sms(ref: str, ai_name: str, ai_phone: Phone | None) -> str:
    """One GSM-7 SMS when it fits: the reference, the association, its phone (the routing table's, parsed)."""
    phone = f" Tel. {ai_phone.display}" if ai_phone else ""
    head = f"{PREFIX}demande {ref} : "
    return fit([f"{head}{ai_name} a une difficulté pour vous proposer un intervenant sous 72 h et vous "
                f"recontacte.{phone}",
                f"{head}l'association a une difficulté pour trouver un intervenant sous 72 h et vous "
                f"recontacte.{phone}"])
