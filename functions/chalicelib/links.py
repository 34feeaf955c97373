"""Signed links in e-mails: each carries a purpose, a reference and an expiry under an HMAC, so a link made for
one thing (the AI's « traitée » page, the household's « non ») cannot open another, and stops working when the
request closes. Links start from ``settings.forms_endpoint``, never from a request's headers.

Mail scanners (Outlook Safe Links and the like) open every link of a message by themselves: a signed link only
ever opens a page whose button does the change.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import urlencode

PURPOSES = ("handled:ai", "handled:cell", "followup:oui", "followup:non")


def sign(secret: str, purpose: str, ref: str, expires: int) -> str:
    """``<expiry>.<mac>``: the expiry travels in clear, the MAC covers it."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown link purpose {purpose!r}")
    digest = hmac.new(secret.encode(), f"{purpose}|{ref}|{int(expires)}".encode(), hashlib.sha256).digest()
    return f"{int(expires)}.{base64.urlsafe_b64encode(digest).decode().rstrip('=')}"


def check(secret: str, purpose: str, ref: str, sig: str | None, now: float) -> str:
    """``ok``, ``expired`` (a genuine link past its time) or ``invalid`` (anything else)."""
    if not sig or not sig.isascii() or sig.count(".") != 1:
        return "invalid"   # compare_digest refuses non-ASCII text: such a signature is simply wrong
    expires, _ = sig.split(".")
    if not expires.isdigit() or len(expires) > 12:
        return "invalid"
    if not hmac.compare_digest(sign(secret, purpose, ref, int(expires)), sig):
        return "invalid"
    return "ok" if now < int(expires) else "expired"


def handled_url(base: str, secret: str, ref: str, expires: int, by: str = "ai") -> str:
    """The « traitée » page: for the AI in its e-mails, for the cell on the liaison sheet."""
    query = {"sig": sign(secret, f"handled:{by}", ref, expires)}
    if by == "cell":
        query = {"par": "cellule", **query}
    return f"{base}/traite/{ref}?{urlencode(query)}"


def followup_url(base: str, secret: str, ref: str, answer: str, expires: int) -> str:
    """One of the household's two answers to « Avez-vous été recontacté ? »."""
    return f"{base}/suivi/{ref}?{urlencode({'reponse': answer, 'sig': sign(secret, f'followup:{answer}', ref, expires)})}"
