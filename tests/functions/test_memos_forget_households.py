"""Erasure reaches every copy (DESIGN.md: retention and erasure): the functions' in-process memos — which a warm
Lambda keeps from request to request — hold the routing table's and the configuration's values only, never what a
household gave. Each scenario gives a household words found nowhere else, builds and writes its messages, lets them
go, and searches every object the process still holds for those words. It runs in an interpreter of its own, as a
Lambda starts: the search reads a heap of the functions' modules only, not one grown by every test of a worker
(minutes instead of a second), and no other test's objects can hide or fake a copy."""

from __future__ import annotations

import gc
import json
import os
import secrets
import subprocess
import sys
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any

if __name__ == "__main__":   # a scenario in an interpreter of its own: the suite's import paths
    ROOT = Path(__file__).resolve().parents[2]
    sys.path[:0] = [str(ROOT / part) for part in (".", "functions", "tests", "tests/functions")]

from support_functions import ROUTING  # noqa: E402
from chalicelib.complaints.intake import commune_of  # noqa: E402
from chalicelib.mail import notices  # noqa: E402
from chalicelib.mail.messages import acknowledgement, message_to_ai, shared_address  # noqa: E402
from chalicelib.mail.policy import WIRE_POLICY, wire_bytes  # noqa: E402
from chalicelib.routing import load_routing  # noqa: E402
from rules.commune_search import search  # noqa: E402
from rules.phone import display_phone, parse_phone  # noqa: E402

ROUTE = load_routing(ROUTING)


def _marker() -> str:
    return "Zq" + uuid.uuid4().hex[:12]   # letters and digits: kept whole in every header and fold


def _fresh_phone() -> tuple[str, str]:
    """A number of ARCEP's range for fiction (05 36 49 xx xx) that nothing in the process holds yet: as people
    read it, and stored (E.164); built here, never a constant of this module."""
    while True:
        n = secrets.randbelow(10_000)
        phone = parse_phone(f"05 36 49 {n // 100:02d} {n % 100:02d}")
        assert phone is not None
        if not _copies(phone.display, phone.e164):
            return phone.display, phone.e164


def _record(marker: str, phone: str = "") -> dict[str, Any]:
    return {"ref": "AI-20261123-ABCDEF", "kind": "demande", "association": "ai-libournais", "created_at": 1_795_000_000,
            "data": {"nom": f"Hélène {marker}-Dupré", "email": f"helene.{marker.lower()}@example.org",
                     "telephone": phone or "+33536491234", "commune": "33394", "services": ["menage"]}}


def _write_messages(marker: str, phone: str = "") -> None:
    """The two messages of a new request and a lifecycle notice to the household, each written as it is sent."""
    record = _record(marker, phone)
    for msg in (message_to_ai(record, ROUTE, "https://aai.example.org/traite/x"), acknowledgement(record, ROUTE),
                notices.followup_question(record, ROUTE, "https://aai.example.org/o", "https://aai.example.org/n")):
        for _ in range(2):   # twice: what is remembered within a message is remembered then
            wire_bytes(msg)
            msg.as_bytes(policy=WIRE_POLICY)
            msg.as_string()


def _atoms(value: object, depth: int = 0):
    """The strings and bytes inside a value the collector does not track (an untracked tuple or dict holds only
    such atoms), which only a tracked holder's referents reach."""
    if isinstance(value, (str, bytes)):
        yield value
    elif depth < 4 and isinstance(value, (tuple, list, dict, frozenset, set)) and not gc.is_tracked(value):
        for item in (value.items() if isinstance(value, dict) else value):
            yield from _atoms(item, depth + 1)


def _copies(*words: str) -> list[str]:
    """Every string or bytes the process still holds that contains one of ``words`` (``words`` themselves
    excepted, held by the test)."""
    gc.collect()
    needles = [(w, w.encode()) for w in words]
    ours = [*words, *(b for _, b in needles)]
    found = []
    for holder in gc.get_objects():
        for item in gc.get_referents(holder):
            for atom in _atoms(item):
                if any(atom is w for w in ours):
                    continue
                if any((w in atom) if isinstance(atom, str) else (b in atom) for w, b in needles):
                    found.append(f"{type(holder).__name__}: {atom[:120]!r}")
    return found


def households_messages_leave_no_copy() -> list[str]:
    marker, (display, e164) = _marker(), _fresh_phone()
    _write_messages(marker, e164)
    return _copies(marker, marker.lower(), e164, display)


def a_phone_shown_in_the_back_office_leaves_no_copy() -> list[str]:
    display, e164 = _fresh_phone()
    assert display_phone(e164) == display
    return _copies(e164, display)


def a_typed_commune_leaves_no_copy() -> list[str]:
    typed = _marker()
    assert commune_of(f"{typed} sur Dordogne", ROUTE) is None and search(f"Saint {typed}", ROUTE.candidates) == []
    return _copies(typed, typed.lower())


SCENARIOS = {scenario.__name__: scenario for scenario in (
    households_messages_leave_no_copy, a_phone_shown_in_the_back_office_leaves_no_copy, a_typed_commune_leaves_no_copy)}


def _copies_left_by(scenario) -> list[str]:
    """The copies a scenario left, found in an interpreter of its own."""
    done = subprocess.run([sys.executable, __file__, scenario.__name__], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_no_memo_keeps_a_households_name_address_or_phone_once_its_messages_are_gone():
    assert _copies_left_by(households_messages_leave_no_copy) == []


def test_the_search_finds_a_copy_when_one_is_kept():
    """The search itself can fail: a copy kept on purpose, in a place as hidden as a memo's, is found."""
    marker = _marker()
    remembered = lru_cache(maxsize=8)(lambda name: name.upper())
    remembered(f"Hélène {marker}")
    assert _copies(marker) and remembered.cache_info().currsize == 1


def test_the_associations_addresses_are_still_remembered():
    ai = ROUTE.associations["ai-libournais"]
    _write_messages(_marker())
    before = shared_address.cache_info()
    _write_messages(_marker())
    after = shared_address.cache_info()
    assert after.hits > before.hits and after.misses == before.misses   # From, To, Reply-To: parsed before
    assert shared_address(ai.name, ai.email) is shared_address(ai.name, ai.email)


def test_a_households_phone_shown_in_the_back_office_is_not_remembered():
    assert _copies_left_by(a_phone_shown_in_the_back_office_leaves_no_copy) == []


def test_a_commune_typed_by_a_household_is_not_remembered():
    assert _copies_left_by(a_typed_commune_leaves_no_copy) == []


if __name__ == "__main__":
    print(json.dumps(SCENARIOS[sys.argv[1]]()))
