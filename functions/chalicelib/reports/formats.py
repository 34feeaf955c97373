"""The monthly follow-up (``monthly.FollowUp``: the requests' figures and the site's audience) for people: French
text, CSV tables for the spreadsheet, an HTML e-mail with charts drawn in table cells — the region's to AAI, each
AI's own to that AI (its requests and its pages only)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

import datetime

from rules.dates import french_date, french_datetime, month_name
from rules.grammar import plural
from rules.typography import french_number

from . import charts
from ..audience import presentation
from ..mail.messages import new_message, shared_address
from .followup import FollowUp
from .request_figures import NO_OUTCOME, UNKNOWN_ORIGIN, Figures, MonthlyReport
from ..requests.enums import DirectChannel, NoFollowUpReason, SatisfactionTheme, SiteFeedback
from ..routing import Contact, Routing
from ..web.templating import render

if TYPE_CHECKING:
    from ..audience.figures import MonthFigures
    from ..satisfaction.figures import SatisfactionFigures

Column = Callable[[Figures], object]   # one figure of a line, as the CSV writes it

OUTCOME_NAMES = {"client": "devenues clientes", "en-cours": "contact pris, résultat à venir",
                 "sans-suite": "sans suite", "orientee": "orientées ailleurs", NO_OUTCOME: "sans résultat indiqué"}
REASONS = NoFollowUpReason.labels()
# Every escalation reason (requests.enums.EscalationReason), in the report's short words.
ESCALATIONS = {"deadline": "délai de la charte dépassé", "mail": "adresse en échec",
               "household": "« non » de la personne", "not_ours": "« pas pour nous » de l'association",
               "cap": "plafond de messages atteint", "sms": "SMS d'accusé de réception non remis",
               "unhappy": "insatisfaction après la première mission"}


def _number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}".replace(".", ",")


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{round(100 * rate)} %"


DIRECT_CHANNELS = {key: name.lower() for key, name in DirectChannel.labels().items()}


def _origin_labels(routing: Routing) -> dict[str, str]:
    return {**routing.referral_sources, UNKNOWN_ORIGIN: "Non renseigné"}


def _counts(counter: Counter[str], names: dict[str, str]) -> str:
    return ", ".join(f"{names.get(key, key)} {count}" for key, count in counter.most_common()) or "aucun"


def figures_items(line: Figures) -> list[str]:
    """The items of one AI's (or the region's) month, under its name."""
    outcomes = ", ".join(f"{name} {line.outcomes.get(key, 0)}" for key, name in OUTCOME_NAMES.items())
    rows = [
        f"Demandes reçues : {line.received} ({line.orders} d'intervention, {line.callbacks} de rappel"
        + (f", {line.professional} professionnelle(s)" if line.professional else "") + "), "
        f"dont {line.by_phone} par la cellule téléphonique ; remises dans la boîte de l'association : "
        f"{line.delivered}",
        f"Traitées : {line.handled} ; dans le délai de la charte : {line.handled_in_time} sur "
        f"{plural(line.deadline_passed, 'demande échue', 'demandes échues')} ({percent(line.in_time_rate)}) ; "
        f"délai médian : {_number(line.median_delay)} jour ouvré",
        f"Résultats : {outcomes}",
        f"Taux de transformation en clients : {percent(line.conversion_rate)}",
    ]
    if line.professional:   # businesses, associations, local authorities (issue 25, item 7), counted apart
        rows.insert(1, f"Clients professionnels (entreprises, associations, collectivités) : "
                       f"{plural(line.professional, 'demande', 'demandes')}, "
                       f"{plural(line.professional_clients, 'devenue cliente', 'devenues clientes')}")
    if line.direct:   # the association's own calls, visits and e-mails (chalicelib.contacts)
        rows.insert(1, f"Contacts directs notés par l'association : {sum(line.direct.values())} "
                       f"({_counts(line.direct, DIRECT_CHANNELS)})")
    if line.no_follow_up_reasons:
        rows.append(f"Motifs « sans suite » : {_counts(line.no_follow_up_reasons, REASONS)}")
    rows += [
        f"Relances : {line.reminders} ; transmises à la cellule : {sum(line.escalations.values())}"
        + (f" ({_counts(line.escalations, ESCALATIONS)})" if line.escalations else "")
        + f" ; messages refusés par la messagerie : {line.mail_failures}",
        f"« Avez-vous été recontacté ? » : {line.questions_sent} envoyée(s), {line.answered_yes} « oui », "
        f"{line.answered_no} « non »",
        "« Avez-vous trouvé facilement ? » (page de remerciement) : "
        + ("aucune réponse" if not line.site_feedback else " ; ".join(
            f"« {label} » {line.site_feedback.get(key, 0)}" for key, label in SiteFeedback.labels().items())),
    ]
    mission = line.mission
    if mission.new_clients:
        rows.append(f"Intervenant sous 72 heures : {mission.in_time} sur "
                    f"{plural(mission.deadline_passed, 'nouveau client échu', 'nouveaux clients échus')} "
                    f"({percent(mission.in_time_rate)}) ; délai médian jusqu'à la première mission : "
                    f"{_number(mission.median_delay)} jour ouvré ; première mission à proposer : {mission.proposed} ; "
                    f"difficultés signalées : {mission.difficulties}")
    return rows


def charter_line(routing: Routing, only: str | None) -> str:
    """AXE 5's first evaluation criterion, « le nombre de signataires de la charte », as of the report."""
    signed = len(routing.signatories)
    words = (f"Charte qualité : {plural(signed, 'association signataire', 'associations signataires')} "
             f"sur {len(routing.associations)}")
    contact = routing.recipient(only) if only else None
    if contact is not None and contact.charter_signed:
        day = french_date(datetime.date.fromisoformat(contact.charter_signed))
        words += f", dont la vôtre depuis le {day}"
    return words + "."


def _addressee(routing: Routing, only: str | None) -> Contact:
    """Whom a report is for: the region's network, or the association ``only`` (its callers pass a known one)."""
    if not only:
        return routing.network
    contact = routing.recipient(only)
    if contact is None:
        raise KeyError(f"no association {only!r} in the routing table")
    return contact


def _requests_view(report: MonthlyReport, routing: Routing, only: str | None) -> dict[str, Any]:
    """What the requests' part of the report says, for its text and HTML twins."""
    lines = [report.line(only)] if only else [line for line in report.lines if line.received] + [report.region]
    scope = lines[0] if only else report.region
    labels = _origin_labels(routing)
    return dict(title=report.title, as_of=french_datetime(report.as_of), charter=charter_line(routing, only),
                sections=[(line.name, figures_items(line)) for line in lines],
                silent=[] if only else [line.name for line in report.lines if not line.received],
                origins=[f"{labels.get(o, o)} : {n}" for o, n in scope.origins.most_common()],
                clients=[f"{labels.get(o, o)} : {n}" for o, n in scope.client_origins.most_common()],
                weights=_weights(scope.origins, scope.client_origins, labels),
                measured=_weights(scope.sources, scope.client_sources,
                                  {s: routing.sources.label(s) for s in scope.sources}),
                **_year_view(report, routing, only, labels))


def _year_view(report: MonthlyReport, routing: Routing, only: str | None, labels: dict[str, str]) -> dict[str, object]:
    """The same prescribers' weight over the calendar year to date, when the follow-up computed it."""
    if report.year is None:
        return {}
    scope = report.year.line(only) if only else report.year.region
    span = month_name(report.month) if len(report.year_months) == 1 else f"de janvier à {month_name(report.month)}"
    return dict(year_span=span, year_weights=_weights(scope.origins, scope.client_origins, labels),
                year_measured=_weights(scope.sources, scope.client_sources,
                                       {s: routing.sources.label(s) for s in scope.sources}))


def _weights(contacts: Counter[str], clients: Counter[str], labels: dict[str, str]) -> list[str]:
    """« label : 4 contacts, 1 client (25 %) » per prescriber, in the list's order (issue 25, item 6): what each
    brings, and how much of it becomes clients."""
    order = [key for key in labels if contacts.get(key)] + sorted(k for k in contacts if k not in labels)
    return [f"{labels.get(key, key)} : {plural(contacts[key], 'contact', 'contacts')}, "
            f"{plural(clients.get(key, 0), 'client', 'clients')} ({percent(clients.get(key, 0) / contacts[key])})"
            for key in order]


def report_text(report: MonthlyReport, routing: Routing, only: str | None = None) -> str:
    """The region's report, or one AI's (``only``: its id) with its own requests only."""
    return render("mail/_report_requests.txt", **_requests_view(report, routing, only))


def _field(name: str) -> Column:
    """One figure of a line, by its name: the CSV's columns are a table of labels and figures."""
    return lambda line: getattr(line, name)


def _share(name: str) -> Column:
    return lambda line: percent(getattr(line, name)).rstrip(" %")


def _counted(field: str, key: str) -> Column:
    return lambda line: getattr(line, field).get(key, 0)


# The satisfaction columns' themes, named as the follow-up's text names them.
SATISFACTION_THEMES = {SatisfactionTheme.WELCOME.value: "accueil",
                       SatisfactionTheme.RELATIONSHIP.value: "suivi de la relation"}


def _satisfaction(get: Callable[[SatisfactionFigures], object]) -> Column:
    """A satisfaction figure over twelve months (set on the line by the follow-up); empty where no questionnaire
    was sent, or for a report read without the follow-up."""
    return lambda line: "" if line.satisfaction is None or not line.satisfaction.sent else get(line.satisfaction)


def _theme_mean(theme: str) -> Column:
    return _satisfaction(lambda happy: _number(happy.mean(theme)))


def _theme_satisfied(theme: str) -> Column:
    return _satisfaction(lambda happy: percent(happy.satisfied_share(theme)).rstrip(" %"))


COLUMNS = (
    ("demandes", _field("received")), ("interventions", _field("orders")), ("rappels", _field("callbacks")),
    ("clients professionnels : demandes", _field("professional")),
    ("clients professionnels : devenus clients", _field("professional_clients")),
    ("par la cellule téléphonique", _field("by_phone")), ("réorientées par la cellule", _field("rerouted")),
    ("contacts directs de l'association", lambda line: sum(line.direct.values())),
    *((f"contacts directs : {name.lower()}", _counted("direct", key)) for key, name in DirectChannel.labels().items()),
    ("remises", _field("delivered")), ("traitées", _field("handled")), ("échues", _field("deadline_passed")),
    ("traitées dans le délai", _field("handled_in_time")), ("part dans le délai (%)", _share("in_time_rate")),
    ("délai médian (jours ouvrés)", lambda line: "" if line.median_delay is None else _number(line.median_delay)),
    *((f"résultat : {name}", _counted("outcomes", key)) for key, name in OUTCOME_NAMES.items()),
    ("taux de transformation (%)", _share("conversion_rate")),
    ("relances", _field("reminders")), ("transmises à la cellule", lambda line: sum(line.escalations.values())),
    *((f"cellule : {name}", _counted("escalations", key)) for key, name in ESCALATIONS.items()),
    ("messages refusés", _field("mail_failures")), ("questions envoyées", _field("questions_sent")),
    ("réponses « oui »", _field("answered_yes")), ("réponses « non »", _field("answered_no")),
    ("closes par la personne (plus besoin)", _field("no_longer_needed")),
    *((f"site : {label}", _counted("site_feedback", key)) for key, label in SiteFeedback.labels().items()),
    ("nouveaux clients", lambda line: line.mission.new_clients),
    ("nouveaux clients échus (72 h)", lambda line: line.mission.deadline_passed),
    ("intervenant sous 72 h", lambda line: line.mission.in_time),
    ("part sous 72 h (%)", lambda line: percent(line.mission.in_time_rate).rstrip(" %")),
    ("délai médian jusqu'à la première mission (jours ouvrés)",
     lambda line: "" if line.mission.median_delay is None else _number(line.mission.median_delay)),
    ("satisfaction sur 12 mois : questionnaires envoyés", _satisfaction(lambda happy: happy.sent)),
    ("satisfaction : réponses", _satisfaction(lambda happy: happy.answered)),
    ("satisfaction : taux de réponse (%)", _satisfaction(lambda happy: percent(happy.response_rate).rstrip(" %"))),
    *((f"satisfaction : {label}, note moyenne (sur 5)", _theme_mean(theme))
      for theme, label in SATISFACTION_THEMES.items()),
    *((f"satisfaction : {label}, satisfaits (%)", _theme_satisfied(theme))
      for theme, label in SATISFACTION_THEMES.items()),
    ("satisfaction : insatisfactions", _satisfaction(lambda happy: happy.unhappy)),
)


def report_csv(report: MonthlyReport, routing: Routing, only: str | None = None) -> str:
    """Semicolons and a BOM: opens as columns in the spreadsheet software AAI uses. « — » becomes empty."""
    origins = list(routing.referral_sources) + [UNKNOWN_ORIGIN]
    labels = _origin_labels(routing)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    lines = [report.line(only)] if only else [*report.lines, report.region]
    sources = sorted({s for line in lines for s in line.sources})   # measured: the links that brought someone
    writer.writerow(["mois", "association", "identifiant", *(name for name, _ in COLUMNS),
                     *(f"origine : {labels[o]}" for o in origins), *(f"clients : {labels[o]}" for o in origins),
                     *(f"provenance mesurée : {routing.sources.label(s)}" for s in sources),
                     *(f"clients, provenance mesurée : {routing.sources.label(s)}" for s in sources)])
    for line in lines:
        values = [str(get(line)).replace("—", "") for _, get in COLUMNS]
        writer.writerow([report.month, line.name, line.id, *values, *(line.origins.get(o, 0) for o in origins),
                         *(line.client_origins.get(o, 0) for o in origins),
                         *(line.sources.get(s, 0) for s in sources), *(line.client_sources.get(s, 0) for s in sources)])
    return "\ufeff" + out.getvalue()


def satisfaction_items(report: MonthlyReport, only: str | None) -> list[tuple[str, str]]:
    """Satisfaction after the first mission over twelve months (chalicelib.satisfaction, set on the follow-up's
    lines): one line per association that sent questionnaires, then the region; or the association's own."""
    lines = [report.line(only)] if only else [*report.lines, report.region]
    found = []
    for line in lines:
        happy = line.satisfaction
        if happy is None or not happy.sent:
            continue
        found.append((line.name, f"{happy.sent} questionnaire(s), taux de réponse {percent(happy.response_rate)} ; "
                      f"accueil {_number(happy.mean('accueil'))}/5 ({percent(happy.satisfied_share('accueil'))} "
                      f"satisfaits) ; suivi de la relation {_number(happy.mean('suivi'))}/5 "
                      f"({percent(happy.satisfied_share('suivi'))} satisfaits) ; insatisfactions : {happy.unhappy}"))
    return found


def _followup_view(followup: FollowUp, routing: Routing, only: str | None) -> dict[str, Any]:
    """Everything the follow-up's twins say: the requests, the path from a page view to a client, the audience."""
    view = _requests_view(followup.report, routing, only)
    name = _addressee(routing, only).name if only else ""
    whose = f" — {name}" if name else ""
    line = followup.report.line(only) if only else followup.report.region
    audience_text = ""
    if followup.audience is not None:
        audience_text = (presentation.association_text(followup.audience, only, name) if only else
                         presentation.audience_text(followup.audience, routing)).rstrip()
    return dict(view, only=only, funnel=[(label, french_number(value)) for label, value in followup.funnel(only)],
                audience_text=audience_text, satisfaction=satisfaction_items(followup.report, only),
                cases=followup.cases.lines(only) if followup.cases else [],
                charts=[charts.Chart.of(f"De la page au client{whose} — {month_name(followup.month)}",
                                        followup.funnel(only), "Étape", "Nombre"),
                        charts.Chart.of(f"Résultat des demandes{whose}",
                                        [(label.capitalize(), line.outcomes.get(key, 0))
                                         for key, label in OUTCOME_NAMES.items()], "Résultat", "Demandes")])


def followup_text(followup: FollowUp, routing: Routing, only: str | None = None) -> str:
    """The whole month in words: the requests, the path from the site to a client, the audience."""
    return render("mail/report.txt", **_followup_view(followup, routing, only))


def followup_html(followup: FollowUp, routing: Routing, only: str | None = None) -> str:
    """The same month for the eyes: the requests, the charts, the audience's section."""
    from markupsafe import Markup
    palette = charts.Palette.of(routing.brand)
    audience = ""
    if followup.audience is not None and not only:
        audience = presentation.audience_email_html(followup.audience, followup.history, palette=palette)
    return render("mail/report.html", **_followup_view(followup, routing, only), subject=followup.report.title,
                  palette=palette, text_colour=palette.text, audience_html=Markup(audience))


def audience_csv(figures: MonthFigures) -> str:
    """The audience as (month, indicator, detail, value) rows, same spreadsheet conventions as the requests'."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["mois", "indicateur", "détail", "valeur"])
    writer.writerows(presentation.csv_rows(figures))
    return "\ufeff" + out.getvalue()


def nothing_to_say(followup: FollowUp, only: str | None = None) -> bool:
    """No request and no page seen (for the region: no audience measured either): a chart of zeros tells nothing."""
    line = followup.report.line(only) if only else followup.report.region
    return (not line.received and not any(value for _, value in followup.funnel(only))
            and (only is not None or followup.audience is None))


def quiet_month_text(followup: FollowUp, routing: Routing, only: str | None = None) -> str:
    return render("mail/quiet_month.txt", month=month_name(followup.month),
                  ai_name=_addressee(routing, only).name if only else "")


def report_message(followup: FollowUp, routing: Routing, only: str | None = None) -> EmailMessage:
    """To AAI (the region) or to one AI (``only``): text, HTML with charts, the CSV tables attached — or, for a
    month with nothing to say, that one line."""
    report = followup.report
    contact = _addressee(routing, only)
    subject = report.title + (f" – {contact.name}" if only else "")
    msg = new_message(subject, routing, shared_address(contact.name, contact.email))
    if nothing_to_say(followup, only):
        msg.set_content(quiet_month_text(followup, routing, only))
        return msg
    msg.set_content(followup_text(followup, routing, only))
    msg.add_alternative(followup_html(followup, routing, only), subtype="html")
    suffix = f"-{only}" if only else ""
    msg.add_attachment(report_csv(report, routing, only), subtype="csv", charset="utf-8",
                       filename=f"suivi-demandes-{report.month}{suffix}.csv")
    if followup.audience is not None and not only:
        msg.add_attachment(audience_csv(followup.audience), subtype="csv", charset="utf-8",
                           filename=f"frequentation-{report.month}.csv")
    return msg
