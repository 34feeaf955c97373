"""The back office's routes (``/espace/…``): each maps onto one view; ``gate.serve`` checks the session, the CSRF
token and the role before the view runs (tests/functions/test_backoffice_access.py holds the whole matrix).

The figures, the week and « Mes informations » are imported by their own routes only: they bring the monthly
follow-up, the audience and the GitHub client, which no other page needs, out of every cold start."""

from __future__ import annotations


from typing import TYPE_CHECKING

from chalice.app import Response

from ..web.lazy import modules
from ..web.responses import ANY_TYPE, Routes

if TYPE_CHECKING:
    from . import export, gate, inbox, liaison, request_page, signin, timeout, web
else:   # imported by the first route that uses them
    export, gate, inbox, liaison, request_page, signin, timeout, web = modules(
        __package__, ".export", ".gate", ".inbox", ".liaison", ".request_page", ".signin", ".timeout", ".web")

routes = Routes(__name__)


def _espace(view: web.View, **params: str) -> Response:
    """Chalice's request as a Visit, the gate's Reply as Chalice's response (gate.respond, shared with the other
    domains' back-office routes)."""
    return gate.respond(routes.current_request, view, **params)


@routes.route("/espace", methods=["GET"])
def espace() -> Response:
    return _espace(signin.home)


@routes.route("/espace/connexion", methods=["POST"], content_types=ANY_TYPE)
def espace_ask_link() -> Response:
    return _espace(signin.ask_link)


@routes.route("/espace/connexion", methods=["GET"])
def espace_link() -> Response:
    return _espace(signin.link_page)


@routes.route("/espace/session", methods=["POST"], content_types=ANY_TYPE)
def espace_session() -> Response:
    return _espace(signin.open_session)


@routes.route("/espace/deconnexion", methods=["POST"], content_types=ANY_TYPE)
def espace_sign_out() -> Response:
    return _espace(signin.sign_out)


@routes.route("/espace/prolonger", methods=["POST"], content_types=ANY_TYPE)
def espace_extend() -> Response:
    return _espace(timeout.extend)


@routes.route("/espace/reprendre/{draft}", methods=["GET"])
def espace_resume(draft: str) -> Response:
    return _espace(timeout.resume, draft=draft)


@routes.route("/espace/demandes", methods=["GET"])
def espace_requests() -> Response:
    return _espace(inbox.requests_list)


@routes.route("/espace/demandes/{ref}", methods=["GET"])
def espace_request(ref: str) -> Response:
    return _espace(request_page.show, ref=ref)


@routes.route("/espace/demandes/{ref}/traitee", methods=["POST"], content_types=ANY_TYPE)
def espace_handled(ref: str) -> Response:
    return _espace(request_page.handled, ref=ref)


@routes.route("/espace/demandes/{ref}/note", methods=["POST"], content_types=ANY_TYPE)
def espace_note(ref: str) -> Response:
    return _espace(request_page.note, ref=ref)


@routes.route("/espace/demandes/{ref}/pas-pour-nous", methods=["POST"], content_types=ANY_TYPE)
def espace_hand_back(ref: str) -> Response:
    return _espace(request_page.hand_back, ref=ref)


@routes.route("/espace/demandes/{ref}/reorienter", methods=["POST"], content_types=ANY_TYPE)
def espace_reroute(ref: str) -> Response:
    return _espace(request_page.reroute, ref=ref)


@routes.route("/espace/export", methods=["GET"])
def espace_export() -> Response:
    return _espace(export.export)


@routes.route("/espace/file", methods=["GET"])
def espace_queue() -> Response:
    return _espace(inbox.queue)


@routes.route("/espace/fiche", methods=["GET"])
def espace_sheet() -> Response:
    return _espace(liaison.sheet)


@routes.route("/espace/fiche", methods=["POST"], content_types=ANY_TYPE)
def espace_sheet_save() -> Response:
    return _espace(liaison.save)


@routes.route("/espace/chiffres", methods=["GET"])
def espace_figures() -> Response:
    from . import figures
    return _espace(figures.figures)


@routes.route("/espace/semaine", methods=["GET"])
def espace_week() -> Response:
    from . import week_page
    return _espace(week_page.week)


@routes.route("/espace/mes-informations", methods=["GET"])
def espace_my_details() -> Response:
    from ..details import page as my_details
    return _espace(my_details.show)


@routes.route("/espace/mes-informations", methods=["POST"], content_types=ANY_TYPE)
def espace_my_details_save() -> Response:
    from ..details import page as my_details
    return _espace(my_details.save)
