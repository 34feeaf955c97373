"""Cross-site request forgery: every form of the back office posts back a token another site cannot know.

Signed in, the token is a signature of the session's id; before sign-in (the address form, the link's button), a
signature of a random nonce kept in a SameSite=Strict cookie (``auth.PRE_COOKIE``). A POST whose ``Origin`` is not the
functions' own (``settings.forms_endpoint``) or that the browser marks ``Sec-Fetch-Site: cross-site`` is refused
before anything else; the session cookie is SameSite=Strict besides. Three locks, each enough on its own.
The tokens live as long as what they are made from: the session (24 hours at most), the nonce's cookie (24 hours).
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from ..web import signing

FIELD = "csrf"


def session_token(secret: str, session_id: str) -> str:
    return signing.mac(secret, "csrf:session", session_id)


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def anonymous_token(secret: str, nonce: str) -> str:
    return signing.mac(secret, "csrf:before-sign-in", nonce)


def valid(expected: str, sent: str | None) -> bool:
    """``sent`` is the token the page was given (compared in constant time)."""
    return bool(sent and sent.isascii() and secrets.compare_digest(expected, sent))


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def cross_site(headers: dict[str, str], forms_endpoint: str) -> bool:
    """A POST another site's page made the browser send."""
    sent = (headers.get("origin") or "").lower()
    if sent and sent != origin(forms_endpoint):
        return True
    return (headers.get("sec-fetch-site") or "").lower() == "cross-site"
