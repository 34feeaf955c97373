"""Signing in and out: the address form, the e-mail with its link, the link's page and its button, sign-out.

The address form answers the same page whatever the address — known or not — and after the same time (the
e-mail is sent within a fixed delay, then the page answers), so nobody learns who has access. A client asking
too often (any address, or one address again and again) is told that no link was sent; a stranger's asks never
spend the owner's allowance (backoffice/auth.py). The link's page changes nothing: its button opens the session.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Callable

from rules.dates import french_time, local_time
from rules.email_address import normalize_email

from ..mail.mailers import MailError
from ..mail.messages import compose, new_message, shared_address
from . import audit, auth, csrf, inbox, layout
from .web import Reply, Visit, base_path, page, redirect, safe_then

if TYPE_CHECKING:
    from ..service import FormService
    from email.message import EmailMessage

    from .auth import Session, Who

if TYPE_CHECKING:   # the one service, for its type only (it imports this module)
    from ..service import FormService

logger = logging.getLogger(__name__)

NONCE = auth.NONCE
ANSWER_SECONDS = 0.3   # the address form answers this long after it was posted, link sent or not


def answer_after(started: float, seconds: float = ANSWER_SECONDS, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
    """Wait until ``seconds`` after ``started``: a known address (a token stored, an e-mail sent) and an unknown
    one (nothing to do) then answer after the same time, and the time tells nobody who has access."""
    left = started + seconds - clock()
    if left > 0:
        sleep(left)


def _nonce(svc: FormService, visit: Visit) -> tuple[str, list[str]]:
    """The nonce of the anonymous forms' CSRF token: the browser's, or a new one (and its cookie)."""
    return auth.browser_nonce(svc, visit.cookies)


def _anonymous_ok(svc: FormService, visit: Visit) -> bool:
    nonce = visit.cookies.get(auth.cookie_name(svc, auth.PRE_COOKIE), "")
    return bool(NONCE.fullmatch(nonce)) and csrf.valid(csrf.anonymous_token(svc.settings.secret, nonce),
                                                        visit.field(csrf.FIELD))


def _form(svc: FormService, visit: Visit, status: int = 200, value: str = "", errors: dict[str, str] | None = None,
          then: str = "") -> Reply:
    nonce, cookies = _nonce(svc, visit)
    return layout.render(svc, None, "signin.html", status, cookies=cookies, title="Espace de gestion",
                         errors=errors or {}, value=value, then=safe_then(then),
                         anonymous_token=csrf.anonymous_token(svc.settings.secret, nonce))


@page(anonymous=True)
def home(svc: FormService, visit: Visit, session: Session | None) -> Reply:
    """Signed in: the dashboard. Otherwise: the address form."""
    if session is not None:
        return inbox.dashboard(svc, visit, session)
    return _form(svc, visit, then=visit.arg("suite"))


@page(anonymous=True)
def ask_link(svc: FormService, visit: Visit, session: Session | None) -> Reply:
    """POST of the address form: a link to a known address, the same page for any address."""
    started = time.monotonic()
    typed, then = visit.field("email").strip()[:254], safe_then(visit.field("suite"))
    if not _anonymous_ok(svc, visit):
        return _form(svc, visit, 403, typed, {"formulaire": "Le formulaire a expiré : renvoyez-le (votre "
                                                            "navigateur doit accepter les cookies de ce site)."}, then)
    address_ok = normalize_email(typed)
    if address_ok is None:
        return _form(svc, visit, 400, typed, {"email": "Indiquez une adresse e-mail valide, par exemple "
                                                       "prenom.nom@association.org."}, then)
    try:
        allowed = auth.count_ask(svc, visit.ip, address_ok)
    except auth.TooManyAsks:
        return layout.render(svc, None, "message.html", 429, title="Trop de demandes de lien", paragraphs=[
            "Beaucoup de liens de connexion ont été demandés depuis votre connexion : réessayez dans une heure."])
    who = auth.identify(svc.routing, address_ok)
    if who is not None and allowed:
        _send_link(svc, who, then)
    answer_after(started)
    return layout.render(svc, None, "link_sent.html", title="Vérifiez votre messagerie", address=address_ok,
                         minutes=auth.LINK_SECONDS // 60, sent=allowed)


def _send_link(svc: FormService, who: Who, then: str) -> None:
    token, expires = auth.new_link(svc, who, then)
    url = f"{svc.settings.forms_endpoint}/espace/connexion?jeton={token}"
    try:
        svc.mailer.send(link_message(svc, who, url, expires))
    except MailError as error:   # the page says the same anyway: nobody learns the address is known
        logger.error("sign-in link not sent (%s)", error)
        return
    audit.journal(svc, who.actor(), "link_sent")


def link_message(svc: FormService, who: Who, url: str, expires: int) -> EmailMessage:
    """The e-mail with the link, to the address as the data writes it."""
    routing = svc.routing
    subject = "Votre lien de connexion à l'espace de gestion"
    msg = new_message(subject, routing, shared_address(who.name, who.email))
    return compose(msg, "signin_link", subject=subject, site_name=routing.site_name,
                   until=french_time(local_time(expires)), url=url)


def _link_gone(svc: FormService, visit: Visit) -> Reply:
    return layout.render(svc, None, "message.html", 410, title="Lien expiré ou déjà utilisé", paragraphs=[
        f"Ce lien de connexion n'est plus valable : il ne sert qu'une fois et pendant "
        f"{auth.LINK_SECONDS // 60} minutes. Demandez-en un nouveau."],
        link=(base_path(svc) + "/espace/", "Demander un nouveau lien"))


@page(anonymous=True)
def link_page(svc: FormService, visit: Visit, session: Session | None) -> Reply:
    """GET of the e-mailed link: a button, nothing used yet (a mail scanner may have opened the link)."""
    token = visit.arg("jeton")
    found = auth.peek_link(svc, token)
    if found is None:
        return _link_gone(svc, visit)
    nonce, cookies = _nonce(svc, visit)
    return layout.render(svc, None, "link.html", cookies=cookies, title="Connexion à l'espace de gestion",
                         token=token, person=found[0],
                         anonymous_token=csrf.anonymous_token(svc.settings.secret, nonce))


@page(anonymous=True)
def open_session(svc: FormService, visit: Visit, session: Session | None) -> Reply:
    """POST of the link page's button: the link is used, the session opens."""
    if not _anonymous_ok(svc, visit):
        return layout.render(svc, None, "message.html", 403, title="Page expirée", paragraphs=[
            "Cette page a expiré ou votre navigateur refuse les cookies de ce site : rouvrez le lien reçu par "
            "e-mail, puis appuyez sur le bouton."])
    found = auth.use_link(svc, visit.field("jeton"))
    if found is None:
        audit.journal(svc, "system", "link_refused")
        return _link_gone(svc, visit)
    who, then = found
    new, cookie = auth.open_session(svc, who)
    audit.journal(svc, who.actor(), "signed_in")
    return redirect(svc, safe_then(then), [cookie])


@page()
def sign_out(svc: FormService, visit: Visit, session: Session) -> Reply:
    cookie = auth.close_session(svc, session)
    audit.journal(svc, session.who.actor(), "signed_out")
    return layout.render(svc, None, "message.html", title="Vous êtes déconnecté", cookies=[cookie], paragraphs=[
        "Votre session est fermée sur cet appareil."],
        link=(base_path(svc) + "/espace/", "Se reconnecter"))
