"""The routes of « Mes informations » outside the signed-in back office: the campaign's signed page
« oui, tout est juste » and its button (``confirm``), imported by its own routes only: it brings the YAML edit and
the GitHub client, which a cold start of the forms need not pay for."""

from __future__ import annotations

from chalice import Response

from ..web.responses import ANY_TYPE, Routes, button_fields, page_response, query_of
from ..web.runtime import service

routes = Routes(__name__)


@routes.route("/mes-informations/confirmer/{campaign}", methods=["GET"])
def details_confirm_page(campaign: str) -> Response:
    from . import confirm
    return page_response(confirm.page(service(), campaign, query_of(routes.current_request)))


@routes.route("/mes-informations/confirmer/{campaign}", methods=["POST"], content_types=ANY_TYPE)
def details_confirm(campaign: str) -> Response:
    from . import confirm
    return page_response(confirm.submit(service(), campaign, button_fields(routes.current_request)))
