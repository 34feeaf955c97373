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

from .forms import TITLES, describe
from .messages import address, blocks_text, contact_rows, header_text, html_page, new_message
from .requests.enums import EscalationReason, EventKind, FollowUpAnswer, MailFailure, Outcome
from .requests.model import Request
from .routing import Routing

REASONS = EscalationReason.labels()
FAILURES = MailFailure.labels()
EVENTS = EventKind.labels()
OUTCOMES = Outcome.labels()
ANSWERS = FollowUpAnswer.labels()


def _recipient(record: Request, routing: Routing):
    return routing.recipient(record["association"]) or routing.network   # an AI since removed


def _household(record: Request) -> Address | None:
    data = record["data"]
    return address(data["nom"], data["email"]) if "email" in data else None


def _what(record: Request) -> str:
    return f"{TITLES[record['kind']].lower()} {record['ref']}"


def _finish(msg: EmailMessage, subject: str, paragraphs: list, links: list[tuple[str, str]]) -> EmailMessage:
    """Plain text and HTML from the same blocks: paragraphs (str) and tables (lists of rows)."""
    msg.set_content(blocks_text(paragraphs, links))
    msg.add_alternative(html_page(subject, paragraphs, links), subtype="html")
    return msg


def reminder(record: Request, routing: Routing, handled_url: str, deadline: int) -> EmailMessage:
    """One working day without « traitée »: the one reminder the AI gets."""
    recipient, data = _recipient(record, routing), record["data"]
    subject = f"Rappel : {_what(record)} sans réponse enregistrée – {data['nom']}"
    msg = new_message(subject, routing, address(recipient.name, recipient.email), _household(record), record["ref"])
    rows = [("Référence", record["ref"]), ("Reçue le", french_datetime(record["created_at"]))] + \
        describe(record["kind"], data, routing)
    return _finish(msg, subject, [
        f"La {_what(record)}, reçue le {french_datetime(record['created_at'])}, n'est pas encore marquée traitée.",
        f"La charte qualité prévoit une réponse sous 48 heures (jours ouvrés) : sans réponse enregistrée d'ici le "
        f"{french_datetime(deadline)}, la demande sera transmise à la cellule régionale {grammar.de(routing.network.name)}, "
        f"qui rappellera la personne.",
        rows,
        "Si vous avez déjà répondu, il suffit de l'indiquer avec le lien ci-dessous : cette relance est la seule.",
    ], [(handled_url, "Indiquer le résultat de la demande")])


def liaison_sheet(record: Request, routing: Routing, reason: str, trail: list, handled_url: str, deadline: int,
                  delay: float, diagnostic: str = "", espace_url: str = "") -> EmailMessage:
    """The cell's liaison sheet (AXE 9): why, the household's details, the AI's phone, the delay, the history."""
    recipient, data = _recipient(record, routing), record["data"]
    subject = f"Fiche de liaison – {REASONS[reason]} – {recipient.name} – {record['ref']}"
    msg = new_message(subject, routing, address(routing.network.name, routing.network.email), _household(record),
                      record["ref"])
    request_rows = [("Motif", REASONS[reason]), ("Référence", record["ref"]),
                    ("Demande", TITLES[record["kind"]]), ("Reçue le", french_datetime(record["created_at"])),
                    ("Échéance de la charte", french_datetime(deadline)),
                    ("Délai écoulé", f"{delay:.1f} jour(s) ouvré(s)".replace(".", ","))]
    if diagnostic:
        request_rows.append(("Réponse de la messagerie", diagnostic))
    ai_rows = contact_rows(recipient) + ([("Contact", recipient.contact)] if recipient.contact else [])
    history = [(french_datetime(event.at), event_text(event, routing)) for event in trail]
    todo = ("Rappelez la personne, convenez avec elle d'une suite (ou d'une date de rappel), puis enregistrez le "
            "résultat avec le lien ci-dessous.")
    if reason == EscalationReason.MAIL:
        todo += f" L'adresse {grammar.de(recipient.name)} refuse les messages : prévenez l'association par téléphone."
    if reason == EscalationReason.NOT_OURS:
        todo = ("L'association indique que cette demande n'est pas pour elle : réorientez-la vers une autre "
                "association depuis l'espace de gestion, ou rappelez la personne.")
    links = [(handled_url, "Enregistrer le résultat (au nom de la cellule)")]
    if espace_url:
        links.append((espace_url, "Ouvrir la demande dans l'espace de gestion (réorienter, noter un appel)"))
    return _finish(msg, subject, [
        f"Cette demande passe à la cellule régionale : {REASONS[reason].lower()}.", request_rows,
        "La personne :", describe(record["kind"], data, routing),
        "L'association :", ai_rows, "Ce qui s'est passé :", history, todo,
    ], links)


def event_text(event, routing: Routing | None = None) -> str:
    """One line of a request's history, as the liaison sheet and the back office show it."""
    text = EVENTS.get(event.kind, event.kind)
    details = event.details

    def name(ai_id: str) -> str:
        contact = routing.recipient(ai_id) if routing and ai_id else None
        return contact.name if contact else ai_id
    if event.kind == EventKind.ESCALATED:
        text += f" ({REASONS.get(details.get('reason'), '')})".replace(" ()", "")
    elif event.kind == EventKind.MAIL_FAILED:
        text += f" ({FAILURES.get(details.get('failure'), '')})"
    elif event.kind in (EventKind.HANDLED, EventKind.OUTCOME_CHANGED):
        text += f" : {OUTCOMES.get(details.get('outcome'), '')}"
    elif event.kind == EventKind.REROUTED:
        text += f" : {grammar.de(name(details.get('from', '')))} à {name(details.get('to', ''))}"
    elif event.kind == EventKind.NOTED and details.get("text"):
        text += f" : « {details['text']} »"
    elif event.kind == EventKind.FOLLOWUP_ANSWERED:
        text += f" : « {ANSWERS.get(details.get('answer'), '')} »"
    return text


def escalation_copy(record: Request, routing: Routing, reason: str, handled_url: str) -> EmailMessage:
    """The AI's copy of the liaison sheet's news (not its content: the AI already has the request)."""
    recipient = _recipient(record, routing)
    subject = f"Demande {record['ref']} transmise à la cellule régionale"
    msg = new_message(subject, routing, address(recipient.name, recipient.email),
                      address(routing.network.name, routing.network.email), record["ref"])
    return _finish(msg, subject, [
        f"La {_what(record)} {grammar.de(record['data']['nom'])}, reçue le {french_datetime(record['created_at'])}, a été "
        f"transmise à la cellule régionale {grammar.de(routing.network.name)} : {REASONS[reason].lower()}.",
        f"La cellule va rappeler la personne. Pour en parler, appelez-la au {routing.network.phone.display} ou "
        "répondez à ce message.",
        "Si vous avez traité la demande entre-temps, indiquez-en le résultat : la cellule le verra.",
    ], [(handled_url, "Indiquer le résultat de la demande")])


def address_alert(record: Request, routing: Routing, failure: str, diagnostic: str,
                  moved: bool = False) -> EmailMessage:
    """To AAI: an AI's address refuses mail, so its requests go to the cell until the address is fixed.
    ``moved``: the request had been re-routed to another AI since; it stays there."""
    recipient = _recipient(record, routing)
    subject = f"Adresse en échec : {recipient.name} ne reçoit plus les demandes"
    msg = new_message(subject, routing, address(routing.network.name, routing.network.email))
    rows = [("Association", recipient.name), ("Adresse", recipient.email), ("Problème", FAILURES[failure]),
            ("Demande concernée", record["ref"])]
    if diagnostic:
        rows.append(("Réponse de la messagerie", header_text(diagnostic, 300)))
    return _finish(msg, subject, [
        f"La messagerie a refusé un message destiné à {recipient.name}.", rows,
        ("La demande concernée avait depuis été réorientée vers une autre association, qui la garde. "
         if moved else "La demande concernée est passée à la cellule régionale (fiche de liaison envoyée). ")
        + "Tant que l'adresse n'est pas corrigée, chaque nouvelle demande pour cette association suivra le même "
        "chemin.",
        "À faire : vérifier l'adresse avec l'association, la corriger dans data/associations.yaml (le site se "
        "reconstruit tout seul) et, si elle figure sur la liste de suppression d'Amazon SES, l'en retirer.",
    ], [])


def cell_address_alert(record: Request, routing: Routing, failure: str, diagnostic: str,
                       to: list[str]) -> EmailMessage:
    """To AAI's other addresses (the operators): the cell's own address refused a liaison sheet, so nobody
    receives them by e-mail until it is fixed; the queue of the back office still shows every request."""
    subject = ("Adresse en échec : la cellule régionale ne reçoit plus les fiches de liaison "
               f"({routing.network.email})")
    msg = new_message(subject, routing, address(routing.network.name, to[0]))
    del msg["To"]
    msg["To"] = tuple(address(routing.network.name, other) for other in to)   # every one of them, in To
    rows = [("Adresse de la cellule", routing.network.email), ("Problème", FAILURES[failure]),
            ("Demande concernée", record["ref"])]
    if diagnostic:
        rows.append(("Réponse de la messagerie", header_text(diagnostic, 300)))
    return _finish(msg, subject, [
        "La messagerie a refusé une fiche de liaison envoyée à l'adresse de la cellule régionale.", rows,
        "Tant que l'adresse n'est pas corrigée, les fiches de liaison ne parviennent à personne par e-mail : "
        "consultez la file d'appels de l'espace de gestion, qui montre chaque demande à rappeler.",
        "À faire : vérifier l'adresse forms_email de data/settings.yaml (le site se reconstruit tout seul) et, si "
        "elle figure sur la liste de suppression d'Amazon SES, l'en retirer.",
    ], [])


def rerouted_household(record: Request, routing: Routing) -> EmailMessage:
    """To the household, when the cell re-routes its request: which association will now call, and how to reach
    it. Like the acknowledgement, nothing the visitor typed (the address is only known to accept mail), and it
    goes only where the acknowledgement went."""
    recipient = _recipient(record, routing)
    subject = f"Votre demande {record['ref']} : une autre association va vous rappeler"
    msg = new_message(subject, routing, Address(addr_spec=header_text(record["data"]["email"], 254)),
                      address(recipient.name, recipient.email), record["ref"])
    return _finish(msg, subject, [
        "Bonjour,",
        f"Votre {_what(record)}, envoyée le {french_datetime(record['created_at'])}, a été confiée par la cellule "
        "régionale à une autre association, mieux placée pour y répondre. C'est elle qui va vous rappeler :",
        contact_rows(recipient),
        f"Vous n'avez rien à refaire. Pour toute question, contactez cette association, ou la cellule régionale "
        f"au {routing.network.phone.display}.",
        "Ce message est envoyé automatiquement. Si vous n'êtes pas à l'origine de cette demande, ignorez-le.",
    ], [])


def followup_question(record: Request, routing: Routing, yes_url: str, no_url: str) -> EmailMessage:
    """« Avez-vous été recontacté ? »: two signed answers, each confirmed by a button on its page. Nothing the
    visitor typed: the address was never verified."""
    recipient = _recipient(record, routing)
    subject = f"Avez-vous été recontacté ? (demande {record['ref']})"
    msg = new_message(subject, routing, Address(addr_spec=header_text(record["data"]["email"], 254)),
                      address(routing.network.name, routing.network.email), record["ref"])
    return _finish(msg, subject, [
        "Bonjour,",
        f"Le {french_datetime(record['created_at'])}, vous avez adressé une {_what(record)} à {recipient.name} "
        f"sur le site « {routing.site_name} ».",
        "Avez-vous été recontacté ? Votre réponse nous aide à tenir l'engagement de la charte qualité : une "
        "réponse sous 48 heures. Si personne ne vous a rappelé, la cellule régionale le fera.",
        "Chaque lien ouvre une page où vous confirmez votre réponse.",
        "Vous recevez ce message parce que vous l'avez accepté en envoyant votre demande ; il n'y en aura pas "
        "d'autre. Si vous n'êtes pas à l'origine de cette demande, ignorez-le.",
    ], [(yes_url, FollowUpAnswer.YES.label), (no_url, FollowUpAnswer.NO.label)])
