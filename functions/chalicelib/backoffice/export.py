"""An association's requests of a month as a CSV table, for its own files: semicolons and a BOM (the
spreadsheet software AAI and the associations use opens it as columns), one row per request, every detail.

Only the association's own requests; the export is written down in each request's reads and in the journal.
A cell that begins with = + - @ (or a tab or carriage return) is prefixed with an apostrophe, so a spreadsheet
never runs what a visitor typed as a formula. Dates are ISO 8601 in Paris time (« 2026-11-02 10:00 »): a
spreadsheet reads them as dates and sorts them, which « 2 novembre 2026, 10 h 00 » it cannot.
"""

from __future__ import annotations

import csv
import io
import logging
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from rules import origins, vocabulary
from rules.dates import sortable_datetime
from rules.phone import display_phone

from ..requests import lifecycle
from ..intake.forms import CHOICE_LABELS
from ..requests.model import Item, Request
from . import audit, layout
from .web import Reply, Visit, page

if TYPE_CHECKING:
    from ..service import FormService
    from .auth import Session

logger = logging.getLogger(__name__)

FORMULA = ("=", "+", "-", "@", "\t", "\r")
HEADER = ("référence", "reçue le", "type", "origine", "état", "nom", "téléphone", "e-mail", "commune", "adresse",
          "services", "description ou message", "préférences", "rappel convenu le", "comment la personne nous a connus",
          "traitée le", "résultat", "motif", "première intervention")


def safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA) else text


def _preferences(data: Mapping[str, Any]) -> str:
    parts: list[str] = []
    for name in ("frequence", "heures", "jours", "creneaux", "mode_contact", "disponibilites", "date_debut",
                 "rappel_creneau"):
        value = data.get(name)
        if not value:
            continue
        labels: Mapping[str, str] = CHOICE_LABELS.get(name, {})
        parts.append(", ".join(labels.get(v, v) for v in value) if isinstance(value, list) else
                     str(labels.get(value, value)))
    return " ; ".join(parts)


def rows(svc: FormService, records: Sequence[Item]) -> list[list[str]]:
    """One line per request, read through the typed Request: the phone is the one the back office's lists show
    (held once: ``Request.phone``)."""
    routing = svc.routing
    out = []
    for record in records:
        request = Request.from_item(record)
        data = request.data
        agreed = lifecycle.agreed_callback(record)
        out.append([safe(v) for v in (
            request.ref, sortable_datetime(request.created_at), vocabulary.KINDS.get(request.kind, request.kind),
            request.channel.label, request.state.label,
            data.get("nom"), display_phone(request.phone) if request.phone else "", data.get("email"),
            routing.commune_name(data["commune"]) if data.get("commune") else "", data.get("adresse"),
            ", ".join(routing.services.get(s, s) for s in data.get("services", [])),
            data.get("description") or data.get("message") or data.get("besoin"), _preferences(data),
            agreed.isoformat() if agreed else "",
            ", ".join(routing.referral_sources.get(o, o) for o in origins.declared(data)),
            sortable_datetime(request.handled_at) if request.handled_at else "",
            request.outcome.label if request.outcome else "",
            request.outcome_reason.label if request.outcome_reason else "", request.first_visit)])
    return out


@page(roles=("ai",))
def export(svc: FormService, visit: Visit, session: Session) -> Reply:
    """GET /espace/export?mois=2026-11: the association's requests of that month."""
    who = session.who
    month = layout.month_arg(svc, visit.arg("mois"))
    if month is None:
        return layout.render(svc, session, "message.html", 400, title="Mois incorrect",
                             paragraphs=["Choisissez le mois à exporter depuis la liste des demandes."])
    records = sorted((r for ai in who.associations for r in svc.requests_of(ai, month)),
                     key=lambda r: r["created_at"])
    audit.read(svc, who, records, "export")
    audit.journal(svc, who.actor(), "export", month=month, count=len(records))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows(svc, records))
    name = f"demandes-{'-'.join(who.associations)}-{month}.csv"
    return Reply(200, "\ufeff" + out.getvalue(), {"Content-Type": "text/csv; charset=utf-8",
                                                   "Content-Disposition": f'attachment; filename="{name}"'})
