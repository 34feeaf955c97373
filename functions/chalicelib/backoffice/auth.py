"""Who may enter the back office, and how: an address the data knows, a single-use link, an 8-hour session.

- **Who**: an association's address (data/associations.yaml) sees that association's requests; an operator of
  AAI's phone cell (``operators`` in data/settings.yaml) sees the region's. Both are read from the routing table
  on every request, so removing an address from the data closes its sessions at the next deployment.
- **The link**: 32 random bytes, e-mailed to the address as the data writes it (never the one typed), valid 15
  minutes; the store keeps only its hash and deletes it in the same operation that uses it (one session per
  link). Following the link only shows a button: mail scanners open every link of a message.
- **The session**: a cookie sealed with the secret (``signing.seal``: itsdangerous, timestamped) — HttpOnly,
  SameSite=Strict, Secure and ``__Host-`` when the functions answer over https (production) — valid 8 hours;
  signing out revokes it in the store. Every page shows when it ends and offers to extend it (« Rester
  connecté »: 8 hours from then, the same session id so the page's CSRF tokens stay good), never beyond 24
  hours after signing in: a copied cookie cannot be kept alive for ever, and past 20 hours WCAG 2.2.1 asks for
  no extension.
- **The same answer** whatever the address typed, and limits per client and per address *from that client*
  (hashed, like the forms'): a stranger asking for someone's address spends his own allowance, never the
  owner's. One link is in flight per address: a new one replaces the previous, so the owner's own request always
  brings a link that works, whoever asked before.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from http.cookies import Morsel
from typing import TYPE_CHECKING, Any

from rules.email_address import email_key

from ..web import signing
from ..requests import lifecycle
from ..requests.enums import ActorKind
from ..requests.model import Request
from . import csrf

if TYPE_CHECKING:
    from ..routing import Routing
    from ..service import FormService

logger = logging.getLogger(__name__)

LINK_SECONDS = 15 * 60
SESSION_SECONDS = 8 * 3600
SESSION_LIMIT_SECONDS = 24 * 3600   # from signing in: « Rester connecté » never goes past it
WARN_SECONDS = 15 * 60              # the page's script raises the notice this long before the end
LINKS_PER_ADDRESS = 5         # per hour, per address and client: beyond, none is sent and the page says so
ASKS_PER_CLIENT = 20          # per hour and hashed IP: beyond, a 429 page
COOKIE = "aai-espace"
PRE_COOKIE = "aai-espace-avant"   # before sign-in: carries the nonce the anonymous forms' CSRF token is made from
PRE_SECONDS = 24 * 3600
SESSION_ID = re.compile(r"[A-Za-z0-9_-]{22}")
# Every cookie the back office sets and its longest life: ``_cookie`` sets no other and no longer, and the privacy
# notice names each with its duration (tests/functions/audience/test_privacy_notice.py reads this table).
COOKIES = {
    COOKIE: SESSION_SECONDS,   # the session; « Rester connecté » renews it, within SESSION_LIMIT_SECONDS
    PRE_COOKIE: PRE_SECONDS,   # set by the sign-in page: the nonce of its CSRF token, and of what a late form sent
}


class TooManyAsks(Exception):
    """Too many sign-in links asked from one client this hour."""


@dataclass(frozen=True)
class Who:
    """A person in the back office: an association (its address) or an operator of the cell."""

    email: str                          # the address as the data writes it
    name: str                           # the operator's name, or the association's
    role: str                           # rules.vocabulary.ROLES: "ai" or "cell"
    associations: tuple[str, ...] = ()  # an AI's id(s): one shared mailbox may serve two

    @property
    def is_cell(self) -> bool:
        return self.role == "cell"

    def sees(self, record: Request) -> bool:
        """The cell sees the region; an association its own requests only."""
        return self.is_cell or record["association"] in self.associations

    def actor(self, record: Request | None = None) -> str:
        """Who, in the audit trail: ``cell:<address>``, or ``ai:<id>`` of the request's association."""
        if self.is_cell:
            return lifecycle.actor(ActorKind.CELL, self.email)
        ai_id = record["association"] if record and record["association"] in self.associations else \
            self.associations[0]
        return lifecycle.actor(ActorKind.AI, ai_id)


def identify(routing: Routing, address: str) -> Who | None:
    """The person behind an address, or None. An operator who is also an association's address is an operator
    (the cell sees everything an association does)."""
    key = email_key(address or "")
    operator = routing.operators.get(key)
    if operator is not None:
        return Who(operator.email, operator.name, "cell")
    ais = routing.associations_of(key) if key else ()
    if ais:
        first = routing.associations[ais[0]]
        return Who(first.email, " / ".join(routing.associations[a].name for a in ais), "ai", ais)
    return None


def token_key(token: str) -> str:
    """What the store keeps of a link: its hash, so a copy of the table opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def client_hash(svc: FormService, ip: str) -> str:
    return signing.keyed_hash(svc.settings.secret, "espace-ip", ip)


# --- The link -----------------------------------------------------------------------------------------------

def _latest_key(svc: FormService, address: str) -> str:
    """Where the store keeps which of an address's links is the one in flight."""
    return "latest#" + signing.keyed_hash(svc.settings.secret, "espace-latest", email_key(address))


def new_link(svc: FormService, who: Who, then: str) -> tuple[str, int]:
    """A fresh single-use token for this person (``then``: where to go once signed in); (token, expiry).
    It replaces the address's previous link: one link in flight per address."""
    token = secrets.token_urlsafe(32)
    expires = svc.now() + LINK_SECONDS
    key = token_key(token)
    svc.store.put_token(key, {"email": email_key(who.email), "then": then}, expires)
    svc.store.put_token(_latest_key(svc, who.email), {"key": key}, expires)
    return token, expires


def count_ask(svc: FormService, ip: str, address: str) -> bool:
    """Count one ask; raise TooManyAsks past the client's limit; False when this client has asked enough links
    for this address this hour (nothing is sent then, and the page says so). Each place is taken in one atomic
    step, so simultaneous asks never pass the limits; the address's allowance is per client, so nobody can
    use up the owner's."""
    hour = svc.now() // 3600
    expires = (hour + 2) * 3600
    client = client_hash(svc, ip)
    if not svc.store.take(f"espace-ip#{client}#{hour}", ASKS_PER_CLIENT, expires):
        raise TooManyAsks()
    pair = signing.keyed_hash(svc.settings.secret, "espace-to", email_key(address), client)
    allowed: bool = svc.store.take(f"espace-to#{pair}#{hour}", LINKS_PER_ADDRESS, expires)
    return allowed


def _holder(svc: FormService, token: str, data: dict[str, Any] | None) -> tuple[Who, str] | None:
    """Who a link's stored data is for, if the link is still the address's latest and the address still known."""
    if not data:
        return None
    latest = svc.store.peek_token(_latest_key(svc, data["email"]), svc.now())
    who = identify(svc.routing, data["email"])
    if who is None or latest is None or latest.get("key") != token_key(token):
        return None
    return who, data.get("then", "")


def peek_link(svc: FormService, token: str) -> tuple[Who, str] | None:
    """The person a link is for and where it leads, if it is still valid; changes nothing."""
    return _holder(svc, token, svc.store.peek_token(token_key(token), svc.now()) if _plausible(token) else None)


def use_link(svc: FormService, token: str) -> tuple[Who, str] | None:
    """Use a link (once): the person and where to go, or None (unknown, used, expired, replaced by a newer
    link, or no longer allowed)."""
    return _holder(svc, token, svc.store.take_token(token_key(token), svc.now()) if _plausible(token) else None)


def _plausible(token: str) -> bool:
    return bool(token) and len(token) <= 64 and re.fullmatch(r"[A-Za-z0-9_-]+", token) is not None


# --- The session --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Session:
    id: str
    who: Who
    expires: int
    started: int = 0    # when the person signed in (the limit of extensions counts from there)

    @property
    def limit(self) -> int:
        return self.started + SESSION_LIMIT_SECONDS

    def can_extend(self) -> bool:
        """« Rester connecté » still gives time: the 24 hours since signing in are not all used."""
        return self.expires < self.limit


def cookie_name(svc: FormService, base: str = COOKIE) -> str:
    """``__Host-`` in production: the browser then refuses the cookie from anywhere but this exact host."""
    return f"__Host-{base}" if secure(svc) else base


def secure(svc: FormService) -> bool:
    endpoint: str = svc.settings.forms_endpoint
    return endpoint.startswith("https://")


COOKIE_VALUE = re.compile(r"[A-Za-z0-9._-]*")   # what our values are made of: nothing to quote


def _cookie(svc: FormService, base: str, value: str, max_age: int) -> str:
    """The Set-Cookie value, built by the standard library's Morsel (an empty value removes the cookie)."""
    if base not in COOKIES or not 0 <= max_age <= COOKIES[base]:
        raise ValueError(f"cookie {base} for {max_age} s is not in auth.COOKIES (nor in the privacy notice)")
    if not COOKIE_VALUE.fullmatch(value):
        raise ValueError(f"cookie {base}: a value that would need quoting")
    morsel: Morsel[str] = Morsel()
    morsel.set(cookie_name(svc, base), value, value)
    morsel.update({"path": "/", "max-age": str(max_age), "httponly": True, "samesite": "Strict",
                   "secure": secure(svc)})   # type: ignore[arg-type]  # flags are True/False; typeshed says str
    return morsel.OutputString()


def open_session(svc: FormService, who: Who) -> tuple[Session, str]:
    """A new session for this person: (session, Set-Cookie value)."""
    now = svc.now()
    return _session_cookie(svc, Session(secrets.token_urlsafe(16), who, now + SESSION_SECONDS, now))


def extend_session(svc: FormService, session: Session) -> tuple[Session, str]:
    """« Rester connecté »: the same session (its id, so the CSRF tokens of the open pages stay good) until 8 hours
    from now, never past 24 hours after signing in; (session, Set-Cookie value)."""
    expires = max(session.expires, min(svc.now() + SESSION_SECONDS, session.limit))
    return _session_cookie(svc, Session(session.id, session.who, expires, session.started))


def _session_cookie(svc: FormService, session: Session) -> tuple[Session, str]:
    """The cookie's value: the session's id, end, address and start, sealed (signed and timestamped) for the
    purpose « session ». A cookie of the earlier hand-made format is no session: everyone signs in once more."""
    now = svc.now()
    payload = [session.id, session.expires, email_key(session.who.email), session.started]
    value = signing.seal(svc.settings.secret, "session", payload, now)
    return session, _cookie(svc, COOKIE, value, session.expires - now)


def current(svc: FormService, cookies: dict[str, str]) -> Session | None:
    """The session the cookie carries, if it is genuine, unexpired, not signed out, and its address still
    allowed; otherwise None."""
    now = svc.now()
    payload = signing.unseal(svc.settings.secret, "session", cookies.get(cookie_name(svc)), now,
                             max_age=SESSION_LIMIT_SECONDS)
    if not (isinstance(payload, list) and len(payload) == 4 and isinstance(payload[0], str)
            and SESSION_ID.fullmatch(payload[0]) and isinstance(payload[2], str)
            and all(type(p) is int for p in (payload[1], payload[3]))):
        return None
    sid, expires, email, started = payload
    if expires <= now or expires > started + SESSION_LIMIT_SECONDS or svc.store.claimed(f"signout#{sid}"):
        return None
    who = identify(svc.routing, email)
    return Session(sid, who, expires, started) if who else None


def close_session(svc: FormService, session: Session) -> str:
    """Sign out: the session is revoked in the store (a copied cookie stops working too, even one extended
    since: the revocation lasts until the latest end any copy may carry); returns the Set-Cookie value that
    removes it from the browser."""
    svc.store.claim(f"signout#{session.id}", session.limit + 60)
    return forget_cookie(svc)


def forget_cookie(svc: FormService) -> str:
    return _cookie(svc, COOKIE, "", 0)


def pre_cookie(svc: FormService, nonce: str) -> str:
    return _cookie(svc, PRE_COOKIE, nonce, PRE_SECONDS)


NONCE = re.compile(r"[A-Za-z0-9_-]{22}")


def browser_nonce(svc: FormService, cookies: dict[str, str]) -> tuple[str, list[str]]:
    """This browser's random nonce from the pre-sign-in cookie (the anonymous forms' CSRF token is made from it,
    and what a browser sent too late is kept under it), or a new one with the cookie that carries it."""
    nonce = cookies.get(cookie_name(svc, PRE_COOKIE), "")
    if NONCE.fullmatch(nonce):
        return nonce, []
    nonce = csrf.new_nonce()
    return nonce, [pre_cookie(svc, nonce)]
