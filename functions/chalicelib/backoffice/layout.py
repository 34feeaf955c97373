"""Rendering the back office's pages: the navigation for the person signed in, their CSRF token, the months,
and the words people read for the trail's actors and the requests' states."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any

from rules import vocabulary
from rules.dates import french_time, local_time, month_bounds, month_name, month_of
from rules.typography import NBSP

from ..requests import lifecycle
from ..requests.enums import ActorKind, State, WAITING
from ..requests.model import Request
from . import auth, csrf
from .web import Reply, base_path, from_page

if TYPE_CHECKING:
    from ..service import FormService
    from .auth import Session, Who

MONTH = re.compile(r"(20[2-9]\d)-(0[1-9]|1[0-2])")
STATES = State.labels()
ACTORS = ActorKind.labels()

NAV = {
    "ai": (("accueil", "/espace/", "Accueil"), ("demandes", "/espace/demandes", "Demandes"),
           ("contacts", "/espace/contacts", "Contacts"),   # its own calls and visits (chalicelib/contacts)
           ("chiffres", "/espace/chiffres", "Chiffres du mois"), ("annexe", "/espace/annexe-3", "Origines"),
           ("informations", "/espace/mes-informations", "Mes informations"),
           ("suites", "/espace/suites", "Réclamations et signalements")),
    "cell": (("accueil", "/espace/", "Accueil"), ("file", "/espace/file", "File d'appels"),
             ("fiche", "/espace/fiche", "Fiche de liaison"), ("demandes", "/espace/demandes", "Demandes"),
             ("chiffres", "/espace/chiffres", "Chiffres du mois"), ("annexe", "/espace/annexe-3", "Origines"),
             ("semaine", "/espace/semaine", "Semaine"), ("suites", "/espace/suites", "Réclamations et signalements")),
}
DONE = {   # ?fait=… after an action: what the page says, in a status message that takes the focus
    "traitee": "Le résultat est enregistré.",
    "note": "La note est ajoutée au journal de la demande.",
    "pas-pour-nous": "La demande est rendue à la cellule régionale, qui va la réorienter.",
    "reorientee": "La demande est réorientée : l'association la reçoit par e-mail, comme une demande du site.",
}


def render(svc: FormService, session: Session | None, template: str, status: int = 200, current: str = "",
           cookies: list[str] | None = None, here: str = "", **context: Any) -> Reply:
    """A page for the person signed in (``session``), with the navigation (``current``: the active item) and
    when the session ends, with « Rester connecté » (``here``: the page to come back to, without JavaScript)."""
    base = base_path(svc)
    who = session.who if session else None
    nav = [(base + path, label, key == current) for key, path, label in NAV[who.role]] if who else []
    token = csrf.session_token(svc.settings.secret, session.id) if session else ""
    page = svc.pages.render(f"espace/{template}", status, base=base, who=who, nav=nav, csrf_token=token,
                            role_label=vocabulary.ROLES.get(who.role, "") if who else "",
                            session_end=_session_end(svc, session, here or _path_of(who, current)), **context)
    return from_page(page, cookies)


def associations_near(svc: FormService, insee: str, leave_out: tuple[str, ...] = ()
                      ) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """The associations to offer for a commune: (those serving it, every other one), each nearest first, as
    ``(id, name, distance)`` where distance reads « à 12 km » (empty without a position). The first of the
    first non-empty list is the one to pre-select."""
    routing = svc.routing
    serving_ids = {a.id for a in routing.serving(insee)}
    serving: list[tuple[str, str, str]] = []
    others: list[tuple[str, str, str]] = []
    for contact, km in routing.nearest_first(insee):
        if contact.id in leave_out:
            continue
        distance = f"à{NBSP}{max(round(km), 1)}{NBSP}km" if km is not None else ""   # as the site's pages say it
        (serving if contact.id in serving_ids else others).append((contact.id, contact.name, distance))
    return serving, others


def end_time(svc: FormService, expires: int) -> str:
    """« 17 h 42 », or « demain 1 h 30 » when the session ends after midnight."""
    end = local_time(expires)
    return ("demain " if end.date() > local_time(svc.now()).date() else "") + french_time(end)


def _path_of(who: Who | None, current: str) -> str:
    return next((path for key, path, _ in NAV[who.role] if key == current), "/espace/") if who else "/espace/"


def _session_end(svc: FormService, session: Session | None, here: str) -> dict[str, Any] | None:
    """What the page says of the session's end: the time, the seconds left (the script counts from its own
    clock, not the server's), whether it can still be extended, and the page to come back to."""
    if session is None:
        return None
    now = svc.now()
    return {"time": end_time(svc, session.expires), "left": session.expires - now,
            "warn": auth.WARN_SECONDS, "extendable": session.can_extend(), "here": here}


def this_month(svc: FormService) -> str:
    return month_of(svc.now())


def month_arg(svc: FormService, value: str) -> str | None:
    """The month asked for (``2026-11``), the current one when none; None when it is not a month we keep."""
    if not value:
        return this_month(svc)
    if not MONTH.fullmatch(value) or value > this_month(svc):
        return None
    return value


def neighbours(svc: FormService, month: str) -> tuple[str | None, str | None]:
    """The months before and after, for the navigation (none after the current month)."""
    start, end = month_bounds(month)
    before = month_of(start - 1)
    after = month_of(end)
    return before, (after if after <= this_month(svc) else None)


def recent_months(svc: FormService, count: int = 2) -> list[str]:
    """The current month and the ones before it: open requests are at most 30 days old (then closed)."""
    months = [this_month(svc)]
    for _ in range(count - 1):
        months.append(month_of(month_bounds(months[-1])[0] - 1))
    return months


def actor_name(svc: FormService, actor: str) -> str:
    """``cell:claire@…`` → « Claire Duboscq (cellule régionale) », ``ai:ai-x`` → the association's name."""
    kind, _, who = actor.partition(":")
    if kind == "cell":
        operator = svc.routing.operators.get(who.lower()) if who else None
        return f"{operator.name} (cellule régionale)" if operator else (f"{who} (cellule régionale)" if who else
                                                                          ActorKind.CELL.label)
    if kind == "ai" and who:
        contact = svc.routing.recipient(who)
        return contact.name if contact else who
    return ACTORS.get(kind, actor)


def recipient_name(svc: FormService, ai_id: str) -> str:
    contact = svc.routing.recipient(ai_id)
    return contact.name if contact else ai_id


def is_open(record: Request) -> bool:
    return record["state"] in (*WAITING, State.ESCALATED)


def is_late(svc: FormService, record: Request) -> bool:
    """Open and past the charter's deadline (or the callback day agreed with a caller)."""
    return is_open(record) and lifecycle.charter_deadline(record, svc.policy) <= svc.now()


def state_label(record: Request) -> str:
    label: str = STATES.get(record["state"], record["state"])
    return label


def today(svc: FormService) -> datetime.date:
    return local_time(svc.now()).date()


def month_title(month: str) -> str:
    return month_name(month)
