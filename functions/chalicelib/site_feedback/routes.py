"""POST /avis-site: the thank-you page's form, urlencoded (it works without JavaScript); answered with a short page
in the site's look."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Response

from ..web.http import SECURITY_HEADERS, URLENCODED, HttpError, origin_refused, parse_body
from ..web.responses import ANY_TYPE, Routes, page_response
from ..web.runtime import service
from ..web.lazy import modules

if TYPE_CHECKING:
    from ..intake import answers
    from . import feedback
else:   # imported by the first route that uses them (web/lazy.py)
    answers, feedback = modules(__package__, "..intake.answers", ".feedback")

routes = Routes(__name__)


@routes.route("/avis-site", methods=["POST"], content_types=ANY_TYPE)
def avis_site() -> Response:
    request = routes.current_request
    svc = service()
    try:
        if origin_refused(request.headers, (*svc.settings.site_origins, svc.settings.forms_endpoint)):
            raise feedback.Unusable(403, "Ce formulaire ne peut être envoyé que depuis le site des associations "
                                         "intermédiaires d'Aquitaine.")
        try:
            body = request.raw_body or b""
            fields = parse_body(request.headers.get("content-type", ""),
                                body.encode() if isinstance(body, str) else body, accept=URLENCODED)
        except HttpError as error:
            raise feedback.Unusable(error.status, error.message) from None
        feedback.receive(svc, fields)
    except feedback.Unusable as problem:
        return _message(problem.status, "Avis non enregistré", problem.message)
    return _message(200, "Merci pour votre avis", "Votre réponse nous aide à rendre le site plus simple pour tous.")


def _message(status: int, title: str, text: str) -> Response:
    svc = service()
    link = (svc.settings.site_origin + "/", "Retour au site")
    html = svc.site_pages.message(title, [text], None, link)
    if html is None:
        return page_response(svc.pages.message(title, [text], status, None, link))
    return Response(body=html, status_code=status,
                    headers={**SECURITY_HEADERS, **answers.site_page_headers(svc.site_pages),
                             "Content-Type": "text/html; charset=utf-8"})
