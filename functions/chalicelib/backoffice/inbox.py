"""The lists: the dashboard, an association's requests (or the region's) by month and state, the cell's queue.

Every query is one of the store's indexes (a month of one AI or of the region, the queue), never a scan; every
list that shows a name or a phone number is written down as read (audit.read).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from rules import grammar, vocabulary
from rules.dates import french_date, french_time, local_time, month_bounds
from rules.phone import display_phone

from ..requests import lifecycle
from ..requests.enums import Channel, EscalationReason, Outcome, State
from ..requests.model import Request
from . import audit, layout
from .web import Reply, Visit, base_path, not_found, page

if TYPE_CHECKING:
    from ..service import FormService
    from .auth import Session, Who

if TYPE_CHECKING:   # the one service, for its type only (it imports this module)
    from ..service import FormService

logger = logging.getLogger(__name__)

FILTERS = vocabulary.labels(vocabulary.LIST_FILTERS)
KINDS = vocabulary.KINDS
AVAILABILITY = vocabulary.labels(vocabulary.AVAILABILITY)
SLOTS = vocabulary.labels(vocabulary.SLOTS)


def when(epoch: float) -> str:
    """« 23 novembre 2026, 10 h 05 »: dates in tables."""
    moment = local_time(epoch)
    return f"{french_date(moment.date())}, {french_time(moment)}"


def availability(record: Request) -> str:
    """When the person said they can be called: the slots ticked on the site's callback form (« Lundi matin,
    Mercredi soir »), or the day and slot agreed on the cell's liaison sheet."""
    data = record.get("data") or {}
    agreed = lifecycle.agreed_callback(record)
    if agreed:
        slot = SLOTS.get(data.get("rappel_creneau", ""), "")
        return f"le {french_date(agreed, weekday=True)}" + (f", {slot.lower()}" if slot else "")
    return ", ".join(AVAILABILITY.get(v, v) for v in data.get("disponibilites") or [])


def row(svc: FormService, record: Request) -> dict[str, Any]:
    """What a list shows of a request (the words people read, links included)."""
    data = record.get("data") or {}
    deadline = lifecycle.charter_deadline(record, svc.policy)
    agreed = lifecycle.agreed_callback(record)
    return {
        "ref": record["ref"], "href": f"{base_path(svc)}/espace/demandes/{record['ref']}",
        "received": when(record["created_at"]), "kind": KINDS.get(record["kind"], record["kind"]),
        "channel": Channel.label_of(record.get("channel", Channel.SITE)), "name": data.get("nom", ""),
        "commune": svc.routing.commune_name(data["commune"]) if data.get("commune") else "",
        "phone": display_phone(record["phone"]) if record.get("phone") else "",
        "tel": f"tel:{record['phone']}" if record.get("phone") else "",
        "association": layout.recipient_name(svc, record["association"]),
        "state": layout.state_label(record), "open": layout.is_open(record),
        "late": layout.is_late(svc, record), "deadline": when(deadline),
        "outcome": Outcome.label_of(record.get("outcome")),
        "callback": french_date(agreed, weekday=True) if agreed else "",
        "availability": availability(record),
        "reason": EscalationReason.label_of(record.get("escalation")),
        "waiting": when(record["escalated_at"]) if record.get("escalated_at") else "",
    }


def keep(svc: FormService, record: Request, chosen: str) -> bool:
    if chosen == "a-traiter":
        return layout.is_open(record)
    if chosen == "en-retard":
        return layout.is_late(svc, record)
    if chosen == "traitees":
        return bool(record.get("handled_at"))
    return True


def _mine(svc: FormService, who: Who, month: str) -> list[Request]:
    """A month's requests the person may see: its association(s), or the region."""
    if who.is_cell:
        region: list[Request] = svc.store.month(month)
        return region
    return sorted((r for ai in who.associations for r in svc.requests_of(ai, month)), key=lambda r: r["created_at"])


@page()
def dashboard(svc: FormService, visit: Visit, session: Session) -> Reply:
    """The first page: what is open (and late) for an association; the queue and the network's callbacks for the
    cell."""
    who = session.who
    recent = [r for month in layout.recent_months(svc) for r in _mine(svc, who, month)]
    if who.is_cell:
        queue = svc.queue()
        network = [r for r in recent if r["association"] == svc.routing.network.id and layout.is_open(r)
                   and r["state"] != State.ESCALATED]
        shown = queue + network
        audit.read(svc, who, shown, "queue")
        return layout.render(svc, session, "home_cell.html", current="accueil", title="Espace de gestion",
                             queue=[row(svc, r) for r in queue], callbacks=[row(svc, r) for r in network],
                             month_count=sum(1 for r in recent if r["created_at"] >= _month_start(svc)))
    open_ones = sorted((r for r in recent if layout.is_open(r)), key=lambda r: r["created_at"])
    audit.read(svc, who, open_ones, "list")
    this_month = [r for r in recent if r["created_at"] >= _month_start(svc)]
    return layout.render(svc, session, "home_ai.html", current="accueil", title="Espace de gestion",
                         rows=[row(svc, r) for r in open_ones],
                         late=sum(1 for r in open_ones if layout.is_late(svc, r)),
                         handled=sum(1 for r in this_month if r.get("handled_at")), received=len(this_month))


def _month_start(svc: FormService) -> int:
    return month_bounds(layout.this_month(svc))[0]


@page()
def requests_list(svc: FormService, visit: Visit, session: Session) -> Reply:
    """GET /espace/demandes?mois=2026-11&etat=a-traiter[&association=ai-x]: a month's requests by state."""
    who = session.who
    month = layout.month_arg(svc, visit.arg("mois"))
    chosen = visit.arg("etat") or "toutes"
    if month is None or chosen not in FILTERS:
        return layout.render(svc, session, "message.html", 400, current="demandes", title="Adresse incorrecte",
                             paragraphs=["Ce mois ou ce filtre n'existe pas : choisissez-les dans la page."],
                             link=(f"{base_path(svc)}/espace/demandes", "Voir les demandes du mois"))
    association = visit.arg("association") if who.is_cell else ""
    if association and svc.routing.recipient(association) is None:
        return not_found(svc, "Cette association ne figure pas dans l'annuaire.")
    records = _mine(svc, who, month)
    if association:
        records = [r for r in records if r["association"] == association]
    shown = [r for r in records if keep(svc, r, chosen)]
    audit.read(svc, who, shown, "list")
    before, after = layout.neighbours(svc, month)
    counts = {key: sum(1 for r in records if keep(svc, r, key)) for key in FILTERS}
    choices = [(svc.routing.network.id, svc.routing.network.name)] + sorted(
        ((ai_id, ai.name) for ai_id, ai in svc.routing.associations.items()), key=lambda item: item[1])
    return layout.render(svc, session, "requests.html", current="demandes",
                         title=f"Demandes {grammar.de(layout.month_title(month))}", month=month, chosen=chosen,
                         filters=FILTERS, counts=counts, rows=[row(svc, r) for r in shown],
                         before=before, after=after, association=association,
                         associations=choices if who.is_cell else [],
                         month_name=layout.month_title(month))


@page(roles=("cell",))
def queue(svc: FormService, visit: Visit, session: Session) -> Reply:
    """The cell's queue: escalated requests, the longest waiting first, with the phone number to call."""
    records = svc.queue()
    audit.read(svc, session.who, records, "queue")
    return layout.render(svc, session, "queue.html", current="file", title="File d'appels de la cellule",
                         rows=[row(svc, r) for r in records],
                         cell_mail_refused=[r["ref"] for r in records if r.get("cell_mail_failed_at")],
                         cell_address=svc.routing.network.email)
