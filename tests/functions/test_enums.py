"""The words of a request's life are enums carrying value and French label, defined once: a member is its stored
string (records, JSON, SQL and DynamoDB see the same values as before), and no module of the functions spells a
state or an event as a bare string any more."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chalicelib.requests import lifecycle
from chalicelib.requests.enums import (WAITING, ActorKind, Channel, EscalationReason, EventKind, FollowUpAnswer,
                                       Labelled, MailFailure, NoFollowUpReason, Orientation, Outcome, State)

CHALICELIB = Path(__file__).resolve().parents[2] / "functions" / "chalicelib"
ENUMS = (State, EventKind, ActorKind, Channel, EscalationReason, Outcome, NoFollowUpReason, Orientation,
         FollowUpAnswer, MailFailure)


def test_a_member_is_its_stored_string_and_carries_its_french_label():
    assert State.HANDLED == "handled" and State("handled") is State.HANDLED and State.HANDLED.label == "Traitée"
    assert json.dumps({"state": State.ESCALATED, "kind": EventKind.OUTCOME_CHANGED}) == \
        '{"state": "escalated", "kind": "outcome_changed"}'
    assert f"{Outcome.NO_FOLLOW_UP}" == "sans-suite" and {"sans-suite": 1}[Outcome.NO_FOLLOW_UP] == 1
    assert Outcome.label_of("sans-suite") == "Sans suite" and Outcome.label_of("gagne", "?") == "?"
    assert Outcome.label_of(None) == ""


@pytest.mark.parametrize("enum", ENUMS)
def test_every_label_is_french_text_with_typographic_apostrophes_as_before(enum):
    assert issubclass(enum, Labelled) and len(enum) >= 2
    for member in enum:
        assert member.label and member.label[0].isupper() and member.label != member.value
        assert enum.labels()[member.value] == member.label
    assert enum.choices() == tuple(enum.labels().items())


def test_the_stored_values_did_not_change():
    """Records already stored keep reading: these strings are in the tables."""
    assert [s.value for s in State] == ["received", "retrying", "sent", "delivered", "escalated", "handled", "closed"]
    assert WAITING == ("received", "retrying", "sent", "delivered")
    assert set(EventKind) == {"received", *lifecycle.RULES, "outcome_changed"}
    assert [o.value for o in Outcome] == ["client", "en-cours", "sans-suite", "orientee"]
    assert [r.value for r in EscalationReason] == ["deadline", "mail", "household", "not_ours", "cap", "sms", "unhappy"]
    assert [c.value for c in Channel] == ["site", "telephone", "direct"]
    assert [a.value for a in ActorKind] == ["household", "ai", "cell", "system", "mail"]


def test_the_lifecycle_stores_members_not_bare_strings():
    record, event = lifecycle.new_request(
        ref="AI-20261102-AAAAAA", idem_key="k", kind="rappel", association="ai-libournais", created_at=1793610000,
        retention_days=365, data={}, email=None, phone=None,
        policy=lifecycle.Policy(reminder_after=1, charter_delay=2, household_question_after=3, close_after_days=30))
    assert record["state"] is State.RECEIVED and event.kind is EventKind.RECEIVED and record["channel"] is Channel.SITE
    changes, event = lifecycle.step(record, "sent", 1793610060, "system", lifecycle.Policy(1, 2, 3, 30), to="ai")
    assert changes["state"] is State.SENT


def test_no_module_spells_a_state_or_an_event_as_a_bare_string():
    """The words are spelled once, in requests/enums.py; a comparison or a change with a literal is a typo away
    from a silent bug."""
    states = "|".join(s.value for s in State)
    events = "|".join(e.value for e in EventKind)
    pattern = re.compile(rf'(\["state"\]|\bstate|event\.kind|kind) (==|!=|in|not in) \(?"({states}|{events})"'
                         rf'|\.change\([^)]*?, "({events})"|actor\("')
    found = [f"{path.relative_to(CHALICELIB)}:{number}: {line.strip()}"
             for path in CHALICELIB.rglob("*.py") if path.name != "enums.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert found == []
