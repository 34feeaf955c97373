"""Signed links in e-mails: each carries a purpose, a reference, an expiry and, for an association's link, the
association it was made for (its holder) under a signature (``signing``: one salt per purpose), so a link made
for one thing (the AI's « traitée » page, the household's « non ») cannot open another, stops working when the
request closes, and stops working for a former association when the cell re-routes the request. Links start from
``settings.forms_endpoint``, never from a request's headers.

Mail scanners (Outlook Safe Links and the like) open every link of a message by themselves: a signed link only
ever opens a page whose button does the change.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from . import signing

PURPOSES = ("handled:ai", "handled:cell", "followup:oui", "followup:non", "status", "mission:ai", "satisfaction",
            "complaint", "case:outcome", "details:confirm")
HOLDER = re.compile(r"[a-z0-9-]{1,64}")


def sign(secret: str, purpose: str, ref: str, expires: int, holder: str = "") -> str:
    """``<expiry>.<mac>``, or ``<expiry>.<holder>.<mac>`` for a link made for one association: the expiry and the
    holder travel in clear, the MAC covers them. A request re-routed to another association no longer belongs to
    the holder of its earlier links (``service.find_signed`` compares it with the request's current one)."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown link purpose {purpose!r}")
    if holder and not HOLDER.fullmatch(holder):
        raise ValueError(f"not an association id {holder!r}")
    mac = signing.mac(secret, purpose, _covered(ref, int(expires), holder))
    return f"{int(expires)}.{holder}.{mac}" if holder else f"{int(expires)}.{mac}"


def _covered(ref: str, expires: int, holder: str) -> str:
    return f"{ref}|{holder}|{expires}"


def _legacy_covered(purpose: str, ref: str, expires: int, holder: str) -> str:
    """What the links mailed before ``signing`` covered (the purpose was in the text, not in a salt)."""
    return f"{purpose}|{ref}|{holder}|{expires}" if holder else f"{purpose}|{ref}|{expires}"


def check(secret: str, purpose: str, ref: str, sig: str | None, now: float) -> tuple[str, str]:
    """(``ok``, ``expired`` — a genuine link past its time — or ``invalid``; the holder it was signed for, ``""``
    when none)."""
    if not sig or not sig.isascii() or sig.count(".") not in (1, 2):
        return "invalid", ""   # compare_digest refuses non-ASCII text: such a signature is simply wrong
    expires, *rest = sig.split(".")
    holder = rest[0] if len(rest) == 2 else ""
    if not expires.isdigit() or len(expires) > 12 or (len(rest) == 2 and not HOLDER.fullmatch(holder)):
        return "invalid", ""
    if purpose not in PURPOSES:
        return "invalid", ""
    mac = rest[-1]
    if not (signing.mac_ok(secret, purpose, _covered(ref, int(expires), holder), mac)
            or signing.legacy_link_mac_ok(secret, _legacy_covered(purpose, ref, int(expires), holder), mac)):
        return "invalid", ""
    return ("ok" if now < int(expires) else "expired"), holder


def handled_url(base: str, secret: str, ref: str, expires: int, by: str = "ai", holder: str = "") -> str:
    """The « traitée » page: for the association holding the request (``holder``) in its e-mails, for the cell
    on the liaison sheet."""
    query = {"sig": sign(secret, f"handled:{by}", ref, expires, holder)}
    if by == "cell":
        query = {"par": "cellule", **query}
    return f"{base}/traite/{ref}?{urlencode(query)}"


def followup_url(base: str, secret: str, ref: str, answer: str, expires: int) -> str:
    """One of the household's two answers to « Avez-vous été recontacté ? »."""
    signature = sign(secret, f'followup:{answer}', ref, expires)
    return f"{base}/suivi/{ref}?{urlencode({'reponse': answer, 'sig': signature})}"


def status_url(base: str, secret: str, ref: str, expires: int) -> str:
    """The household's status page of its request (read-only until a button is pressed)."""
    query = urlencode({"sig": sign(secret, "status", ref, expires)})
    return f"{base}/ma-demande/{ref}?{query}"
