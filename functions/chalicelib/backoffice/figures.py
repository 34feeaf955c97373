"""The monthly figures in the back office, as pictures: accessible SVG charts with their data table beside them.

The same numbers as the monthly e-mails (``monthly.follow_up`` with ``measure=False``: the audience the monthly
job kept, never a month of logs read again per page): requests, outcomes, conversion, the path from a page view
to a client, the site's audience, and twelve months side by side for the trends. An association sees its own
figures only; the cell and AAI the region's and every association's (``?association=``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from rules import grammar
from rules.dates import month_label, month_name
from rules.typography import french_number

from ..reports import charts
from ..audience import presentation
from ..reports.followup import TREND_MONTHS, FollowUp, follow_up, months_before
from ..reports.request_figures import monthly_report
from ..mission.figures import key_figures as mission_key_figures
from ..reports.formats import OUTCOME_NAMES, percent
from ..satisfaction.figures import key_figures as satisfaction_key_figures
from . import layout
from .web import Reply, Visit, not_found, page

if TYPE_CHECKING:
    from ..reports.request_figures import Figures
    from ..service import FormService
    from .auth import Session

if TYPE_CHECKING:   # the one service, for its type only (it imports this module)
    from ..service import FormService

logger = logging.getLogger(__name__)


def _key_figures(line: Figures) -> list[tuple[str, str]]:
    median = "—" if line.median_delay is None else f"{french_number(line.median_delay, 1)} jour(s) ouvré(s)"
    return [
        ("Demandes reçues", french_number(line.received)),
        ("dont par le site", french_number(line.from_site)),
        ("dont par la cellule téléphonique", french_number(line.by_phone)),
        ("dont contacts directs de l'association", french_number(sum(line.direct.values()))),
        ("Demandes d'intervention / de rappel", f"{line.orders} / {line.callbacks}"),
        ("Clients professionnels : demandes / devenus clients", f"{line.professional} / {line.professional_clients}"),
        ("Traitées", french_number(line.handled)),
        ("Traitées dans le délai de la charte", f"{line.handled_in_time} sur {line.deadline_passed} échues "
                                                f"({percent(line.in_time_rate)})"),
        ("Délai médian", median),
        ("Nouveaux clients", french_number(line.clients)),
        ("Taux de transformation en clients", percent(line.conversion_rate)),
        *mission_key_figures(line.mission), *satisfaction_key_figures(line.satisfaction),   # the charter (AXE 5)
        ("Transmises à la cellule", french_number(sum(line.escalations.values()))),
        ("Réorientées par la cellule", french_number(line.rerouted)),
    ]


def _trends(svc: FormService, followup: FollowUp, ai_id: str | None) -> list[charts.Chart]:
    """Requests received, new clients and the conversion rate, twelve months side by side (oldest first), from
    the stored requests."""
    month = followup.month
    received, clients, conversion = [], [], []
    for each in [*months_before(month, TREND_MONTHS - 1), month]:
        report = followup.report if each == month else monthly_report(svc, each, association=ai_id)
        line = report.region if ai_id is None else report.line(ai_id)
        received.append((month_label(each), line.received))
        clients.append((month_label(each), line.clients))
        conversion.append((month_label(each), 100 * (line.conversion_rate or 0)))
    return [charts.Chart.of("Demandes reçues par mois", received, "Mois", "Demandes"),
            charts.Chart.of("Nouveaux clients par mois", clients, "Mois", "Nouveaux clients"),
            charts.Chart.of("Taux de transformation en clients par mois", conversion, "Mois", "Taux", "%")]


@page()
def figures(svc: FormService, visit: Visit, session: Session) -> Reply:
    """GET /espace/chiffres?mois=2026-11[&association=ai-x]."""
    who = session.who
    month = layout.month_arg(svc, visit.arg("mois"))
    if month is None:
        return layout.render(svc, session, "message.html", 400, current="chiffres", title="Mois incorrect",
                             paragraphs=["Ce mois n'existe pas ou n'est pas encore arrivé : choisissez-le dans la "
                                         "page des chiffres."])
    asked = visit.arg("association")
    if who.is_cell:
        if asked and svc.routing.recipient(asked) is None:
            return not_found(svc, "Cette association ne figure pas dans l'annuaire.")
        ai_id = asked or None
    else:
        if asked and asked not in who.associations:
            return not_found(svc, "Ces chiffres n'existent pas, ou ils ne vous sont pas destinés.")
        ai_id = asked or who.associations[0]
    followup = follow_up(svc, month, measure=False, association=ai_id)
    report = followup.report
    line = report.region if ai_id is None else report.line(ai_id)
    name = line.name if ai_id else "toute la région"
    palette = charts.Palette.of(svc.routing.brand)
    pictures = [
        charts.figure(charts.Chart.of(f"De la page au client — {month_name(month)}", followup.funnel(ai_id),
                                      "Étape", "Nombre"), "parcours", palette=palette),
        charts.figure(charts.Chart.of(f"Résultat des demandes — {month_name(month)}",
                                      [(label.capitalize(), line.outcomes.get(key, 0))
                                       for key, label in OUTCOME_NAMES.items()], "Résultat", "Demandes"),
                      "resultats", palette=palette),
    ]
    trends = [charts.figure(chart, chart_id, columns=True, palette=palette) for chart, chart_id in
              zip(_trends(svc, followup, ai_id), ("tendance-demandes", "tendance-clients", "tendance-conversion"))]
    audience, audience_figures = followup.audience, []
    if audience is not None:
        months = [*followup.history, audience]
        if ai_id is None:
            audience_figures = [
                charts.figure(presentation.trend_chart(months, "visits"), "tendance-visites", columns=True,
                              palette=palette),
                charts.figure(presentation.arrivals_chart(audience), "provenance", palette=palette),
                charts.figure(presentation.sources_chart(audience, svc.routing), "sources-mesurees",
                              palette=palette),
                charts.figure(presentation.devices_chart(audience), "appareils", palette=palette),
                charts.figure(presentation.top_pages_chart(audience), "pages", palette=palette),
            ]
        else:
            audience_figures = [
                charts.figure(presentation.funnel_chart(audience, ai_id, line.name), "site-association",
                              palette=palette),
                charts.figure(presentation.trend_chart(months, "form_posts", ai_id), "tendance-formulaires",
                              columns=True, palette=palette),
            ]
    before, after = layout.neighbours(svc, month)
    choices = []
    if who.is_cell:
        choices = [("", "Toute la région")] + [(line.id, line.name) for line in report.lines]
    elif len(who.associations) > 1:
        choices = [(a, layout.recipient_name(svc, a)) for a in who.associations]
    return layout.render(
        svc, session, "figures.html", current="chiffres", title=f"Chiffres {grammar.de(month_name(month))}",
        month=month, month_name=month_name(month), name=name, key_figures=_key_figures(line), pictures=pictures,
        trends=trends, audience=audience, audience_figures=audience_figures,
        audience_keys=presentation.key_figures(audience) if audience is not None and ai_id is None else [],
        before=before, after=after, association=ai_id or "", choices=choices)
