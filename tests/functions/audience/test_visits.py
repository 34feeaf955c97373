"""Visits: 30 minutes of inactivity end one; a day's salt groups a browser's pages, then is forgotten."""

from __future__ import annotations

import dataclasses
import datetime
import random

from support_audience import DESKTOP, IPHONE, PARIS, paris

from chalicelib.audience.pages import classify
from chalicelib.audience.visits import PageView, VisitorKeys, in_time_order, visits


def view(when: float, ip: str = "198.51.100.1", agent: str = DESKTOP, path: str = "/") -> PageView:
    return PageView(when, ip, agent, "desktop", classify(path))


def shapes(views) -> list[tuple[float, float, int]]:
    return sorted((v.start, v.end, len(v.hits)) for v in visits(in_time_order(views), "secret", PARIS))


def test_a_pause_of_exactly_30_minutes_keeps_the_visit_one_second_more_ends_it():
    start = paris(5, 9, 0)
    assert shapes([view(start), view(start + 1800), view(start + 3601)]) == [
        (start, start + 1800, 2), (start + 3601, start + 3601, 1)]


def test_two_browsers_behind_one_address_are_two_visits():
    start = paris(5, 9, 0)
    found = shapes([view(start, agent=DESKTOP), view(start + 60, agent=IPHONE), view(start + 120, agent=DESKTOP)])
    assert found == [(start, start + 120, 2), (start + 60, start + 60, 1)]


def test_midnight_in_the_region_ends_every_visit():
    before, after = paris(5, 23, 55), paris(6, 0, 5)
    assert shapes([view(before), view(after)]) == [(before, before, 1), (after, after, 1)]


def test_the_salt_changes_with_the_day_and_is_derived_from_the_secret():
    keys = VisitorKeys("secret")
    keys.rotate(datetime.date(2026, 11, 5))
    monday = keys.key("198.51.100.1", DESKTOP)
    assert keys.key("198.51.100.1", DESKTOP) == monday and keys.key("198.51.100.2", DESKTOP) != monday
    keys.rotate(datetime.date(2026, 11, 6))
    assert keys.key("198.51.100.1", DESKTOP) != monday
    other = VisitorKeys("another secret")
    other.rotate(datetime.date(2026, 11, 5))
    assert other.key("198.51.100.1", DESKTOP) != monday


def test_visits_keep_no_address_no_agent_no_key():
    [visit] = list(visits([view(paris(5, 9, 0))], "secret", PARIS))
    kept = {f.name for f in dataclasses.fields(visit)} | {f.name for f in dataclasses.fields(visit.hits[0])}
    assert kept == {"start", "end", "device", "hits", "time", "page", "query", "referrer", "host"}
    assert "198.51.100.1" not in repr(visit) and "Mozilla" not in repr(visit)


def test_time_order_is_restored_within_the_window():
    start = paris(5, 9, 0)
    ordered = [view(start + 37 * i, ip=f"198.51.100.{i % 7}") for i in range(400)]
    shuffled = ordered[:]
    # Shuffle inside blocks of one hour, as CloudFront's several files for one hour interleave.
    blocks = [shuffled[i:i + 97] for i in range(0, len(shuffled), 97)]
    for block in blocks:
        random.Random(14).shuffle(block)
    mixed = [v for block in blocks for v in block]
    assert mixed != ordered
    assert [v.time for v in in_time_order(mixed)] == [v.time for v in ordered]
    assert shapes(mixed) == shapes(ordered)
