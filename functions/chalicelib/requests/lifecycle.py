"""One request, one lifecycle: the states a request goes through, the events that move it, what is due next.

    received ─► sent ─► delivered ─► handled (with an outcome) ─► closed
       │  ▲        └──────┬───────────────┘
       ▼  │               ▼
    retrying        escalated (to AAI's cell: charter deadline passed, the AI's address refused the
                              message, the household said nobody called, or the AI said « pas pour nous »)
                              ─► handled ─► closed
                              ─► rerouted by the cell to another AI ─► received (its clock starts again)

A request comes from the site's forms (channel ``site``), from the cell's liaison sheet (``telephone``: a
phone call, with a callback date agreed with the caller, which moves the reminder and the deadline to it), or
from an association's own contact sheet (``direct``: held by the association from the start, nothing e-mailed,
reminded on the follow-up date it set, never escalated to the cell).

Pure rules, no I/O: ``step`` checks one event against a request and returns the fields it changes and the
audit-trail entry to store with them (when, who, what); ``schedule`` says what each time-driven job owes the
request and when, in French working time (``rules.working_days``: weekends and public holidays do not count,
nothing is sent outside office hours); ``next_due`` is what the due index stores, so the scheduled job reads
only what is due instead of scanning every request.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rules import vocabulary
from rules.dates import PARIS
from rules.phone import parse_phone
from rules.working_days import (add_working_days, in_office_hours, next_office_time, next_working_day,
                                 working_days_between)

from ..mission import rules as mission
from ..satisfaction import rules as satisfaction
from .enums import (WAITING, ActorKind, Channel, EscalationReason, EventKind, FollowUpAnswer, MailFailure,
                    NoFollowUpReason, Orientation, Outcome, SiteFeedback, State)
from .model import Item, Record

if TYPE_CHECKING:
    from ..routing import Routing

DAY = 86400

STATES = tuple(State)
ACTORS = tuple(ActorKind)

# What the due index can ask for, most urgent first when several are due at once.
JOBS = ("purge", "close", "retry", "sms", "escalation", "reminder", "followup", "mission", "satisfaction")


class Refused(ValueError):
    """This event cannot happen to the request as it stands (closed, already done, wrong state)."""


@dataclass(frozen=True)
class Policy:
    """The charter's delays (data/settings.yaml → routing.json) and the retry rhythm of the sender."""

    reminder_after: int               # working days without « traitée » before the reminder
    charter_delay: int                # working days before the request goes to AAI's cell (48 hours: 2)
    household_question_after: int     # working days before « Avez-vous été recontacté ? »
    close_after_days: int             # calendar days before the request is closed
    cell_callback_after: int = 2      # working days for the cell to call back its own callbacks (no AI serves)
    message_cap: int = 20             # messages to the AI and the household one request may cause, at most
    retry_grace: int = 120            # seconds: a fresh request is being delivered by its own HTTP request
    retry_soon: int = 60              # due again a minute later: every run (15 minutes) for the first attempts…
    quick_attempts: int = 20
    retry_slow: int = 3600            # …then hourly, never giving up

    @classmethod
    def from_routing(cls, routing: Routing) -> Policy:
        return cls(**routing.follow_through)


@dataclass(frozen=True)
class Event:
    """One line of the audit trail. ``actor`` is a kind of actor (``ActorKind``), optionally
    followed by who exactly: ``ai:ai-libournais``, ``cell:claire@aai-aquitaine.example.org``."""

    at: int
    actor: str
    kind: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def actor_kind(self) -> str:
        return self.actor.split(":", 1)[0]

    def as_dict(self) -> dict[str, Any]:
        return {"at": self.at, "actor": self.actor, "kind": self.kind, "details": self.details}


def actor(kind: str, who: str = "") -> str:
    if kind not in ACTORS:
        raise ValueError(f"unknown actor {kind!r}")
    return f"{kind}:{who}" if who else kind


# --- The charter's clock -----------------------------------------------------------------------------------

def _local(epoch: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(epoch, PARIS)


def working_deadline(created_at: float, working_days: int) -> int:
    """``working_days`` French working days after receipt, moved into office hours: no message at night."""
    return int(next_office_time(add_working_days(_local(created_at), working_days)).timestamp())


def for_cell(record: Item) -> bool:
    """A callback the cell itself owes (a commune no association serves, or its own liaison sheet): the cell is
    then the actor who must answer, with its own delay; nobody reminds it by e-mail nor escalates to it."""
    return bool(record["association"] == vocabulary.NETWORK_ID)


def answer_within(record: Item, policy: Policy) -> int:
    """Working days the holder of the request has to answer: the charter's delay, or the cell's own."""
    return policy.cell_callback_after if for_cell(record) else policy.charter_delay


def clock_start(record: Item) -> int:
    """When the association's clock started: receipt, or the cell's re-routing to it."""
    return int(record.get("routed_at") or record["created_at"])


def agreed_callback(record: Item) -> datetime.date | None:
    """The callback date the cell agreed with a caller on its liaison sheet, or the follow-up date an association
    set on its own contact (phone requests and direct contacts only)."""
    day = (record.get("data") or {}).get("rappel_le") \
        if record.get("channel") in (Channel.TELEPHONE, Channel.DIRECT) else None
    return datetime.date.fromisoformat(day) if day else None


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0), PARIS)


def reminder_at(record: Item, policy: Policy) -> int:
    """The one reminder: a working day after receipt, or on the morning of the agreed callback day — and never
    before the working day after the association got the request: a request that only reached it late (retries
    over a weekend, an address fixed on Monday) is not « rappelée » the very day it arrived."""
    at = working_deadline(clock_start(record), policy.reminder_after)
    agreed = agreed_callback(record)
    if agreed:
        at = max(at, int(next_office_time(_day_start(agreed)).timestamp()))
    return max(at, after_delivery_day(record))


def after_delivery_day(record: Item) -> int:
    """The opening of the first working day after the one the association's e-mail left on (0: not sent yet)."""
    reached = record.get("delivered_at") or record.get("ai_sent_at")
    if not reached:
        return 0
    day = next_working_day(_local(int(reached)).date())
    return int(next_office_time(_day_start(day)).timestamp())


def escalation_at(record: Item, policy: Policy) -> int:
    """When an unanswered request goes to the cell: the charter's delay, or the working morning after the agreed
    callback day when the caller chose a later one."""
    at = working_deadline(clock_start(record), answer_within(record, policy))
    agreed = agreed_callback(record)
    later = next_office_time(_day_start(agreed + datetime.timedelta(days=1))) if agreed else None
    return max(at, int(later.timestamp())) if later else at


def charter_deadline(record: Item, policy: Policy) -> int:
    """When the charter's delay runs out (the figures count « handled within the charter » against it); for a
    phone request, not before the end of the callback day agreed with the caller."""
    deadline = int(add_working_days(_local(clock_start(record)), answer_within(record, policy)).timestamp())
    agreed = agreed_callback(record)
    return max(deadline, int(_day_start(agreed + datetime.timedelta(days=1)).timestamp())) if agreed else deadline


def working_delay(record: Item) -> float | None:
    """Working days from receipt (or re-routing) to « handled », for the median delay."""
    if not record.get("handled_at"):
        return None
    return working_days_between(_local(clock_start(record)), _local(record["handled_at"]))


def link_expiry(record: Item, policy: Policy) -> int:
    """Signed links stop working when the request closes."""
    return int(record["created_at"]) + policy.close_after_days * DAY


# --- A new request -----------------------------------------------------------------------------------------

def new_request(*, ref: str, idem_key: str, kind: str, association: str, created_at: int, retention_days: int,
                data: dict[str, Any], email: str | None, phone: str | None, policy: Policy,
                channel: str = Channel.SITE, by: str = ActorKind.HOUSEHOLD) -> tuple[Record, Event]:
    """A new request and its first trail entry: ``by`` the household (the site's forms) or the cell's operator
    who recorded the call (``cell:<address>``)."""
    if channel not in Channel.labels():
        raise ValueError(f"unknown channel {channel!r}")
    record = {
        "ref": ref, "idem_key": idem_key, "kind": kind, "channel": channel, "association": association,
        "created_at": int(created_at), "expires_at": int(created_at) + retention_days * DAY,
        "state": State.RECEIVED, "version": 1, "attempts": 0, "email": email, "phone": phone,
        "followup_wanted": bool(email) and data.get("suivi") == "oui", "data": data,
    }
    if data.get("suivi") == "oui" and wants_sms(record):   # no e-mail: the question comes by SMS
        record["followup_wanted"] = True
    if channel == Channel.DIRECT:   # the association recorded it itself: it holds it from the start, no e-mail
        record.update(state=State.DELIVERED, ai_sent_at=int(created_at), delivered_at=int(created_at))
    record.update(_due_fields(record, policy))
    return record, Event(int(created_at), by, EventKind.RECEIVED, {"kind": kind, "channel": channel})


# --- Events ------------------------------------------------------------------------------------------------

def _open(record: Item) -> None:
    if record["state"] == State.CLOSED:
        raise Refused("the request is closed")


def _sent(record: Item, at: int, details: dict[str, Any]) -> Record:
    _open(record)
    if record.get("ai_sent_at"):
        raise Refused("the association already has its e-mail")
    changes: Record = {"ai_sent_at": at, "last_error": None}
    if record["state"] in (State.RECEIVED, State.RETRYING):
        changes["state"] = State.SENT
    return changes


def _acknowledged(record: Item, at: int, details: dict[str, Any]) -> Record:
    if record.get("ack_sent_at"):
        raise Refused("the household already has its acknowledgement")
    return {"ack_sent_at": at}


def _delivered(record: Item, at: int, details: dict[str, Any]) -> Record:
    if record.get("delivered_at"):
        raise Refused("delivery already recorded")
    changes: Record = {"delivered_at": at}
    if record["state"] == State.SENT:
        changes["state"] = State.DELIVERED
    return changes


def _send_failed(record: Item, at: int, details: dict[str, Any]) -> Record:
    """A message could not leave (the mail system is down, or refused it for now): try again later."""
    changes = {"attempts": int(record.get("attempts") or 0) + 1, "last_attempt_at": at,
               "last_error": details.get("error")}
    message = details.get("message")
    if message == "request" and record["state"] == State.RECEIVED:
        changes["state"] = State.RETRYING
    elif message == "reminder":
        changes["reminded_at"] = None          # the reminder was claimed before sending: give it back
    elif message == "followup":
        changes["followup_sent_at"] = None
    elif message == "escalation":
        changes["escalation_unsent"] = True
    elif message == "satisfaction":
        changes.update(satisfaction.give_back(bool(details.get("reminder"))))
    return changes


def _mail_failed(record: Item, at: int, details: dict[str, Any]) -> Record:
    """The mail system refused a message for good (bounce, complaint, suppression list, reject). Recorded once
    per side: mail events may arrive twice, and a second refusal tells nothing new."""
    if details.get("failure") not in MailFailure.labels():
        raise Refused(f"unknown mail failure {details.get('failure')!r}")
    if details.get("to") == "household":
        if record.get("household_unreachable"):
            raise Refused("already recorded")
        return {"household_unreachable": at}
    if details.get("to") == "cell":   # the cell's own address refused a liaison sheet: its queue shows it
        if record.get("cell_mail_failed_at"):
            raise Refused("already recorded")
        return {"cell_mail_failed_at": at, "cell_mail_failure": details["failure"]}
    if details.get("association") not in (None, record["association"]):
        return {}   # sent to the AI that held it before a re-route: the trail charges that AI, the new one is untouched
    if record.get("ai_mail_failure"):
        raise Refused("already recorded")
    return {"ai_mail_failure": details["failure"], "ai_mail_failed_at": at}


def _sms_sent(record: Item, at: int, details: dict[str, Any]) -> Record:
    _open(record)
    if record.get("sms_sent_at"):
        raise Refused("the household already has its SMS")
    return {"sms_sent_at": at, "last_error": None}


def _sms_failed(record: Item, at: int, details: dict[str, Any]) -> Record:
    """An SMS that did not leave: for now (tried again by the tick) or, ``permanent``, for good (recorded once,
    like a bounce; the caller escalates the request so that it is never silently dropped)."""
    if details.get("permanent"):
        if record.get("sms_failed_at"):
            raise Refused("already recorded")
        return {"sms_failed_at": at}
    return {"sms_attempts": int(record.get("sms_attempts") or 0) + 1, "sms_last_attempt_at": at,
            "last_error": details.get("error")}


def _reminded(record: Item, at: int, details: dict[str, Any]) -> Record:
    if record["state"] not in (State.SENT, State.DELIVERED) or record.get("reminded_at") or for_cell(record):
        raise Refused("no reminder is owed")
    return {"reminded_at": at}


def _escalated(record: Item, at: int, details: dict[str, Any]) -> Record:
    _open(record)
    reason = details.get("reason")
    if reason not in EscalationReason.labels():
        raise Refused(f"unknown escalation reason {reason!r}")
    if for_cell(record):
        raise Refused("the cell's own callback: it is not escalated to the cell")
    if reason in (record.get("escalations") or []):
        raise Refused("already escalated for this reason")
    if record["state"] == State.HANDLED and reason not in (EscalationReason.HOUSEHOLD, EscalationReason.UNHAPPY):
        raise Refused("the request is handled")
    return {"state": State.ESCALATED, "escalated_at": at, "escalation": reason,
            "escalations": [*(record.get("escalations") or []), reason], "escalation_unsent": None}


def _escalation_notified(record: Item, at: int, details: dict[str, Any]) -> Record:
    return {"escalation_unsent": None}


def _handled(record: Item, at: int, details: dict[str, Any]) -> Record:
    _open(record)
    outcome = details.get("outcome")
    if outcome not in Outcome.labels():
        raise Refused(f"unknown outcome {outcome!r}")
    reason, orientation = details.get("reason"), details.get("orientation")
    if outcome == Outcome.NO_FOLLOW_UP and reason not in NoFollowUpReason.labels():
        raise Refused("an outcome « sans suite » needs a reason from the list")
    if orientation is not None and orientation not in Orientation.labels():
        raise Refused(f"unknown orientation {orientation!r}")
    changes = {"state": State.HANDLED, "outcome": outcome,
               "outcome_reason": reason if outcome == Outcome.NO_FOLLOW_UP else None,
               "orientation": orientation if outcome == Outcome.ORIENTED else None,
               "first_visit": details.get("first_visit") if outcome == Outcome.CLIENT else None,
               "outcome_at": at, **mission.on_handled(record, outcome, at)}
    if not record.get("handled_at"):
        changes["handled_at"] = at
    return changes


def _followup_sent(record: Item, at: int, details: dict[str, Any]) -> Record:
    _open(record)
    if not record.get("followup_wanted") or record.get("followup_sent_at") or record.get("household_unreachable"):
        raise Refused("no question is owed to the household")
    return {"followup_sent_at": at}


def _followup_answered(record: Item, at: int, details: dict[str, Any]) -> Record:
    _open(record)
    if details.get("answer") not in FollowUpAnswer.labels():
        raise Refused("unknown answer")
    if not record.get("followup_sent_at") or record.get("followup_answer"):
        raise Refused("the household already answered")
    return {"followup_answer": details["answer"], "followup_answered_at": at}


def _noted(record: Item, at: int, details: dict[str, Any]) -> Record:
    """A note of the AI or the cell (a call, a callback date): the trail keeps it, nothing else moves — a note
    never postpones the reminder or the deadline."""
    _open(record)
    changes = {"last_note_at": at}
    if details.get("callback_on"):
        changes["callback_on"] = details["callback_on"]
    return changes


def _site_feedback(record: Item, at: int, details: dict[str, Any]) -> Record:
    """The household's answer to « Avez-vous trouvé facilement ? » (``answer``; ``comment`` stays in the trail):
    once per request, in any state — it is about the site, not about the association."""
    if details.get("answer") not in SiteFeedback.labels():
        raise Refused("unknown answer")
    if record.get("site_feedback"):
        raise Refused("the household already answered")
    return {"site_feedback": details["answer"], "site_feedback_at": at}


def _rerouted(record: Item, at: int, details: dict[str, Any]) -> Record:
    """The cell sends the request to another association (``to``; the caller checks it exists): delivered again,
    reminded and escalated on a clock that starts now. What happened before stays in the trail, and the
    escalations before it still count in the figures (``past_escalations``)."""
    _open(record)
    if record["state"] == State.HANDLED:
        raise Refused("the request is handled")
    target = details.get("to")
    if not target or target == record["association"]:
        raise Refused("choose another association")
    return {"association": target, "routed_at": at, "state": State.RECEIVED,
            "previous_associations": [*(record.get("previous_associations") or []), record["association"]],
            "past_escalations": [*(record.get("past_escalations") or []), *(record.get("escalations") or [])],
            "escalations": [], "escalation": None, "escalated_at": None, "escalation_unsent": None,
            "ai_sent_at": None, "delivered_at": None, "reminded_at": None, "ai_mail_failure": None,
            "ai_mail_failed_at": None, "attempts": 0, "last_attempt_at": None, "last_error": None}


def _capped(record: Item, at: int, details: dict[str, Any]) -> Record:
    """A message was not sent: the request has caused ``message_cap`` messages already (``details``: message,
    cap). From the first, nothing is retried for it any more; the cell takes over (``service.send``)."""
    _open(record)
    return {"capped_at": record.get("capped_at") or at}


def _closed(record: Item, at: int, details: dict[str, Any]) -> Record:
    _open(record)
    return {"state": State.CLOSED, "closed_at": at, "close_reason": details.get("reason", "expired")}


RULES: dict[str, Callable[[Item, int, dict[str, Any]], Record]] = {
    EventKind.SENT: _sent, EventKind.ACKNOWLEDGED: _acknowledged, EventKind.DELIVERED: _delivered,
    EventKind.SEND_FAILED: _send_failed, EventKind.MAIL_FAILED: _mail_failed, EventKind.REMINDED: _reminded,
    EventKind.ESCALATED: _escalated, EventKind.ESCALATION_NOTIFIED: _escalation_notified,
    EventKind.HANDLED: _handled, EventKind.FOLLOWUP_SENT: _followup_sent,
    EventKind.FOLLOWUP_ANSWERED: _followup_answered, EventKind.NOTED: _noted, EventKind.REROUTED: _rerouted,
    EventKind.CLOSED: _closed, EventKind.CAPPED: _capped, EventKind.SMS_SENT: _sms_sent,
    EventKind.SMS_FAILED: _sms_failed, EventKind.SITE_FEEDBACK: _site_feedback,
}


def _guarded(rule: Callable[[Item, int, dict[str, Any]], Record]) -> Callable[[Item, int, dict[str, Any]], Record]:
    """A rule of chalicelib.mission or chalicelib.satisfaction (which cannot import this module): open requests
    only, and its refusal is this module's Refused."""
    def run(record: Item, at: int, details: dict[str, Any]) -> Record:
        _open(record)
        try:
            return rule(record, at, details)
        except ValueError as why:
            raise Refused(str(why)) from None
    return run


RULES.update({
    EventKind.MISSION_REMINDED: _guarded(mission.reminded), EventKind.MISSION_DIFFICULTY: _guarded(mission.difficulty),
    EventKind.MISSION_DIFFICULTY_TOLD: _guarded(mission.difficulty_told),
    EventKind.SATISFACTION_SENT: _guarded(satisfaction.sent),
    EventKind.SATISFACTION_REMINDED: _guarded(satisfaction.reminded),
    EventKind.SATISFACTION_ANSWERED: _guarded(satisfaction.answered_event),
})
EVENT_KINDS = tuple(EventKind)


def step(record: Item, kind: str, at: float, who: str, policy: Policy, **details: Any) -> tuple[Record, Event]:
    """The changes ``kind`` makes to ``record`` (due index included) and the trail entry; raises Refused."""
    if kind not in RULES:
        raise ValueError(f"unknown event {kind!r}")
    at = int(at)
    changes = RULES[kind](record, at, details)
    if kind == EventKind.HANDLED:
        changes["handled_by"] = who
        if record.get("handled_at"):
            kind = EventKind.OUTCOME_CHANGED
    merged = {**record, **changes}
    changes.update(_due_fields(merged, policy, at))
    clean = {k: v for k, v in details.items() if v is not None}
    return changes, Event(at, who, kind, clean)


# --- What is due -------------------------------------------------------------------------------------------

def needs_delivery(record: Item) -> bool:
    """The AI's e-mail or the household's acknowledgement has still to leave — unless the request reached its
    message cap: retrying would only be refused again, every hour; the cell has it in its queue instead."""
    if record.get("capped_at"):
        return False
    ai = not record.get("ai_sent_at") and not record.get("ai_mail_failure")
    ack = bool(record.get("email")) and not record.get("ack_sent_at") and not record.get("household_unreachable") \
        and record.get("channel") != Channel.DIRECT   # the association spoke with the person itself
    return ai or ack


def wants_sms(record: Item) -> bool:
    """The household is acknowledged by SMS: it came through the site with a mobile number and chose the SMS or
    gave no e-mail (an e-mail alone would leave it without its reference)."""
    if record.get("channel", Channel.SITE) != Channel.SITE or not record.get("phone"):
        return False
    if record.get("email") and (record.get("data") or {}).get("mode_contact") != "sms":
        return False
    number = parse_phone(record["phone"])
    return bool(number and number.mobile)


def asks_by_sms(record: Item) -> bool:
    """« Avez-vous été recontacté ? » goes by SMS to a household without e-mail only: an e-mail costs nothing and
    carries both answers; the SMS is kept for those it is the only written channel of."""
    return not record.get("email") and wants_sms(record) and not record.get("sms_failed_at")


def sms_jobs(record: Item) -> set[str]:
    """The jobs that send an SMS to this household: never at night nor on a day off."""
    found = {"sms", "followup"} if asks_by_sms(record) else {"sms"}
    if satisfaction.channel(record) == satisfaction.SMS:
        found |= {"mission", "satisfaction"}
    return found


def sms_owed(record: Item) -> bool:
    return wants_sms(record) and not record.get("sms_sent_at") and not record.get("sms_failed_at")


def sms_at(record: Item, policy: Policy) -> int:
    """When the acknowledgement SMS is due: at once (or after a pause when the last try failed), but never at
    night nor on a day off: then at the office's next opening (rules.working_days)."""
    last = record.get("sms_last_attempt_at")
    if last:
        quick = int(record.get("sms_attempts") or 0) < policy.quick_attempts
        base = int(last) + (policy.retry_soon if quick else policy.retry_slow)
    else:
        base = int(record["created_at"]) + policy.retry_grace
    return int(next_office_time(_local(base)).timestamp())


def _retry_at(record: Item, policy: Policy) -> int:
    last = record.get("last_attempt_at")
    if not last:
        return clock_start(record) + policy.retry_grace
    pause = policy.retry_soon if int(record.get("attempts") or 0) < policy.quick_attempts else policy.retry_slow
    return int(last) + pause


def schedule(record: Item, policy: Policy) -> dict[str, int]:
    """Every job owed to the request, with the instant it becomes due."""
    jobs = {"purge": int(record["expires_at"])}
    if record["state"] == State.CLOSED:
        return jobs
    created = record["created_at"]
    after = {**mission.jobs(record), **satisfaction.jobs(record)}   # the 72 hours, then satisfaction
    jobs["close"] = max(int(created) + policy.close_after_days * DAY, mission.keep_open_until(record),
                        satisfaction.keep_open_until(record))
    jobs.update(after)
    if needs_delivery(record):
        jobs["retry"] = _retry_at(record, policy)
    if sms_owed(record) and record.get("ai_sent_at"):   # after the AI's e-mail: the SMS gives its phone
        jobs["sms"] = sms_at(record, policy)
    waiting = record["state"] in WAITING
    cell = for_cell(record)   # the cell's own callbacks wait in its dashboard, late after its own delay
    own = record.get("channel") == Channel.DIRECT   # an association's own prospect: reminded, never escalated
    if waiting and not cell and not own and EscalationReason.DEADLINE not in (record.get("escalations") or []):
        jobs["escalation"] = escalation_at(record, policy)
    elif record["state"] == State.ESCALATED and record.get("escalation_unsent"):
        jobs["escalation"] = _retry_at(record, policy)
    if record["state"] in (State.SENT, State.DELIVERED) and not record.get("reminded_at") and not cell:
        jobs["reminder"] = reminder_at(record, policy)
    if record.get("followup_wanted") and not record.get("followup_sent_at") \
            and not record.get("household_unreachable") and (record.get("email") or not record.get("sms_failed_at")):
        jobs["followup"] = working_deadline(created, policy.household_question_after)
    return jobs


def due_now(record: Item, policy: Policy, now: float) -> list[str]:
    """The jobs to run now, most urgent first. Purging or closing supersedes the rest; once the deadline has
    passed, the reminder is pointless: the escalation (with its copy to the AI) replaces it."""
    jobs = schedule(record, policy)
    due = [job for job in JOBS if job in jobs and jobs[job] <= now]
    if not in_office_hours(_local(now)):   # an SMS due this morning, the tick came back at night: not now
        due = [job for job in due if job not in sms_jobs(record)]
    for final in ("purge", "close"):
        if final in due:
            return [final]
    if "escalation" in due and record["state"] in WAITING:
        due = [job for job in due if job != "reminder"]
    return due


def next_due(record: Item, policy: Policy, now: float | None = None) -> tuple[int, str]:
    """The next job and its instant; past ``now`` at night, an owed SMS waits for the office's next opening."""
    jobs = schedule(record, policy)
    if now is not None and not in_office_hours(_local(now)):
        for job in sms_jobs(record) & set(jobs):
            jobs[job] = max(jobs[job], int(next_office_time(_local(now)).timestamp()))
    job = min(jobs, key=lambda name: (jobs[name], JOBS.index(name)))
    return jobs[job], job


def _due_fields(record: Item, policy: Policy, now: float | None = None) -> Record:
    at, job = next_due(record, policy, now)
    return {"due_at": at, "due": job}
