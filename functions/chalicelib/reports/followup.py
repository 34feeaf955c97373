"""The monthly follow-up as AAI and each AI receive it: the requests' figures (``request_figures``) beside the site's
audience (``audience``), joined in one path from a page view to a new client.

The specification judges the site each month on its audience (« nombre de connexions, nombre de pages
visitées, temps moyen de connexion ») and on its results for the AIs (requests received, handled, turned into
clients). The audience is read from the CDN's own access logs — no script, no cookie — once per month, and
kept in the store as anonymous aggregates: the raw logs are deleted after 13 months, the kept figures feed the
twelve-month trends.
"""

from __future__ import annotations

import logging
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rules.dates import month_bounds, month_of

from ..audience.figures import MonthFigures, month_figures
from ..audience.logfiles import month_lines
from ..complaints.figures import CaseFigures, month_counts
from .request_figures import MonthlyReport, monthly_report, year_to_date

if TYPE_CHECKING:   # the one service, for its type only (it imports this module)
    from ..service import FormService

logger = logging.getLogger(__name__)

KEPT_MONTHS = 25          # anonymous aggregates: two years of trends, then gone
TREND_MONTHS = 12
FUNNEL_STEPS = ("Pages de l’annuaire vues", "Pages de formulaire vues", "Demandes reçues par le site",
                "Demandes traitées", "Nouveaux clients")


@dataclass
class FollowUp:
    report: MonthlyReport
    audience: MonthFigures | None   # None: nothing was measured that month (no access log)
    history: list[MonthFigures]     # the kept months before it, oldest first (up to eleven)
    cases: CaseFigures | None = None   # the month's complaints and error reports (chalicelib.complaints)

    @property
    def month(self) -> str:
        return self.report.month

    def funnel(self, ai_id: str | None = None) -> list[tuple[str, int]]:
        """From a page view to a client: the site's part from the access logs, the rest from the requests
        (the web ones only: the cell's liaison sheets never saw a page)."""
        line = self.report.region if ai_id is None else self.report.line(ai_id)
        pages = (None if self.audience is None else
                 self.audience.funnel if ai_id is None else self.audience.association_funnel(ai_id))
        steps = [pages.directory_views if pages else 0, pages.form_views if pages else 0,
                 line.from_site, line.handled_from_site, line.clients_from_site]
        return list(zip(FUNNEL_STEPS, steps))


def site_hosts(origins: Iterable[str]) -> list[str]:
    return [host for origin in origins if (host := urllib.parse.urlsplit(origin).hostname)]


def measure_audience(svc: FormService, month: str) -> MonthFigures | None:
    """Read the month's access logs (S3 in production, `make run`'s under var/ locally), keep the figures in the
    store and return them; None when there is no log for that month. Streams: a busy month of a million lines
    takes about 15 s and a few MiB (scripts/benchmark_audience.py)."""
    figures = month_figures(month_lines(svc.settings, month), month, secret=svc.settings.secret,
                            partners=svc.routing.partner_sites, site_hosts=site_hosts(svc.settings.site_origins),
                            sources=svc.routing.sources)
    if not figures.page_views and not figures.robot_page_views:
        return None
    end = month_bounds(month)[1]
    svc.store.save_figures(month, figures.to_dict(), end + KEPT_MONTHS * 31 * 86400)
    logger.info("audience %s: %d visits, %d page views", month, figures.visits, figures.page_views)
    return figures


def kept_audience(svc: FormService, months: list[str]) -> dict[str, MonthFigures]:
    return {month: MonthFigures.from_dict(data) for month, data in svc.store.load_figures(months).items()}


def months_before(month: str, count: int) -> list[str]:
    """The ``count`` months before ``month``, oldest first."""
    start = month_bounds(month)[0]
    found = []
    for _ in range(count):
        start = month_bounds(month_of(start - 1))[0]
        found.append(month_of(start))
    return found[::-1]


def with_satisfaction(svc: FormService, report: MonthlyReport, association: str | None) -> None:
    """Satisfaction after the first mission over the twelve months before the report (chalicelib.satisfaction),
    on each line: read once per follow-up, from the requests of the association only when it asks."""
    from ..satisfaction.figures import last_twelve_months
    found = last_twelve_months(svc, report.as_of, association)
    for line in [*report.lines, report.region]:
        line.satisfaction = found.get(line.id)


def follow_up(svc: FormService, month: str, as_of: int | None = None, measure: bool = True,
              association: str | None = None) -> FollowUp:
    """The month's follow-up as of now (or ``as_of``). ``measure``: read the access logs again (the monthly job
    and ``admin report`` do; the back office shows what was kept). ``association``: that AI's requests only (the
    back office's page of an association reads nothing of the others')."""
    report = monthly_report(svc, month, as_of, association)
    report.year = year_to_date(svc, month, report.as_of, association)   # the prescribers' weight, month and year
    with_satisfaction(svc, report, association)
    earlier = months_before(month, TREND_MONTHS - 1)
    kept = kept_audience(svc, [*earlier, month])
    audience = (measure_audience(svc, month) if measure else None) or kept.get(month)
    return FollowUp(report, audience, [kept[m] for m in earlier if m in kept], month_counts(svc.store, month))
