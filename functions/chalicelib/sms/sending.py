"""Sending an SMS about a request, with the rules around it: only in office hours on a working day (no SMS at
night), within the monthly budget (segments counted in the store with its atomic counter, an alert e-mail to AAI
once at 80 %), recorded in the request's trail, a temporary failure tried again by the tick, a permanent one
recorded and the request escalated to the cell: a household without e-mail must never be dropped silently."""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING

from rules.dates import local_time, month_of
from rules.sms import segments
from rules.working_days import in_office_hours

from ..requests import actions
from ..web import links
from ..intake import promise
from ..mail.mailers import MailError
from ..mail.messages import new_message, shared_address
from ..requests import lifecycle
from ..requests.enums import ActorKind, EscalationReason, EventKind
from ..requests.lifecycle import Refused
from ..requests.model import Request
from . import replies, short_links, texts
from .senders import PermanentSmsError, SmsError

if TYPE_CHECKING:
    from ..config import Settings
    from ..service import FormService

logger = logging.getLogger(__name__)

SYSTEM = lifecycle.actor(ActorKind.SYSTEM)
ALERT_SHARE = 0.8
KEPT_DAYS = 40 * 86400   # a month's counters outlive the month


def monthly_segments(settings: Settings) -> int:
    """How many segments the monthly budget pays for."""
    return math.floor(settings.sms_monthly_budget / settings.sms_price_per_segment + 1e-9)


def take_budget(svc: FormService, count: int) -> bool:
    """Take ``count`` segments of this month's budget at once or none; alert AAI once when 80 % are spent."""
    month, now = month_of(svc.now()), svc.now()
    limit = monthly_segments(svc.settings)
    key = f"sms#{month}"
    taken = 0
    while taken < count and svc.store.take(key, limit, now + KEPT_DAYS):
        taken += 1
    if taken < count:
        for _ in range(taken):
            svc.store.give_back(key)
        alert_budget(svc, month, limit, reached=True)
        return False
    for _ in range(count):
        if not svc.store.take(f"sms-warn#{month}", math.floor(limit * ALERT_SHARE), now + KEPT_DAYS):
            alert_budget(svc, month, limit, reached=False)
            break
    return True


def alert_budget(svc: FormService, month: str, limit: int, reached: bool) -> bool:
    """One e-mail to AAI per month and per level (80 %, reached), whoever sends the SMS that crosses it."""
    key = f"sms-alert#{month}#{'full' if reached else 'warn'}"
    if not svc.store.claim(key, svc.now() + KEPT_DAYS):
        return False
    network = svc.routing.network
    level = "est atteint : plus aucun SMS ne part ce mois-ci" if reached else "est consommé à 80 %"
    msg = new_message(f"Budget SMS de {month} : {'atteint' if reached else '80 %'}", svc.routing,
                      shared_address(network.name, network.email))
    msg.set_content(
        f"Bonjour,\n\nLe budget SMS du mois {month} ({svc.settings.sms_monthly_budget:.2f} €, soit {limit} segments "
        f"à {svc.settings.sms_price_per_segment:.3f} €) {level}.\n\nLes personnes sans e-mail restent suivies : "
        "leurs demandes sont transmises aux associations comme les autres. Pour relever le plafond, modifiez le "
        "réglage AAI_SMS_MONTHLY_BUDGET.\n\nLe site des associations intermédiaires d'Aquitaine\n")
    try:
        svc.mailer.send(msg)
    except MailError as error:
        svc.store.release(key)
        logger.error("SMS budget alert not sent (%s)", error)
        return False
    logger.warning("SMS budget of %s: %s", month, "reached" if reached else "80 % spent")
    return True


def acknowledgement_text(svc: FormService, record: Request) -> str:
    ai = svc.routing.recipient(record["association"]) or svc.routing.network
    return texts.acknowledgement(record["ref"], ai.name, ai.phone, promise.promised_day(record, svc.policy))


def send_acknowledgement(svc: FormService, record: Request) -> Request:
    """Send the household its acknowledgement by SMS if it is owed and the hour allows; the record after."""
    if not lifecycle.sms_owed(record) or not record.get("ai_sent_at"):
        return record
    if not in_office_hours(local_time(svc.now())):
        return record   # the tick sends it at the office's opening (lifecycle.sms_at)
    if replies.opted_out(svc, record["phone"]):
        return stopped(svc, record)
    text = acknowledgement_text(svc, record)
    if not take_budget(svc, segments(text)):
        logger.warning("%s: SMS not sent, the monthly budget is spent", record["ref"])
        return svc.change(record, EventKind.SMS_FAILED, SYSTEM, error="budget")
    svc.store.flush()   # stored before sent
    try:
        message_id = svc.sms.send(record["phone"], text, record["ref"])
    except PermanentSmsError as refusal:
        return refused(svc, record, str(refusal))
    except SmsError as exc:
        logger.warning("%s: SMS failed (%s), tried again later", record["ref"], exc)
        return svc.change(record, EventKind.SMS_FAILED, SYSTEM, error=str(exc)[:300])
    svc.store.record_message(message_id, record["ref"], "sms", record["expires_at"], "household")
    return svc.change(record, EventKind.SMS_SENT, SYSTEM, message_id=message_id, segments=segments(text))


def stopped(svc: FormService, record: Request) -> Request:
    """The number said « STOP »: no SMS, recorded once so that the tick stops trying. The request itself goes on
    — the association has it and calls — so nothing is escalated."""
    logger.info("%s: no SMS, the number opted out", record["ref"])
    try:
        return svc.change(record, EventKind.SMS_FAILED, SYSTEM, permanent=True, error="opted out (STOP)")
    except Refused:
        return record


def refused(svc: FormService, record: Request, diagnostic: str) -> Request:
    """Like a bounce: recorded once, then — the SMS was the household's only channel or its chosen one — the
    request goes to the cell, which calls the household itself."""
    record = svc.change(record, EventKind.SMS_FAILED, SYSTEM, permanent=True, error=diagnostic[:300])
    logger.warning("%s: SMS refused for good (%s): escalated to the cell", record["ref"], diagnostic)
    try:
        return actions.escalate(svc, record, EscalationReason.SMS, diagnostic=diagnostic)
    except Refused:   # handled already, or the cell's own callback
        return svc.store.get(record["ref"]) or record


def send_followup(svc: FormService, record: Request) -> Request:
    """« Avez-vous été recontacté ? » by SMS, in office hours (the tick keeps it for the opening), within the
    budget; a failure gives the question back to the tick, a refusal is recorded (the number no longer takes SMS)."""
    if not in_office_hours(local_time(svc.now())):
        return record
    if replies.opted_out(svc, record["phone"]):
        return stopped(svc, record)
    expires = svc.link_expiry(record)
    link = links.followup_url(svc.settings.forms_endpoint, svc.settings.secret, record["ref"], "non", expires)
    text = texts.followup(record["ref"], short_links.shorten(svc, link, expires),
                          by_reply=bool(svc.settings.sms_reply_number))
    if not take_budget(svc, segments(text)):
        return record   # the question waits: the budget comes back next month, before the request closes
    record = svc.change(record, EventKind.FOLLOWUP_SENT, SYSTEM, channel="sms")
    try:
        message_id = svc.sms.send(record["phone"], text, record["ref"])
    except PermanentSmsError as refusal:
        return svc.change(record, EventKind.SMS_FAILED, SYSTEM, permanent=True, error=str(refusal)[:300])
    except SmsError as exc:
        return svc.change(record, EventKind.SEND_FAILED, SYSTEM, message="followup", error=str(exc)[:300])
    svc.store.record_message(message_id, record["ref"], "sms", record["expires_at"], "household")
    return record
