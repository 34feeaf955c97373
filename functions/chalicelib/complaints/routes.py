"""The complaints' and error reports' routes: the public complaint form, the signed « suite donnée » page, and the
back office's list of cases (through the back office's gate, like every /espace/ route)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice.app import Response

from ..web.http import SECURITY_HEADERS
from ..web.responses import ANY_TYPE, Routes, button_fields, page_response, query_of
from ..web.runtime import service
from ..web.lazy import modules

if TYPE_CHECKING:
    from ..backoffice import gate, web
    from . import backoffice, form, outcome
else:   # imported by the first route that uses them (web/lazy.py)
    gate, web, backoffice, form, outcome = modules(__package__, "..backoffice.gate", "..backoffice.web",
                                                   ".backoffice", ".form", ".outcome")

routes = Routes(__name__)


# The form is posted to its own origin: under the functions' « no-referrer » a browser would send « Origin: null »,
# which the forms' origin check refuses; « same-origin » still sends nothing to any other site.
def _own_origin() -> dict[str, str]:
    return web.REFERRER_POLICY


@routes.route("/reclamation", methods=["GET"])
def reclamation_form() -> Response:
    return page_response(form.show(service(), query_of(routes.current_request)), _own_origin())


@routes.route("/reclamation", methods=["POST"], content_types=ANY_TYPE)
def reclamation() -> Response:
    request = routes.current_request
    source_ip = request.context.get("identity", {}).get("sourceIp", "")
    return page_response(form.submit(service(), request.headers, _bytes(request.raw_body), source_ip), _own_origin())


@routes.route("/suite-donnee/{ref}", methods=["GET"])
def suite_donnee(ref: str) -> Response:
    return page_response(outcome.outcome_page(service(), ref, query_of(routes.current_request)))


@routes.route("/suite-donnee/{ref}", methods=["POST"], content_types=ANY_TYPE)
def suite_donnee_confirm(ref: str) -> Response:
    request = routes.current_request
    fields = button_fields(request)
    return page_response(outcome.outcome_confirm(service(), ref, fields))


def _bytes(body: str | bytes | None) -> bytes:
    return body.encode() if isinstance(body, str) else body or b""


def _espace(view: Any, **params: str) -> Response:
    """The back office's plumbing, as app.py does it for its own /espace/ routes: the visit, then the gate."""
    request = routes.current_request
    path = request.path
    for name, value in (request.uri_params or {}).items():
        path = path.replace("{" + name + "}", value)
    query = request.query_params
    visit = web.Visit.parse(request.method, path, {k: query.getlist(k) for k in query} if query else {},
                            request.headers, _bytes(request.raw_body) if request.method == "POST" else b"",
                            request.context.get("identity", {}).get("sourceIp", ""))
    reply = gate.serve(service(), visit, view, **params)
    headers: dict[str, str | list[str]] = {**SECURITY_HEADERS, **reply.headers}
    if reply.cookies:
        headers["Set-Cookie"] = reply.cookies if len(reply.cookies) > 1 else reply.cookies[0]
    return Response(body=reply.body, status_code=reply.status, headers=headers)


@routes.route("/espace/suites", methods=["GET"])
def espace_cases() -> Response:
    return _espace(backoffice.cases_list)


@routes.route("/espace/suites/{ref}", methods=["GET"])
def espace_case(ref: str) -> Response:
    return _espace(backoffice.case_page, ref=ref)


@routes.route("/espace/suites/{ref}", methods=["POST"], content_types=ANY_TYPE)
def espace_case_outcome(ref: str) -> Response:
    return _espace(backoffice.case_outcome, ref=ref)
