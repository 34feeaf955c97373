"""The time-driven jobs, all run by one entry — ``tick`` — as of an instant you pass: the scheduled function
(every 15 minutes), ``python -m chalicelib.admin tick --now 2026-11-24T17:05``, and the tests, which move that
instant instead of sleeping.

One tick reads what is due from the store's due index (never a scan) and, for each request, runs what the
lifecycle says is owed now: send what failed before, the AI's reminder, the escalation to the cell, the
household's question, closing, purging past retention (with every copy). Then, on the first working day of a
month, the monthly follow-up to AAI and to each AI, once, with the site's audience read from the access logs
(the function's own timeout allows for a busy month: functions/.chalice/config.json); on Monday, last week's
contacts to the phone cell, once; each day, the charter's public results for the site (charter_results).
"""

from __future__ import annotations

import datetime
import logging
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rules.dates import PARIS, local_time, previous_month, week_of
from rules.working_days import in_office_hours, next_office_time

from ..requests import actions
from . import health
from ..requests import lifecycle
from ..charter_results.publishing import publish_daily
from ..details import campaign as details_campaign
from ..mail.mailers import MailError
from ..complaints.jobs import escalate_due
from ..mission import sending as mission_sending
from ..satisfaction import sending as satisfaction_sending
from ..reports.followup import follow_up
from ..reports.formats import report_message
from ..sms import sending as sms_sending
from ..requests.enums import ActorKind, EscalationReason, EventKind, State
from ..requests.model import Request
from ..store import Stale
from ..reports.week import cell_week, week_message

if TYPE_CHECKING:   # the one service, for its type only (it imports this module)
    from ..service import FormService

logger = logging.getLogger(__name__)

SYSTEM = lifecycle.actor(ActorKind.SYSTEM)
PAGE = 100            # due records read per query
MAX_PER_TICK = 400    # requests per tick…
TIME_BUDGET = 12.0    # …and seconds of work (the Lambda's timeout is 20): the rest waits for the next tick
YEAR = 400 * 86400


@contextmanager
def _as_of(svc: FormService, now: int) -> Iterator[None]:
    """Every change made during the tick is stamped with the tick's instant."""
    clock = svc.clock
    svc.clock = lambda: now
    try:
        yield
    finally:
        svc.clock = clock


def tick(svc: FormService, now: float | None = None) -> dict[str, int]:
    """Run every job due at ``now`` (default: the service's clock); return what was done, by job."""
    now = int(svc.clock() if now is None else now)
    done: Counter[str] = Counter()
    budget_ends = time.monotonic() + TIME_BUDGET   # the machine's clock, not the business instant
    with _as_of(svc, now):
        seen: set[str] = set()
        while len(seen) < MAX_PER_TICK and time.monotonic() < budget_ends:
            batch = [r for r in svc.store.due(now, limit=len(seen) + PAGE) if r["ref"] not in seen]
            if not batch:
                break
            for record in batch:
                if time.monotonic() >= budget_ends:
                    done["left_for_next_tick"] += 1
                    continue
                seen.add(record["ref"])
                try:
                    done.update(run_due(svc, record, now))
                except Stale:   # expected: an overlapping tick or a person changed it first; nothing was written
                    logger.info("tick: %s changed meanwhile (another run got there first): left as it is",
                                record["ref"])
                    done["changed_meanwhile"] += 1
                except Exception:   # one broken record must not block the others
                    logger.exception("tick: %s failed", record["ref"])
                    done["errors"] += 1
        done["complaints_escalated"] += escalate_due(svc, now)
        done["reports"] += send_monthly_reports(svc, now)
        done["week_summaries"] += send_week_summary(svc, now)
        done["charter_results"] += publish_daily(svc, now)   # the site's daily rebuild publishes them
        done.update(details_campaign.run(svc, now))   # « Vos informations sont-elles à jour ? », twice a year
        kept_since = now - svc.routing.retention_days * 86400
        done["swept"] += svc.store.sweep(now) + svc.mailer.purge(kept_since) + svc.sms.purge(kept_since)
        health.record_completion(svc.store, now)   # the dead-man switch: ``admin health``, the alarm
    summary = {job: count for job, count in done.items() if count}
    logger.info("tick at %s: %s", local_time(now).isoformat(timespec="minutes"), summary or "nothing due")
    return summary


def run_due(svc: FormService, record: Request, now: int) -> list[str]:
    """Run the jobs the lifecycle says are owed to this request now, most urgent first."""
    jobs = lifecycle.due_now(record, svc.policy, now)
    if not jobs:   # moved in the index by a migration or a change of the charter's delays, or an SMS at night
        at, job = lifecycle.next_due(record, svc.policy, now)
        svc.store.reschedule(record, at, job)
        return [] if job in lifecycle.sms_jobs(record) else ["rescheduled"]
    done = []
    current: Request | None = record   # None once purged or gone
    for job in jobs:
        if current is None or job not in lifecycle.due_now(current, svc.policy, now):
            continue
        current = JOBS[job](svc, current)
        done.append(job)
    return done


def _purge(svc: FormService, record: Request) -> None:
    svc.purge_one(record["ref"])
    return None


def _close(svc: FormService, record: Request) -> Request:
    return svc.change(record, EventKind.CLOSED, SYSTEM, reason="expired")


def _retry(svc: FormService, record: Request) -> Request | None:
    svc.deliver(record)
    return svc.store.get(record["ref"])


def _escalation(svc: FormService, record: Request) -> Request:
    if record["state"] == State.ESCALATED:   # escalated before, its liaison sheet still to send
        return actions.notify_escalation(svc, record)
    return actions.escalate(svc, record, EscalationReason.DEADLINE)


def _sms(svc: FormService, record: Request) -> Request:
    return sms_sending.send_acknowledgement(svc, record)


JOBS = {"purge": _purge, "close": _close, "retry": _retry, "sms": _sms, "escalation": _escalation,
        "reminder": actions.remind, "followup": actions.ask_household, "mission": mission_sending.run_job,
        "satisfaction": satisfaction_sending.run_job}


def send_monthly_reports(svc: FormService, now: int) -> int:
    """On the first working day of a month, from the office's opening: last month's figures to AAI (the region)
    and to each AI (its own), each once. A failed send is tried again at the next tick. Like every message of
    the lifecycle, never at night nor on a day off: a tick then (the first ``make run`` on a Sunday night) leaves
    them to the next opening."""
    moment = local_time(now)
    today = moment.date()
    first = next_office_time(datetime.datetime.combine(today.replace(day=1), datetime.time(0), PARIS))
    month = previous_month(today)
    if now < first.timestamp() or not in_office_hours(moment) or svc.store.claimed(f"report#{month}"):
        return 0
    followup = follow_up(svc, month, as_of=now)   # reads the month's access logs once, keeps the figures
    sent, failed = 0, 0
    for only in [None, *svc.routing.associations]:
        key = f"report#{month}#{only or 'region'}"
        if not svc.store.claim(key, now + YEAR):
            continue
        try:
            svc.mailer.send(report_message(followup, svc.routing, only))
            sent += 1
        except MailError as error:
            svc.store.release(key)
            failed += 1
            logger.error("monthly report %s for %s not sent (%s)", month, only or "the region", error)
    if not failed:
        svc.store.claim(f"report#{month}", now + YEAR)
    logger.info("monthly report %s: %d e-mails sent", month, sent)
    return sent


def send_week_summary(svc: FormService, now: int) -> int:
    """On Monday, from the office's opening (9:00, not on a public holiday: then the next opening), last week's
    contacts to the cell, once: the week's key is claimed before sending, so two overlapping ticks never both
    send it; a failed send gives the key back for the next tick."""
    moment = local_time(now)
    monday = moment.date() - datetime.timedelta(days=moment.weekday())
    opening = next_office_time(datetime.datetime.combine(monday, datetime.time(0), PARIS))
    if now < opening.timestamp() or not in_office_hours(moment):
        return 0
    last_week = week_of(now - 7 * 86400)
    key = f"week#{last_week}"
    if not svc.store.claim(key, now + YEAR):
        return 0
    url = f"{svc.settings.forms_endpoint}/espace/semaine?semaine={last_week}"
    try:
        svc.mailer.send(week_message(cell_week(svc, last_week), svc.routing, url))
    except MailError as error:
        svc.store.release(key)
        logger.error("the cell's week %s not sent (%s)", last_week, error)
        return 0
    logger.info("the cell's week %s sent", last_week)
    return 1
