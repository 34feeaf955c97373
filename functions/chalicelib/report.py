"""The monthly follow-up the action plan asks for, per AI and for the region.

Requests received (orders and callbacks), requests marked handled, how many were handled within
the charter's 48 hours and the median delay, and where new clients heard of the AI (Annexe 3).
Counts only: no personal data leaves the store.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from dataclasses import dataclass, field
from email.message import EmailMessage

from rules.dates import month_name

from .routing import Routing

CHARTER_HOURS = 48


@dataclass
class Line:
    """One AI's month (or the region's, as the sum of all)."""

    id: str
    name: str
    orders: int = 0
    callbacks: int = 0
    handled: int = 0
    within_charter: int = 0
    delays: list[float] = field(default_factory=list)  # hours from receipt to "handled"
    origins: Counter = field(default_factory=Counter)

    @property
    def received(self) -> int:
        return self.orders + self.callbacks

    @property
    def median_hours(self) -> float | None:
        return statistics.median(self.delays) if self.delays else None

    def add(self, record: dict) -> None:
        if record["kind"] == "demande":
            self.orders += 1
        else:
            self.callbacks += 1
        origin = (record.get("data") or {}).get("origine")
        self.origins[origin or "non-renseigne"] += 1
        if record.get("handled_at"):
            hours = (record["handled_at"] - record["created_at"]) / 3600
            self.handled += 1
            self.delays.append(hours)
            self.within_charter += hours <= CHARTER_HOURS


@dataclass
class Report:
    month: str  # "2026-11"
    lines: list[Line]
    region: Line

    @property
    def title(self) -> str:
        return f"Suivi des demandes — {month_name(self.month)}"


def build_report(records: list[dict], routing: Routing, month: str) -> Report:
    """Every AI of the routing table gets a line, even with nothing to count: silence is a figure too."""
    lines = {ai_id: Line(ai_id, contact.name) for ai_id, contact in routing.associations.items()}
    network = routing.network.id
    lines[network] = Line(network, routing.network.name)
    region = Line("region", "Total régional")
    for record in records:
        ai_id = record["association"]
        line = lines.setdefault(ai_id, Line(ai_id, ai_id))
        line.add(record)
        region.add(record)
    ordered = sorted(lines.values(), key=lambda line: (line.id == network, line.name))
    return Report(month, ordered, region)


def _hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + " h"


def _share(part: int, whole: int) -> str:
    return "—" if not whole else f"{round(100 * part / whole)} %"


def report_text(report: Report, routing: Routing) -> str:
    rows = [f"{report.title}", ""]
    for line in [*report.lines, report.region]:
        if line is not report.region and not line.received:
            continue
        rows.append(f"{line.name} : {line.received} demande(s) ({line.orders} d'intervention, "
                    f"{line.callbacks} de rappel), {line.handled} traitée(s), "
                    f"{_share(line.within_charter, line.received)} sous {CHARTER_HOURS} heures, "
                    f"délai médian {_hours(line.median_hours)}.")
    silent = [line.name for line in report.lines if not line.received]
    if silent:
        rows += ["", "Sans demande ce mois-ci : " + ", ".join(silent) + "."]
    rows += ["", "Comment les nouveaux clients ont connu l'association (toute la région) :"]
    labels = {**routing.referral_sources, "non-renseigne": "Non renseigné"}
    for origin, count in report.region.origins.most_common():
        rows.append(f"  {labels.get(origin, origin)} : {count}")
    return "\n".join(rows) + "\n"


def report_csv(report: Report, routing: Routing) -> str:
    """Semicolons and a BOM: opens as columns in the spreadsheet software AAI uses."""
    origins = list(routing.referral_sources) + ["non-renseigne"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["mois", "association", "identifiant", "demandes", "interventions", "rappels", "traitées",
                     f"traitées sous {CHARTER_HOURS} h", "délai médian (h)",
                     *(routing.referral_sources.get(o, "Non renseigné") for o in origins)])
    for line in [*report.lines, report.region]:
        median = line.median_hours
        writer.writerow([report.month, line.name, line.id, line.received, line.orders, line.callbacks, line.handled,
                         line.within_charter, "" if median is None else f"{median:.1f}".replace(".", ","),
                         *(line.origins.get(o, 0) for o in origins)])
    return "\ufeff" + out.getvalue()


def report_message(report: Report, routing: Routing) -> EmailMessage:
    """The report for AAI's management: text in the body, the table attached."""
    msg = EmailMessage()
    msg["Subject"] = report.title
    msg["From"] = routing.sender
    msg["To"] = routing.network.email
    msg.set_content(report_text(report, routing))
    msg.add_attachment(report_csv(report, routing), subtype="csv", charset="utf-8",
                       filename=f"suivi-demandes-{report.month}.csv")
    return msg
