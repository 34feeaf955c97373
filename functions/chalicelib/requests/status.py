"""The household's status page of its request (``GET|POST /ma-demande/{ref}``), from the signed link of its
e-mails: where the request stands in plain French, the charter's deadline, the regional number, and two buttons —
« je n'ai plus besoin » (the request closes, counted as such) and « on ne m'a pas rappelé » (the cell calls back:
the same path as the « non » answer to « Avez-vous été recontacté ? »).

A household who does not live online must be able to see where its request stands without calling. Opening the
link changes nothing (mail scanners open every link); the buttons do, and they carry the link's signature, which a
third-party site cannot know: the signature is the page's CSRF defence, as on the other signed pages. The link is
signed for the purpose ``status`` and one reference: it opens no other request and no other page. It shows the
commune's name and nothing the household typed: a link may be forwarded.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from rules.dates import french_date, french_datetime, local_time

from . import actions
from ..web import links
from ..complaints.household import complaint_url
from ..intake.forms import TITLES
from . import lifecycle
from .enums import ActorKind, CloseReason, EscalationReason, EventKind, State
from .lifecycle import Refused
from .model import Request
from ..web.pages import Page
from ..service import REF_PATTERN
from .views import problem

if TYPE_CHECKING:   # the one service, for its type only (it imports this module)
    from ..service import FormService

logger = logging.getLogger(__name__)

PURPOSE = "status"
NO_LONGER_NEEDED = "plus-besoin"
NOT_CALLED = "pas-rappele"
CALLED_BY: dict[str, str] = {ActorKind.AI: "L'association", ActorKind.CELL: "La cellule régionale"}


def find(svc: FormService, ref: str, sig: str | None) -> tuple[str, Request | None]:
    """(verdict, record): ``invalid`` (forged, or another request's link), ``expired``, ``missing`` (erased or
    purged) or ``ok`` — a closed request still shows its page, with no button. Changes nothing."""
    if not REF_PATTERN.fullmatch(ref or ""):
        return "invalid", None
    verdict, _ = links.check(svc.settings.secret, PURPOSE, ref, sig, svc.now())
    if verdict != "ok":
        return verdict, None
    record = svc.store.get(ref)
    return ("ok", record) if record is not None else ("missing", None)


def _day(epoch: float) -> str:
    return french_date(local_time(epoch).date(), weekday=True)


def _called(svc: FormService, record: Request) -> tuple[str, int] | None:
    """Who said they called the household, and when: the first « traitée » (or corrected outcome) of the
    association or the cell, or a note of theirs with a callback date agreed (they spoke with the household)."""
    for event in svc.store.trail(record["ref"]):
        said = event.kind in (EventKind.HANDLED, EventKind.OUTCOME_CHANGED) or \
            (event.kind == EventKind.NOTED and event.details.get("callback_on"))
        if said and event.actor_kind in CALLED_BY:
            return CALLED_BY[event.actor_kind], event.at
    return None


def facts(svc: FormService, record: Request) -> list[str]:
    """The request's story in plain French, oldest first."""
    recipient = svc.routing.recipient(record["association"]) or svc.routing.network
    what = TITLES.get(record["kind"], "Demande").lower()
    lines = [f"Votre {what} a été reçue le {french_datetime(record['created_at'])}."]
    if record.get("ai_sent_at"):
        lines.append(f"Elle a été transmise à {recipient.name} le {french_datetime(record['ai_sent_at'])}.")
    if record.get("escalated_at"):
        lines.append(f"Elle a été confiée à la cellule régionale le {french_datetime(record['escalated_at'])} : "
                     f"la cellule va vous rappeler.")
    called = _called(svc, record)
    if called:
        who, at = called
        lines.append(f"{who} a indiqué vous avoir appelé le {_day(at)}.")
    if record["state"] == State.CLOSED:
        when = _day(record.get("closed_at") or svc.now())
        lines.append(f"Vous avez indiqué ne plus avoir besoin d'aide le {when} : votre demande est close."
                     if record.get("close_reason") == CloseReason.NO_LONGER_NEEDED
                     else f"Votre demande est close depuis le {when}.")
    return lines


def _page(svc: FormService, record: Request, sig: str, notice: str = "", status: int = 200) -> Page:
    recipient = svc.routing.recipient(record["association"]) or svc.routing.network
    commune = (record.get("data") or {}).get("commune")
    open_ = record["state"] != State.CLOSED
    return svc.pages.render(
        "status.html", status, title="Où en est votre demande ?", ref=record["ref"],
        what=TITLES.get(record["kind"], "Demande"), commune=svc.routing.commune_name(commune) if commune else "",
        recipient=recipient.name, facts=facts(svc, record), notice=notice, open=open_,
        handled=record["state"] == State.HANDLED,
        deadline=_day(lifecycle.charter_deadline(record, svc.policy)),
        closes=french_date(local_time(svc.link_expiry(record)).date()),
        phone=svc.routing.cell_phone.display, sig=sig, action=record["ref"],
        no_longer_needed=NO_LONGER_NEEDED, not_called=NOT_CALLED, complaint_url=complaint_url(svc, record))


def status_page(svc: FormService, ref: str, params: dict[str, str]) -> Page:
    """GET: the page; nothing changes."""
    verdict, record = find(svc, ref, params.get("sig"))
    if verdict != "ok" or record is None:
        return problem(svc, verdict)
    return _page(svc, record, params["sig"])


def _close(svc: FormService, record: Request) -> Request:
    return svc.change(record, EventKind.CLOSED, actions.HOUSEHOLD, reason=CloseReason.NO_LONGER_NEEDED)


def _not_called(svc: FormService, record: Request) -> Request:
    """The « non » answer's path: recorded as that answer when the question went out and is unanswered, and the
    request goes to the cell with the reason « household »; a callback the cell owes itself gets a note in its
    trail instead (the cell is not escalated to itself)."""
    if record.get("followup_sent_at") and not record.get("followup_answer"):
        return actions.answer_followup(svc, record, "non")
    if lifecycle.for_cell(record):
        return svc.change(record, EventKind.NOTED, actions.HOUSEHOLD, text="La personne dit ne pas avoir été rappelée.")
    try:
        return actions.escalate(svc, record, EscalationReason.HOUSEHOLD, actions.HOUSEHOLD)
    except Refused:   # already with the cell for this reason: it has the liaison sheet
        logger.info("%s: « pas rappelé » again, already with the cell", record["ref"])
        return record


def status_confirm(svc: FormService, ref: str, fields: dict[str, str]) -> Page:
    """POST: one of the two buttons, then the page again with what was recorded."""
    sig = fields.get("sig") or ""
    verdict, record = find(svc, ref, sig)
    if verdict != "ok" or record is None:
        return problem(svc, verdict)
    choice = fields.get("action")
    if choice not in (NO_LONGER_NEEDED, NOT_CALLED):
        return problem(svc, "invalid")
    if record["state"] == State.CLOSED:
        return problem(svc, "closed")
    try:
        if choice == NO_LONGER_NEEDED:
            record = svc.on_fresh_copy(record, lambda current: _close(svc, current))
            notice = "C'est noté : votre demande est close. Merci de nous avoir prévenus."
        else:
            record = svc.on_fresh_copy(record, lambda current: _not_called(svc, current))
            notice = (f"C'est noté : la cellule régionale va vous rappeler. Vous pouvez aussi l'appeler au "
                      f"{svc.routing.cell_phone.display}.")
    except Refused:
        return problem(svc, "closed")
    return _page(svc, svc.store.get(ref) or record, sig, notice)
