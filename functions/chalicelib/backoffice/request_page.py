"""One request in the back office: every detail, its trail (and who read it), and what the person may do.

- an association: mark it handled with its outcome (or correct the outcome), add a note, « pas pour nous » (the
  request goes back to AAI's cell with a liaison sheet, to be re-routed);
- the cell: the same outcome and notes in its own name, and re-route the request to another association.

Another association's request is a 404, exactly like a request that does not exist: nobody learns it exists.
Each action is a POST with the CSRF token (gate.serve), stored through the lifecycle with its actor, then a 303
back to the page, whose status message takes the focus.
"""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING, Any, Callable

from rules import vocabulary
from rules.dates import french_date, local_time

from ..requests import actions
from ..intake.forms import described
from ..mission import rules
from ..mission.sending import mission_url
from ..mission.texts import charter_rows
from ..requests.lifecycle import Refused
from ..mail.notices import event_text
from ..requests.outcome import EXTRA_FIELDS, OUTCOMES, OutcomeInvalid, clean_outcome
from ..requests.enums import EscalationReason, EventKind, State, WAITING
from ..requests.model import Request
from ..service import REF_PATTERN
from ..intake.validation import FieldError, clean_text, read_day
from . import audit, layout
from .inbox import row, when
from .web import Reply, Visit, base_path, not_found, page, redirect

if TYPE_CHECKING:
    from ..service import FormService
    from .auth import Session, Who

if TYPE_CHECKING:   # the one service, for its type only (it imports this module)
    from ..service import FormService

logger = logging.getLogger(__name__)

READS = vocabulary.READS
NOTE_LENGTH = 1000


def _find(svc: FormService, session: Session, ref: str) -> Request | None:
    """The request if this person may see it; None for anything else (unknown, purged, another AI's)."""
    if not REF_PATTERN.fullmatch(ref or ""):
        return None
    record = svc.store.get(ref)
    return record if record is not None and session.who.sees(record) else None


def _may(svc: FormService, who: Who, record: Request) -> dict[str, bool]:
    state = record["state"]
    open_ = state != State.CLOSED
    return {
        "handle": open_,
        "note": open_,
        "hand_back": not who.is_cell and record["association"] != svc.routing.network.id and (
            state in WAITING
            or (state == State.ESCALATED and EscalationReason.NOT_OURS not in (record.get("escalations") or []))),
        "reroute": who.is_cell and state not in (State.HANDLED, State.CLOSED),
    }


def _targets(svc: FormService, record: Request
             ) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]], str]:
    """Where the cell may re-route: the associations serving the request's commune first, then the others, each
    nearest first; the one pre-selected is the nearest serving one (else the nearest), never two."""
    commune = (record.get("data") or {}).get("commune") or ""
    serving, others = layout.associations_near(svc, commune, leave_out=(record["association"],))
    first = (serving or others or [("", "", "")])[0][0]
    return serving, others, first


def _show(svc: FormService, session: Session, record: Request, status: int = 200, errors: dict[str, str] | None = None,
          values: dict[str, Any] | None = None, done: str = "") -> Reply:
    """The request's page, with every detail: written down as a read here, where it is rendered, so a page shown
    again with its errors (400) or after a change meanwhile (409) is a read too."""
    who = session.who
    audit.read(svc, who, [record], "page")
    names, rows = described(record["kind"], record.get("data") or {}, svc.routing)
    details = [(label, text, name) for name, (label, text) in zip(names, rows)]
    trail = [(when(e.at), layout.actor_name(svc, e.actor), event_text(e, svc.routing))
             for e in svc.trail(record["ref"])]
    reads = [(when(r.at), layout.actor_name(svc, r.actor), READS.get(r.what, r.what))
             for r in svc.store.read_log(record["ref"])]
    serving, others, nearest = _targets(svc, record)
    summary = row(svc, record)
    current = {"resultat": record.get("outcome"), "motif": record.get("outcome_reason"),
               "orientation": record.get("orientation"), "premiere_intervention": record.get("first_visit")}
    return layout.render(
        svc, session, "request.html", status, current="file" if who.is_cell and record["state"] == State.ESCALATED
        else "demandes", title=f"Demande {record['ref']}", record=record, summary=summary, details=details,
        trail=trail, reads=reads, may=_may(svc, who, record), errors=errors or {},
        values={**current, **(values or {})}, outcomes=OUTCOMES, fields=EXTRA_FIELDS, serving=serving,
        others=others, target=(values or {}).get("association") or nearest, done=layout.DONE.get(done, ""),
        handled_at=when(record["handled_at"]) if record.get("handled_at") else "",
        action=f"{base_path(svc)}/espace/demandes/{record['ref']}", note_length=NOTE_LENGTH,
        here=f"/espace/demandes/{record['ref']}",
        closes=french_date(local_time(svc.link_expiry(record)).date()), charter=charter_rows(record),
        mission_url=mission_url(svc, record) if not who.is_cell and rules.started(record)
        and record.state != State.CLOSED else "")


@page()
def show(svc: FormService, visit: Visit, session: Session, ref: str) -> Reply:
    record = _find(svc, session, ref)
    if record is None:
        return not_found(svc)
    return _show(svc, session, record, done=visit.arg("fait"))


def _act(svc: FormService, record: Request, action: Callable[[Request], Request]) -> Request:
    """Run an action on the freshest copy (svc.on_fresh_copy): a reminder may have gone out since the page was
    read. A request the cell re-routed meanwhile is not acted on in the former association's name."""
    def for_the_same_holder(current: Request) -> Request:
        if current["association"] != record["association"]:
            raise Refused("re-routed meanwhile")
        return action(current)
    return svc.on_fresh_copy(record, for_the_same_holder)


def _closed(svc: FormService, session: Session, record: Request) -> Reply:
    return _show(svc, session, svc.store.get(record["ref"]) or record, 409,
                 {"formulaire": "Cette action n'est plus possible : la demande a changé d'état entre-temps "
                                "(close, traitée ou déjà transmise). Voici son état actuel."})


@page()
def handled(svc: FormService, visit: Visit, session: Session, ref: str) -> Reply:
    """Mark handled with the outcome (or correct it until the request closes)."""
    record = _find(svc, session, ref)
    if record is None:
        return not_found(svc)
    fields = {name: visit.field(name) for name in ("resultat", "motif", "orientation", "premiere_intervention")}
    received = local_time(record["created_at"]).date()
    try:
        outcome = clean_outcome(fields, received, layout.today(svc))
    except OutcomeInvalid as invalid:
        return _show(svc, session, record, 400, invalid.errors, fields)
    who = session.who.actor(record)
    try:
        _act(svc, record, lambda current: actions.handle(svc, current, who, outcome))
    except Refused:
        return _closed(svc, session, record)
    return redirect(svc, f"/espace/demandes/{ref}?fait=traitee")


def _day(value: str, today: datetime.date) -> datetime.date:
    """A callback date: a real day, from today to a year ahead."""
    day = read_day(value)
    if not today <= day <= today + datetime.timedelta(days=365):
        raise FieldError("Choisissez une date entre aujourd'hui et l'an prochain.")
    return day


@page()
def note(svc: FormService, visit: Visit, session: Session, ref: str) -> Reply:
    """A note in the trail (a call, what was agreed), with a callback date if one was set."""
    record = _find(svc, session, ref)
    if record is None:
        return not_found(svc)
    errors, text, day = {}, None, None
    try:
        text = clean_text(visit.field("note"), NOTE_LENGTH, multiline=True)
        if not text:
            raise FieldError("Écrivez la note : ce que vous avez fait ou convenu.")
    except FieldError as problem:
        errors["note"] = str(problem)
    if visit.field("rappel_prevu"):
        try:
            day = _day(visit.field("rappel_prevu").strip(), layout.today(svc))
        except FieldError as problem:
            errors["rappel_prevu"] = str(problem)
    if errors:
        return _show(svc, session, record, 400, errors, {"note": visit.field("note"),
                                                         "rappel_prevu": visit.field("rappel_prevu")})
    who = session.who.actor(record)
    details = {"text": text, "callback_on": day.isoformat() if day else None}
    try:
        _act(svc, record, lambda current: svc.change(current, EventKind.NOTED, who, **details))
    except Refused:
        return _closed(svc, session, record)
    return redirect(svc, f"/espace/demandes/{ref}?fait=note")


@page(roles=("ai",))
def hand_back(svc: FormService, visit: Visit, session: Session, ref: str) -> Reply:
    """« Pas pour nous »: the request goes back to AAI's cell (liaison sheet), which re-routes it."""
    record = _find(svc, session, ref)
    if record is None:
        return not_found(svc)
    if not _may(svc, session.who, record)["hand_back"]:
        return _closed(svc, session, record)
    try:
        why = clean_text(visit.field("pourquoi"), NOTE_LENGTH, multiline=True)
    except FieldError as problem:
        return _show(svc, session, record, 400, {"pourquoi": str(problem)}, {"pourquoi": visit.field("pourquoi")})
    who = session.who.actor(record)

    def give_back(current: Request) -> Request:
        if why:
            current = svc.change(current, EventKind.NOTED, who, text=why)
        return actions.escalate(svc, current, EscalationReason.NOT_OURS, who)

    try:
        _act(svc, record, give_back)
    except Refused:
        return _closed(svc, session, record)
    return redirect(svc, f"/espace/demandes/{ref}?fait=pas-pour-nous")


@page(roles=("cell",))
def reroute(svc: FormService, visit: Visit, session: Session, ref: str) -> Reply:
    """The cell sends the request to another association, which receives it like a request of the site."""
    record = _find(svc, session, ref)
    if record is None:
        return not_found(svc)
    target = visit.field("association")
    if target not in svc.routing.associations or target == record["association"]:
        return _show(svc, session, record, 400, {"association": "Choisissez l'association vers laquelle "
                                                                "réorienter la demande."})
    if not _may(svc, session.who, record)["reroute"]:
        return _closed(svc, session, record)
    who = session.who.actor(record)
    try:
        _act(svc, record, lambda current: actions.reroute(svc, current, target, who))
    except Refused:
        return _closed(svc, session, record)
    return redirect(svc, f"/espace/demandes/{ref}?fait=reorientee")
