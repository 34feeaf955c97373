"""The Annexe 3 table: « le suivi de l'origine des nouveaux clients », laid out like the seed's « modèle de tableau
de saisie » — its rows (row 1, word of mouth, in its four details), one column per new contact (« Client /
Prospect 1, CP 2, … ») ticked where the person said they heard of the association, the total of each row.

« Analyse des résultats : mensuelle, annuelle par agrégation des résultats mensuels, évolution dans le temps »:
for an association, its month contact by contact, or its year month by month; for the region, its month
association by association, or its year month by month. Every table is computed from the stored requests of
every channel (the site's forms, the cell's liaison sheets, the association's own contacts), and exported as CSV.

Several answers are allowed (« s'il indique plusieurs sources, en saisir plusieurs »): a contact counts once in
each row it ticked, so the rows add up to the answers, not to the contacts; the « Contacts » line counts people.
Row 1's heading counts the contacts who named any kind of word of mouth.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rules import origins
from rules.dates import month_label, month_name, month_of, year_to

from ..backoffice import layout
from ..backoffice.auth import Session
from ..backoffice.export import safe
from ..backoffice.web import Reply, Visit, base_path, not_found, page
from ..reports.formats import percent
from ..requests.enums import Outcome
from ..requests.model import Request
from ..service import FormService

WORD_OF_MOUTH_ROW = "ligne-1"
YEAR = re.compile(r"20[2-9]\d")


@dataclass(frozen=True)
class Row:
    key: str          # an origin's id, WORD_OF_MOUTH_ROW or origins.UNKNOWN
    number: str       # the seed's row number (« 1 » … « 17 »), empty for row 1's details
    label: str
    detail: bool = False   # one of row 1's details, indented under it


ROWS: tuple[Row, ...] = (
    Row(WORD_OF_MOUTH_ROW, "1", origins.ROWS[1]),
    *(Row(origin.id, "", origins.DETAIL_ROWS[origin.id], True) for origin in origins.ORIGINS if origin.grouped),
    *(Row(origin.id, str(origin.row), origins.ROWS[origin.row]) for origin in origins.ORIGINS if not origin.grouped),
    Row(origins.UNKNOWN, "", "Non renseigné"),
)
ANSWER_ROWS = tuple(row.key for row in ROWS if row.key != WORD_OF_MOUTH_ROW)   # what adds up to the answers


def ticks(record: Request) -> set[str]:
    """The rows a request ticks: its declared origins, row 1's heading if it named word of mouth, « non
    renseigné » if it declared none."""
    declared = origins.declared(record.get("data")) or [origins.UNKNOWN]
    found = set(declared)
    if any(origins.BY_ID[o].grouped for o in declared if o in origins.BY_ID):
        found.add(WORD_OF_MOUTH_ROW)
    return found


def is_client(record: Request) -> bool:
    return record.get("outcome") == Outcome.CLIENT


@dataclass
class Table:
    """Rows × columns of counts, with each row's total and its clients, and each column's contacts."""

    title: str
    columns: list[str]                                         # headers
    notes: list[str] = field(default_factory=list)             # under each header: « client », « prospect »…
    cells: dict[str, list[int]] = field(default_factory=dict)  # row key → one count per column
    clients: dict[str, int] = field(default_factory=dict)      # row key → the new clients among them
    contacts: list[int] = field(default_factory=list)          # people per column

    def total(self, key: str) -> int:
        return sum(self.cells[key])

    @property
    def answers(self) -> int:
        return sum(self.total(key) for key in ANSWER_ROWS)

    def rows(self) -> list[tuple[Row, list[int], int, int]]:
        """(row, cells, total, clients), in the seed's order."""
        return [(row, self.cells[row.key], self.total(row.key), self.clients[row.key]) for row in ROWS]


def _empty(title: str, columns: list[str]) -> Table:
    return Table(title, columns, cells={row.key: [0] * len(columns) for row in ROWS},
                 clients={row.key: 0 for row in ROWS}, contacts=[0] * len(columns))


def _add(table: Table, column: int, record: Request) -> None:
    table.contacts[column] += 1
    for key in ticks(record):
        table.cells[key][column] += 1
        table.clients[key] += is_client(record)


def by_contact(title: str, records: Iterable[Request]) -> Table:
    """The seed's own layout: one column per contact of the month, in order of receipt."""
    records = sorted(records, key=lambda r: r.created_at)
    table = _empty(title, [f"CP {n}" for n in range(1, len(records) + 1)])
    table.notes = ["client" if is_client(r) else "prospect" for r in records]
    for column, record in enumerate(records):
        _add(table, column, record)
    return table


def by_group(title: str, groups: list[tuple[str, list[Request]]]) -> Table:
    """One column per group (an association, a month): the aggregation of the monthly entries."""
    table = _empty(title, [name for name, _ in groups])
    for column, (_, records) in enumerate(groups):
        for record in records:
            _add(table, column, record)
    return table


def months_of(year: str, svc: FormService) -> list[str]:
    """The months of a year up to the current one."""
    current = layout.this_month(svc)
    return year_to(min(f"{year}-12", current)) if f"{year}-01" <= current else []


def _records(svc: FormService, month: str, association: str | None) -> list[Request]:
    records: list[Request] = svc.store.month(month, association)
    return records


def build(svc: FormService, *, month: str | None, year: str | None, association: str | None) -> Table:
    """The table asked for: a month (by contact for an association, by association for the region) or a year
    (by month)."""
    where = layout.recipient_name(svc, association) if association else "la région"
    if year:
        return by_group(f"Origine des nouveaux contacts en {year} — {where}",
                        [(month_label(m), _records(svc, m, association)) for m in months_of(year, svc)])
    assert month is not None
    title = f"Origine des nouveaux contacts, {month_name(month)} — {where}"
    if association:
        return by_contact(title, _records(svc, month, association))
    records = _records(svc, month, None)
    ids = [svc.routing.network.id] + sorted(svc.routing.associations, key=lambda a: layout.recipient_name(svc, a))
    return by_group(title, [(layout.recipient_name(svc, ai), [r for r in records if r.association == ai])
                            for ai in ids])


@dataclass(frozen=True)
class Weight:
    """One prescriber over a period: how many contacts it brought, how many became clients."""

    label: str
    contacts: int
    clients: int

    @property
    def conversion(self) -> float | None:
        return self.clients / self.contacts if self.contacts else None


def weights(svc: FormService, records: list[Request]) -> tuple[list[Weight], list[Weight]]:
    """(declared, measured) side by side (issue 25, item 6): per Annexe 3 answer, and per measured source — the
    link the person came by (rules/sources.py) — contacts, clients, conversion."""
    declared: dict[str, list[int]] = {}
    measured: dict[str, list[int]] = {}
    for record in records:
        client = int(is_client(record))
        for origin in origins.declared(record.get("data")) or [origins.UNKNOWN]:
            declared.setdefault(origin, [0, 0])
            declared[origin][0] += 1
            declared[origin][1] += client
        source = (record.get("data") or {}).get("source")
        if isinstance(source, str) and source:
            measured.setdefault(source, [0, 0])
            measured[source][0] += 1
            measured[source][1] += client
    labels = {**origins.labels(), origins.UNKNOWN: "Non renseigné"}
    order = [key for key in labels if key in declared] + [key for key in declared if key not in labels]
    return ([Weight(labels.get(key, key), *declared[key]) for key in order],
            [Weight(svc.routing.sources.label(key), *counts) for key, counts in sorted(measured.items())])


def period(svc: FormService, *, month: str | None, year: str | None, association: str | None) -> list[Request]:
    """Every request of the month or of the year (up to this month), of one association or of the region."""
    months = months_of(year, svc) if year else [month or layout.this_month(svc)]
    return [r for m in months for r in _records(svc, m, association)]


def csv_text(table: Table) -> str:
    """The table for a spreadsheet (« ; », BOM): the seed's « saisie sur Excel des résultats »."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["n°", "origine", *table.columns, "total", "dont clients"])
    if table.notes:
        writer.writerow(["", "client ou prospect", *table.notes, "", ""])
    for row, cells, total, clients in table.rows():
        writer.writerow([row.number, safe(("— " if row.detail else "") + row.label), *cells, total, clients])
    writer.writerow(["", "Contacts", *table.contacts, sum(table.contacts), ""])
    writer.writerow(["", "Réponses (plusieurs possibles)", *[""] * len(table.columns), table.answers, ""])
    return "\ufeff" + out.getvalue()


def _asked(svc: FormService, visit: Visit, session: Session) -> tuple[str | None, str | None, str | None] | Reply:
    """(month, year, association) from the query, or the refusal: an association sees its own table only."""
    who = session.who
    year = visit.arg("annee") or None
    month = None
    if year is not None and (not YEAR.fullmatch(year) or f"{year}-01" > layout.this_month(svc)):
        return not_found(svc, "Cette année n'existe pas encore dans les chiffres.")
    if year is None:
        month = layout.month_arg(svc, visit.arg("mois"))
        if month is None:
            return not_found(svc, "Ce mois n'existe pas ou n'est pas encore arrivé.")
    asked = visit.arg("association")
    if who.is_cell:
        if asked and svc.routing.recipient(asked) is None:
            return not_found(svc, "Cette association ne figure pas dans l'annuaire.")
        return month, year, asked or None
    if asked and asked not in who.associations:
        return not_found(svc, "Ces chiffres n'existent pas, ou ils ne vous sont pas destinés.")
    return month, year, asked or who.associations[0]


@page()
def table_page(svc: FormService, visit: Visit, session: Session) -> Reply:
    """GET /espace/annexe-3?mois=2026-11 (or ?annee=2026)[&association=ai-x]."""
    asked = _asked(svc, visit, session)
    if isinstance(asked, Reply):
        return asked
    month, year, association = asked
    table = build(svc, month=month, year=year, association=association)
    declared, measured = weights(svc, period(svc, month=month, year=year, association=association))
    query = (f"annee={year}" if year else f"mois={month}") + (f"&association={association}" if association else "")
    shown_year = year or (month or layout.this_month(svc))[:4]
    return layout.render(svc, session, "annexe3.html", current="annexe", title="Origine des nouveaux contacts",
                         table=table, month=month, year=year, association=association or "",
                         declared=declared, measured=measured, percent=percent,
                         export=f"{base_path(svc)}/espace/annexe-3/export?{query}",
                         year_link=f"{base_path(svc)}/espace/annexe-3?annee={shown_year}"
                                   + (f"&association={association}" if association else ""),
                         month_link=f"{base_path(svc)}/espace/annexe-3?mois={month_of(svc.now())}"
                                    + (f"&association={association}" if association else ""),
                         associations=sorted(((a, layout.recipient_name(svc, a)) for a in svc.routing.associations),
                                             key=lambda item: item[1]) if session.who.is_cell else [])


@page()
def table_export(svc: FormService, visit: Visit, session: Session) -> Reply:
    """GET /espace/annexe-3/export?…: the same table as CSV (counts only, no personal data)."""
    asked = _asked(svc, visit, session)
    if isinstance(asked, Reply):
        return asked
    month, year, association = asked
    table = build(svc, month=month, year=year, association=association)
    name = f"annexe-3-{association or 'region'}-{year or month}.csv"
    return Reply(200, csv_text(table), {"Content-Type": "text/csv; charset=utf-8",
                                        "Content-Disposition": f'attachment; filename="{name}"',
                                        "Cache-Control": "no-store"})
