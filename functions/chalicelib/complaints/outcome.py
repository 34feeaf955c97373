"""« Suite donnée »: the signed page where an association, or AAI, records what it did about a complaint or an
error report (``GET|POST /suite-donnee/{ref}?sig=…``).

Opening the link changes nothing (mail scanners open every link); the button does, and carries the link's
signature, which a third-party site cannot know. A link is signed for one case and one holder — the association
it was sent to, or the network for AAI's copy — and only a recipient of the case may hold one. The page shows
what the case is about, never the household's name or words: a link may be forwarded.
"""

from __future__ import annotations

from collections.abc import Mapping

from rules.dates import french_datetime

from ..web import links
from ..web.pages import Page
from ..requests.enums import CaseKind, CaseStatus
from ..service import FormService
from ..intake.validation import FieldError, clean_text
from .cases import MAX_NOTE, OUTCOMES, Closed, outcome_of, record_outcome
from .model import Case

PURPOSE = "case:outcome"
PROBLEMS = {
    "invalid": (403, "Lien non valide", "Ce lien n'est pas valide : il a peut-être été coupé par votre messagerie. "
                                        "Copiez le lien complet depuis l'e-mail reçu."),
    "expired": (410, "Lien expiré", "Ce lien a expiré : indiquez la suite donnée depuis l'espace de gestion."),
    "missing": (404, "Introuvable", "Cette réclamation ou ce signalement n'existe plus : il a peut-être été "
                                    "effacé à la fin de la durée de conservation."),
}
WHAT = {CaseKind.COMPLAINT: "Réclamation", CaseKind.ERROR_REPORT: "Signalement d'erreur"}


def problem(svc: FormService, verdict: str) -> Page:
    status, title, text = PROBLEMS[verdict]
    phone = svc.routing.network.phone
    call = [f"Pour toute question, appelez la cellule régionale au {phone.display}."] if phone else []
    return svc.pages.message(title, [text, *call], status)


def find(svc: FormService, ref: str, sig: str | None) -> tuple[str, Case | None, str]:
    """(verdict, case, holder): ``invalid`` (forged, another case's link, or a holder the case was not sent to),
    ``expired``, ``missing`` or ``ok``. Changes nothing."""
    if not ref or len(ref) > 40 or not ref.isascii():
        return "invalid", None, ""
    verdict, holder = links.check(svc.settings.secret, PURPOSE, ref, sig, svc.now())
    if verdict != "ok":
        return verdict, None, ""
    case = svc.store.get_case(ref)
    if case is None:
        return "missing", None, ""
    if holder not in case.recipients:
        return "invalid", None, ""
    return "ok", case, holder


def summary(svc: FormService, case: Case) -> dict[str, str]:
    """What the page may show to whoever holds the link: the case, not the person."""
    ai = svc.routing.recipient(case.association)
    page = case.details.get("page", "")
    return {"what": WHAT[case.kind], "ref": case.ref, "received": french_datetime(case.created_at),
            "about": ai.name if ai is not None and ai.id != svc.routing.network.id else "",
            "page": page, "text": case.details.get("texte", "") if case.kind == CaseKind.ERROR_REPORT else "",
            "outcome": OUTCOMES[case.kind].label_of(case.outcome) if case.status == CaseStatus.CLOSED else "",
            "status": case.status.label}


def _page(svc: FormService, case: Case, sig: str, errors: Mapping[str, str] | None = None, note: str = "",
          status: int = 200, done: bool = False) -> Page:
    return svc.pages.render("case_outcome.html", status, title="Suite donnée", summary=summary(svc, case),
                            closed=case.status == CaseStatus.CLOSED, done=done,
                            outcomes=OUTCOMES[case.kind].choices(), errors=dict(errors or {}), note=note,
                            action=f"{svc.settings.forms_endpoint}/suite-donnee/{case.ref}", sig=sig)


def outcome_page(svc: FormService, ref: str, params: Mapping[str, str]) -> Page:
    sig = params.get("sig") or ""
    verdict, case, _ = find(svc, ref, sig)
    if case is None:
        return problem(svc, verdict)
    return _page(svc, case, sig)


def outcome_confirm(svc: FormService, ref: str, fields: Mapping[str, str]) -> Page:
    sig = fields.get("sig") or ""
    verdict, case, holder = find(svc, ref, sig)
    if case is None:
        return problem(svc, verdict)
    if case.status == CaseStatus.CLOSED:
        return _page(svc, case, sig, status=409)
    errors: dict[str, str] = {}
    chosen = outcome_of(case, fields.get("issue") or "")
    if chosen is None:
        errors["issue"] = "Choisissez la suite donnée."
    note = fields.get("note") or ""
    try:
        note = clean_text(note, MAX_NOTE, multiline=True)
    except FieldError as problem_found:
        errors["note"] = str(problem_found)
    if errors or chosen is None:
        return _page(svc, case, sig, errors, note, status=400)
    actor = "cell:lien" if holder == svc.routing.network.id else f"ai:{holder}"
    try:
        case = record_outcome(svc, case, chosen, note, actor)
    except Closed:
        fresh = svc.store.get_case(ref)
        return _page(svc, fresh, sig, status=409) if fresh is not None else problem(svc, "missing")
    return _page(svc, case, sig, done=True)
