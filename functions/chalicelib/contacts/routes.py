"""The association's own contacts and the Annexe 3 table, in the back office: each route maps onto one view
through the back office's one gate (session, CSRF token, role: ``gate.respond``). The Annexe 3 table is
imported by its own routes only: it brings the monthly report's formats, which a cold start need not pay for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice.app import Response

from ..web.responses import ANY_TYPE, Routes
from ..web.lazy import modules

if TYPE_CHECKING:
    from ..backoffice import gate
    from . import views
else:   # imported by the first route that uses them (web/lazy.py)
    gate, views = modules(__package__, "..backoffice.gate", ".views")

routes = Routes(__name__)


@routes.route("/espace/contact", methods=["GET"])
def contact_sheet() -> Response:
    return gate.respond(routes.current_request, views.sheet)


@routes.route("/espace/contact", methods=["POST"], content_types=ANY_TYPE)
def contact_save() -> Response:
    return gate.respond(routes.current_request, views.save)


@routes.route("/espace/contacts", methods=["GET"])
def contacts() -> Response:
    return gate.respond(routes.current_request, views.prospects)


@routes.route("/espace/contacts/export", methods=["GET"])
def contacts_export() -> Response:
    return gate.respond(routes.current_request, views.export)


@routes.route("/espace/annexe-3", methods=["GET"])
def annexe_3() -> Response:
    from . import annexe3
    return gate.respond(routes.current_request, annexe3.table_page)


@routes.route("/espace/annexe-3/export", methods=["GET"])
def annexe_3_export() -> Response:
    from . import annexe3
    return gate.respond(routes.current_request, annexe3.table_export)
