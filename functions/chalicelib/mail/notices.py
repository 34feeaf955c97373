"""The e-mails of a request's life after its first day: the reminder to the AI, the liaison sheet to AAI's phone
cell with its copy to the AI, the alert that an AI's address refuses mail, and the household's « Avez-vous été
recontacté ? ».

Messages to the AI and to the cell carry every detail (verified addresses, they need them to call back);
the household's question carries nothing the visitor typed, like the acknowledgement.
"""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage

from rules import grammar
from rules.dates import french_datetime

from ..intake.forms import TITLES, describe
from .messages import address, compose, contact_rows, header_text, mailbox, new_message, shared_address
from ..requests.enums import Channel, EscalationReason, EventKind, FollowUpAnswer, MailFailure, Outcome
from ..requests.lifecycle import Event
from ..requests.model import Request
from ..routing import Contact, Routing

REASONS = EscalationReason.labels()
FAILURES = MailFailure.labels()
EVENTS = EventKind.labels()
OUTCOMES = Outcome.labels()
ANSWERS = FollowUpAnswer.labels()


def _recipient(record: Request, routing: Routing) -> Contact:
    return routing.recipient(record["association"]) or routing.network   # an AI since removed


def _household(record: Request) -> Address | None:
    data = record["data"]
    return address(data["nom"], data["email"]) if "email" in data else None


def _what(record: Request) -> str:
    return f"{TITLES[record['kind']].lower()} {record['ref']}"


def reminder(record: Request, routing: Routing, handled_url: str, deadline: int) -> EmailMessage:
    """One working day without « traitée »: the one reminder the AI gets."""
    recipient, data = _recipient(record, routing), record["data"]
    direct = record.get("channel") == Channel.DIRECT   # its own contact: the follow-up date it set has come
    subject = f"À relancer aujourd'hui : contact du {french_datetime(record['created_at'])} – {data['nom']}" \
        if direct else f"Rappel : {_what(record)} sans réponse enregistrée – {data['nom']}"
    msg = new_message(subject, routing, shared_address(recipient.name, recipient.email), _household(record),
                      record["ref"])
    rows = [("Référence", record["ref"]), ("Reçue le", french_datetime(record["created_at"]))] + \
        describe(record["kind"], data, routing)
    return compose(msg, "reminder", subject=subject, what=_what(record),
                   received=french_datetime(record["created_at"]), deadline=french_datetime(deadline),
                   network=routing.network.name, details=rows,
                   handled_url=handled_url, direct=direct)


def liaison_sheet(record: Request, routing: Routing, reason: str, trail: list[Event], handled_url: str, deadline: int,
                  delay: float, diagnostic: str = "", espace_url: str = "") -> EmailMessage:
    """The cell's liaison sheet (AXE 9): why, the household's details, the AI's phone, the delay, the history."""
    recipient, data = _recipient(record, routing), record["data"]
    subject = f"Fiche de liaison – {REASONS[reason]} – {recipient.name} – {record['ref']}"
    msg = new_message(subject, routing, shared_address(routing.network.name, routing.network.email), _household(record),
                      record["ref"])
    request_rows = [("Motif", REASONS[reason]), ("Référence", record["ref"]),
                    ("Demande", TITLES[record["kind"]]), ("Reçue le", french_datetime(record["created_at"])),
                    ("Échéance de la charte", french_datetime(deadline)),
                    ("Délai écoulé", f"{delay:.1f} jour(s) ouvré(s)".replace(".", ","))]
    if diagnostic:
        request_rows.append(("Réponse de la messagerie", diagnostic))
    ai_rows = contact_rows(recipient) + ([("Contact", recipient.contact)] if recipient.contact else [])
    history = [(french_datetime(event.at), event_text(event, routing)) for event in trail]
    return compose(msg, "liaison_sheet", subject=subject, reason=REASONS[reason],
                   not_ours=reason == EscalationReason.NOT_OURS, refused=reason == EscalationReason.MAIL,
                   request_rows=request_rows, household=describe(record["kind"], data, routing), ai_rows=ai_rows,
                   history=history, ai_name=recipient.name, handled_url=handled_url, espace_url=espace_url)


def event_text(event: Event, routing: Routing | None = None) -> str:
    """One line of a request's history, as the liaison sheet and the back office show it."""
    text = EVENTS.get(event.kind, event.kind)
    details = event.details

    def name(ai_id: str) -> str:
        contact = routing.recipient(ai_id) if routing and ai_id else None
        return contact.name if contact else ai_id
    if event.kind == EventKind.ESCALATED:
        text += f" ({REASONS.get(details.get('reason', ''), '')})".replace(" ()", "")
    elif event.kind == EventKind.MAIL_FAILED:
        text += f" ({FAILURES.get(details.get('failure', ''), '')})"
    elif event.kind in (EventKind.HANDLED, EventKind.OUTCOME_CHANGED):
        text += f" : {OUTCOMES.get(details.get('outcome', ''), '')}"
    elif event.kind == EventKind.REROUTED:
        text += f" : {grammar.de(name(details.get('from', '')))} à {name(details.get('to', ''))}"
    elif event.kind == EventKind.NOTED and details.get("text"):
        text += f" : « {details['text']} »"
    elif event.kind == EventKind.FOLLOWUP_ANSWERED:
        text += f" : « {ANSWERS.get(details.get('answer', ''), '')} »"
    return text


def escalation_copy(record: Request, routing: Routing, reason: str, handled_url: str) -> EmailMessage:
    """The AI's copy of the liaison sheet's news (not its content: the AI already has the request)."""
    recipient = _recipient(record, routing)
    subject = f"Demande {record['ref']} transmise à la cellule régionale"
    msg = new_message(subject, routing, shared_address(recipient.name, recipient.email),
                      shared_address(routing.network.name, routing.network.email), record["ref"])
    return compose(msg, "escalation_copy", subject=subject, what=_what(record),
                   household_name=record["data"]["nom"], received=french_datetime(record["created_at"]),
                   network=routing.network.name,
                   reason=REASONS[reason], network_phone=routing.cell_phone.display, handled_url=handled_url)


def address_alert(record: Request, routing: Routing, failure: str, diagnostic: str,
                  moved: bool = False) -> EmailMessage:
    """To AAI: an AI's address refuses mail, so its requests go to the cell until the address is fixed.
    ``moved``: the request had been re-routed to another AI since; it stays there."""
    recipient = _recipient(record, routing)
    subject = f"Adresse en échec : {recipient.name} ne reçoit plus les demandes"
    msg = new_message(subject, routing, shared_address(routing.network.name, routing.network.email))
    rows = [("Association", recipient.name), ("Adresse", recipient.email), ("Problème", FAILURES[failure]),
            ("Demande concernée", record["ref"])]
    if diagnostic:
        rows.append(("Réponse de la messagerie", header_text(diagnostic, 300)))
    return compose(msg, "address_alert", subject=subject, ai_name=recipient.name, details=rows, moved=moved)


def cell_address_alert(record: Request, routing: Routing, failure: str, diagnostic: str,
                       to: list[str]) -> EmailMessage:
    """To AAI's other addresses (the operators): the cell's own address refused a liaison sheet, so nobody
    receives them by e-mail until it is fixed; the queue of the back office still shows every request."""
    subject = ("Adresse en échec : la cellule régionale ne reçoit plus les fiches de liaison "
               f"({routing.network.email})")
    msg = new_message(subject, routing, shared_address(routing.network.name, to[0]))
    del msg["To"]
    msg["To"] = tuple(shared_address(routing.network.name, other) for other in to)   # every one of them, in To
    rows = [("Adresse de la cellule", routing.network.email), ("Problème", FAILURES[failure]),
            ("Demande concernée", record["ref"])]
    if diagnostic:
        rows.append(("Réponse de la messagerie", header_text(diagnostic, 300)))
    return compose(msg, "cell_address_alert", subject=subject, details=rows)


def rerouted_household(record: Request, routing: Routing, complaint_url: str = "") -> EmailMessage:
    """To the household, when the cell re-routes its request: which association will now call, and how to reach
    it. Like the acknowledgement, nothing the visitor typed (the address is only known to accept mail), and it
    goes only where the acknowledgement went."""
    recipient = _recipient(record, routing)
    subject = f"Votre demande {record['ref']} : une autre association va vous rappeler"
    msg = new_message(subject, routing, mailbox(record["data"]["email"]),
                      shared_address(recipient.name, recipient.email), record["ref"])
    return compose(msg, "rerouted_household", subject=subject, what=_what(record),
                   received=french_datetime(record["created_at"]), contact=contact_rows(recipient),
                   network_phone=routing.cell_phone.display, complaint_url=complaint_url)


def followup_question(record: Request, routing: Routing, yes_url: str, no_url: str,
                      status_url: str = "", complaint_url: str = "") -> EmailMessage:
    """« Avez-vous été recontacté ? »: two signed answers, each confirmed by a button on its page. Nothing the
    visitor typed: the address was never verified."""
    recipient = _recipient(record, routing)
    subject = f"Avez-vous été recontacté ? (demande {record['ref']})"
    msg = new_message(subject, routing, mailbox(record["data"]["email"]),
                      shared_address(routing.network.name, routing.network.email), record["ref"])
    return compose(msg, "followup_question", subject=subject, received=french_datetime(record["created_at"]),
                   what=_what(record), ai_name=recipient.name, site_name=routing.site_name,
                   answers=[(yes_url, FollowUpAnswer.YES.label), (no_url, FollowUpAnswer.NO.label)]
                   + ([(status_url, "Suivre votre demande")] if status_url else [])   # the status page
                   + ([(complaint_url, "Faire une réclamation")] if complaint_url else []))
