"""« Réclamations et signalements » in the back office: the month's cases an association may see (those sent to
it: a complaint about it, an error reported on its page or on a commune page it serves), every case for the cell
and AAI's editors; a case's page with everything the household wrote, its history, and the outcome form (the same
rule as the signed link: ``cases.record_outcome``). Another association's case is a 404, the same page as a case
that does not exist."""

from __future__ import annotations

from rules.dates import french_datetime, month_name

from ..backoffice import layout
from ..backoffice.auth import Session
from ..backoffice.web import Reply, Visit, not_found, page, redirect
from ..requests.enums import CaseKind, CaseStatus
from ..service import FormService
from ..intake.validation import FieldError, clean_text
from .cases import MAX_NOTE, OUTCOMES, Closed, may_answer, outcome_of, record_outcome
from .mail import rows
from .model import Case

NOT_YOURS = "Cette réclamation ou ce signalement n'existe pas, ou il ne vous est pas adressé."


def _sees(svc: FormService, session: Session, case: Case) -> bool:
    who = session.who
    return may_answer(case, who.associations, svc.routing.network.id, who.is_cell)


def _line(svc: FormService, case: Case) -> dict[str, str]:
    return {"ref": case.ref, "what": case.kind.label, "received": french_datetime(case.created_at),
            "about": layout.recipient_name(svc, case.association), "status": case.status.label,
            "outcome": OUTCOMES[case.kind].label_of(case.outcome)}


@page()   # every role signed in
def cases_list(svc: FormService, visit: Visit, session: Session) -> Reply:
    """GET /espace/suites?mois=2026-11."""
    month = layout.month_arg(svc, visit.arg("mois"))
    if month is None:
        return layout.render(svc, session, "message.html", 400, current="suites", title="Mois incorrect",
                             paragraphs=["Ce mois n'existe pas ou n'est pas encore arrivé : écrivez-le comme "
                                         "2026-11."])
    found = [c for kind in CaseKind for c in svc.store.cases_month(kind.value, month) if _sees(svc, session, c)]
    found.sort(key=lambda c: (c.status == CaseStatus.CLOSED, c.created_at))
    before, after = layout.neighbours(svc, month)
    return layout.render(svc, session, "cases.html", current="suites",
                         title="Réclamations et signalements", month=month, month_name=month_name(month),
                         before=before, after=after, lines=[_line(svc, c) for c in found])


def _case_page(svc: FormService, session: Session, case: Case, status: int = 200, error: str = "",
               note: str = "", done: bool = False) -> Reply:
    details = rows(svc, case) if case.kind == CaseKind.COMPLAINT else [
        ("Référence", case.ref), ("Reçu le", french_datetime(case.created_at)),
        ("Page", case.details.get("page", "")), ("Erreur signalée", case.details.get("texte", "")),
        ("E-mail de contact (non vérifié)", case.details.get("email") or "non indiqué")]
    history = [(french_datetime(e.at), layout.actor_name(svc, e.actor), e.what, e.note) for e in case.history]
    return layout.render(svc, session, "case.html", status, current="suites", title=f"{case.kind.label} {case.ref}",
                         case=_line(svc, case), details=details, history=history,
                         closed=case.status == CaseStatus.CLOSED, outcomes=OUTCOMES[case.kind].choices(),
                         error=error, note=note, done=done)


@page()   # every role signed in
def case_page(svc: FormService, visit: Visit, session: Session, ref: str) -> Reply:
    """GET /espace/suites/{ref}."""
    case = svc.store.get_case(ref)
    if case is None or not _sees(svc, session, case):
        return not_found(svc, NOT_YOURS)
    return _case_page(svc, session, case, done=visit.arg("fait") == "1")


@page()   # every role signed in
def case_outcome(svc: FormService, visit: Visit, session: Session, ref: str) -> Reply:
    """POST /espace/suites/{ref}: « corrigé », « pas une erreur », or a complaint's outcome, with a note."""
    case = svc.store.get_case(ref)
    if case is None or not _sees(svc, session, case):
        return not_found(svc, NOT_YOURS)
    chosen = outcome_of(case, visit.field("issue"))
    note = visit.field("note")
    try:
        note = clean_text(note, MAX_NOTE, multiline=True)
    except FieldError as problem:
        return _case_page(svc, session, case, 400, str(problem), note)
    if chosen is None:
        return _case_page(svc, session, case, 400, "Choisissez la suite donnée.", note)
    who = session.who
    if who.is_cell:
        actor = f"cell:{who.email}"
    else:
        actor = "ai:" + next((a for a in (case.association, *case.recipients) if a in who.associations),
                             who.associations[0])
    try:
        record_outcome(svc, case, chosen, note, actor)
    except Closed:
        fresh = svc.store.get_case(ref)
        return _case_page(svc, session, fresh, 409, "Une suite a déjà été enregistrée.") if fresh else \
            not_found(svc, NOT_YOURS)
    return redirect(svc, f"/espace/suites/{ref}?fait=1")
