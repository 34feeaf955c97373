"""Every signature and keyed hash of the functions, in one place, on itsdangerous: one secret, one salt per purpose.

A signature made for one purpose never passes for another: itsdangerous derives a key from the secret and the
purpose's salt, so the « traitée » link, the household's answers, the CSRF tokens and the session cookie cannot
stand in for one another even over the same text. Time is a parameter (``now``): itsdangerous' TimestampSigner
reads the machine's clock, ``_At`` reads the instant the caller passes, so tests move the clock and never sleep.

- ``mac`` / ``mac_ok``: a signature over a text both sides know (a link's purpose, reference, holder and expiry;
  a CSRF token over the session's id or the browser's nonce). What must expire carries its expiry in the text.
- ``seal`` / ``unseal``: a payload that travels signed and timestamped (the session cookie), refused past
  ``max_age`` seconds after sealing; ``stamp`` / ``unstamp`` the same for a text that may travel in clear (the
  thank-you page's token, a reference).
- ``keyed_hash``: not a signature but a pseudonym (hashed IPs, idempotence and rate-limit keys): the same input
  gives the same key, and nobody without the secret can tell which input it was.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from itsdangerous import BadData, Signer, TimestampSigner, URLSafeTimedSerializer

# One salt per purpose: a new link, token or cookie adds its line here, never a signer of its own.
SALTS = {
    "handled:ai": "link:handled:ai",
    "handled:cell": "link:handled:cell",
    "followup:oui": "link:followup:oui",
    "followup:non": "link:followup:non",
    "status": "link:status",
    "site-feedback": "stamp:site-feedback",   # the thank-you page's question: the reference, stamped (``stamp``)
    "site-feedback:sealed": "token:site-feedback",   # …sealed before (``seal``): accepted for the week they last
    "mission:ai": "link:mission:ai",          # chalicelib.mission: the association's page of the 72 hours
    "satisfaction": "link:satisfaction",      # chalicelib.satisfaction: the household's answers
    "complaint": "link:complaint",          # the household's « faire une réclamation » (chalicelib.complaints)
    "case:outcome": "link:case:outcome",    # an association's or AAI's « suite donnée » to a complaint or a report
    "details:confirm": "link:details:confirm",   # chalicelib.details: « oui, tout est juste », twice a year
    "csrf:session": "csrf:session",
    "csrf:before-sign-in": "csrf:before-sign-in",
    "session": "session",
}


def _salt(purpose: str) -> str:
    if purpose not in SALTS:
        raise ValueError(f"unknown signing purpose {purpose!r}")
    return SALTS[purpose]


def _signer(secret: str, purpose: str) -> Signer:
    return Signer(secret, salt=_salt(purpose), digest_method=hashlib.sha256)


def mac(secret: str, purpose: str, text: str) -> str:
    """The signature of ``text`` for this purpose (URL-safe base64, 43 characters)."""
    return _signer(secret, purpose).get_signature(text).decode("ascii")


def mac_ok(secret: str, purpose: str, text: str, sent: str | None) -> bool:
    """``sent`` is this purpose's signature of ``text`` (compared in constant time)."""
    if not sent or not sent.isascii():
        return False
    return _signer(secret, purpose).verify_signature(text, sent)


def legacy_link_mac_ok(secret: str, text: str, sent: str) -> bool:
    """The links mailed before itsdangerous: a bare HMAC-SHA256 of the secret over ``text``, which is what a Signer
    computes without key derivation. They carry their expiry (30 days at most) in ``text``: once the last one
    mailed before the change has expired, this function and its caller's fallback can go."""
    if not sent.isascii():
        return False
    signer = Signer(secret, key_derivation="none", digest_method=hashlib.sha256)
    return signer.verify_signature(text, sent)


class _At(TimestampSigner):
    """A TimestampSigner whose clock is the instant the caller passes."""

    def __init__(self, *args: Any, now: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = int(now)

    def get_timestamp(self) -> int:
        return self.now


def _serializer(secret: str, purpose: str, now: float) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=_salt(purpose), signer=_At,
                                  signer_kwargs={"now": now, "digest_method": hashlib.sha256})


def seal(secret: str, purpose: str, payload: Any, now: float) -> str:
    """``payload`` (JSON-able) signed and stamped with ``now``: URL- and cookie-safe text."""
    return _serializer(secret, purpose, now).dumps(payload)


def unseal(secret: str, purpose: str, text: str | None, now: float, max_age: int) -> Any | None:
    """The payload ``seal`` made for this purpose, if genuine and sealed at most ``max_age`` seconds before
    ``now`` (and not after it); otherwise None."""
    if not text or not text.isascii():
        return None
    try:
        return _serializer(secret, purpose, now).loads(text, max_age=max_age)
    except (BadData, ValueError):   # BadSignature, SignatureExpired, BadPayload…
        return None


def stamp(secret: str, purpose: str, text: str, now: float) -> str:
    """``text`` signed and stamped with ``now`` (itsdangerous' TimestampSigner): ``text.stamp.signature``, for a
    text that may travel in clear (a reference), refused by ``unstamp`` past its age. What ``seal`` does for a
    payload, without its serializer, which tries zlib on every payload (a tenth of a millisecond for a reference
    it never shortens)."""
    return _At(secret, salt=_salt(purpose), digest_method=hashlib.sha256, now=now).sign(text).decode("ascii")


def unstamp(secret: str, purpose: str, token: str | None, now: float, max_age: int) -> str | None:
    """The text ``stamp`` signed for this purpose, if genuine and stamped at most ``max_age`` seconds before ``now``
    (and not after it); otherwise None."""
    if not token or not token.isascii():
        return None
    try:
        signer = _At(secret, salt=_salt(purpose), digest_method=hashlib.sha256, now=now)
        return signer.unsign(token, max_age=max_age).decode("utf-8")
    except (BadData, ValueError):   # BadSignature, SignatureExpired, not UTF-8…
        return None


def keyed_hash(secret: str, *parts: str) -> str:
    """A pseudonym for ``parts``: 40 hex characters of an HMAC-SHA256 under the secret. Stored keys (idempotence,
    rate limits, sign-in links in flight) are made of it: its output must never change."""
    return hmac.new(secret.encode(), "|".join(parts).encode(), hashlib.sha256).hexdigest()[:40]
