"""The association's page of the 72 hours (``mission.page``), registered by app.py as one Blueprint."""

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


@routes.route("/mission/{ref}", methods=["GET"])
def mission(ref: str) -> Response:
    return page_response(page.mission_page(service(), ref, query_of(routes.current_request)))


@routes.route("/mission/{ref}", methods=["POST"], content_types=ANY_TYPE)
def mission_post(ref: str) -> Response:
    return page_response(page.mission_confirm(service(), ref, button_fields(routes.current_request)))
