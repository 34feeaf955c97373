"""Sending the satisfaction questions (once), their one reminder, and — after an unhappy answer — the association's
follow-up « remplacer l'intervenant » with the request in the cell's queue.

The questions go where our messages are known to arrive (``rules.channel``): the e-mail carries five signed links
for the first question (one click answers it) and one to the page of both; the SMS, one link to the page. Never at
night (SMS), always within the request's message cap and the month's SMS budget."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from rules.dates import local_time
from rules.sms import segments
from rules.working_days import in_office_hours

from ..requests import actions
from .. import sponsorship

from ..web import links
from ..mail.mailers import MailError, PermanentMailError
from ..requests import lifecycle
from ..requests.enums import ActorKind, EscalationReason, EventKind, Rating, SatisfactionTheme
from ..requests.lifecycle import Refused
from ..requests.model import Request
from ..service import FormService, MessageCapReached
from ..sms import sending as sms_sending
from ..sms import short_links
from ..sms.senders import SmsError
from . import messages, rules

logger = logging.getLogger(__name__)

SYSTEM = lifecycle.actor(ActorKind.SYSTEM)
HOUSEHOLD = lifecycle.actor(ActorKind.HOUSEHOLD)


def signature(svc: FormService, record: Request) -> str:
    """Scoped to this request and to satisfaction (its own salt), expiring with the answer window."""
    return links.sign(svc.settings.secret, "satisfaction", record.ref, rules.links_expire(record))


def answer_url(svc: FormService, record: Request, welcome: str | None = None) -> str:
    query = {**({SatisfactionTheme.WELCOME.value: welcome} if welcome else {}), "sig": signature(svc, record)}
    return f"{svc.settings.forms_endpoint}/avis/{record.ref}?{urlencode(query)}"


def run_job(svc: FormService, record: Request) -> Request:
    """The tick's « satisfaction » job: the questions, or their one reminder."""
    if not record.satisfaction_sent_at:
        return ask(svc, record, reminder=False)
    return ask(svc, record, reminder=True)


def ask(svc: FormService, record: Request, reminder: bool) -> Request:
    how = rules.channel(record) if not reminder else (record.satisfaction_channel or rules.channel(record))
    if how is None:
        return record
    if how == rules.SMS and not in_office_hours(local_time(svc.now())):
        return record   # the lifecycle keeps it for the office's opening
    event = EventKind.SATISFACTION_REMINDED if reminder else EventKind.SATISFACTION_SENT
    claimed = svc.change(record, event, SYSTEM, **({} if reminder else {"channel": how}))
    ai = svc.routing.recipient(record.association) or svc.routing.network
    if how == rules.EMAIL:
        urls = [(answer_url(svc, claimed, rating.value), rating.label) for rating in reversed(Rating)]
        message = messages.questions(claimed, svc.routing, ai.name, urls, answer_url(svc, claimed), reminder,
                                     sponsorship.link(claimed, svc.routing, svc.settings.site_origin))
        try:
            svc.send(claimed, message, "satisfaction")
        except PermanentMailError:
            return svc.store.get(record.ref) or claimed
        except MailError as error:
            logger.warning("%s: satisfaction questions not sent (%s); tried again", record.ref, error)
            return _give_back(svc, claimed, reminder, str(error))
        return claimed
    short = short_links.shorten(svc, answer_url(svc, claimed), rules.links_expire(claimed))   # one SMS segment
    text = messages.questions_sms(claimed.ref, ai.name, short)
    if not sms_sending.take_budget(svc, segments(text)):
        return _give_back(svc, claimed, reminder, "budget")
    try:
        svc.within_cap(claimed, "satisfaction")
    except MessageCapReached:
        return svc.store.get(record.ref) or claimed
    if claimed.phone is None:   # never: rules.channel chooses the SMS for a known phone only
        raise ValueError(f"{claimed.ref}: an SMS without a phone number")
    try:
        message_id = svc.sms.send(claimed.phone, text, claimed.ref)
    except SmsError as error:
        logger.warning("%s: satisfaction SMS did not leave (%s)", record.ref, error)
        return _give_back(svc, claimed, reminder, str(error))
    svc.store.record_message(message_id, claimed.ref, "sms", claimed.expires_at, "household")
    return claimed


def _give_back(svc: FormService, claimed: Request, reminder: bool, error: str) -> Request:
    """The message did not leave: the claim is given back (the tick tries again); the trail keeps both lines."""
    return svc.change(claimed, EventKind.SEND_FAILED, SYSTEM, message="satisfaction", reminder=reminder,
                      error=error[:300])


def answer(svc: FormService, record: Request, welcome: int | None, relationship: int | None,
           comment: str) -> Request:
    """The household's answer (part of it, or all); an unhappy one opens the association's follow-up and puts the
    request in the cell's queue, once."""
    was_unhappy = rules.unhappy(record)
    record = svc.change(record, EventKind.SATISFACTION_ANSWERED, HOUSEHOLD, satisfaction_welcome=welcome,
                        satisfaction_relationship=relationship, comment=comment or None)
    if rules.unhappy(record) and not was_unhappy:
        record = replace_intervenant(svc, record)
    return record


def replace_intervenant(svc: FormService, record: Request) -> Request:
    """The charter: « remplacer l'intervenant en cas d'insatisfaction au cours de la première mission ». The
    association gets the answers and the household's details; the cell sees the request in its queue."""
    ai = svc.routing.recipient(record.association) or svc.routing.network
    try:
        svc.send(record, messages.unhappy(record, svc.routing, ai, svc.espace_url(record.ref)),
                 "satisfaction_unhappy")
    except MailError as error:   # the cell's queue still shows it
        logger.warning("%s: the association's follow-up was not sent (%s)", record.ref, error)
        record = svc.store.get(record.ref) or record
    try:
        record = actions.escalate(svc, record, EscalationReason.UNHAPPY, HOUSEHOLD)
    except Refused as why:
        logger.info("%s: unhappy answer, not escalated (%s)", record.ref, why)
    return record
