"""A month of audience from the access log: the specification's three figures (visits, pages per visit, average
visit duration) and what AAI asks beside them — top pages, how visitors arrived, their devices, the views of each
AI's page and each commune's, and the part of the funnel a log can see: directory pages → form pages → forms sent.

Streaming from end to end: lines go in one at a time, and only counts come out. Robots are left out (see
``agents``); files pages need (styles, scripts, images) are not page views (see ``pages``).
"""

from __future__ import annotations

import datetime
import logging
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field, fields
from typing import Any, Iterable, Iterator

from rules.dates import PARIS, month_bounds
from rules.sources import PARAMETER, KnownSources

from .agents import describe
from .cloudfront import LogParser
from .pages import (ASSOCIATION_PAGE, COMMUNE_PAGE, DIRECTORY_KINDS, FORM_PAGE, THANKS_PAGE, classify,
                    is_page_view, page_path)
from .referrers import ArrivalRules
from .visits import Hit, PageView, Visit, in_time_order, visits

logger = logging.getLogger(__name__)


@dataclass
class Funnel:
    """From the directory to a form sent, in page views (what happens next is the request's lifecycle)."""

    directory_views: int = 0   # region: finder, map, list, département, commune and AI pages; one AI: its page
    form_views: int = 0        # the « demande » and « rappel » pages
    form_posts: int = 0        # thank-you pages reached after sending a form (once per reference and visit)


@dataclass
class MonthFigures:
    """Counts only: nothing here says who visited."""

    month: str                                   # "2026-11", in the region's time
    visits: int = 0
    page_views: int = 0
    visit_seconds: float = 0.0                   # total duration of the visits
    robot_page_views: int = 0                    # pages served to robots, left out of everything else
    pages: Counter[str] = field(default_factory=Counter)              # path → views
    arrivals: Counter[str] = field(default_factory=Counter)           # referrers.ARRIVAL_CLASSES → visits
    referrer_domains: Counter[str] = field(default_factory=Counter)   # registrable domain → visits it brought
    devices: Counter[str] = field(default_factory=Counter)            # agents.DEVICE_CLASSES → visits
    association_views: Counter[str] = field(default_factory=Counter)  # AI id → views of its page
    commune_views: Counter[str] = field(default_factory=Counter)      # INSEE code → views of the commune's page
    sources: Counter[str] = field(default_factory=Counter)            # measured source (rules/sources.py) → visits
    funnel: Funnel = field(default_factory=Funnel)
    association_funnels: dict[str, Funnel] = field(default_factory=dict)   # AI id (or "aai") → its funnel

    @property
    def pages_per_visit(self) -> float | None:
        return self.page_views / self.visits if self.visits else None

    @property
    def average_visit_seconds(self) -> float | None:
        return self.visit_seconds / self.visits if self.visits else None

    def top_pages(self, count: int = 10) -> list[tuple[str, int]]:
        """Most viewed first; equal counts in path order, so the list is the same on every run."""
        return sorted(self.pages.items(), key=lambda item: (-item[1], item[0]))[:count]

    def association_funnel(self, ai_id: str) -> Funnel:
        return self.association_funnels.get(ai_id) or Funnel()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data, to keep a month's figures (12 months side by side) without its logs."""
        data = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, Funnel):
                value = vars(value).copy()
            elif item.name == "association_funnels":
                value = {key: vars(funnel).copy() for key, funnel in sorted(value.items())}
            elif isinstance(value, Counter):
                value = dict(sorted(value.items()))
            data[item.name] = value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "MonthFigures":
        known = {item.name: item for item in fields(cls)}
        values = {}
        for name, value in data.items():
            if name not in known:
                continue
            if name == "funnel":
                value = Funnel(**value)
            elif name == "association_funnels":
                value = {key: Funnel(**funnel) for key, funnel in value.items()}
            elif isinstance(value, dict):
                value = Counter(value)
            values[name] = value
        return cls(**values)


class _Tally:
    """Folds finished visits into a month's figures."""

    def __init__(self, figures: MonthFigures, rules: ArrivalRules, sources: KnownSources):
        self.figures, self.rules, self.sources = figures, rules, sources

    def _sources(self, hits: list[Hit]) -> set[str]:
        """The known sources the visit landed with (a QR code scanned twice in one visit counts once)."""
        found = set()
        for hit in hits:
            values = urllib.parse.parse_qs(hit.query).get(PARAMETER, [])
            source = self.sources.clean(values[0]) if len(values) == 1 else None
            if source:
                found.add(source)
        return found

    def _funnel(self, ai_id: str) -> Funnel:
        return self.figures.association_funnels.setdefault(ai_id, Funnel())

    def add(self, visit: Visit) -> None:
        figures = self.figures
        hits = sorted(visit.hits, key=lambda hit: hit.time)
        figures.visits += 1
        figures.page_views += len(hits)
        figures.visit_seconds += visit.duration
        figures.devices[visit.device] += 1
        arrival = self.rules.arrival(hits[0].referrer, hits[0].host)
        figures.arrivals[arrival.kind] += 1
        if arrival.domain:
            figures.referrer_domains[arrival.domain] += 1
        for source in self._sources(hits):
            figures.sources[source] += 1
        last_form, posted = "", set()
        for hit in hits:
            page = hit.page
            figures.pages[page.path] += 1
            if page.kind in DIRECTORY_KINDS:
                figures.funnel.directory_views += 1
            if page.kind == ASSOCIATION_PAGE:
                figures.association_views[page.key] += 1
                self._funnel(page.key).directory_views += 1
            elif page.kind == COMMUNE_PAGE:
                figures.commune_views[page.key] += 1
            elif page.kind == FORM_PAGE:
                figures.funnel.form_views += 1
                self._funnel(page.key).form_views += 1
                last_form = page.key
            elif page.kind == THANKS_PAGE:
                reference = urllib.parse.parse_qs(hit.query).get("ref", [""])[0]
                if not reference or reference in posted:   # opened by hand, or reloaded: no new form sent
                    continue
                posted.add(reference)
                figures.funnel.form_posts += 1
                sender = _form_of(hit.referrer) or last_form
                if sender:
                    self._funnel(sender).form_posts += 1


def _form_of(referrer: str) -> str:
    """The AI whose form page sent the visitor to the thank-you page (the Referer of the redirect after POST)."""
    if not referrer:
        return ""
    path = page_path(urllib.parse.urlsplit(referrer).path)
    if path is None:
        return ""
    page = classify(path)
    return page.key if page.kind == FORM_PAGE else ""


def month_figures(lines: Iterable[str], month: str, *, secret: str | bytes, partners: Iterable[str] = (),
                  site_hosts: Iterable[str] = (), sources: KnownSources | None = None,
                  tz: datetime.tzinfo | None = None) -> MonthFigures:
    """The figures of ``month`` ("2026-11", region's time) from access-log lines (any order CloudFront writes
    them in; lines outside the month are skipped). ``partners``: partner sites' addresses or domains;
    ``site_hosts``: the site's own host names; ``secret``: the functions' secret (daily salts of visits);
    ``sources``: the list a ``?source=`` is checked against (the routing table's; without it, the fixed slugs)."""
    tz = tz or PARIS
    start, end = month_bounds(month, tz)
    parser = LogParser()
    figures = MonthFigures(month)
    tally = _Tally(figures, ArrivalRules(partners, site_hosts), sources or KnownSources())

    def page_views() -> Iterator[PageView]:
        for record in parser.records(lines, wanted=is_page_view):
            if not start <= record.time < end:
                continue
            path = page_path(record.path)   # None only for an encoded oddity such as /a%2F: not a page
            if path is None:
                continue
            agent = describe(record.user_agent)
            if agent.robot:
                figures.robot_page_views += 1
                continue
            yield PageView(record.time, record.client_ip, record.user_agent, agent.device, classify(path),
                           record.query, record.referrer, record.host_header or record.host)

    for visit in visits(in_time_order(page_views()), secret, tz):
        tally.add(visit)
    logger.info("Audience %s: %d lines read, %d malformed, %d visits, %d page views, %d robot page views",
                month, parser.lines, parser.malformed, figures.visits, figures.page_views, figures.robot_page_views)
    return figures
