"""The household's answer page (``satisfaction.page``), registered by app.py as one Blueprint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice.app import Response

from ..web.responses import ANY_TYPE, Routes, button_fields, page_response, query_of
from ..web.runtime import service
from ..web.lazy import modules

if TYPE_CHECKING:
    from . import page
else:   # imported by the first route that uses them (web/lazy.py)
    page, = modules(__package__, ".page")

routes = Routes(__name__)


@routes.route("/avis/{ref}", methods=["GET"])
def avis(ref: str) -> Response:
    return page_response(page.answer_page(service(), ref, query_of(routes.current_request)))


@routes.route("/avis/{ref}", methods=["POST"], content_types=ANY_TYPE)
def avis_post(ref: str) -> Response:
    return page_response(page.answer_confirm(service(), ref, button_fields(routes.current_request)))
