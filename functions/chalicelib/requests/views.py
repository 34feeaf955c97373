"""The signed-link pages behind requests/routes.py: the AI's (or the cell's) « traitée » page with its outcome,
and the household's answer to « Avez-vous été recontacté ? ».

Following a link changes nothing (mail scanners open every link); the page's button does. The pages show the
least personal data that lets the reader recognise the request — its kind, reference, date and AI — never the
household's name or commune: a link may be forwarded, or opened by someone else.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from rules.dates import french_date, french_datetime, local_time

from . import actions
from ..web import links
from . import lifecycle
from ..intake.forms import TITLES
from ..mission.texts import commitment
from .lifecycle import Refused
from .outcome import EXTRA_FIELDS, OUTCOMES, OutcomeInvalid, clean_outcome
from ..web.pages import Page
from .enums import ActorKind, FollowUpAnswer, Outcome
from .model import Request

if TYPE_CHECKING:   # the one service, for its type only (it imports this module)
    from ..service import FormService

logger = logging.getLogger(__name__)

ANSWERS = FollowUpAnswer.labels()
OUTCOME_LABELS = Outcome.labels()
PROBLEMS = {
    "invalid": (403, "Lien non valide", "Ce lien n'est pas valide : il a peut-être été coupé par votre messagerie. "
                                        "Copiez le lien complet depuis l'e-mail reçu."),
    "expired": (410, "Lien expiré", "Ce lien a expiré : la demande est close et ne peut plus être modifiée en ligne."),
    "closed": (410, "Demande close", "Cette demande est close et ne peut plus être modifiée en ligne."),
    "moved": (403, "Demande confiée à une autre association", "La cellule régionale a confié cette demande à une "
                                                              "autre association : ce lien ne permet plus de la "
                                                              "modifier, et rien n'a été enregistré."),
    "missing": (404, "Demande introuvable", "Cette demande n'existe plus : elle a peut-être été supprimée à la fin "
                                            "de la durée de conservation ou à la demande de la personne."),
}


class Moved(Refused):
    """The request went to another association meanwhile: the link's holder no longer acts on it."""


def problem(svc: FormService, verdict: str) -> Page:
    status, title, text = PROBLEMS[verdict]
    phone = svc.routing.cell_phone.display
    return svc.pages.message(title, [text, f"Pour toute question, appelez la cellule régionale au {phone}."], status)


def _summary(svc: FormService, record: Request) -> dict[str, str]:
    recipient = svc.routing.recipient(record["association"]) or svc.routing.network
    handled = record.get("handled_at")
    return {"what": TITLES.get(record["kind"], "Demande"), "ref": record["ref"], "recipient": recipient.name,
            "received": french_datetime(record["created_at"]),
            "deadline": french_datetime(lifecycle.charter_deadline(record, svc.policy)),
            "handled": french_datetime(handled) if handled else "",
            "outcome": OUTCOME_LABELS.get(record.get("outcome") or "", ""),
            "closes": french_date(local_time(svc.link_expiry(record)).date())}


# --- « traitée » ---------------------------------------------------------------------------------------------

def _by(params: dict[str, str]) -> str:
    return "cell" if params.get("par") == "cellule" else "ai"


def _handled_form(svc: FormService, record: Request, sig: str, by: str, values: dict[str, str | None],
                  errors: dict[str, str], status: int = 200) -> Page:
    title = "Résultat de la demande" if record.get("handled_at") else "Marquer la demande comme traitée"
    button = "Enregistrer le résultat" if record.get("handled_at") else "Confirmer : la demande est traitée"
    return svc.pages.render("handled.html", status, title=title, summary=_summary(svc, record), sig=sig,
                            by_cell=by == "cell", action=record["ref"], outcomes=OUTCOMES, fields=EXTRA_FIELDS,
                            values=values, errors=errors, button=button)


def _record_values(record: Request) -> dict[str, str | None]:
    return {"resultat": record.get("outcome"), "motif": record.get("outcome_reason"),
            "orientation": record.get("orientation"), "premiere_intervention": record.get("first_visit")}


def handled_page(svc: FormService, ref: str, params: dict[str, str]) -> Page:
    """GET: the outcome form (or why it cannot be shown)."""
    by = _by(params)
    verdict, record = svc.find_signed(ref, f"handled:{by}", params.get("sig"))
    if verdict != "ok" or record is None:
        return problem(svc, verdict)
    return _handled_form(svc, record, params["sig"], by, _record_values(record), {})


def handled_confirm(svc: FormService, ref: str, fields: dict[str, str]) -> Page:
    """POST: record « traitée » and its outcome (or correct the outcome), with the actor the link was made for."""
    by = _by(fields)
    sig = fields.get("sig") or ""
    verdict, record = svc.find_signed(ref, f"handled:{by}", sig)
    if verdict != "ok" or record is None:
        return problem(svc, verdict)
    received = local_time(record["created_at"]).date()
    try:
        outcome = clean_outcome(fields, received, local_time(svc.now()).date())
    except OutcomeInvalid as invalid:
        values = {name: fields.get(name) for name in _record_values(record)}
        return _handled_form(svc, record, sig, by, values, invalid.errors, status=400)
    holder = record["association"]
    who = lifecycle.actor(ActorKind.AI, holder) if by == "ai" else lifecycle.actor(ActorKind.CELL)

    def handle(current: Request) -> Request:
        if by == "ai" and current["association"] != holder:   # re-routed between the check and now
            raise Moved()
        return actions.handle(svc, current, who, outcome)

    try:
        record = svc.on_fresh_copy(record, handle)
    except Moved:
        return problem(svc, "moved")
    except Refused:
        return problem(svc, "closed")
    return svc.pages.message("Résultat enregistré", [
        f"La demande {record['ref']} est enregistrée comme traitée le {french_datetime(record['handled_at'])}, "
        f"avec le résultat « {OUTCOME_LABELS[record['outcome']]} ». Merci !",
        *filter(None, [commitment(record)]),
        f"Vous pourrez corriger ce résultat avec le même lien jusqu'à la clôture de la demande, le "
        f"{french_date(local_time(svc.link_expiry(record)).date())}."])


# --- « Avez-vous été recontacté ? » --------------------------------------------------------------------------

def _answered(svc: FormService, record: Request) -> Page:
    answer = record["followup_answer"]
    lines = [f"Votre réponse « {ANSWERS[answer]} » est enregistrée, merci."]
    if answer == "non":
        lines.append(f"La cellule régionale va vous rappeler. Vous pouvez aussi l'appeler au "
                     f"{svc.routing.cell_phone.display}.")
    return svc.pages.message("Réponse enregistrée", lines)


def followup_page(svc: FormService, ref: str, params: dict[str, str]) -> Page:
    answer = params.get("reponse", "")
    if answer not in ANSWERS:
        return problem(svc, "invalid")
    verdict, record = svc.find_signed(ref, f"followup:{answer}", params.get("sig"))
    if verdict != "ok" or record is None:
        return problem(svc, verdict)
    if record.get("followup_answer"):
        return _answered(svc, record)
    other = "non" if answer == "oui" else "oui"
    other_url = links.followup_url("", svc.settings.secret, ref, other, svc.link_expiry(record)).removeprefix(
        "/suivi/")
    return svc.pages.render("followup.html", title="Avez-vous été recontacté ?", summary=_summary(svc, record),
                            answer=answer, answer_label=ANSWERS[answer], other_url=other_url,
                            other_label=ANSWERS[other], sig=params["sig"], action=ref)


def followup_confirm(svc: FormService, ref: str, fields: dict[str, str]) -> Page:
    answer = fields.get("reponse", "")
    if answer not in ANSWERS:
        return problem(svc, "invalid")
    verdict, record = svc.find_signed(ref, f"followup:{answer}", fields.get("sig"))
    if verdict != "ok" or record is None:
        return problem(svc, verdict)
    if not record.get("followup_answer"):
        try:
            record = svc.on_fresh_copy(record, lambda current: actions.answer_followup(svc, current, answer))
        except Refused:
            return problem(svc, "closed")
        if not record.get("followup_answer"):   # answered meanwhile, from another tab
            record = svc.store.get(ref) or record
    return _answered(svc, record)
