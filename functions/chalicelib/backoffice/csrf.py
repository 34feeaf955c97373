"""Cross-site request forgery: every form of the back office posts back a token another site cannot know.

Signed in, the token is an HMAC of the session's id; before sign-in (the address form, the link's button), an
HMAC of a random nonce kept in a SameSite=Strict cookie (``auth.PRE_COOKIE``). A POST whose ``Origin`` is not the
functions' own (``settings.forms_endpoint``) or that the browser marks ``Sec-Fetch-Site: cross-site`` is refused
before anything else; the session cookie is SameSite=Strict besides. Three locks, each enough on its own.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

FIELD = "csrf"


def _token(secret: str, purpose: str, value: str) -> str:
    return hmac.new(secret.encode(), f"csrf|{purpose}|{value}".encode(), hashlib.sha256).hexdigest()[:40]


def session_token(secret: str, session_id: str) -> str:
    return _token(secret, "session", session_id)


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def anonymous_token(secret: str, nonce: str) -> str:
    return _token(secret, "before-sign-in", nonce)


def valid(expected: str, sent: str | None) -> bool:
    return bool(sent) and sent.isascii() and hmac.compare_digest(expected, sent)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def cross_site(headers: dict, forms_endpoint: str) -> bool:
    """A POST another site's page made the browser send."""
    sent = (headers.get("origin") or "").lower()
    if sent and sent != origin(forms_endpoint):
        return True
    return (headers.get("sec-fetch-site") or "").lower() == "cross-site"
