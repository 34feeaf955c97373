"""One typed Request, converted to and from storage in one place (chalicelib/requests/model.py): every record the
lifecycle makes reads back as the same Request, its storage form is the record itself (less empty fields), and
the household's phone is held once."""

from __future__ import annotations

import dataclasses
import json

import pytest

from chalicelib.requests.lifecycle import Policy, new_request, step
from chalicelib.requests.enums import Channel, EscalationReason, Outcome, State
from chalicelib.requests.model import Request
from chalicelib.store.base import merge

POLICY = Policy(reminder_after=1, charter_delay=2, household_question_after=3, close_after_days=30)
NOV_2 = 1793610000        # 2026-11-02 10:00 Paris, a Monday
DAY = 86400

# A request's whole life, through every kind of event, as (kind, actor, details).
LIFE = [
    ("sent", "system", {"to": "ai", "message_id": "m1"}), ("acknowledged", "system", {"message_id": "m2"}),
    ("delivered", "mail", {}), ("reminded", "system", {}),
    ("mail_failed", "mail", {"failure": "bounce", "to": "cell"}),
    ("escalated", "system", {"reason": "deadline"}), ("escalation_notified", "system", {}),
    ("noted", "cell:claire@example.org", {"text": "Rappel demain", "callback_on": "2026-11-06"}),
    ("rerouted", "cell:claire@example.org", {"from": "ai-libournais", "to": "ai-bordeaux"}),
    ("sent", "system", {"to": "ai"}), ("send_failed", "system", {"message": "reminder", "error": "down"}),
    ("handled", "ai:ai-bordeaux", {"outcome": "sans-suite", "reason": "tarif"}),
    ("handled", "ai:ai-bordeaux", {"outcome": "client", "first_visit": "2026-11-20"}),
    ("followup_sent", "system", {}), ("followup_answered", "household", {"answer": "non"}),
    ("escalated", "household", {"reason": "household"}), ("closed", "system", {"reason": "expired"}),
]


def life() -> list[dict]:
    """Every version of one request, as the store keeps them (through JSON)."""
    record, _ = new_request(ref="AI-20261102-AAAAAA", idem_key="k", kind="demande", association="ai-libournais",
                            created_at=NOV_2, retention_days=365, email="marie@example.org",
                            phone="+33536491234", policy=POLICY,
                            data={"nom": "Marie", "telephone": "+33536491234", "suivi": "oui", "heures": 3.5})
    versions = [json.loads(json.dumps(record))]
    at = NOV_2
    for kind, who, details in LIFE:
        at += DAY
        changes, _ = step(record, kind, at, who, POLICY, **details)
        record = json.loads(json.dumps(merge(record, changes)))
        versions.append(record)
    return versions


@pytest.mark.parametrize("version", range(len(LIFE) + 1))
def test_every_record_of_a_life_reads_as_a_request_and_writes_back_as_itself(version):
    record = life()[version]
    request = Request.from_item(record)
    assert request.to_item() == {k: v for k, v in record.items() if v is not None}
    assert Request.from_item(request.to_item()) == request
    assert json.loads(json.dumps(request.to_item())) == request.to_item()   # plain JSON, as stored


def test_the_fields_are_typed():
    versions = life()
    first, rerouted, handled, closed = versions[0], versions[9], versions[13], versions[-1]
    request = Request.from_item(handled)
    assert request.state is State.HANDLED and request.outcome is Outcome.CLIENT and request.channel is Channel.SITE
    assert Request.from_item(rerouted).previous_associations == ("ai-libournais",)
    assert Request.from_item(rerouted).past_escalations == (EscalationReason.DEADLINE,)
    assert Request.from_item(closed).escalations == (EscalationReason.HOUSEHOLD,)
    assert isinstance(Request.from_item(first).created_at, int) and Request.from_item(first).version == 1


def test_the_phone_is_held_once():
    record = life()[0]
    request = Request.from_item(record)
    assert request.phone == "+33536491234" and "telephone" not in request.data
    assert request.fields == {"nom": "Marie", "telephone": "+33536491234", "suivi": "oui", "heures": 3.5}
    changed = request.replace(phone="+33556000000").to_item()
    assert changed["phone"] == changed["data"]["telephone"] == "+33556000000"   # one change, both places
    # A record holding the number in the form's field only (the liaison sheet's shape) reads the same.
    assert Request.from_item({**record, "phone": None}).phone == "+33536491234"


def test_a_request_is_immutable_and_changes_by_replace():
    request = Request.from_item(life()[0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.state = State.CLOSED   # type: ignore[misc]
    assert not hasattr(request, "__dict__")   # slots
    closed = request.replace(state=State.CLOSED, closed_at=NOV_2 + DAY)
    assert closed.state is State.CLOSED and request.state is State.RECEIVED and closed.ref == request.ref


def test_fields_this_version_does_not_know_are_kept_and_unknown_values_refused():
    record = {**life()[0], "satisfaction": 4}
    assert Request.from_item(record).to_item()["satisfaction"] == 4
    with pytest.raises(ValueError):
        Request.from_item({**record, "state": "perdue"})


def test_while_modules_move_to_attributes_a_request_reads_as_its_record_and_cannot_be_written():
    record = life()[9]                                     # re-routed: its escalations were emptied, kept as []
    request = Request.from_item(record)
    assert request["state"] == "received" and request.get("escalations") == [] and request["phone"] == "+33536491234"
    assert dict(request) == {k: v for k, v in record.items() if v is not None} and {**request} == dict(request)
    with pytest.raises(TypeError):
        request["state"] = "closed"   # type: ignore[index]
