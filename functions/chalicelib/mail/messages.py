"""E-mails built with the standard ``email`` package: plain text + HTML, escaped values, safe headers.

This module holds the two messages of a new request (to the AI, the visitor's acknowledgement) and the
builders every other message uses (``notices`` for the lifecycle, ``reports.formats`` for the monthly figures).
"""

from __future__ import annotations

import datetime
import unicodedata
from functools import lru_cache
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import TYPE_CHECKING, Any, TypeVar

from rules.dates import french_datetime

from ..intake import promise
from ..intake.forms import FREE_TEXT, TITLES, describe, described
from ..requests.enums import Channel
from ..requests.model import Request
from ..routing import Contact, Routing
from ..web.templating import render
from .policy import MAIL_POLICY, SharedAddress, put, set_alternative

if TYPE_CHECKING:
    from ..requests.lifecycle import Policy

_A = TypeVar("_A", bound=Address)

CHARTER = "Charte qualité : merci de répondre sous 48 heures."


def header_text(value: str, limit: int = 150) -> str:
    """Anything bound for a header: no CR, LF or other control character can survive. Not remembered: it reads
    households' names, addresses and the subjects naming them (see ``shared_address``)."""
    kept = "".join(c if unicodedata.category(c)[0] not in "CZ" else " " for c in str(value))
    text = " ".join(kept.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mailbox(email: str) -> Address:
    """An address without a name: the household's, in the To of the messages written to it. Parsed for each
    message, never remembered (see ``shared_address``)."""
    return Address(addr_spec=header_text(email, 254))


def address(name: str, email: str) -> Address:
    """A named address: a household's, in the Reply-To of its association's message; its address part is
    ``mailbox``'s, the same value the standard parse of it gives. Never remembered (see ``shared_address``)."""
    return _named(Address, name, email)


@lru_cache(maxsize=256)   # the same few addresses in message after message: one parse each per process
def shared_address(name: str, email: str) -> SharedAddress:
    """An address of the routing table or the configuration — an association's, the network's, the site's sender
    — for every message that names it: parsed once, and marked so the mail policy remembers its header too.

    The one rule of what the functions remember about people: only these. A household's name, e-mail and phone
    number are never kept in a memo of the process (a warm Lambda serves many requests), because the right to
    erasure (``FormService.erase``) must reach every copy of them; they go through ``address`` and ``mailbox``,
    parsed again for each message (tens of microseconds)."""
    return _named(SharedAddress, name, email)


def _named(kind: type[_A], name: str, email: str) -> _A:
    box = mailbox(email)
    return kind(display_name=header_text(name, 80), username=box.username, domain=box.domain)


def new_message(subject: str, routing: Routing, to: Address, reply_to: Address | None = None,
                ref: str | None = None) -> EmailMessage:
    """Headers every message shares; ``ref`` ties it to a request (mail events, erasure of local copies)."""
    mail_from = routing.sender
    msg = EmailMessage(policy=MAIL_POLICY)   # headers kept as the standard folder writes them (mail/policy.py)
    put(msg, "Subject", header_text(subject, 200))
    put(msg, "From", shared_address(routing.site_name, mail_from))
    put(msg, "To", to)
    if reply_to is not None:
        put(msg, "Reply-To", reply_to)
    put(msg, "Date", format_datetime(_now_utc()))
    put(msg, "Message-ID", make_msgid(idstring=header_text(ref or "aai", 40), domain=mail_from.rpartition("@")[2]))
    if ref:
        put(msg, "X-AAI-Reference", header_text(ref, 40))
    put(msg, "Auto-Submitted", "auto-generated")
    return msg


def _now_utc() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def compose(msg: EmailMessage, name: str, **context: Any) -> EmailMessage:
    """The body of a message from its twins, ``templates/mail/<name>.txt`` and ``.html`` (on the shared layout,
    titled by the subject), rendered from the same context; the headers stay set in Python."""
    context.setdefault("subject", str(msg["Subject"]))
    set_alternative(msg, render(f"mail/{name}.txt", **context), render(f"mail/{name}.html", **context))
    return msg


def contact_rows(contact: Contact) -> list[tuple[str, str]]:
    town = " ".join(p for p in (contact.postal_code, contact.commune_name) if p)
    rows = [("Association", contact.name), ("Téléphone", contact.phone.display if contact.phone else ""),
            ("E-mail", contact.email),
            ("Adresse", ", ".join(p for p in (contact.address, town) if p)), ("Horaires", contact.hours)]
    return [(k, v) for k, v in rows if v]


def message_to_ai(record: Request, routing: Routing, handled_url: str) -> EmailMessage:
    """The request as the AI staff need it: every field, Reply-To the visitor, the handled link."""
    kind, data, ref = record["kind"], record["data"], record["ref"]
    recipient = routing.recipient(record["association"]) or routing.network   # an AI since removed
    place = routing.commune_name(data["commune"]) if "commune" in data else ""
    who = data.get("organisation") or data["nom"]   # a professional: its organisation first
    subject = header_text(" – ".join(p for p in (TITLES[kind], who, place) if p), 200)
    reply_to = address(data["nom"], data["email"]) if "email" in data else None
    msg = new_message(subject, routing, shared_address(recipient.name, recipient.email), reply_to, ref)
    rows = [("Référence", ref), ("Reçue le", french_datetime(record["created_at"])),
            ("Origine", Channel.label_of(record.get("channel", Channel.SITE)))] + describe(kind, data, routing)
    # How it reached the association: the site's form, a call to AAI's phone cell (its liaison sheet), or the
    # cell's re-routing of a request another association could not take.
    return compose(msg, "message_to_ai", subject=subject, what=TITLES[kind].lower(), ai_name=recipient.name,
                   rerouted=bool(record.get("routed_at")), by_phone=record.get("channel") == Channel.TELEPHONE,
                   received=french_datetime(record["created_at"]), network=routing.network.name,
                   site_name=routing.site_name, details=rows, charter=CHARTER, reply_to=reply_to is not None,
                   handled_url=handled_url)


# Typed by the visitor: never in a message to the visitor's address, which nobody has verified (an attacker
# could otherwise have us deliver « payez les frais sur www.evil… » to anyone, name field included).
TYPED = ("nom", "email", "telephone", *FREE_TEXT)


def acknowledgement(record: Request, routing: Routing, status_url: str = "", policy: Policy | None = None,
                    complaint_url: str = "") -> EmailMessage:
    """Fixed text for the visitor: what was sent, to whom, and how to reach them; only what they chose from
    lists, nothing they typed, not even their name (To carries the bare address). With the ``policy``, the
    promise in writing: who calls, by which channel, at the latest on which day, and what to do if not."""
    kind, data, ref = record["kind"], record["data"], record["ref"]
    recipient = routing.recipient(record["association"]) or routing.network   # an AI since removed
    by_cell = bool(record.get("ai_mail_failure"))   # the AI's address refuses mail: the cell calls instead
    subject = f"Votre {TITLES[kind].lower()} a bien été reçue ({ref})"
    contact = routing.network if by_cell else recipient
    msg = new_message(subject, routing, mailbox(data["email"]), shared_address(contact.name, contact.email), ref)
    rows = described(kind, data, routing, leave_out=TYPED)[1]   # what is typed is not even formatted
    return compose(msg, "acknowledgement", subject=subject, what=TITLES[kind].lower(), ref=ref, by_cell=by_cell,
                   ai_name=recipient.name, network=routing.network.name, choices=rows, contact=contact_rows(contact),
                   status_url=status_url, complaint_url=complaint_url,
                   network_phone=routing.network.phone.display if routing.network.phone else "",
                   channel=promise.CHANNELS[promise.channel(record)],
                   day=promise.day_words(promise.promised_day(record, policy)) if policy else "")
