"""The end of a session, without losing anyone's work (WCAG 2.2.1, « Réglage du délai »).

- **Before the end**: every page says when the session ends and offers « Rester connecté » — a POST (CSRF token,
  same origin) that extends the same session (``auth.extend_session``). It works without JavaScript (the page
  comes back with its new end time); the page's little script raises the notice 15 minutes before the end and
  extends in place, so what is being typed stays on the page.
- **A page from an earlier session** (signed in again, then Back to the page left open): its token is not this
  session's, so nothing is done — but what it carried comes back at once, in the same page as below.
- **Too late**: a form that arrives after the end is not thrown away. What it carried is kept server-side for an
  hour — under this browser's random nonce (the pre-sign-in cookie), never reachable from another browser —
  and the answer is the sign-in form itself. Once signed in again, the person lands on a page with what they
  had typed, ready to send again with the new session's token: nothing is replayed without them pressing the
  button, so a form posted by someone else can never act in their name. Reading it erases it (one use); else
  the store's expiry does (``store.sweep`` on SQLite, the TTL on DynamoDB).
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING

from . import auth, csrf, layout
from .web import Reply, Visit, base_path, page, redirect, safe_then

if TYPE_CHECKING:   # the one service, for its type only (it imports this module)
    from ..service import FormService

logger = logging.getLogger(__name__)

DRAFT_SECONDS = 3600          # what a too-late form carried is kept this long, then erased
DRAFTS_PER_CLIENT = 20        # per hour and hashed IP: an anonymous POST must not fill the store
DRAFT_ID = re.compile(r"[0-9a-f]{32}")
RESUME = "/espace/reprendre/"
NOT_KEPT = ("/espace/prolonger", "/espace/deconnexion")   # nothing to resume there
TYPED = {   # the fields a person types (the others were chosen from lists, or are the page's own)
    "note": ("Note", True), "pourquoi": ("Pourquoi", True), "besoin": ("Besoin", True), "autre": ("Autre", False),
    "nom": ("Nom", False), "telephone": ("Téléphone", False), "email": ("E-mail", False),
    "commune": ("Commune", False), "orientation": ("Orientée vers", False),
    "rappel_prevu": ("Date de rappel prévue (AAAA-MM-JJ)", False), "rappel_le": ("Rappel le (AAAA-MM-JJ)", False),
    "premiere_intervention": ("Première intervention (AAAA-MM-JJ)", False),
}
CHOSEN = {"resultat": "Résultat", "motif": "Motif", "association": "Association", "associations": "Associations",
          "services": "Services", "rappel_creneau": "Créneau de rappel", "mode_contact": "Contact par",
          "origine": "Origine", "consentement": "Consentement", "insee": "Code INSEE de la commune"}


def draft_key(nonce: str, draft: str) -> str:
    """Where a draft is kept: under this browser's nonce, hashed (the store holds no usable id)."""
    return auth.token_key(f"draft|{nonce}|{draft}")


def keep(svc: FormService, visit: Visit) -> tuple[str, list[str]]:
    """Keep what a too-late POST carried; (draft id or '' when nothing was kept, cookies to set)."""
    nonce, cookies = auth.browser_nonce(svc, visit.cookies)
    fields = [[name, value] for name, values in visit.form.items() if name != csrf.FIELD for value in values]
    if visit.path in NOT_KEPT or not fields:
        return "", cookies
    hour = svc.now() // 3600
    if not svc.store.take(f"espace-draft#{auth.client_hash(svc, visit.ip)}#{hour}", DRAFTS_PER_CLIENT,
                          (hour + 2) * 3600):
        return "", cookies
    draft = secrets.token_hex(16)
    svc.store.put_token(draft_key(nonce, draft), {"path": visit.path, "fields": fields}, svc.now() + DRAFT_SECONDS)
    return draft, cookies


def ended(svc: FormService, visit: Visit, stale: list[str]) -> Reply:
    """The answer to a POST whose session has ended: what it carried is kept, and the sign-in form is here."""
    draft, cookies = keep(svc, visit)
    nonce, _ = auth.browser_nonce(svc, {**visit.cookies, **_set(cookies)})
    notice = ["Votre session a pris fin (après 8 heures, ou à la déconnexion)."]
    if draft:
        notice.append(f"Ce que vous venez d'envoyer n'est pas perdu : il est gardé {DRAFT_SECONDS // 60} minutes "
                      "sur ce navigateur. Reconnectez-vous ci-dessous : vous le retrouverez, prêt à être envoyé.")
    else:
        notice.append("Reconnectez-vous ci-dessous, puis recommencez.")
    reply = layout.render(svc, None, "signin.html", 401, cookies=stale + cookies, title="Session terminée",
                          errors={}, value="", then=RESUME + draft if draft else _back(visit.path),
                          notice=notice, anonymous_token=csrf.anonymous_token(svc.settings.secret, nonce))
    return reply


def _set(cookies: list[str]) -> dict[str, str]:
    """The cookies a reply is setting, as the next request would send them (read by SimpleCookie, which knows
    a Set-Cookie value's attributes from its pair)."""
    jar: SimpleCookie = SimpleCookie()
    for cookie in cookies:
        jar.load(cookie)
    return {name: morsel.value for name, morsel in jar.items()}


def _field(name: str, value: str, index: int) -> dict:
    label, long = TYPED.get(name, (CHOSEN.get(name, ""), False))
    return {"name": name, "value": value, "label": label, "typed": name in TYPED, "id": f"r-{index}",
            "long": long or "\n" in value}


def _back(path: str) -> str:
    """The page the form was on: ``/espace/demandes/REF/note`` → ``/espace/demandes/REF``."""
    parts = path.strip("/").split("/")
    return safe_then("/" + "/".join(parts[:3] if len(parts) > 3 else parts))


def _resume_page(svc: FormService, session, path: str, pairs: list, status: int = 200) -> Reply:
    fields = [_field(name, value, i) for i, (name, value) in enumerate(pairs)]
    return layout.render(svc, session, "resume.html", status, title="Reprendre votre envoi", stale=status == 403,
                         action=base_path(svc) + path, back=base_path(svc) + _back(path), fields=fields,
                         here=_back(path))


def stale_form(svc: FormService, visit: Visit, session) -> Reply | None:
    """A POST from a page of an earlier session (its CSRF token is another session's): nothing is done, and what
    it carried is shown again with this session's token, to send once checked; None when there is nothing."""
    pairs = [[name, value] for name, values in visit.form.items() if name != csrf.FIELD for value in values]
    if visit.path in NOT_KEPT or not pairs:
        return None
    return _resume_page(svc, session, visit.path, pairs, 403)


@page()
def resume(svc: FormService, visit: Visit, session, draft: str):
    """GET /espace/reprendre/{draft} once signed in again: the form that arrived too late, filled in as it was,
    to send with this session's token. Read once: the draft is erased as it is shown."""
    nonce = visit.cookies.get(auth.cookie_name(svc, auth.PRE_COOKIE), "")
    data = svc.store.take_token(draft_key(nonce, draft), svc.now()) \
        if DRAFT_ID.fullmatch(draft or "") and auth.NONCE.fullmatch(nonce) else None
    path = data.get("path", "") if data else ""
    if not data or not re.fullmatch(r"/espace(/[A-Za-z0-9-]+){1,3}", path):
        return layout.render(svc, session, "message.html", 410, title="Rien à reprendre", paragraphs=[
            f"Ce qui avait été envoyé après la fin de la session n'est plus gardé : il l'est "
            f"{DRAFT_SECONDS // 60} minutes, sur le navigateur qui l'a envoyé, et n'est montré qu'une fois."],
            link=(base_path(svc) + "/espace/", "Aller à l'accueil de l'espace"))
    return _resume_page(svc, session, path, data["fields"])


@page()
def extend(svc: FormService, visit: Visit, session):
    """POST « Rester connecté »: the session goes on (8 hours from now, within 24 hours of signing in). The
    page's script asks for JSON and stays where it is; without it, back to the page with its new end time."""
    session, cookie = auth.extend_session(svc, session)
    until = layout.end_time(svc, session.expires)
    if "application/json" in visit.headers.get("accept", ""):
        body = json.dumps({"reste": session.expires - svc.now(), "fin": until,
                           "prolongeable": session.can_extend()})
        return Reply(200, body, {"Content-Type": "application/json; charset=utf-8"}, [cookie])
    return redirect(svc, safe_then(visit.field("suite")), [cookie])
