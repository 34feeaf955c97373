"""The SMS's two ways back: GET /r/{code}, a short link's redirect to the signed page it stands for, and the SNS
topic of the households' replies (« NON », « STOP »)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Response
from chalice.app import SNSEvent

from ..config import Settings
from ..web.http import SECURITY_HEADERS
from ..web.responses import Routes, page_response
from ..web.runtime import service
from ..web.lazy import modules

if TYPE_CHECKING:
    from . import replies, short_links
else:   # imported by the first route that uses them (web/lazy.py)
    replies, short_links = modules(__package__, ".replies", ".short_links")

routes = Routes(__name__)


@routes.route("/r/{code}", methods=["GET"])
def short_link(code: str) -> Response:
    svc = service()
    url = short_links.resolve(svc, code)
    if url is None:
        phone = svc.routing.network.phone
        call = f" Pour toute question, appelez la cellule régionale au {phone.display}." if phone else ""
        return page_response(svc.pages.message("Lien expiré", [
            "Ce lien n'est plus valable : il a expiré avec la demande, ou il est incomplet." + call], 404,
            link=(svc.settings.site_origin + "/", "Accueil du site")))
    return Response(body="", status_code=303, headers={**SECURITY_HEADERS, "Location": url})


@routes.on_sns_message(topic=Settings.at_import("sms_replies_topic"))
def sms_reply(event: SNSEvent) -> str:
    """A household's SMS to the two-way number, as AWS End User Messaging publishes it."""
    svc = service()
    reply = replies.Reply.from_sns(event.message)
    return replies.receive(svc, reply) if reply else "ignored: not a reply"
