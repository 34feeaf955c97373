"""The store's contract for complaints and error reports (chalicelib.complaints.model.Case), against SQLite,
DynamoDB (moto) and the in-memory store alike: kept and read back as typed cases, a stale copy refused, the due
ones found by their delay and a month's found by kind, forgotten on time by the stores without a TTL."""

from __future__ import annotations

import pytest

from chalicelib.complaints.model import Case
from chalicelib.requests.enums import CaseKind, CaseStatus, ComplaintOutcome
from chalicelib.store import Stale

NOV_2 = 1793610000   # Monday 2 November 2026, 10:00 in Paris


def case(ref: str, kind: CaseKind = CaseKind.COMPLAINT, at: int = NOV_2, due_at: int | None = NOV_2 + 86400,
         **changes) -> Case:
    return Case(ref=ref, kind=kind, association="ai-libournais", created_at=at, expires_at=at + 365 * 86400,
                details={"texte": "Personne n'est venu <mardi>.", "nom": "Odette Lamarque"},
                recipients=("ai-libournais", "aai"), due_at=due_at, **changes)


@pytest.mark.parametrize("store", ["sqlite", "dynamodb", "memory"], indirect=True)
def test_a_case_is_kept_read_back_typed_and_changed_only_from_its_last_version(store):
    first = case("REC-20261102-AAAAAA")
    store.put_case(first)
    with pytest.raises(Stale):
        store.put_case(first)   # a reference is never reused
    read = store.get_case(first.ref)
    assert read == first and read.kind is CaseKind.COMPLAINT and read.status is CaseStatus.OPEN
    assert store.get_case("REC-20261102-ZZZZZZ") is None
    closed = read.changed(NOV_2 + 60, "ai:ai-libournais", "closed", "Rappelée, excuses faites.",
                          status=CaseStatus.CLOSED, outcome=ComplaintOutcome.RESOLVED, due_at=None)
    store.update_case(closed)
    again = store.get_case(first.ref)
    assert again.version == 2 and again.status is CaseStatus.CLOSED and again.outcome == "resolue"
    assert again.history[-1].note == "Rappelée, excuses faites." and again.due_at is None
    with pytest.raises(Stale):   # a second outcome from the copy read before the first one
        store.update_case(read.changed(NOV_2 + 90, "cell:x", "closed", status=CaseStatus.CLOSED))
    assert store.get_case(first.ref).history[-1].actor == "ai:ai-libournais"


@pytest.mark.parametrize("store", ["sqlite", "dynamodb", "memory"], indirect=True)
def test_due_cases_and_a_months_cases_come_from_their_indexes(store):
    store.put_case(case("REC-20261102-AAAAAA", due_at=NOV_2 + 100))
    store.put_case(case("REC-20261102-BBBBBB", due_at=NOV_2 + 900))
    store.put_case(case("ERR-20261102-CCCCCC", kind=CaseKind.ERROR_REPORT, due_at=None))
    store.put_case(case("REC-20261201-DDDDDD", at=NOV_2 + 30 * 86400, due_at=None))
    assert [c.ref for c in store.cases_due(NOV_2 + 500)] == ["REC-20261102-AAAAAA"]
    assert [c.ref for c in store.cases_due(NOV_2 + 1000)] == ["REC-20261102-AAAAAA", "REC-20261102-BBBBBB"]
    done = store.get_case("REC-20261102-AAAAAA").changed(NOV_2 + 200, "system", "escalated", due_at=None)
    store.update_case(done)
    assert [c.ref for c in store.cases_due(NOV_2 + 1000)] == ["REC-20261102-BBBBBB"]
    assert [c.ref for c in store.cases_month("reclamation", "2026-11")] == ["REC-20261102-AAAAAA",
                                                                           "REC-20261102-BBBBBB"]
    assert [c.ref for c in store.cases_month("erreur", "2026-11")] == ["ERR-20261102-CCCCCC"]
    assert [c.ref for c in store.cases_month("reclamation", "2026-12")] == ["REC-20261201-DDDDDD"]
    assert store.month("2026-11") == [] and store.due(NOV_2 + 10**6) == []   # never among the requests


@pytest.mark.parametrize("store", ["sqlite", "dynamodb", "memory"], indirect=True)
def test_the_right_to_erasure_finds_a_persons_cases_and_leaves_the_requests_alone(store):
    from chalicelib.requests.lifecycle import Policy, new_request
    policy = Policy(reminder_after=1, charter_delay=2, household_question_after=3, close_after_days=30)
    record, event = new_request(ref="AI-20261102-AAAAAA", idem_key="k", kind="rappel", association="ai-libournais",
                                created_at=NOV_2, retention_days=365, data={"nom": "X", "telephone": "+33536491234"},
                                email="odette@example.org", phone="+33536491234", policy=policy)
    store.put_new(record, event)
    store.put_case(case("REC-20261102-AAAAAA", who=("odette@example.org", "+33536491234")))
    store.put_case(case("ERR-20261102-BBBBBB", kind=CaseKind.ERROR_REPORT, who=("odette@example.org",)))
    store.put_case(case("REC-20261102-CCCCCC", who=("paul@example.org",)))
    assert store.erase_cases(phone="+33536491234") == ["REC-20261102-AAAAAA"]
    assert store.get_case("REC-20261102-AAAAAA") is None and store.get_case("ERR-20261102-BBBBBB") is not None
    assert store.erase_cases(email="odette@example.org") == ["ERR-20261102-BBBBBB"]
    assert store.erase_cases(email="odette@example.org") == []
    assert store.get_case("REC-20261102-CCCCCC").who == ("paul@example.org",)
    assert store.get("AI-20261102-AAAAAA") is not None             # a request goes by erase(), not by this
    assert store.erase(email="odette@example.org") == ["AI-20261102-AAAAAA"]
    assert store.cases_month("reclamation", "2026-11")[0].ref == "REC-20261102-CCCCCC"


@pytest.mark.parametrize("store", ["sqlite", "memory"], indirect=True)
def test_a_case_past_its_retention_is_swept(store):
    store.put_case(case("REC-20261102-AAAAAA"))
    store.sweep(NOV_2 + 366 * 86400)
    assert store.get_case("REC-20261102-AAAAAA") is None
