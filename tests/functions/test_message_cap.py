"""The cap on the messages one request may cause (issue 24, « Reminder hygiene »; data/settings.yaml
``follow_through.message_cap``): enforced in ``FormService.send`` only; a refused message is recorded in the trail,
the request goes to the cell's queue (its liaison sheet is never capped), and nothing is retried for it any more;
a message that did not leave (mail server down) does not count."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from support_functions import Local, rappel_fields, ses_messages
from chalicelib.requests import actions
from chalicelib.jobs import schedule as jobs
from chalicelib.requests import lifecycle
from chalicelib.requests.enums import ActorKind, EscalationReason, EventKind, State
from chalicelib.reports.request_figures import monthly_report
from chalicelib.service import MessageCapReached
from rules.dates import PARIS

AI, HOUSEHOLD, CELL = "contact@grand-perigueux.example.org", "paul.dubreuil@example.org", \
    "cellule@aai-aquitaine.example.org"


def at(*args) -> int:
    return int(datetime.datetime(*args, tzinfo=PARIS).timestamp())


@pytest.fixture
def local(tmp_path):
    return Local(tmp_path)


def capped(local: Local, cap: int) -> None:
    local.service.policy = dataclasses.replace(local.service.policy, message_cap=cap)


def submit(local: Local, when: int) -> str:
    local.service.clock = lambda: when
    fields = {k: v if isinstance(v, list) else [v] for k, v in rappel_fields().items()}
    return local.service.submit("rappel", fields, "192.0.2.1").reference


def recipients(local: Local) -> list[str]:
    return [m["To"].addresses[0].addr_spec for m in local.messages()]


def test_the_settings_carry_the_cap_to_the_functions(local):
    assert local.service.policy.message_cap == 20                              # data/settings.yaml


def test_past_the_cap_nothing_leaves_the_trail_says_so_and_the_cell_has_the_request(local):
    capped(local, 2)
    ref = submit(local, at(2026, 11, 20, 17))                                  # the AI's e-mail, the ack: 2
    assert recipients(local) == [AI, HOUSEHOLD]
    assert jobs.tick(local.service, at(2026, 11, 23, 17, 5)).get("reminder") == 1
    assert recipients(local) == [AI, HOUSEHOLD, CELL], "the reminder held back, the liaison sheet sent"
    sheet = local.messages()[-1]
    assert "Plafond de messages atteint" in str(sheet["Subject"])
    record = local.store.get(ref)
    assert record["state"] == State.ESCALATED and record["escalation"] == EscalationReason.CAP
    assert [r["ref"] for r in local.service.queue()] == [ref]                  # never silently dropped
    assert monthly_report(local.service, "2026-11").line("ai-grand-perigueux").escalations == {"cap": 1}   # figure
    trail = local.service.trail(ref)
    refused = [e for e in trail if e.kind == EventKind.CAPPED]
    assert [(e.actor, e.details) for e in refused] == [(ActorKind.SYSTEM, {"message": "reminder", "cap": 2})]
    # the following days: nothing more to the AI or the household, and no retry loop in the trail
    for moment in (at(2026, 11, 23, 17, 20), at(2026, 11, 24, 10), at(2026, 11, 24, 17, 5), at(2026, 11, 30, 10)):
        jobs.tick(local.service, moment)
    assert recipients(local) == [AI, HOUSEHOLD, CELL]
    assert len(local.service.trail(ref)) == len(trail)


def test_a_refused_delivery_is_not_retried_and_goes_to_the_cell(local):
    capped(local, 2)
    ref = submit(local, at(2026, 11, 20, 10))
    cell = lifecycle.actor(ActorKind.CELL, CELL)
    actions.escalate(local.service, local.store.get(ref), EscalationReason.HOUSEHOLD, cell)   # copy to the AI: 3rd
    assert recipients(local) == [AI, HOUSEHOLD, CELL]                          # the copy was held back…
    assert [e.details for e in local.service.trail(ref) if e.kind == EventKind.CAPPED] == \
        [{"message": "copy", "cap": 2}]                                        # …already with the cell: no 2nd sheet
    record = actions.reroute(local.service, local.store.get(ref), "ai-libournais", cell)
    assert not record.get("ai_sent_at") and record["state"] == State.ESCALATED
    assert EscalationReason.CAP in record["escalations"] and record["capped_at"]
    assert "retry" not in lifecycle.schedule(record, local.service.policy)    # refused again every hour: no
    assert [r["ref"] for r in local.service.queue()] == [ref]
    assert recipients(local) == [AI, HOUSEHOLD, CELL, CELL]                    # only the cell's liaison sheets


def test_messages_that_did_not_leave_do_not_count(local):
    capped(local, 3)
    local.mailer.broken = True
    ref = submit(local, at(2026, 11, 20, 17))
    jobs.tick(local.service, at(2026, 11, 20, 17, 15))                         # still down: two more failures
    local.mailer.broken = False
    jobs.tick(local.service, at(2026, 11, 20, 17, 30))
    assert recipients(local) == [AI, HOUSEHOLD]
    jobs.tick(local.service, at(2026, 11, 23, 17, 5))
    assert recipients(local) == [AI, HOUSEHOLD, AI] and local.store.get(ref)["reminded_at"]


def test_the_cap_is_one_refusal_for_every_caller(local):
    capped(local, 2)
    ref = submit(local, at(2026, 11, 20, 17))
    with pytest.raises(MessageCapReached):
        local.service.send(local.store.get(ref), local.messages()[0], "reminder")
    assert local.store.get(ref)["state"] == State.ESCALATED


def test_on_the_production_backends_too(aws, aws_env):
    """DynamoDB's atomic counter and SES (moto): the same refusal, the same queue."""
    aws.policy = dataclasses.replace(aws.policy, message_cap=2)
    aws.clock = lambda: at(2026, 11, 20, 17)
    fields = {k: v if isinstance(v, list) else [v] for k, v in rappel_fields().items()}
    ref = aws.submit("rappel", fields, "192.0.2.1").reference
    jobs.tick(aws, at(2026, 11, 23, 17, 5))
    assert [m["To"].addresses[0].addr_spec for m in ses_messages(aws_env)] == [AI, HOUSEHOLD, CELL]
    assert [r["ref"] for r in aws.queue()] == [ref]
    assert [e.details for e in aws.trail(ref) if e.kind == EventKind.CAPPED] == [{"message": "reminder", "cap": 2}]
