"""The charter's public figures over the last 12 complete months, per AI and for the region.

The 48-hour figure is the monthly report's (``report.build_report``: a request counts once its charter deadline
has passed, and is kept if it was handled by then; a re-routed request counts for each AI that held it), computed
over twelve months at once: the site and the reports can never disagree on what « sous 48 heures » means.
The 72-hour and satisfaction figures join through the two hooks below, each returning {} until issue 24's
items 1 and 2 provide them.
"""

from __future__ import annotations

import datetime

from rules.charter_results import CharterResults, Promise, Results, Satisfaction
from rules.dates import local_time, month_bounds, month_of

from ..reports.followup import months_before
from ..reports.request_figures import Figures, build_report
from ..requests.model import Request
from ..service import FormService

MONTHS = 12
REGION = "region"   # the key of the region's figures in the hooks' answers


def period_months(now: int) -> list[str]:
    """The 12 complete months before ``now``'s month, oldest first ("2025-12" … "2026-11" on 1 December 2026)."""
    return months_before(month_of(now), MONTHS)


def callback_48h(line: Figures) -> Promise:
    """« Réponse sous 48 heures »: the requests whose deadline passed, and those handled by it."""
    return Promise(counted=line.deadline_passed, kept=line.handled_in_time)


# --- hooks: issue 24, items 1 and 2 ----------------------------------------------------------------------------

def intervenant_72h_figures(svc: FormService, records: list[Request], as_of: int) -> dict[str, Promise]:
    """HOOK (issue 24, item 1): « un intervenant sous 72 heures » per AI id and for ``REGION`` — the new clients
    whose 72-hour deadline passed by ``as_of`` (counted) and those with a first mission by then (kept). Compute it
    with the monthly report's 72-hour figure, not a second count. Until then: none, and the site shows none."""
    return {}


def satisfaction_figures(svc: FormService, records: list[Request], as_of: int) -> dict[str, Satisfaction]:
    """HOOK (issue 24, item 2): the answers after the first mission per AI id and for ``REGION`` — how many, and the
    mean of each theme (accueil, suivi de la relation) on the five-point scale. Until then: none."""
    return {}


# ----------------------------------------------------------------------------------------------------------------

def charter_results(svc: FormService, now: int) -> CharterResults:
    """Every AI of the routing table and the region (the region counts each request once, as the monthly report's
    « Total régional » does); the AAI cell's own line is not an association's and is left out."""
    months = period_months(now)
    records = [record for month in months for record in svc.store.month(month)]
    report = build_report(records, svc.routing, svc.policy, months[-1], now, svc.store.trail)
    intervenant = intervenant_72h_figures(svc, records, now)
    satisfaction = satisfaction_figures(svc, records, now)

    def results(key: str, line: Figures) -> Results:
        return Results(callback_48h(line), intervenant.get(key), satisfaction.get(key))

    start = local_time(month_bounds(months[0])[0]).date()
    end = local_time(month_bounds(months[-1])[1]).date() - datetime.timedelta(days=1)
    return CharterResults(
        computed_at=local_time(now), start=start, end=end, region=results(REGION, report.region),
        associations={line.id: results(line.id, line) for line in report.lines if line.id in svc.routing.associations})
