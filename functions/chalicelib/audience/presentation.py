"""A month's audience in words and pictures for people: the monthly e-mail's section (text, HTML charts), the
back office's charts, the CSV rows, and twelve months side by side.

French labels for the figures' classes live here, next to the only code that shows them.
"""

from __future__ import annotations

import logging
from typing import Callable, Iterable, Sequence

from rules.dates import month_label, month_name
from rules.sources import KnownSources, town_hall_of
from rules.typography import french_duration, french_number
from rules.vocabulary import NETWORK_ID

from ..reports import charts
from ..reports.charts import Chart
from ..routing import Routing
from .agents import DEVICE_CLASSES
from .figures import Funnel, MonthFigures
from .referrers import ARRIVAL_CLASSES

logger = logging.getLogger(__name__)

ARRIVAL_LABELS = {"search": "Moteurs de recherche", "direct": "Accès direct", "partner": "Sites partenaires",
                  "social": "Réseaux sociaux", "other": "Autres sites"}
DEVICE_LABELS = {"mobile": "Téléphone mobile", "tablet": "Tablette", "desktop": "Ordinateur",
                 "other": "Autre appareil"}
FUNNEL_LABELS = ("Pages de l’annuaire vues", "Pages de formulaire vues", "Formulaires envoyés")
# What a trend can follow: attribute of MonthFigures → (title, heading, decimals, unit, scale).
MEASURES = {
    "visits": ("Visites par mois", "Visites", 0, "", 1),
    "page_views": ("Pages vues par mois", "Pages vues", 0, "", 1),
    "pages_per_visit": ("Pages vues par visite", "Pages par visite", 1, "", 1),
    "average_visit_seconds": ("Durée moyenne d’une visite", "Durée (minutes)", 1, "min", 1 / 60),
    "form_posts": ("Formulaires envoyés par mois", "Formulaires envoyés", 0, "", 1),
}


def _ratio(value: float | None) -> str:
    return "—" if value is None else french_number(value, 1)


def _count(value: int) -> str:
    return french_number(value)


def arrivals_chart(figures: MonthFigures) -> Chart:
    return Chart.of(f"Comment les visiteurs sont arrivés — {month_name(figures.month)}",
                    [(ARRIVAL_LABELS[kind], figures.arrivals.get(kind, 0)) for kind in ARRIVAL_CLASSES],
                    "Provenance", "Visites")


def referrer_domains_chart(figures: MonthFigures, count: int = 10) -> Chart:
    top = sorted(figures.referrer_domains.items(), key=lambda item: (-item[1], item[0]))[:count]
    return Chart.of(f"Sites d’où viennent les visiteurs — {month_name(figures.month)}", top, "Site", "Visites")


def sources_rows(figures: MonthFigures, routing: Routing | None = None) -> list[tuple[str, int]]:
    """(French name, visits) of the links the network handed out (rules/sources.py), most landings first: the
    measured side of « comment nous avez-vous connus ? ». For the monthly e-mail, after « Comment les visiteurs
    sont arrivés »."""
    names = routing.sources if routing else KnownSources()

    def name(source: str) -> str:
        insee = town_hall_of(source)
        if insee and routing:
            return f"Mairie de {routing.commune_name(insee)} ({insee})"
        return names.label(source)

    return [(name(source), visits) for source, visits in
            sorted(figures.sources.items(), key=lambda item: (-item[1], item[0]))]


def sources_chart(figures: MonthFigures, routing: Routing | None = None) -> Chart:
    title = f"Arrivées par les liens du réseau (kit, mairies, partenaires…) — {month_name(figures.month)}"
    return Chart.of(title,
                    sources_rows(figures, routing), "Lien suivi", "Visites")


def devices_chart(figures: MonthFigures) -> Chart:
    return Chart.of(f"Appareils des visiteurs — {month_name(figures.month)}",
                    [(DEVICE_LABELS[kind], figures.devices.get(kind, 0)) for kind in DEVICE_CLASSES],
                    "Appareil", "Visites")


def top_pages_chart(figures: MonthFigures, count: int = 10, titles: dict[str, str] | None = None) -> Chart:
    """The most viewed pages, by address (or by title when ``titles`` maps addresses to titles)."""
    titles = titles or {}
    return Chart.of(f"Pages les plus vues — {month_name(figures.month)}",
                    [(titles.get(path, path), views) for path, views in figures.top_pages(count)],
                    "Page", "Vues")


def funnel_chart(figures: MonthFigures, ai_id: str | None = None, name: str = "") -> Chart:
    """Directory pages → form pages → forms sent, for the region or for one AI (its page, its forms)."""
    funnel = figures.funnel if ai_id is None else figures.association_funnel(ai_id)
    whose = f" — {name}" if name else ""
    return Chart.of(f"Du site à la demande{whose} — {month_name(figures.month)}",
                    zip(FUNNEL_LABELS, (funnel.directory_views, funnel.form_views, funnel.form_posts)),
                    "Étape", "Nombre")


def trend_chart(months: Sequence[MonthFigures], measure: str = "visits", ai_id: str | None = None) -> Chart:
    """Up to twelve months side by side, oldest first, of one of MEASURES (``form_posts``: region or one AI)."""
    title, heading, decimals, unit, scale = MEASURES[measure]
    values = []
    for figures in months[-12:]:
        if measure == "form_posts":
            funnel = figures.funnel if ai_id is None else figures.association_funnel(ai_id)
            value = funnel.form_posts
        else:
            value = getattr(figures, measure)
        values.append((month_label(figures.month), (value or 0) * scale))
    return Chart.of(title, values, "Mois", heading, unit, decimals)


def key_figures(figures: MonthFigures) -> list[tuple[str, str]]:
    """The specification's three figures and their neighbours, as (label, value) for text and tables."""
    return [
        ("Visites", _count(figures.visits)),
        ("Pages vues", _count(figures.page_views)),
        ("Pages vues par visite", _ratio(figures.pages_per_visit)),
        ("Durée moyenne d’une visite", french_duration(figures.average_visit_seconds)),
        ("Formulaires envoyés depuis le site", _count(figures.funnel.form_posts)),
        ("Pages servies à des robots (non comptées)", _count(figures.robot_page_views)),
    ]


def _names(routing: Routing | None) -> tuple[Callable[[str], str], Callable[[str], str]]:
    def association(ai_id: str) -> str:
        contact = routing.recipient(ai_id) if routing else None
        return contact.name if contact else ai_id

    def commune(insee: str) -> str:
        return f"{routing.commune_name(insee)} ({insee})" if routing else insee

    return association, commune


def audience_text(figures: MonthFigures, routing: Routing | None = None, count: int = 10) -> str:
    """The audience section of the monthly e-mail's text part (the whole region)."""
    association, commune = _names(routing)
    lines = [f"Fréquentation du site — {month_name(figures.month)}", ""]
    lines += [f"{label}\u00a0: {value}" for label, value in key_figures(figures)]
    lines += ["", "Comment les visiteurs sont arrivés\u00a0:"]
    lines += [f"  {ARRIVAL_LABELS[kind]}\u00a0: {_count(figures.arrivals.get(kind, 0))}" for kind in ARRIVAL_CLASSES]
    lines += ["", "Appareils\u00a0:"]
    lines += [f"  {DEVICE_LABELS[kind]}\u00a0: {_count(figures.devices.get(kind, 0))}" for kind in DEVICE_CLASSES]
    lines += ["", "Pages les plus vues\u00a0:"]
    lines += [f"  {path}\u00a0: {_count(views)}" for path, views in figures.top_pages(count)]
    funnel = figures.funnel
    lines += ["", "Du site à la demande\u00a0:",
              f"  {FUNNEL_LABELS[0]}\u00a0: {_count(funnel.directory_views)}",
              f"  {FUNNEL_LABELS[1]}\u00a0: {_count(funnel.form_views)}",
              f"  {FUNNEL_LABELS[2]}\u00a0: {_count(funnel.form_posts)}"]
    if figures.association_views:
        lines += ["", "Pages des associations\u00a0:"]
        lines += [f"  {association(ai_id)}\u00a0: {_count(views)}"
                  for ai_id, views in sorted(figures.association_views.items(), key=lambda item: (-item[1], item[0]))]
    if figures.commune_views:
        consulted = _count(len(figures.commune_views))
        lines += ["", f"Pages de commune les plus vues ({consulted} communes consultées)\u00a0:"]
        lines += [f"  {commune(insee)}\u00a0: {_count(views)}" for insee, views in
                  sorted(figures.commune_views.items(), key=lambda item: (-item[1], item[0]))[:count]]
    return "\n".join(lines) + "\n"


def association_text(figures: MonthFigures, ai_id: str, name: str = "") -> str:
    """One AI's part of the audience, for its own monthly e-mail."""
    funnel: Funnel = figures.association_funnel(ai_id)
    page = "la page du réseau" if ai_id == NETWORK_ID else "votre page"
    return "\n".join([
        f"Votre association sur le site — {month_name(figures.month)}" + (f" ({name})" if name else ""), "",
        f"Vues de {page}\u00a0: {_count(funnel.directory_views)}",
        f"Vues de vos formulaires\u00a0: {_count(funnel.form_views)}",
        f"Formulaires envoyés depuis le site\u00a0: {_count(funnel.form_posts)}",
    ]) + "\n"


def audience_email_html(figures: MonthFigures, history: Sequence[MonthFigures] = (), count: int = 10,
                        palette: charts.Palette = charts.PLAIN) -> str:
    """The audience section of the monthly e-mail: key figures, then bars (and the visits' trend when
    ``history`` gives earlier months, oldest first; this month is added at the end)."""
    from ..web.templating import environment
    months = [*history, figures]
    # The template's macros are attributes jinja2 makes at run time, which its TemplateModule type cannot list.
    section = environment().get_template("mail/_audience.html").module.audience(  # type: ignore[attr-defined]
        month_name(figures.month), key_figures(figures), trend_chart(months, "visits") if len(months) > 1 else None,
        [arrivals_chart(figures), devices_chart(figures), funnel_chart(figures), top_pages_chart(figures, count)],
        palette)
    return str(section)


def csv_rows(figures: MonthFigures) -> list[list[str]]:
    """(month, indicator, detail, value) rows: one table for every month, whatever changes on the site."""
    month = figures.month
    rows = [[month, "visites", "", str(figures.visits)], [month, "pages vues", "", str(figures.page_views)],
            [month, "durée totale des visites (s)", "", str(round(figures.visit_seconds))],
            [month, "pages servies aux robots", "", str(figures.robot_page_views)]]
    rows += [[month, "provenance", ARRIVAL_LABELS[kind], str(figures.arrivals.get(kind, 0))]
             for kind in ARRIVAL_CLASSES]
    rows += [[month, "site d'origine", domain, str(visits)]
             for domain, visits in sorted(figures.referrer_domains.items())]
    rows += [[month, "source mesurée", source, str(visits)] for source, visits in sorted(figures.sources.items())]
    rows += [[month, "appareil", DEVICE_LABELS[kind], str(figures.devices.get(kind, 0))] for kind in DEVICE_CLASSES]
    rows += [[month, "page", path, str(views)] for path, views in sorted(figures.pages.items())]
    funnel = figures.funnel
    rows += [[month, label, "région", str(value)]
             for label, value in zip(FUNNEL_LABELS, (funnel.directory_views, funnel.form_views, funnel.form_posts))]
    for ai_id, ai_funnel in sorted(figures.association_funnels.items()):
        rows += [[month, label, ai_id, str(value)] for label, value in
                 zip(FUNNEL_LABELS, (ai_funnel.directory_views, ai_funnel.form_views, ai_funnel.form_posts))]
    return rows


def history_of(figures: Iterable[MonthFigures]) -> list[MonthFigures]:
    """Months in order, oldest first, the last twelve."""
    return sorted(figures, key=lambda item: item.month)[-12:]
