"""The association's signed page of the 72 hours (``/mission/{ref}``, linked from the reminder): the first
mission's date, or « il y a une difficulté » — which tells the household. Following the link changes nothing (mail
scanners open links); the buttons do. Like the « traitée » page, no name nor commune: the link may be forwarded."""

from __future__ import annotations

import datetime
from typing import Any

from rules.dates import french_date, french_datetime, local_time

from ..requests import actions

from ..web import links
from ..requests.outcome import OutcomeInvalid, clean_outcome
from ..web.pages import Page
from ..requests import lifecycle
from ..requests.enums import ActorKind, Outcome, State
from ..requests.lifecycle import Refused
from ..requests.model import Request
from ..service import REF_PATTERN, FormService
from ..requests.views import problem
from . import rules, sending


def _find(svc: FormService, ref: str, sig: str | None) -> tuple[str, Request | None]:
    """(verdict, request) like ``FormService.find_signed``, for the association holding the request now."""
    if not REF_PATTERN.fullmatch(ref or ""):
        return "invalid", None
    verdict, holder = links.check(svc.settings.secret, "mission:ai", ref, sig, svc.now())
    if verdict != "ok":
        return verdict, None
    record = svc.store.get(ref)
    if record is None:
        return "missing", None
    if record.association != holder:
        return "moved", None
    if record.state == State.CLOSED or rules.started(record) is None:
        return "closed", None
    return "ok", record


def _page(svc: FormService, record: Request, sig: str, errors: dict[str, str], done: str = "",
          status: int = 200) -> Page:
    end = rules.deadline(record) or 0
    day = rules.first_mission(record)
    return svc.pages.render("mission.html", status, title="Intervenant sous 72 heures", ref=record.ref,
                            client_at=french_datetime(int(record.client_at or 0)), deadline=french_datetime(end),
                            first=french_date(day) if day else rules.PROPOSED,
                            value=day.isoformat() if day else "", in_time=rules.in_time(record),
                            difficulty=french_datetime(record.mission_difficulty_at)
                            if record.mission_difficulty_at else "",
                            told=bool(record.mission_difficulty_told_at), sig=sig, errors=errors, done=done)


def mission_page(svc: FormService, ref: str, params: dict[str, Any]) -> Page:
    verdict, record = _find(svc, ref, params.get("sig"))
    if verdict != "ok" or record is None:
        return problem(svc, verdict)
    return _page(svc, record, params["sig"], {})


def mission_confirm(svc: FormService, ref: str, fields: dict[str, Any]) -> Page:
    """POST: ``action=date`` records the first mission's date (the outcome « client », corrected), ``action=
    difficulte`` reports the difficulty and tells the household."""
    sig = fields.get("sig")
    verdict, record = _find(svc, ref, sig)
    if verdict != "ok" or record is None or sig is None:
        return problem(svc, verdict)
    who = lifecycle.actor(ActorKind.AI, record.association)
    try:
        if fields.get("action") == "difficulte":
            if record.mission_difficulty_at:
                return _page(svc, record, sig, {}, done="La difficulté était déjà signalée.")
            record = svc.on_fresh_copy(record, lambda current: sending.report_difficulty(svc, current, who))
            told = "La personne en est prévenue." if record.mission_difficulty_told_at else \
                "Le message à la personne part dès que possible (jamais de SMS la nuit)."
            return _page(svc, record, sig, {}, done=f"Difficulté enregistrée. {told}")
        today = local_time(svc.now()).date()
        try:
            outcome = clean_outcome({"resultat": Outcome.CLIENT, "premiere_intervention":
                                     fields.get("premiere_intervention", "")},
                                    local_time(record.created_at).date(), today)
        except OutcomeInvalid as invalid:
            return _page(svc, record, sig, invalid.errors, status=400)
        if not outcome["first_visit"]:
            return _page(svc, record, sig, {"premiere_intervention": "Indiquez la date de la première mission."},
                         status=400)
        record = svc.on_fresh_copy(record, lambda current: actions.handle(svc, current, who, outcome))
    except Refused:
        return problem(svc, "closed")
    day = datetime.date.fromisoformat(outcome["first_visit"])
    return _page(svc, record, sig, {}, done=f"Première mission enregistrée le {french_date(day)}. Merci !")
