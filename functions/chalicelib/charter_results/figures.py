"""The charter's public figures over the last 12 complete months, per AI and for the region.

The 48-hour figure is the monthly report's (``report.build_report``: a request counts once its charter deadline
has passed, and is kept if it was handled by then; a re-routed request counts for each AI that held it), computed
over twelve months at once: the site and the reports can never disagree on what « sous 48 heures » means.
The 72-hour figure is read off the same report (its ``mission`` count); satisfaction is the monthly report's own
count (chalicelib.satisfaction.figures) over the questions sent within the period. Nothing is counted twice.
"""

from __future__ import annotations

import datetime

from rules.charter_results import CharterResults, Promise, Results, Satisfaction
from rules.dates import local_time, month_bounds, month_of

from ..reports.followup import months_before
from ..reports.request_figures import Figures, MonthlyReport, build_report
from ..requests.enums import SatisfactionTheme
from ..satisfaction.figures import REGION as SATISFACTION_REGION, sent_between
from ..service import FormService

MONTHS = 12
REGION = "region"   # the key of the region's figures (the monthly report's region line is « region » too)
WELCOME, RELATIONSHIP = SatisfactionTheme.WELCOME.value, SatisfactionTheme.RELATIONSHIP.value


def period_months(now: int) -> list[str]:
    """The 12 complete months before ``now``'s month, oldest first ("2025-12" … "2026-11" on 1 December 2026)."""
    return months_before(month_of(now), MONTHS)


def callback_48h(line: Figures) -> Promise:
    """« Réponse sous 48 heures »: the requests whose deadline passed, and those handled by it."""
    return Promise(counted=line.deadline_passed, kept=line.handled_in_time)


def intervenant_72h_figures(report: MonthlyReport) -> dict[str, Promise]:
    """« Un intervenant sous 72 heures » per AI id and for ``REGION``: the monthly report's own 72-hour count
    (``Figures.mission``, chalicelib.mission.figures), read off the twelve months' report — the new clients whose
    72 hours had run out (counted) and those with a first mission by the deadline's day (kept); a re-routed
    request counts for the AI that had the client. A line with no such client has no figure (absent, not 0 %)."""
    return {line.id: Promise(counted=line.mission.deadline_passed, kept=line.mission.in_time)
            for line in [*report.lines, report.region] if line.mission.deadline_passed}


def satisfaction_figures(svc: FormService, since: int, until: int) -> dict[str, Satisfaction]:
    """The answers after the first mission per AI id and for ``REGION``: the monthly report's satisfaction count
    (chalicelib.satisfaction.figures) over the questions sent within the period. ``answers`` is the number of
    ratings behind the less-answered theme (one click answers « accueil » only): the threshold then protects
    both means. No rating on a theme: no figure."""
    found: dict[str, Satisfaction] = {}
    for key, figures in sent_between(svc, since, until).items():
        welcome, follow_up = figures.mean(WELCOME), figures.mean(RELATIONSHIP)
        if welcome is None or follow_up is None:
            continue
        answers = min(len(figures.ratings[WELCOME]), len(figures.ratings[RELATIONSHIP]))
        found[REGION if key == SATISFACTION_REGION else key] = Satisfaction(answers, welcome, follow_up)
    return found


# ----------------------------------------------------------------------------------------------------------------

def charter_results(svc: FormService, now: int) -> CharterResults:
    """Every AI of the routing table and the region (the region counts each request once, as the monthly report's
    « Total régional » does); the AAI cell's own line is not an association's and is left out."""
    months = period_months(now)
    records = [record for month in months for record in svc.store.month(month)]
    report = build_report(records, svc.routing, svc.policy, months[-1], now, svc.store.trail)
    since, until = month_bounds(months[0])[0], month_bounds(months[-1])[1]
    intervenant = intervenant_72h_figures(report)
    satisfaction = satisfaction_figures(svc, since, until)

    def results(key: str, line: Figures) -> Results:
        return Results(callback_48h(line), intervenant.get(key), satisfaction.get(key))

    start = local_time(since).date()
    end = local_time(until).date() - datetime.timedelta(days=1)
    return CharterResults(
        computed_at=local_time(now), start=start, end=end, region=results(REGION, report.region),
        associations={line.id: results(line.id, line) for line in report.lines if line.id in svc.routing.associations})
