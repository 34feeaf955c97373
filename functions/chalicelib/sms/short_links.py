"""Short links for SMS: a signed link is about 130 characters, most of an SMS; ``{endpoint}/r/XXXXXXXX`` is 30.

The short code only stands for a link the functions signed themselves (never for an address a visitor typed), is
kept no longer than that link is valid, and is random (40 bits from ``secrets``): it can be neither guessed nor
forged, and the page it leads to still checks its own signature.
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..service import FormService

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"   # no 0/o, 1/l/i: a code read aloud or typed from a phone's screen
LENGTH = 8
CODE = re.compile(rf"[{ALPHABET}]{{{LENGTH}}}")
KEY = "short#"


def shorten(svc: FormService, url: str, expires_at: int) -> str:
    """A short address for ``url`` (one of the functions' own links), valid until ``expires_at``."""
    if not url.startswith(svc.settings.forms_endpoint.rstrip("/") + "/"):
        raise ValueError("only the functions' own links are shortened")
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    svc.store.put_token(KEY + code, {"url": url}, expires_at)
    return f"{svc.settings.forms_endpoint.rstrip('/')}/r/{code}"


def resolve(svc: FormService, code: str) -> str | None:
    """The link a short code stands for, while it is valid; None otherwise."""
    if not CODE.fullmatch(code):
        return None
    found = svc.store.peek_token(KEY + code, svc.now())
    url = found.get("url") if found else None
    return url if isinstance(url, str) else None
