"""The household's « faire une réclamation » link, in every message it gets and on its status page. Apart from
``intake`` (which needs the service) so that the service and the lifecycle's messages can import it."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from ..web import links
from ..requests.model import Request

if TYPE_CHECKING:
    from ..service import FormService


def complaint_url(svc: FormService, record: Request) -> str:
    """Signed for the purpose ``complaint`` and this request only; it works as long as the request is kept (a
    complaint may come weeks after the request closed), from the settings' endpoint, never a request's Host."""
    sig = links.sign(svc.settings.secret, "complaint", record["ref"], int(record["expires_at"]))
    return f"{svc.settings.forms_endpoint}/reclamation?{urlencode({'reference': record['ref'], 'sig': sig})}"
