"""What happens to a stored request, with its e-mails: the reminder, the escalation to AAI's cell (liaison sheet
and copy to the AI), the household's question and answer, the outcome, the alert about a failing address.

Each function takes the service (store, mailer, routing, clock), moves the request through ``service.change``
— the lifecycle's rules, stored with the audit-trail event — and returns the new record. A message that must
never go twice (a reminder, the household's question) is claimed in the store *before* it is sent, and given
back if sending fails: a stale copy or a second scheduled run cannot send it again.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from rules.dates import local_time
from rules.working_days import working_days_between

from ..web import links
from ..mail import notices
from ..complaints.household import complaint_url
from . import lifecycle
from ..mail.mailers import MailError, PermanentMailError, redact
from .enums import ActorKind, EscalationReason, EventKind
from .model import Request

if TYPE_CHECKING:   # the one service, for its type only (it imports this module)
    from ..service import FormService

logger = logging.getLogger(__name__)

SYSTEM = lifecycle.actor(ActorKind.SYSTEM)
HOUSEHOLD = lifecycle.actor(ActorKind.HOUSEHOLD)
ALERT_EVERY = 86400   # one alert per AI and per day about a failing address


def _short(error: Exception) -> str:
    return redact(str(error))[:500]


def remind(svc: FormService, record: Request) -> Request:
    """The one reminder to the AI, one working day after the request, in office hours."""
    record = svc.change(record, EventKind.REMINDED, SYSTEM)
    deadline = lifecycle.escalation_at(record, svc.policy)
    message = notices.reminder(record, svc.routing, svc.handled_url(record), deadline)
    try:
        svc.send(record, message, "reminder")
    except PermanentMailError:
        return svc.store.get(record["ref"]) or record      # mail_events escalated it
    except MailError as error:
        return svc.change(record, EventKind.SEND_FAILED, SYSTEM, message="reminder", error=_short(error))
    logger.info("%s: reminder sent to %s", record["ref"], record["association"])
    return record


def escalate(svc: FormService, record: Request, reason: str, who: str = SYSTEM, diagnostic: str = "") -> Request:
    """To AAI's phone cell: the liaison sheet, and a copy to the AI (unless its address is the problem)."""
    record = svc.change(record, EventKind.ESCALATED, who, reason=reason)
    logger.info("%s: escalated to the cell (%s)", record["ref"], reason)
    return notify_escalation(svc, record, diagnostic)


def notify_escalation(svc: FormService, record: Request, diagnostic: str = "") -> Request:
    """Send (or send again) the liaison sheet of an escalated request, then the copy to the AI."""
    reason = record["escalation"]
    deadline = lifecycle.charter_deadline(record, svc.policy)
    delay = working_days_between(local_time(record["created_at"]), local_time(svc.now()))
    sheet = notices.liaison_sheet(record, svc.routing, reason, svc.store.trail(record["ref"]),
                                  svc.handled_url(record, by="cell"), deadline, delay, diagnostic,
                                  svc.espace_url(record["ref"]))
    try:
        svc.send(record, sheet, "escalation")
    except MailError as error:
        logger.error("%s: the liaison sheet could not be sent (%s); it will be tried again", record["ref"], error)
        record = svc.store.get(record["ref"]) or record   # a refusal of the cell's address was recorded meanwhile
        return svc.change(record, EventKind.SEND_FAILED, SYSTEM, message="escalation", error=_short(error))
    if record.get("escalation_unsent"):
        record = svc.change(record, EventKind.ESCALATION_NOTIFIED, SYSTEM)
    to_network = record["association"] == svc.routing.network.id   # a callback for the cell itself: no copy
    # No copy to an AI whose address refuses mail, nor to one that has just said « pas pour nous », nor past the cap,
    # nor after an unhappy answer (chalicelib.satisfaction sends the AI its own follow-up, with the answers).
    if reason not in (EscalationReason.MAIL, EscalationReason.NOT_OURS, EscalationReason.CAP,
                      EscalationReason.UNHAPPY) \
            and not record.get("ai_mail_failure") and not to_network:
        try:
            svc.send(record, notices.escalation_copy(record, svc.routing, reason, svc.handled_url(record)), "copy")
        except MailError as error:   # a courtesy: the cell has the sheet
            logger.warning("%s: copy of the escalation to the AI not sent (%s)", record["ref"], error)
            return svc.store.get(record["ref"]) or record
    return record


def ask_household(svc: FormService, record: Request) -> Request:
    """« Avez-vous été recontacté ? », once, if the visitor gave an address and accepted the question; by SMS to
    a household without e-mail (chalicelib.sms)."""
    if lifecycle.asks_by_sms(record):
        from ..sms import sending   # imported here: chalicelib.sms imports this module
        return sending.send_followup(svc, record)
    record = svc.change(record, EventKind.FOLLOWUP_SENT, SYSTEM)
    expires = svc.link_expiry(record)
    base, secret, ref = svc.settings.forms_endpoint, svc.settings.secret, record["ref"]
    message = notices.followup_question(record, svc.routing, links.followup_url(base, secret, ref, "oui", expires),
                                        links.followup_url(base, secret, ref, "non", expires), svc.status_url(record),
                                        complaint_url(svc, record))
    try:
        svc.send(record, message, "followup")
    except PermanentMailError:
        return svc.store.get(ref) or record
    except MailError as error:
        return svc.change(record, EventKind.SEND_FAILED, SYSTEM, message="followup", error=_short(error))
    return record


def answer_followup(svc: FormService, record: Request, answer: str) -> Request:
    """The household's answer, counted in the figures; « non » sends the request to the cell."""
    record = svc.change(record, EventKind.FOLLOWUP_ANSWERED, HOUSEHOLD, answer=answer)
    if answer == "non":
        try:
            record = escalate(svc, record, EscalationReason.HOUSEHOLD, HOUSEHOLD)
        except lifecycle.Refused:
            logger.info("%s: « non » from the household, already with the cell", record["ref"])
    return record


def handle(svc: FormService, record: Request, who: str, outcome: dict[str, str | None]) -> Request:
    """« Traitée », with its outcome (``outcome.clean_outcome``); a second time corrects the outcome."""
    return svc.change(record, EventKind.HANDLED, who, **outcome)


def reroute(svc: FormService, record: Request, target: str, who: str) -> Request:
    """The cell sends a request to another association: recorded, then e-mailed to it exactly like a new request
    of the site (its reminders and deadline count from now). A failed send is retried by the scheduled job."""
    record = svc.change(record, EventKind.REROUTED, who, **{"from": record["association"], "to": target})
    logger.info("%s: re-routed to %s", record["ref"], target)
    svc.deliver_or_defer(record, "re-routed")
    record = svc.store.get(record["ref"]) or record
    tell_household(svc, record)
    return record


def tell_household(svc: FormService, record: Request) -> None:
    """The household learns which association will now call — by e-mail, only where its acknowledgement went
    (an address that has taken our mail and not refused it since); a courtesy, never retried."""
    if not record.get("email") or not record.get("ack_sent_at") or record.get("household_unreachable"):
        return
    try:
        svc.send(record, notices.rerouted_household(record, svc.routing, complaint_url(svc, record)), "rerouted")
    except MailError as error:
        logger.warning("%s: the household was not told of the re-routing (%s)", record["ref"], _short(error))


def alert_failing_address(svc: FormService, record: Request, failure: str, diagnostic: str,
                          association: str | None = None) -> bool:
    """Tell AAI that an AI's address refuses mail — once a day per AI, however many requests bounce.
    ``association``: the AI the refused message went to, when it no longer holds the request (re-routed)."""
    moved = association not in (None, record["association"])
    if moved:
        record = Request.from_item({**record, "association": association})
    day = local_time(svc.now()).date().isoformat()
    key = f"alert#{record['association']}#{day}"
    if not svc.store.claim(key, svc.now() + 3 * ALERT_EVERY):
        return False
    try:
        svc.mailer.send(notices.address_alert(record, svc.routing, failure, diagnostic, moved))
    except MailError as error:
        svc.store.release(key)
        logger.error("alert about %s's address not sent (%s)", record["association"], error)
        return False
    return True
