"""The gate of every back-office route: a view runs only for a session that may run it.

Cross-site POSTs and oversized bodies are refused first; an anonymous view (the sign-in pages) runs as it is; any
other view needs a session (a GET without one goes to sign-in, a POST without one is kept for after sign-in by
``timeout``), a valid CSRF token on POST (a form from an earlier session comes back filled in, ``timeout``), and a
role the view is for. Apart from ``web`` (the request and reply plumbing) so that ``timeout``, whose pages
``layout`` renders on top of ``web``, is imported by nobody below it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from chalice.app import Request, Response

from ..web.http import SECURITY_HEADERS
from ..web.responses import raw_body
from ..web.runtime import service
from . import auth, csrf, timeout, web

if TYPE_CHECKING:
    from ..service import FormService


def serve(svc: FormService, visit: web.Visit, view: web.View, **params: Any) -> web.Reply:
    """Run ``view(svc, visit, session, **params)`` if it may run; otherwise the refusal, in French."""
    if visit.method == "POST" and csrf.cross_site(visit.headers, svc.settings.forms_endpoint):
        return web.refused_cross_site(svc)
    if visit.body_too_large:
        return web.problem(svc, 413, "Envoi trop volumineux", "Le formulaire envoyé est trop volumineux : "
                                                              "raccourcissez les textes et réessayez.")
    session = auth.current(svc, visit.cookies)
    stale = [auth.forget_cookie(svc)] if session is None and auth.cookie_name(svc) in visit.cookies else []
    if view.anonymous:
        reply = view(svc, visit, session, **params)
        reply.cookies = stale + reply.cookies
        return reply
    if session is None:
        if visit.method == "GET":
            then = web.safe_then(visit.path)
            return web.redirect(svc, "/espace/" + ("" if then == "/espace/" else f"?suite={quote(then)}"), stale)
        return timeout.ended(svc, visit, stale)
    if visit.method == "POST" and not csrf.valid(csrf.session_token(svc.settings.secret, session.id),
                                                  visit.field(csrf.FIELD)):
        return timeout.stale_form(svc, visit, session) or web.expired_form(svc)
    if session.who.role not in view.roles:
        return web.not_for_you(svc)
    return view(svc, visit, session, **params)


def respond(request: Request, view: web.View, **params: str) -> Response:
    """A Chalice request to a back-office view and back, through ``serve``: the one wrapper of every /espace/
    route, whichever domain's Blueprint holds it (``request``: that Blueprint's current request)."""
    path = request.path
    for name, value in (request.uri_params or {}).items():
        path = path.replace("{" + name + "}", value)
    query = request.query_params
    visit = web.Visit.parse(request.method, path, {k: query.getlist(k) for k in query} if query else {},
                            request.headers, raw_body(request) if request.method == "POST" else b"",
                            str(request.context.get("identity", {}).get("sourceIp", "")))
    reply = serve(service(), visit, view, **params)
    headers: dict[str, str | list[str]] = {**SECURITY_HEADERS, **reply.headers}
    if reply.cookies:
        headers["Set-Cookie"] = reply.cookies if len(reply.cookies) > 1 else reply.cookies[0]
    return Response(body=reply.body, status_code=reply.status, headers=headers)
