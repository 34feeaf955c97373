"""Twice a year, « Vos informations sont-elles à jour ? »: each association confirms its details in one click, or
changes them in « Mes informations »; a reminder to those that have not answered, then the list to the cell.

A household that calls a wrong number is lost: the page says when its details were last confirmed (``verified``
in data/associations.yaml), and this campaign keeps that date young without anyone at AAI chasing it. The days
are settings (``details_campaigns``, MM-DD in Paris); each step is claimed in the store before it is sent, so two
overlapping ticks never send it twice, and a failed send gives the claim back for the next tick. Nothing is sent
while « Mes informations » is closed (no repository): the one-click answer would have nowhere to go.

Driven by the scheduled tick as of ``now`` (``run``), like every time-driven job; its messages go at office hours.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from rules.dates import PARIS, french_date, local_time
from rules.working_days import in_office_hours, next_office_time

from ..web import links
from ..mail.mailers import MailError
from ..mail.messages import compose, contact_rows, new_message, shared_address

if TYPE_CHECKING:
    from ..config import Settings
    from ..routing import Contact
    from ..service import FormService

logger = logging.getLogger(__name__)

PURPOSE = "details:confirm"
DAY = 86400
YEAR = 400 * DAY
SUBJECT = "Vos informations sont-elles à jour ?"


@dataclass(frozen=True)
class Campaign:
    """One campaign, named by the day it starts (« 2026-09-15 »), with its steps' instants (Unix seconds)."""

    day: datetime.date
    starts: int          # the office's first opening on that day (or after it)
    answer_days: int

    @property
    def ident(self) -> str:
        return self.day.isoformat()

    @property
    def reminder_at(self) -> int:
        return self.starts + self.answer_days * DAY

    @property
    def cell_at(self) -> int:
        return self.starts + 2 * self.answer_days * DAY

    @property
    def link_expires(self) -> int:
        """The links stay good a while after the cell is told: it may still ask the association to click."""
        return self.starts + 4 * self.answer_days * DAY

    def key(self, ai_id: str, step: str) -> str:
        return f"details#{self.ident}#{ai_id}#{step}"


def campaign_of(settings: Settings, now: float) -> Campaign | None:
    """The latest campaign whose day has come by ``now`` (this year's or last year's), None before the first."""
    today = local_time(now).date()
    days = sorted(datetime.date(year, int(day[:2]), int(day[3:])) for year in (today.year - 1, today.year)
                  for day in settings.details_campaigns)
    past = [day for day in days if day <= today]
    if not past:
        return None
    day = past[-1]
    starts = next_office_time(datetime.datetime.combine(day, datetime.time(0), PARIS))
    return Campaign(day, int(starts.timestamp()), settings.details_answer_days)


def find(settings: Settings, ident: str) -> Campaign | None:
    """The campaign a link names, if it is one of the settings' days (a link names its campaign in clear)."""
    try:
        day = datetime.date.fromisoformat(ident)
    except ValueError:
        return None
    if f"{day:%m-%d}" not in settings.details_campaigns or day.isoformat() != ident:
        return None
    starts = next_office_time(datetime.datetime.combine(day, datetime.time(0), PARIS))
    return Campaign(day, int(starts.timestamp()), settings.details_answer_days)


def confirm_url(settings: Settings, campaign: Campaign, ai_id: str) -> str:
    """The signed page « oui, tout est juste » of one association for one campaign: scoped to its holder,
    expiring, built from the functions' configured address (never a request's)."""
    sig = links.sign(settings.secret, PURPOSE, campaign.ident, campaign.link_expires, ai_id)
    return f"{settings.forms_endpoint}/mes-informations/confirmer/{campaign.ident}?{urlencode({'sig': sig})}"


def answered(svc: FormService, ai_id: str, now: float) -> None:
    """An association that proposed a change in « Mes informations » has answered the current campaign too: no
    reminder, and the cell does not chase it."""
    current = campaign_of(svc.settings, now)
    if current is not None and now >= current.starts:
        svc.store.claim(current.key(ai_id, "confirmed"), int(now) + YEAR)


def unconfirmed(svc: FormService, now: float) -> list[tuple[str, str, str]]:
    """Once the cell is told (after the reminder's time): the associations asked by the current campaign that have
    neither confirmed nor changed their details — name, phone, e-mail — for the cell's week view."""
    current = campaign_of(svc.settings, now)
    if not svc.settings.github_repository or current is None or now < current.cell_at:
        return []
    return [_line(contact) for ai_id, contact in svc.routing.associations.items()
            if svc.store.claimed(current.key(ai_id, "asked"))
            and not svc.store.claimed(current.key(ai_id, "confirmed"))]


def _line(contact: Contact) -> tuple[str, str, str]:
    return contact.name, contact.phone.display if contact.phone else "", contact.email


def run(svc: FormService, now: float) -> Counter[str]:
    """Whatever the campaign owes at ``now``: the question, the reminder, the cell's list, each once."""
    done: Counter[str] = Counter()
    campaign = campaign_of(svc.settings, now)
    if not svc.settings.github_repository or campaign is None or now < campaign.starts:
        return done
    if not in_office_hours(local_time(now)):
        return done
    late: list[Contact] = []
    for ai_id, contact in svc.routing.associations.items():
        if svc.store.claimed(campaign.key(ai_id, "confirmed")):
            continue
        if now < campaign.reminder_at:
            done["details_questions"] += _send(svc, campaign, "asked", contact, now, reminder=False)
        elif not svc.store.claimed(campaign.key(ai_id, "asked")):
            continue   # the campaign began before the question could go (the ticks stopped): no reminder
        elif now < campaign.cell_at:
            done["details_reminders"] += _send(svc, campaign, "reminded", contact, now, reminder=True)
        else:
            late.append(contact)
    if late:
        done["details_to_cell"] += _tell_cell(svc, campaign, late, now)
    return done


def _send(svc: FormService, campaign: Campaign, step: str, contact: Contact, now: float, reminder: bool) -> int:
    key = campaign.key(contact.id, step)
    if not svc.store.claim(key, int(now) + YEAR):
        return 0
    subject = ("Rappel : " + SUBJECT[0].lower() + SUBJECT[1:]) if reminder else SUBJECT
    msg = new_message(subject, svc.routing, shared_address(contact.name, contact.email),
                      reply_to=shared_address(svc.routing.network.name, svc.routing.network.email))
    answer_by = local_time(campaign.cell_at).date()
    compose(msg, "details_question", association=contact.name, rows=contact_rows(contact),
            services=[svc.routing.services.get(s, s) for s in contact.services], reminder=reminder,
            confirm_url=confirm_url(svc.settings, campaign, contact.id), answer_by=french_date(answer_by),
            edit_url=f"{svc.settings.forms_endpoint}/espace/mes-informations?{urlencode({'association': contact.id})}")
    try:
        svc.mailer.send(msg)
    except MailError as error:
        svc.store.release(key)
        logger.error("details: %s for %s not sent (%s)", step, contact.id, error)
        return 0
    return 1


def _tell_cell(svc: FormService, campaign: Campaign, late: list[Contact], now: float) -> int:
    key = f"details#{campaign.ident}#cell"
    if not svc.store.claim(key, int(now) + YEAR):
        return 0
    network = svc.routing.network
    msg = new_message(f"Informations non confirmées ({len(late)} association{'s' if len(late) > 1 else ''})",
                      svc.routing, shared_address(network.name, network.email))
    compose(msg, "details_late", day=french_date(campaign.day), late=[_line(contact) for contact in late])
    try:
        svc.mailer.send(msg)
    except MailError as error:
        svc.store.release(key)
        logger.error("details: the cell's list of %s not sent (%s)", campaign.ident, error)
        return 0
    return 1
