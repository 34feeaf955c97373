"""The back office's routes (``/espace/…``): each maps onto one view; ``gate.serve`` checks the session, the CSRF
token and the role before the view runs (tests/functions/test_backoffice_access.py holds the whole matrix).

The figures, the week and « Mes informations » are imported by their own routes only: they bring the monthly
follow-up, the audience and the GitHub client, which no other page needs, out of every cold start."""

from __future__ import annotations

from chalice import Blueprint, Response

from ..web.http import SECURITY_HEADERS
from ..web.responses import ANY_TYPE
from ..web.runtime import service
from . import export, gate, inbox, liaison, request_page, signin, timeout, web

routes = Blueprint(__name__)


def _espace(view, **params) -> Response:
    """Chalice's request as a Visit, the gate's Reply as Chalice's response: nothing else."""
    request = routes.current_request
    path = request.path
    for name, value in (request.uri_params or {}).items():
        path = path.replace("{" + name + "}", value)
    query = request.query_params
    visit = web.Visit.parse(request.method, path, {k: query.getlist(k) for k in query} if query else {},
                            request.headers, request.raw_body if request.method == "POST" else b"",
                            request.context.get("identity", {}).get("sourceIp", ""))
    reply = gate.serve(service(), visit, view, **params)
    headers = {**SECURITY_HEADERS, **reply.headers}
    if reply.cookies:
        headers["Set-Cookie"] = reply.cookies if len(reply.cookies) > 1 else reply.cookies[0]
    return Response(body=reply.body, status_code=reply.status, headers=headers)


@routes.route("/espace", methods=["GET"])
def espace():
    return _espace(signin.home)


@routes.route("/espace/connexion", methods=["POST"], content_types=ANY_TYPE)
def espace_ask_link():
    return _espace(signin.ask_link)


@routes.route("/espace/connexion", methods=["GET"])
def espace_link():
    return _espace(signin.link_page)


@routes.route("/espace/session", methods=["POST"], content_types=ANY_TYPE)
def espace_session():
    return _espace(signin.open_session)


@routes.route("/espace/deconnexion", methods=["POST"], content_types=ANY_TYPE)
def espace_sign_out():
    return _espace(signin.sign_out)


@routes.route("/espace/prolonger", methods=["POST"], content_types=ANY_TYPE)
def espace_extend():
    return _espace(timeout.extend)


@routes.route("/espace/reprendre/{draft}", methods=["GET"])
def espace_resume(draft):
    return _espace(timeout.resume, draft=draft)


@routes.route("/espace/demandes", methods=["GET"])
def espace_requests():
    return _espace(inbox.requests_list)


@routes.route("/espace/demandes/{ref}", methods=["GET"])
def espace_request(ref):
    return _espace(request_page.show, ref=ref)


@routes.route("/espace/demandes/{ref}/traitee", methods=["POST"], content_types=ANY_TYPE)
def espace_handled(ref):
    return _espace(request_page.handled, ref=ref)


@routes.route("/espace/demandes/{ref}/note", methods=["POST"], content_types=ANY_TYPE)
def espace_note(ref):
    return _espace(request_page.note, ref=ref)


@routes.route("/espace/demandes/{ref}/pas-pour-nous", methods=["POST"], content_types=ANY_TYPE)
def espace_hand_back(ref):
    return _espace(request_page.hand_back, ref=ref)


@routes.route("/espace/demandes/{ref}/reorienter", methods=["POST"], content_types=ANY_TYPE)
def espace_reroute(ref):
    return _espace(request_page.reroute, ref=ref)


@routes.route("/espace/export", methods=["GET"])
def espace_export():
    return _espace(export.export)


@routes.route("/espace/file", methods=["GET"])
def espace_queue():
    return _espace(inbox.queue)


@routes.route("/espace/fiche", methods=["GET"])
def espace_sheet():
    return _espace(liaison.sheet)


@routes.route("/espace/fiche", methods=["POST"], content_types=ANY_TYPE)
def espace_sheet_save():
    return _espace(liaison.save)


@routes.route("/espace/chiffres", methods=["GET"])
def espace_figures():
    from . import figures
    return _espace(figures.figures)


@routes.route("/espace/semaine", methods=["GET"])
def espace_week():
    from . import week_page
    return _espace(week_page.week)


@routes.route("/espace/mes-informations", methods=["GET"])
def espace_my_details():
    from ..details import page as my_details
    return _espace(my_details.show)


@routes.route("/espace/mes-informations", methods=["POST"], content_types=ANY_TYPE)
def espace_my_details_save():
    from ..details import page as my_details
    return _espace(my_details.save)
