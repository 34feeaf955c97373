"""The household's and the association's signed pages of a request: « traitée », « avez-vous été recontacté ? »
and the household's status page. Each route maps onto one view (views.py, status.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice.app import Response

from ..web.responses import ANY_TYPE, Routes, button_fields, page_response, query_of
from ..web.runtime import service
from ..web.lazy import modules

if TYPE_CHECKING:
    from . import status, views
else:   # imported by the first route that uses them (web/lazy.py)
    status, views = modules(__package__, ".status", ".views")

routes = Routes(__name__)


@routes.route("/traite/{ref}", methods=["GET"])
def traite(ref: str) -> Response:
    return page_response(views.handled_page(service(), ref, query_of(routes.current_request)))


@routes.route("/traite/{ref}", methods=["POST"], content_types=ANY_TYPE)
def traite_confirm(ref: str) -> Response:
    return page_response(views.handled_confirm(service(), ref, button_fields(routes.current_request)))


@routes.route("/suivi/{ref}", methods=["GET"])
def suivi(ref: str) -> Response:
    return page_response(views.followup_page(service(), ref, query_of(routes.current_request)))


@routes.route("/suivi/{ref}", methods=["POST"], content_types=ANY_TYPE)
def suivi_confirm(ref: str) -> Response:
    return page_response(views.followup_confirm(service(), ref, button_fields(routes.current_request)))


@routes.route("/ma-demande/{ref}", methods=["GET"])
def ma_demande(ref: str) -> Response:
    return page_response(status.status_page(service(), ref, query_of(routes.current_request)))


@routes.route("/ma-demande/{ref}", methods=["POST"], content_types=ANY_TYPE)
def ma_demande_confirm(ref: str) -> Response:
    return page_response(status.status_confirm(service(), ref, button_fields(routes.current_request)))
