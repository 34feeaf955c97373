"""HTTP as the back office's pages see it; the one guard every route goes through is ``gate.serve``.

``Visit`` is what a page needs from a request (query and form fields with every value, cookies, the client's
address, the headers that tell a forged POST); ``Reply`` is what it answers (status, HTML or CSV, headers,
cookies). app.py turns Chalice's request into a Visit and a Reply into Chalice's response, nothing else.

The refusals here (``refused_cross_site``, ``not_for_you``, ``expired_form``, ``problem``) are the gate's answers,
in French. Views declare what they are for with ``@page``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlsplit

from ..http import URLENCODED, HttpError, parse_body

logger = logging.getLogger(__name__)

ROLES = ("ai", "cell")
View = TypeVar("View", bound=Callable[..., Any])   # a view keeps its own signature under @page


@dataclass
class Visit:
    method: str
    path: str                                   # without the API's stage: /espace/demandes/AI-…
    query: dict[str, list[str]] = field(default_factory=dict)
    form: dict[str, list[str]] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)   # lower-case names
    ip: str = ""
    body_too_large: bool = False

    def arg(self, name: str) -> str:
        """One query parameter (the last if repeated), or ''."""
        values = self.query.get(name) or [""]
        return values[-1]

    def field(self, name: str) -> str:
        """One form field, or ''."""
        values = self.form.get(name) or [""]
        return values[-1]

    @classmethod
    def parse(cls, method: str, path: str, query: dict[str, list[str]] | None, headers, body: bytes | None,
              ip: str) -> "Visit":
        """The back office's forms are HTML forms (urlencoded; a request naming no type is read as one), read by
        http.parse_body with its limits: too large, the page says so; unreadable, the form is empty (and its
        CSRF token missing)."""
        lower = {k.lower(): v for k, v in (headers or {}).items()}
        form: dict[str, list[str]] = {}
        too_large = False
        if method == "POST":
            try:
                form = parse_body(lower.get("content-type") or URLENCODED[0], body or b"", accept=URLENCODED)
            except HttpError as error:
                too_large = error.status == 413
        return cls(method, path, dict(query or {}), form, parse_cookies(lower.get("cookie", "")), lower, ip,
                   too_large)


def parse_cookies(header: str) -> dict[str, str]:
    """``a=1; b=2`` → {a: 1, b: 2}, read by the standard library's SimpleCookie. One pair at a time: SimpleCookie
    drops the whole header at the first pair it cannot read (another application's cookie on the same host
    would sign everyone out), and keeps the last of two cookies with one name where browsers send the most
    specific first. So: the first wins, oddities are skipped, 50 pairs at most."""
    found: dict[str, str] = {}
    for part in header.split(";")[:50]:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(part.strip())
        except CookieError:
            continue
        for name, morsel in jar.items():
            found.setdefault(name, morsel.value)
    return found


@dataclass
class Reply:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    cookies: list[str] = field(default_factory=list)


# The back office's own forms must carry their Origin: under « no-referrer » a browser sends ``Origin: null`` with
# every POST, which csrf.cross_site refuses. « same-origin » still sends nothing to any other site.
REFERRER_POLICY = {"Referrer-Policy": "same-origin"}


def from_page(page, cookies: list[str] | None = None) -> Reply:
    return Reply(page.status, page.body, {**page.headers, **REFERRER_POLICY,
                                          "Content-Type": "text/html; charset=utf-8"}, list(cookies or []))


def base_path(svc) -> str:
    """The API's stage, if any (``/api`` in ``https://…/api``): links in the pages start with it."""
    return urlsplit(svc.settings.forms_endpoint).path.rstrip("/")


def redirect(svc, path: str, cookies: list[str] | None = None) -> Reply:
    """303 to one of our own pages (a path under /espace/, never a URL from the request)."""
    location = base_path(svc) + path
    page = svc.pages.message("Redirection", ["Cette page a changé d'adresse."], 303, link=(location, "Continuer"))
    reply = from_page(page, cookies)
    reply.headers["Location"] = location
    return reply


def page(*, roles: tuple[str, ...] = ROLES, anonymous: bool = False) -> Callable[[View], View]:
    """Declare who a view is for: ``roles`` once signed in; ``anonymous`` views run without a session (the
    sign-in pages, which check their own CSRF token)."""
    def mark(view: View) -> View:
        view.roles, view.anonymous = roles, anonymous
        return view
    return mark


def problem(svc, status: int, title: str, text: str, cookies: list[str] | None = None,
             link: tuple[str, str] | None = None) -> Reply:
    link = link or (base_path(svc) + "/espace/", "Aller à l'espace de gestion")
    return from_page(svc.pages.message(title, [text], status, link=link), cookies)


def refused_cross_site(svc) -> Reply:
    return problem(svc, 403, "Envoi refusé", "Ce formulaire ne peut être envoyé que depuis l'espace de gestion "
                                              "lui-même.")


def expired_form(svc) -> Reply:
    return problem(svc, 403, "Page expirée", "Cette page a expiré ou n'a pas été ouverte depuis l'espace de "
                                              "gestion : rien n'a été enregistré. Revenez en arrière, rechargez la "
                                              "page, puis recommencez.")


def not_for_you(svc) -> Reply:
    return problem(svc, 403, "Accès réservé", "Cette page est réservée à la cellule régionale ou à une autre "
                                               "catégorie d'utilisateurs que la vôtre.")


def not_found(svc, what: str = "Cette demande n'existe pas, ou elle ne vous est pas adressée.") -> Reply:
    return problem(svc, 404, "Introuvable", what)


def safe_then(path: str) -> str:
    """Where to go after sign-in: one of our pages, or the home page (never another site)."""
    return path if re.fullmatch(r"/espace(/[A-Za-z0-9-]+){0,3}", path or "") else "/espace/"
