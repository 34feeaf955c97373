"""The household's answer page (``/avis/{ref}``): the two questions on a five-point scale and an optional comment.

The links of the message carry the first answer (``accueil=4``) and open this page with it chosen: following a link
changes nothing (mail scanners open every link of a message — five links recorded at once would be nonsense); the
page's one button records it, with the rest if the household fills it in. An answer given stays given; the page
then asks only what is left. No name, no commune: the link may be forwarded."""

from __future__ import annotations

from typing import Any

from rules.dates import french_date

from .. import sponsorship
from ..web import links
from ..web.pages import Page
from ..requests.enums import Rating, SatisfactionTheme
from ..requests.lifecycle import Refused
from ..requests.model import Request
from ..service import REF_PATTERN, FormService
from ..requests.views import problem
from . import rules, sending

WELCOME, RELATIONSHIP = SatisfactionTheme.WELCOME.value, SatisfactionTheme.RELATIONSHIP.value
RATINGS = tuple(reversed(Rating.choices()))   # « Très satisfait » first


def _find(svc: FormService, ref: str, sig: str | None) -> tuple[str, Request | None]:
    if not REF_PATTERN.fullmatch(ref or ""):
        return "invalid", None
    verdict, _ = links.check(svc.settings.secret, "satisfaction", ref, sig, svc.now())
    if verdict != "ok":
        return verdict, None
    record = svc.store.get(ref)
    if record is None:
        return "missing", None
    if not record.satisfaction_sent_at:
        return "invalid", None
    return "ok", record


def _rating(value: Any) -> int | None:
    return int(value) if isinstance(value, str) and value in Rating.labels() else None


def _form(svc: FormService, record: Request, sig: str, chosen: dict[str, str], errors: dict[str, str],
          done: str = "", status: int = 200) -> Page:
    ai = svc.routing.recipient(record.association) or svc.routing.network
    recorded = {WELCOME: record.satisfaction_welcome, RELATIONSHIP: record.satisfaction_relationship}
    themes = [(theme.value, theme.label) for theme in SatisfactionTheme if recorded[theme.value] is None]
    given = [(theme.label, f"{recorded[theme.value]}/5 – {Rating.label_of(str(recorded[theme.value]))}")
             for theme in SatisfactionTheme if recorded[theme.value] is not None]
    mission = french_date(rules.mission_day(record)) if record.first_visit else ""
    return svc.pages.render("satisfaction.html", status, title="Votre avis sur la première mission",
                            ref=record.ref, ai_name=ai.name, mission=mission, themes=themes, ratings=RATINGS,
                            chosen=chosen, given=given, comment_open=not record.satisfaction_comment,
                            comment_max=rules.COMMENT_MAX, sig=sig, errors=errors, done=done,
                            unhappy=rules.unhappy(record), network_phone=svc.routing.network.phone.display
                            if svc.routing.network.phone else "")


def answer_page(svc: FormService, ref: str, params: dict[str, Any]) -> Page:
    """GET: the questions, the one chosen in the message already checked."""
    verdict, record = _find(svc, ref, params.get("sig"))
    if verdict != "ok" or record is None:
        return problem(svc, verdict)
    chosen = {WELCOME: params[WELCOME]} if _rating(params.get(WELCOME)) else {}
    return _form(svc, record, params["sig"], chosen, {})


def answer_confirm(svc: FormService, ref: str, fields: dict[str, Any]) -> Page:
    """POST: record what is answered (one question at least); an unhappy answer reaches the association."""
    sig = fields.get("sig")
    verdict, record = _find(svc, ref, sig)
    if verdict != "ok" or record is None or sig is None:
        return problem(svc, verdict)
    chosen = {name: fields[name] for name in (WELCOME, RELATIONSHIP) if _rating(fields.get(name))}
    errors = {name: "Choisissez une note de la liste." for name in (WELCOME, RELATIONSHIP)
              if fields.get(name) and not _rating(fields.get(name))}
    comment = str(fields.get("commentaire") or "").strip()
    if len(comment) > rules.COMMENT_MAX:
        errors["commentaire"] = f"Votre commentaire dépasse {rules.COMMENT_MAX} caractères : raccourcissez-le."
    if not chosen and not comment and not errors:
        errors[WELCOME if record.satisfaction_welcome is None else RELATIONSHIP] = \
            "Choisissez une note avant d'envoyer votre avis."
    if errors:
        return _form(svc, record, sig, chosen, errors, status=400)
    try:
        record = svc.on_fresh_copy(record, lambda current: sending.answer(
            svc, current, _rating(chosen.get(WELCOME)), _rating(chosen.get(RELATIONSHIP)), comment))
    except Refused:
        fresh = svc.store.get(ref)
        if fresh is None:
            return problem(svc, "missing")
        if rules.links_expire(fresh) <= svc.now():
            return problem(svc, "expired")
        record = fresh   # nothing new to record (sent twice): show where it stands
    if rules.answered(record):
        lines = ["Votre avis est enregistré. Merci d'avoir pris le temps de répondre !"]
        if rules.unhappy(record):
            lines.append("L'association en est informée et va vous appeler pour remplacer l'intervenant, comme la "
                         "charte qualité l'y engage. La cellule régionale suit votre demande.")
            return svc.pages.message("Merci pour votre avis", lines)
        # Satisfied: the household answering from an SMS saw no e-mail; the sponsorship link is offered here too.
        sponsor = sponsorship.link(record, svc.routing, svc.settings.site_origin)
        if sponsor:
            lines.append("Un voisin ou un proche aurait besoin d'aide à domicile ? Transmettez-lui le lien de la page "
                         "de l'association.")
        return svc.pages.message("Merci pour votre avis", lines,
                                 link=(sponsor, "Recommander l'association") if sponsor else None)
    return _form(svc, record, sig, {}, {}, done="Votre réponse est enregistrée, merci. Vous pouvez aussi répondre à "
                                              "la question qui reste (facultatif).")
