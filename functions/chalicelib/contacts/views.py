"""The association's pages for its own contacts: the quick sheet, the prospects (open contacts by follow-up date,
AXE 3's « gestion des prospects ») and their CSV export. An association sees its own contacts only."""

from __future__ import annotations

import csv
import datetime
import io
import secrets
from typing import Any

from rules import origins
from rules.dates import french_date
from rules.phone import display_phone

from ..backoffice import audit, layout
from ..backoffice.auth import Session
from ..backoffice.export import safe
from ..backoffice.inbox import when
from ..backoffice.web import Reply, Visit, base_path, page
from ..requests import lifecycle
from ..requests.enums import ActorKind, Channel, DirectChannel, Outcome
from ..requests.model import Request
from ..service import FormService
from .declared import choices
from .sheet import FIELDS, FOLLOW_UP, SheetInvalid, clean_contact, default_follow_up, last_follow_up, record_contact

MONTHS_SHOWN = 2   # open contacts are at most a month old: the request closes after ``close_after_days``
CSV_HEADER = ("référence", "noté le", "contact", "nom", "téléphone", "e-mail", "commune", "besoin",
              "comment la personne nous a connus", "précision", "date de suivi", "état", "résultat")


def _sheet(svc: FormService, session: Session, status: int = 200, *, values: dict[str, Any] | None = None,
           errors: dict[str, str] | None = None, matches: list[tuple[str, str]] | None = None) -> Reply:
    today = layout.today(svc)
    values = values or {}
    who = session.who
    return layout.render(
        svc, session, "contact.html", status, current="contacts", title="Noter un contact",
        values=values, errors=errors or {}, matches=matches or [], channels=DirectChannel.choices(),
        origins=choices(), token=values.get("jeton") or secrets.token_urlsafe(18),
        associations=[(ai, layout.recipient_name(svc, ai)) for ai in who.associations],
        default_day=default_follow_up(svc, today).isoformat(), today=today.isoformat(),
        last_day=last_follow_up(svc, today).isoformat(), action=f"{base_path(svc)}/espace/contact")


@page(roles=("ai",))
def sheet(svc: FormService, visit: Visit, session: Session) -> Reply:
    """GET /espace/contact: the empty sheet (the call is starting)."""
    return _sheet(svc, session)


@page(roles=("ai",))
def save(svc: FormService, visit: Visit, session: Session) -> Reply:
    """POST /espace/contact: record the contact, then show its page (where its outcome is recorded later)."""
    who = session.who
    try:
        contact = clean_contact(svc, visit.form, who.associations, layout.today(svc))
    except SheetInvalid as invalid:
        values: dict[str, Any] = {name: visit.field(name) for name in FIELDS}
        values[origins.FIELD] = visit.form.get(origins.FIELD, [])
        return _sheet(svc, session, 400, values=values, errors=invalid.errors, matches=invalid.matches)
    record = record_contact(svc, lifecycle.actor(ActorKind.AI, contact.association), contact)
    audit.journal(svc, who.actor(record), "contact", refs=[record.ref])
    return layout.render(svc, session, "contact_done.html", current="contacts", title="Contact enregistré",
                         ref=record.ref, href=f"{base_path(svc)}/espace/demandes/{record.ref}",
                         follow_up=french_date(datetime.date.fromisoformat(record.data[FOLLOW_UP]), weekday=True),
                         again=f"{base_path(svc)}/espace/contact", prospects=f"{base_path(svc)}/espace/contacts")


def own_contacts(svc: FormService, associations: tuple[str, ...], months: list[str]) -> list[Request]:
    """The association's direct contacts of these months, from the store's month index (never a scan)."""
    return [r for month in months for ai in associations for r in svc.requests_of(ai, month)
            if r.get("channel") == Channel.DIRECT]


def _row(svc: FormService, record: Request) -> dict[str, Any]:
    data = record.data
    day = lifecycle.agreed_callback(record)
    labels = origins.labels()
    return {
        "ref": record.ref, "href": f"{base_path(svc)}/espace/demandes/{record.ref}", "noted": when(record.created_at),
        "channel": DirectChannel.label_of(data.get("canal")), "name": data.get("nom", ""),
        "phone": display_phone(record.phone) if record.phone else "", "tel": f"tel:{record.phone}" if record.phone
        else "", "email": data.get("email", ""),
        "commune": svc.routing.commune_name(data["commune"]) if data.get("commune") else "",
        "need": data.get("besoin", ""), "origins": ", ".join(labels.get(o, o) for o in origins.declared(data)),
        "detail": data.get(origins.DETAIL_FIELD, ""),
        "follow_up": french_date(day, weekday=True) if day else "", "day": day,
        "overdue": bool(day and day < layout.today(svc)), "today": day == layout.today(svc),
        "state": layout.state_label(record), "outcome": Outcome.label_of(record.get("outcome")),
    }


@page(roles=("ai",))
def prospects(svc: FormService, visit: Visit, session: Session) -> Reply:
    """GET /espace/contacts: the open contacts, the follow-up date nearest first (overdue ones on top)."""
    who = session.who
    records = own_contacts(svc, who.associations, layout.recent_months(svc, MONTHS_SHOWN))
    open_ones = sorted((r for r in records if layout.is_open(r)),
                       key=lambda r: (lifecycle.agreed_callback(r) or datetime.date.max, r.created_at))
    audit.read(svc, who, open_ones, "list")
    rows = [_row(svc, r) for r in open_ones]
    return layout.render(svc, session, "contacts.html", current="contacts", title="Contacts à suivre",
                         rows=rows, overdue=sum(1 for r in rows if r["overdue"]),
                         new=f"{base_path(svc)}/espace/contact", month=layout.this_month(svc),
                         export=f"{base_path(svc)}/espace/contacts/export")


@page(roles=("ai",))
def export(svc: FormService, visit: Visit, session: Session) -> Reply:
    """GET /espace/contacts/export?mois=2026-11: the month's direct contacts, open or not, as CSV (Excel's
    « ; » and BOM, like the requests' export; formulas neutralised)."""
    who = session.who
    month = layout.month_arg(svc, visit.arg("mois"))
    if month is None:
        return layout.render(svc, session, "message.html", 400, current="contacts", title="Mois incorrect",
                             paragraphs=["Choisissez un mois passé ou le mois en cours (2026-11, par exemple)."])
    records = sorted(own_contacts(svc, who.associations, [month]), key=lambda r: r.created_at)
    audit.read(svc, who, records, "export")
    audit.journal(svc, who.actor(), "export", month=month, count=len(records), what="contacts")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for record in records:
        row = _row(svc, record)
        day = row["day"]
        writer.writerow([safe(v) for v in (
            row["ref"], row["noted"], row["channel"], row["name"], row["phone"], row["email"], row["commune"],
            row["need"], row["origins"], row["detail"], day.isoformat() if day else "", row["state"],
            row["outcome"])])
    name = f"contacts-{'-'.join(who.associations)}-{month}.csv"
    return Reply(200, "\ufeff" + out.getvalue(), {"Content-Type": "text/csv; charset=utf-8",
                                                  "Content-Disposition": f'attachment; filename="{name}"',
                                                  "Cache-Control": "no-store"})
