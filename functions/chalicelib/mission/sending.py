"""What the 72 hours send: the one reminder to the association before they run out, and — when the association
reports a difficulty — the short message to the household (the charter's « prévenir le client »), by e-mail, or by
SMS where the household chose it (never at night: the tick sends it at the office's opening).

Each message is recorded in the request's trail through the lifecycle (``svc.change``) and counts towards the
request's message cap (``svc.send``, ``svc.within_cap``)."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from rules.dates import local_time
from rules.sms import segments
from rules.working_days import in_office_hours

from ..web import links
from ..mail.mailers import MailError, PermanentMailError
from ..requests import lifecycle
from ..requests.enums import ActorKind, EventKind
from ..requests.model import Request
from ..satisfaction.rules import EMAIL, SMS, channel
from ..service import FormService, MessageCapReached
from ..sms import sending as sms_sending
from ..sms.senders import SmsError
from . import messages, rules

logger = logging.getLogger(__name__)

SYSTEM = lifecycle.actor(ActorKind.SYSTEM)
LINK_DAYS = 30 * 86400   # the association's page works a month after the outcome


def mission_url(svc: FormService, record: Request) -> str:
    """The association's signed page of the 72 hours: for the association holding the request (a re-route voids
    it), expiring a month after the outcome."""
    expires = int(record.get("client_at") or svc.now()) + LINK_DAYS
    sig = links.sign(svc.settings.secret, "mission:ai", record.ref, expires, record.association)
    return f"{svc.settings.forms_endpoint}/mission/{record.ref}?{urlencode({'sig': sig})}"


def run_job(svc: FormService, record: Request) -> Request:
    """The tick's « mission » job: a difficulty not told yet (an SMS kept for the morning), else the reminder."""
    if rules.difficulty_unsent(record):
        return tell_household(svc, record)
    return remind(svc, record)


def remind(svc: FormService, record: Request) -> Request:
    """Once, a working day before the 72 hours end, while no first mission is booked in time."""
    record = svc.change(record, EventKind.MISSION_REMINDED, SYSTEM)
    try:
        svc.send(record, messages.reminder(record, svc.routing, mission_url(svc, record)), "mission_reminder")
    except PermanentMailError:
        return svc.store.get(record.ref) or record
    except MailError as error:
        logger.warning("%s: the 72 hours' reminder was not sent (%s)", record.ref, error)
        return record   # a courtesy before the deadline: not retried, the figures will tell
    logger.info("%s: 72 hours' reminder sent to %s", record.ref, record.association)
    return record


def report_difficulty(svc: FormService, record: Request, who: str) -> Request:
    """The association cannot provide an intervenant in time: recorded, and the household told."""
    record = svc.change(record, EventKind.MISSION_DIFFICULTY, who)
    return tell_household(svc, record)


def tell_household(svc: FormService, record: Request) -> Request:
    """The household's short message about the difficulty: e-mail where our acknowledgement arrived, or SMS
    where the household chose it (in office hours only); a failure leaves it to the tick."""
    how = channel(record)
    if how == EMAIL:
        try:
            svc.send(record, messages.difficulty(record, svc.routing), "mission_difficulty")
        except PermanentMailError:
            return svc.store.get(record.ref) or record
        except MailError as error:
            logger.warning("%s: the household was not told of the difficulty yet (%s)", record.ref, error)
            return record
        return svc.change(record, EventKind.MISSION_DIFFICULTY_TOLD, SYSTEM, channel=EMAIL)
    if how == SMS:
        if not in_office_hours(local_time(svc.now())):
            return record   # lifecycle: the « mission » job at the office's opening
        ai = svc.routing.recipient(record.association) or svc.routing.network
        text = messages.difficulty_sms(record.ref, ai.name, ai.phone)
        if not sms_sending.take_budget(svc, segments(text)):
            return record
        try:
            svc.within_cap(record, "mission_difficulty")
        except MessageCapReached:
            return svc.store.get(record.ref) or record
        if record.phone is None:   # never: ``channel`` chooses the SMS for a known phone only
            raise ValueError(f"{record.ref}: an SMS without a phone number")
        try:
            message_id = svc.sms.send(record.phone, text, record.ref)
        except SmsError as error:
            logger.warning("%s: the difficulty SMS did not leave (%s)", record.ref, error)
            return record
        svc.store.record_message(message_id, record.ref, "sms", record.expires_at, "household")
        return svc.change(record, EventKind.MISSION_DIFFICULTY_TOLD, SYSTEM, channel=SMS, message_id=message_id)
    return record
