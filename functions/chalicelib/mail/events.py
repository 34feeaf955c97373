"""What the mail system says about a message after it left: SES Bounce, Complaint, Reject and Delivery events
(configuration set → SNS topic → the Chalice SNS handler), and locally a permanent SMTP refusal (5xx), turned
into the same event.

A message is found by the id the mailer returned (SES's MessageId, which its events carry as
``mail.messageId``; the Message-ID header for SMTP). A permanent refusal of a message bound for the AI — bounce,
complaint, address on the suppression list, reject — escalates the request to AAI's cell at once and alerts AAI
that the AI's address is failing: a dead mailbox must not swallow requests while every send « succeeds ».
A delivery confirmation of the AI's e-mail moves the request to « delivered ».
"""

from __future__ import annotations

import datetime
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rules.dates import local_time

from ..requests import actions
from . import notices
from ..requests import lifecycle
from ..requests.lifecycle import Refused
from .mailers import MailError, PermanentMailError, redact
from ..requests.enums import ActorKind, EscalationReason, EventKind
from ..requests.model import Request
from ..store import Stale

if TYPE_CHECKING:   # the one service, for its type only (it imports this module)
    from ..routing import Routing
    from ..service import FormService

logger = logging.getLogger(__name__)

MAIL = lifecycle.actor(ActorKind.MAIL)
# Who a message was for, by its purpose (service.send's third argument).
ROLES = {"request": "ai", "reminder": "ai", "copy": "ai", "ack": "household", "followup": "household",
         "rerouted": "household", "escalation": "cell", "mission_difficulty": "household",
         "satisfaction": "household"}   # the rest (mission_reminder, satisfaction_unhappy) to the AI
SUPPRESSED = ("Suppressed", "OnAccountSuppressionList", "OnSuppressionList")
HOUSEHOLD = "household"


def recipient_of(record: Request, purpose: str, routing: Routing) -> str:
    """Whom a message about ``record`` goes to, as the message index keeps it: the AI's id, the network's (the
    cell), or ``household``."""
    role = ROLES.get(purpose, "ai")
    return record["association"] if role == "ai" else routing.network.id if role == "cell" else HOUSEHOLD


@dataclass(frozen=True)
class MailEvent:
    kind: str              # bounce, complaint, reject, delivery
    message_id: str
    at: int
    failure: str = ""      # for a permanent failure: a MailFailure
    diagnostic: str = ""   # the mail system's words, for the liaison sheet and AAI's alert


def _epoch(text: str | None, default: int) -> int:
    try:
        return int(datetime.datetime.fromisoformat((text or "").replace("Z", "+00:00")).timestamp())
    except ValueError:
        return default


def parse_ses(notification: dict[str, Any], now: int) -> MailEvent | None:
    """An SES event (event publishing: ``eventType``; identity notifications: ``notificationType``), or None
    for the kinds we do not follow (Send, Open, Click…) and for anything malformed."""
    kind = notification.get("eventType") or notification.get("notificationType")
    message_id = (notification.get("mail") or {}).get("messageId")
    if not isinstance(message_id, str) or not message_id:
        return None
    if kind == "Bounce":
        bounce = notification.get("bounce") or {}
        at = _epoch(bounce.get("timestamp"), now)
        codes = [r.get("diagnosticCode") or r.get("status") or "" for r in bounce.get("bouncedRecipients") or []]
        diagnostic = redact("; ".join(c for c in codes if c))[:300]
        if bounce.get("bounceType") != "Permanent":
            return MailEvent("bounce", message_id, at, "", diagnostic)   # SES keeps trying by itself
        failure = "suppressed" if bounce.get("bounceSubType") in SUPPRESSED else "bounce"
        return MailEvent("bounce", message_id, at, failure, diagnostic or bounce.get("bounceSubType", ""))
    if kind == "Complaint":
        complaint = notification.get("complaint") or {}
        return MailEvent("complaint", message_id, _epoch(complaint.get("timestamp"), now), "complaint",
                         complaint.get("complaintFeedbackType", "")[:100])
    if kind == "Reject":
        reject = notification.get("reject") or {}
        return MailEvent("reject", message_id, now, "reject", redact(reject.get("reason", ""))[:300])
    if kind == "Delivery":
        delivery = notification.get("delivery") or {}
        return MailEvent("delivery", message_id, _epoch(delivery.get("timestamp"), now))
    return None


def from_sns(message: str, now: int) -> MailEvent | None:
    """The ``Message`` of an SNS notification: the SES event as JSON text."""
    try:
        notification = json.loads(message)
    except (TypeError, ValueError):
        logger.warning("mail event: the SNS message is not JSON; ignored")
        return None
    return parse_ses(notification, now) if isinstance(notification, dict) else None


def smtp_refusal(message_id: str, refusal: PermanentMailError, now: int) -> MailEvent:
    """A 5xx from the recipient's SMTP server: the local twin of an SES permanent bounce."""
    return MailEvent("bounce", message_id, now, "bounce", redact(refusal.diagnostic or str(refusal))[:300])


def alert_cell_address(svc: FormService, request: Request, failure: str, diagnostic: str) -> bool:
    """The cell's own address refuses mail: nobody reads the liaison sheets. Tell AAI's other addresses (the
    operators of data/settings.yaml), once a day; the cell's queue shows it too (``cell_mail_failed_at``)."""
    others = [o.email for o in svc.routing.operators.values() if o.email.lower() != svc.routing.network.email.lower()]
    if not others:
        return False
    key = f"alert#{svc.routing.network.id}#{local_time(svc.now()).date().isoformat()}"
    if not svc.store.claim(key, svc.now() + 3 * actions.ALERT_EVERY):
        return False
    try:
        svc.mailer.send(notices.cell_address_alert(request, svc.routing, failure, diagnostic, others))
    except MailError as error:
        svc.store.release(key)
        logger.error("alert about the cell's address not sent (%s)", error)
        return False
    return True


def record(svc: FormService, event: MailEvent) -> str:
    """Record the event on its request and act on it; returns what happened (for logs and tests)."""
    found = svc.store.find_message(event.message_id)
    request = svc.store.get(found["ref"]) if found else None
    if found is None or request is None:
        logger.info("mail event %s for an unknown or erased message: ignored", event.kind)
        return "unknown"
    role = ROLES.get(found["purpose"], "ai")
    try:
        if event.kind == "delivery":
            if found["purpose"] != "request":
                return "ignored"
            svc.change(request, EventKind.DELIVERED, MAIL)
            return "delivered"
        if not event.failure:
            logger.info("%s: temporary %s, the mail system keeps trying", request["ref"], event.kind)
            return "ignored"
        if role == "cell":
            request = svc.change(request, EventKind.MAIL_FAILED, MAIL, failure=event.failure, to="cell",
                                 message=found["purpose"], diagnostic=event.diagnostic or None)
            logger.error("%s: the cell's own address refused the liaison sheet (%s): check it in data/settings.yaml",
                         request["ref"], event.failure)
            alert_cell_address(svc, request, event.failure, event.diagnostic)
            return "alerted"
        # The AI the message went to (older index entries: the one holding the request).
        failing = (found.get("recipient") or request["association"]) if role == "ai" else None
        request = svc.change(request, EventKind.MAIL_FAILED, MAIL, failure=event.failure, to=role,
                             message=found["purpose"], diagnostic=event.diagnostic or None, association=failing)
    except (Refused, Stale) as why:
        logger.info("%s: mail event %s not recorded (%s)", found["ref"], event.kind, why)
        return "ignored"
    if role == "household":
        logger.info("%s: the household's address refuses mail (%s)", request["ref"], event.failure)
        return "noted"
    if failing != request["association"]:   # a late refusal after a re-route: the former AI's address
        logger.warning("%s: the address of %s, which held the request before, refuses mail (%s)",
                       request["ref"], failing, event.failure)
        actions.alert_failing_address(svc, request, event.failure, event.diagnostic, failing)
        return "alerted"
    logger.warning("%s: the address of %s refuses mail (%s): escalated to the cell", request["ref"],
                   request["association"], event.failure)
    actions.alert_failing_address(svc, request, event.failure, event.diagnostic)
    try:
        actions.escalate(svc, request, EscalationReason.MAIL, diagnostic=event.diagnostic)
    except Refused:   # handled already, or escalated for this before
        return "noted"
    return "escalated"
