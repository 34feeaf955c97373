"""The lifecycle's rules on their own: which events may happen, and what is due when, in French working time."""

from __future__ import annotations

import datetime

import pytest

from chalicelib.requests import lifecycle
from chalicelib.requests.lifecycle import Policy, Refused, due_now, new_request, next_due, schedule, step
from rules.dates import PARIS

POLICY = Policy(reminder_after=1, charter_delay=2, household_question_after=3, close_after_days=30)


def at(*args) -> int:
    return int(datetime.datetime(*args, tzinfo=PARIS).timestamp())


def request(created: int, email: str | None = "a@example.org", suivi: bool = True) -> dict:
    data = {"nom": "X", **({"suivi": "oui"} if suivi else {})}
    record, _ = new_request(ref="AI-20261120-ABCDEF", idem_key="k", kind="demande", association="ai-libournais",
                            created_at=created, retention_days=365, data=data, email=email, phone=None, policy=POLICY)
    return record


def apply(record: dict, kind: str, when: int, who: str = "system", **details) -> dict:
    changes, _ = step(record, kind, when, who, POLICY, **details)
    return {**record, **changes}


def sent(created: int, **kwargs) -> dict:
    record = request(created, **kwargs)
    record = apply(record, "sent", created + 5, to="ai")
    return apply(record, "acknowledged", created + 6)


def test_a_friday_five_pm_request_is_owed_nothing_over_the_weekend():
    record = sent(at(2026, 11, 20, 17))
    assert schedule(record, POLICY) == {
        "purge": at(2026, 11, 20, 17) + 365 * 86400,
        "close": at(2026, 11, 20, 17) + 30 * 86400,
        "reminder": at(2026, 11, 23, 17),        # Monday 17:00: one working day
        "escalation": at(2026, 11, 24, 17),      # Tuesday 17:00: the charter's 48 hours
        "followup": at(2026, 11, 25, 17),        # Wednesday 17:00: three working days
    }
    for moment in (at(2026, 11, 21, 10), at(2026, 11, 22, 18), at(2026, 11, 23, 16, 59)):
        assert due_now(record, POLICY, moment) == []
    assert due_now(record, POLICY, at(2026, 11, 23, 17, 5)) == ["reminder"]
    assert next_due(record, POLICY) == (at(2026, 11, 23, 17), "reminder")


def test_nothing_is_due_at_night_the_next_opening_instead():
    record = sent(at(2026, 11, 20, 19, 30))                 # Friday evening, after the office closed
    jobs = schedule(record, POLICY)
    assert jobs["reminder"] == at(2026, 11, 24, 9)          # Monday 19:30 is night: Tuesday's opening
    assert jobs["escalation"] == at(2026, 11, 25, 9)


def test_a_weekend_request_starts_counting_on_monday_morning():
    jobs = schedule(sent(at(2026, 11, 21, 11)), POLICY)     # Saturday
    assert jobs["reminder"] == at(2026, 11, 24, 9) and jobs["escalation"] == at(2026, 11, 25, 9)


def test_a_public_holiday_does_not_count():
    jobs = schedule(sent(at(2026, 5, 13, 10)), POLICY)      # the day before Ascension (Thursday 14 May)
    assert jobs["reminder"] == at(2026, 5, 15, 10)          # Friday
    assert jobs["escalation"] == at(2026, 5, 18, 10)        # Monday: the weekend and the holiday skipped


def test_once_the_deadline_has_passed_the_escalation_replaces_the_reminder():
    record = sent(at(2026, 11, 20, 17))
    assert due_now(record, POLICY, at(2026, 11, 24, 17, 5)) == ["escalation"]


def test_a_handled_request_is_never_reminded_nor_escalated_for_the_deadline():
    record = apply(sent(at(2026, 11, 20, 17)), "handled", at(2026, 11, 23, 10), "ai:ai-libournais",
                   outcome="client")
    assert record["state"] == "handled" and record["handled_by"] == "ai:ai-libournais"
    assert set(schedule(record, POLICY)) == {"purge", "close", "followup", "mission"}   # mission: the 72 hours
    with pytest.raises(Refused):
        step(record, "reminded", at(2026, 11, 23, 17), "system", POLICY)
    with pytest.raises(Refused):
        step(record, "escalated", at(2026, 11, 24, 17), "system", POLICY, reason="deadline")
    escalated = apply(record, "escalated", at(2026, 11, 25, 18), "household", reason="household")
    assert escalated["state"] == "escalated" and escalated["escalations"] == ["household"]


def test_never_two_of_the_same():
    record = sent(at(2026, 11, 20, 17))
    reminded = apply(record, "reminded", at(2026, 11, 23, 17))
    with pytest.raises(Refused):
        step(reminded, "reminded", at(2026, 11, 23, 17, 15), "system", POLICY)
    escalated = apply(reminded, "escalated", at(2026, 11, 24, 17), reason="deadline")
    with pytest.raises(Refused):
        step(escalated, "escalated", at(2026, 11, 24, 17, 15), "system", POLICY, reason="deadline")
    asked = apply(escalated, "followup_sent", at(2026, 11, 25, 17))
    with pytest.raises(Refused):
        step(asked, "followup_sent", at(2026, 11, 25, 17, 15), "system", POLICY)
    answered = apply(asked, "followup_answered", at(2026, 11, 26, 8), "household", answer="oui")
    with pytest.raises(Refused):
        step(answered, "followup_answered", at(2026, 11, 26, 9), "household", POLICY, answer="non")


def test_a_failed_reminder_is_given_back_to_the_schedule():
    record = apply(sent(at(2026, 11, 20, 17)), "reminded", at(2026, 11, 23, 17))
    assert "reminder" not in schedule(record, POLICY)
    failed = apply(record, "send_failed", at(2026, 11, 23, 17), message="reminder", error="down")
    assert due_now(failed, POLICY, at(2026, 11, 23, 17, 15)) == ["reminder"]


def test_the_household_question_needs_an_address_and_consent():
    assert "followup" in schedule(sent(at(2026, 11, 20, 17)), POLICY)
    assert "followup" not in schedule(sent(at(2026, 11, 20, 17), suivi=False), POLICY)
    no_address = request(at(2026, 11, 20, 17), email=None)
    assert not no_address["followup_wanted"]
    unreachable = apply(sent(at(2026, 11, 20, 17)), "mail_failed", at(2026, 11, 20, 18), "mail",
                        failure="bounce", to="household")
    assert "followup" not in schedule(unreachable, POLICY)


def test_a_refused_ai_address_stops_the_retries_and_reminders():
    record = request(at(2026, 11, 20, 17))
    failed = apply(record, "mail_failed", at(2026, 11, 20, 17), "mail", failure="suppressed", to="ai")
    assert failed["ai_mail_failure"] == "suppressed"
    escalated = apply(failed, "escalated", at(2026, 11, 20, 17), reason="mail")
    jobs = schedule(escalated, POLICY)
    assert "reminder" not in jobs and "escalation" not in jobs and "retry" in jobs   # the acknowledgement
    acknowledged = apply(escalated, "acknowledged", at(2026, 11, 20, 17, 1))
    assert "retry" not in schedule(acknowledged, POLICY)
    with pytest.raises(Refused):   # the second bounce event of an at-least-once delivery tells nothing new
        step(failed, "mail_failed", at(2026, 11, 20, 18), "mail", POLICY, failure="bounce", to="ai")


def test_closing_supersedes_the_rest_and_freezes_the_request():
    record = sent(at(2026, 11, 20, 17))
    assert due_now(record, POLICY, at(2026, 12, 20, 18)) == ["close"]
    closed = apply(record, "closed", at(2026, 12, 20, 18), reason="expired")
    assert schedule(closed, POLICY) == {"purge": record["expires_at"]}
    for kind, details in (("handled", {"outcome": "client"}), ("escalated", {"reason": "household"}),
                          ("noted", {"text": "x"})):
        with pytest.raises(Refused):
            step(closed, kind, at(2026, 12, 21, 10), "cell", POLICY, **details)


@pytest.mark.parametrize("details", [{"outcome": "gagne"}, {"outcome": "sans-suite"},
                                     {"outcome": "sans-suite", "reason": "flemme"},
                                     {"outcome": "orientee", "orientation": "ailleurs"}])
def test_outcomes_come_from_the_vocabulary(details):
    with pytest.raises(Refused):
        step(sent(at(2026, 11, 20, 17)), "handled", at(2026, 11, 23, 10), "ai:x", POLICY, **details)


def test_retries_every_run_then_hourly():
    record = request(at(2026, 11, 20, 17))
    assert schedule(record, POLICY)["retry"] == at(2026, 11, 20, 17, 2)   # left to its own request at first
    for attempt in range(1, 22):
        record = apply(record, "send_failed", at(2026, 11, 20, 18) + attempt, message="request", error="down")
        pause = schedule(record, POLICY)["retry"] - record["last_attempt_at"]
        assert pause == (60 if attempt < POLICY.quick_attempts else 3600)
    assert record["state"] == "retrying"


def test_every_event_names_its_actor():
    record = sent(at(2026, 11, 20, 17))
    _, event = step(record, "handled", at(2026, 11, 23, 10), lifecycle.actor("cell", "claire@example.org"),
                    POLICY, outcome="sans-suite", reason="tarif")
    assert event.actor == "cell:claire@example.org" and event.actor_kind == "cell"
    assert event.details == {"outcome": "sans-suite", "reason": "tarif"}
    with pytest.raises(ValueError):
        lifecycle.actor("visitor")


def test_the_cells_own_callback_has_its_own_delay_and_never_chases_the_cell():
    created = at(2026, 11, 23, 10)                                   # a Monday
    record = sent(created)
    record = {**record, "association": "aai"}                         # a commune no association serves
    policy = Policy(reminder_after=1, charter_delay=3, household_question_after=3, close_after_days=30,
                    cell_callback_after=1)
    jobs = schedule(record, policy)
    assert "reminder" not in jobs and "escalation" not in jobs and "followup" in jobs   # the household still asked
    assert lifecycle.charter_deadline(record, policy) == at(2026, 11, 24, 10)         # its delay, not the charter's
    for reason in ("deadline", "household", "not_ours", "mail"):
        with pytest.raises(Refused):
            step(record, "escalated", created + 5 * 86400, "system", policy, reason=reason)
    with pytest.raises(Refused):
        step(record, "reminded", created + 86400, "system", policy)
    assert due_now(record, policy, created + 20 * 86400) == ["followup"]


def late(created: int, reached: int) -> dict:
    """A request whose e-mail only left after retries, at ``reached``."""
    record = apply(request(created), "send_failed", created + 5, message="request", error="timeout")
    record = apply(record, "sent", reached, to="ai")
    return apply(record, "acknowledged", reached + 1)


def test_a_request_delivered_late_is_not_reminded_before_the_next_working_day_weekend():
    record = late(at(2026, 11, 19, 10), at(2026, 11, 20, 9, 30))   # Thursday, reached the AI on Friday morning
    for moment in (at(2026, 11, 20, 10, 5), at(2026, 11, 20, 17), at(2026, 11, 21, 10), at(2026, 11, 22, 18)):
        assert "reminder" not in due_now(record, POLICY, moment)   # not the Friday it arrived, nor the weekend
    assert schedule(record, POLICY)["reminder"] == at(2026, 11, 23, 9)
    assert due_now(record, POLICY, at(2026, 11, 23, 9, 5)) == ["reminder"]   # Monday's opening


def test_a_request_delivered_late_is_not_reminded_before_the_next_working_day_holiday():
    record = late(at(2026, 5, 12, 10), at(2026, 5, 13, 9, 15))    # Tuesday, reached the AI on Wednesday
    for moment in (at(2026, 5, 13, 10, 5), at(2026, 5, 13, 17), at(2026, 5, 14, 12)):   # 14 May: Ascension
        assert "reminder" not in due_now(record, POLICY, moment)
    assert schedule(record, POLICY)["reminder"] == at(2026, 5, 15, 9)
    assert due_now(record, POLICY, at(2026, 5, 15, 9, 5)) == ["reminder"]


def test_the_delivery_confirmation_counts_as_the_day_it_reached_the_association():
    record = late(at(2026, 11, 19, 10), at(2026, 11, 19, 10, 1))
    record = apply(record, "delivered", at(2026, 11, 20, 9, 30), who="mail")   # SES said so only on Friday
    assert schedule(record, POLICY)["reminder"] == at(2026, 11, 23, 9)
