"""Visits without knowing visitors: the page views of one browser, with no pause longer than 30 minutes.

A browser is recognised only within a day, by an HMAC of its IP address and user agent keyed with a salt derived
for that day from the functions' secret. When the day (Europe/Paris) ends, every open visit is closed and the
salt is replaced and forgotten; what leaves this module (``Visit``) holds neither an address, nor an agent,
nor a key — only times and pages — and the figures keep only counts of those. This follows the conditions the
CNIL sets for audience measurement exempt from consent: anonymous statistics, no cross-site tracking, nothing
stored on the visitor's device. A visit that spans midnight therefore counts twice: the price of the rotation.

CloudFront writes the requests of an hour into several files, so the log's order is only roughly the time's
order; ``in_time_order`` restores it within a window of two hours, holding only those hours' page views.
"""

from __future__ import annotations

import datetime
import hashlib
import heapq
import hmac
import itertools
import logging
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .pages import Page

logger = logging.getLogger(__name__)

SESSION_GAP = 30 * 60        # seconds of inactivity that end a visit
REORDER_WINDOW = 2 * 3600    # how far out of order log lines may come (files of the same hour interleave)


@dataclass(slots=True)
class PageView:
    """A page served to a person (robots and files are already left out), as read from the log."""

    time: float
    client_ip: str
    user_agent: str
    device: str
    page: Page
    query: str = ""
    referrer: str = ""
    host: str = ""


@dataclass(slots=True)
class Hit:
    """What a visit keeps of a page view: no address, no agent."""

    time: float
    page: Page
    query: str = ""
    referrer: str = ""
    host: str = ""


@dataclass(slots=True)
class Visit:
    start: float
    end: float
    device: str
    hits: list[Hit] = field(default_factory=list)

    @property
    def duration(self) -> float:
        """From the first page to the last: a visit of one page lasts 0 seconds (nothing tells more)."""
        return self.end - self.start


def in_time_order(views: Iterable[PageView], window: float = REORDER_WINDOW) -> Iterator[PageView]:
    """The same page views, sorted by time provided none comes more than ``window`` seconds late; a later one
    still comes out, late (``visits`` copes with it)."""
    heap: list[tuple[float, int, PageView]] = []
    counter = itertools.count()
    newest = float("-inf")
    for view in views:
        heapq.heappush(heap, (view.time, next(counter), view))
        if view.time > newest:
            newest = view.time
        while heap and heap[0][0] < newest - window:
            yield heapq.heappop(heap)[2]
    while heap:
        yield heapq.heappop(heap)[2]


class VisitorKeys:
    """Keys of the day's browsers: HMAC-SHA-256(IP, user agent) under a salt derived from the secret and the day.
    Only the current day's salt exists at any time."""

    def __init__(self, secret: str | bytes):
        if not secret:
            raise ValueError("the audience needs the functions' secret to derive its daily salts")
        self._secret = secret.encode() if isinstance(secret, str) else secret
        self._salt = b""
        self.day: datetime.date | None = None

    def rotate(self, day: datetime.date) -> None:
        self._salt = hmac.new(self._secret, b"audience-salt:" + day.isoformat().encode(), hashlib.sha256).digest()
        self.day = day

    def key(self, client_ip: str, user_agent: str) -> bytes:
        message = f"{client_ip}\n{user_agent}".encode("utf-8", "surrogateescape")
        return hmac.digest(self._salt, message, "sha256")[:16]


class _LocalDays:
    """The region's date of an instant, computed once per hour of the log (time zones move by whole hours)."""

    def __init__(self, tz: datetime.tzinfo):
        self.tz = tz
        self._hour: int | None = None
        self._day = datetime.date.min   # read only once _hour is set

    def __call__(self, epoch: float) -> datetime.date:
        hour = int(epoch // 3600)
        if hour != self._hour:
            self._hour = hour
            self._day = datetime.datetime.fromtimestamp(hour * 3600, self.tz).date()
        return self._day


def visits(views: Iterable[PageView], secret: str | bytes, tz: datetime.tzinfo,
           gap: float = SESSION_GAP) -> Iterator[Visit]:
    """Visits of page views given in time order (see ``in_time_order``), each yielded once it is over."""
    keys = VisitorKeys(secret)
    local_day = _LocalDays(tz)
    open_visits: OrderedDict[bytes, Visit] = OrderedDict()   # least recently active first
    late = 0
    for view in views:
        hit = Hit(view.time, view.page, view.query, view.referrer, view.host)
        day = local_day(view.time)
        if day != keys.day:
            if keys.day is not None and day < keys.day:
                late += 1   # that day's salt is gone: the page view counts, as a visit of its own
                yield Visit(view.time, view.time, view.device, [hit])
                continue
            yield from open_visits.values()
            open_visits.clear()
            keys.rotate(day)
        while open_visits:
            oldest = next(iter(open_visits.values()))
            if view.time - oldest.end <= gap:
                break
            yield open_visits.popitem(last=False)[1]
        key = keys.key(view.client_ip, view.user_agent)
        visit = open_visits.get(key)
        if visit is not None and view.time - visit.end > gap:   # behind a late hit, not swept yet
            yield open_visits.pop(key)
            visit = None
        if visit is None:
            open_visits[key] = Visit(view.time, view.time, view.device, [hit])
            continue
        visit.hits.append(hit)
        visit.start, visit.end = min(visit.start, view.time), max(visit.end, view.time)
        open_visits.move_to_end(key)
    yield from open_visits.values()
    if late:
        logger.warning("%d page views came more than %d s out of order, after their day had ended",
                       late, REORDER_WINDOW)
