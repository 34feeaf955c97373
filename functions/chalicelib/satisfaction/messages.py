"""The satisfaction messages: the household's questions (fixed text and signed links only — nothing the visitor
typed, the address was only seen to accept our acknowledgement), their SMS, and the association's follow-up after an
unhappy answer (every detail: the association's address is verified). Twins in ``templates/mail/satisfaction*``."""

from __future__ import annotations

from email.message import EmailMessage

from rules.dates import french_date

from ..intake.forms import describe
from ..mail.messages import address, compose, mailbox, new_message, shared_address
from ..requests.enums import Rating, SatisfactionTheme
from ..requests.model import Request
from ..routing import Contact, Routing
from ..sms.texts import PREFIX, fit
from . import rules


def _mission_day(record: Request) -> str:
    return french_date(rules.mission_day(record)) if record.first_visit else ""


def questions(record: Request, routing: Routing, ai_name: str, welcome_urls: list[tuple[str, str]], page_url: str,
              reminder: bool, sponsor_url: str | None = None) -> EmailMessage:
    """``sponsor_url``: the association's page with the sponsorship source (chalicelib.sponsorship), for a client."""
    subject = ("Rappel : " if reminder else "") + f"Votre avis sur {ai_name} (demande {record.ref})"
    msg = new_message(subject, routing, mailbox(record.data["email"]),
                      shared_address(routing.network.name, routing.network.email), record.ref)
    return compose(msg, "satisfaction", ai_name=ai_name, ref=record.ref, mission_day=_mission_day(record),
                   welcome=SatisfactionTheme.WELCOME.label, relationship=SatisfactionTheme.RELATIONSHIP.label,
                   welcome_urls=welcome_urls, page_url=page_url, reminder=reminder,
                   sponsor_url=sponsor_url)


def questions_sms(ref: str, ai_name: str, page_url: str) -> str:
    return fit([f"{PREFIX}votre avis sur {ai_name} (demande {ref}) : 2 questions, 1 minute. {page_url}",
                f"{PREFIX}votre avis sur l'association (demande {ref}) : 2 questions. {page_url}"])


def unhappy(record: Request, routing: Routing, ai: Contact, espace_url: str) -> EmailMessage:
    """To the association: the household is not satisfied with the first mission — the charter asks to replace the
    intervenant. The household's details, its ratings and its comment (to a verified address)."""
    data = record.data
    subject = f"Insatisfaction après la première mission : remplacer l'intervenant – {data.get('nom', '')}"
    reply_to = address(data["nom"], data["email"]) if "email" in data and "nom" in data else None
    msg = new_message(subject, routing, shared_address(ai.name, ai.email), reply_to, record.ref)
    ratings = [(SatisfactionTheme.WELCOME.label, _rating(record.satisfaction_welcome)),
               (SatisfactionTheme.RELATIONSHIP.label, _rating(record.satisfaction_relationship))]
    if record.satisfaction_comment:
        ratings.append(("Commentaire", record.satisfaction_comment))
    rows = [("Référence", record.ref), ("Première mission", _mission_day(record))] + \
        describe(record.kind, record.fields, routing)
    return compose(msg, "satisfaction_unhappy", ratings=ratings, details=rows, espace_url=espace_url,
                   network=routing.network.name, network_phone=routing.network.phone.display
                   if routing.network.phone else "")


def _rating(value: int | None) -> str:
    return f"{value}/5 – {Rating.label_of(str(value))}" if value is not None else "sans réponse"
