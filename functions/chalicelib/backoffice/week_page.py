"""The cell's week in the back office, beside the monthly figures: ``GET /espace/semaine?semaine=2026-S45``.

For the cell only (an association has its own requests and its month): the week's contacts of every association
and of the region, from the requests' trails (``chalicelib.reports.week``), with the previous and next weeks.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rules.dates import week_bounds, week_name, week_of

from ..details import campaign as details_campaign
from ..reports.week import cell_week, reasons
from . import layout
from .web import Reply, Visit, page

if TYPE_CHECKING:
    from ..service import FormService
    from .auth import Session

if TYPE_CHECKING:   # the one service, for its type only (it imports this module)
    from ..service import FormService

WEEK = re.compile(r"20[2-9]\d-S(0[1-9]|[1-4]\d|5[0-3])")


def week_arg(svc: FormService, value: str) -> str | None:
    """The week asked for (``2026-S45``), the current one when none; None when it is not a week, or one to come."""
    this_week = week_of(svc.now())
    if not value:
        return this_week
    if not WEEK.fullmatch(value):
        return None
    try:
        week_bounds(value)
    except ValueError:   # « S53 » of a year with 52 weeks
        return None
    return value if value <= this_week else None


@page(roles=("cell",))
def week(svc: FormService, visit: Visit, session: Session) -> Reply:
    """GET /espace/semaine?semaine=2026-S45."""
    asked = week_arg(svc, visit.arg("semaine"))
    if asked is None:
        return layout.render(svc, session, "message.html", 400, current="semaine", title="Semaine incorrecte",
                             paragraphs=["Cette semaine n'existe pas ou n'est pas encore arrivée : écrivez-la "
                                         "comme 2026-S45 (année, « S », numéro de la semaine)."])
    start, end = week_bounds(asked)
    before, after = week_of(start - 1), week_of(end)
    summary = cell_week(svc, asked)
    rows = [(line.name, line.received, line.by_phone, line.called_back, line.escalated, reasons(line) or "—",
             line.rerouted) for line in summary.lines]
    region = summary.region
    return layout.render(
        svc, session, "week.html", current="semaine", title="La semaine de la cellule",
        week=asked, week_name=week_name(asked), before=before,
        after=after if after <= week_of(svc.now()) else None, rows=rows,
        region=(region.name, region.received, region.by_phone, region.called_back, region.escalated,
                reasons(region) or "—", region.rerouted), unconfirmed=details_campaign.unconfirmed(svc, svc.now()))
