"""Who may enter the back office, and how: an address the data knows, a single-use link, an 8-hour session.

- **Who**: an association's address (data/associations.yaml) sees that association's requests; an operator of
  AAI's phone cell (``operators`` in data/settings.yaml) sees the region's. Both are read from the routing table
  on every request, so removing an address from the data closes its sessions at the next deployment.
- **The link**: 32 random bytes, e-mailed to the address as the data writes it (never the one typed), valid 15
  minutes; the store keeps only its hash and deletes it in the same operation that uses it (one session per
  link). Following the link only shows a button: mail scanners open every link of a message.
- **The session**: a cookie signed with the secret — HttpOnly, SameSite=Strict, Secure and ``__Host-`` when the
  functions answer over https (production) — valid 8 hours; signing out revokes it in the store. Every page shows
  when it ends and offers to extend it (« Rester connecté »: 8 hours from then, the same session id so the page's
  CSRF tokens stay good), never beyond 24 hours after signing in: a copied cookie cannot be kept alive for ever,
  and past 20 hours WCAG 2.2.1 asks for no extension.
- **The same answer** whatever the address typed, and limits per address and per client (hashed, like the forms').
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass

from rules.email_address import email_key

from .. import lifecycle
from . import csrf

logger = logging.getLogger(__name__)

LINK_SECONDS = 15 * 60
SESSION_SECONDS = 8 * 3600
SESSION_LIMIT_SECONDS = 24 * 3600   # from signing in: « Rester connecté » never goes past it
WARN_SECONDS = 15 * 60              # the page's script raises the notice this long before the end
LINKS_PER_ADDRESS = 5         # per hour: more are silently not sent (the page says the same)
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

    def sees(self, record: dict) -> bool:
        """The cell sees the region; an association its own requests only."""
        return self.is_cell or record["association"] in self.associations

    def actor(self, record: dict | None = None) -> str:
        """Who, in the audit trail: ``cell:<address>``, or ``ai:<id>`` of the request's association."""
        if self.is_cell:
            return lifecycle.actor("cell", self.email)
        ai_id = record["association"] if record and record["association"] in self.associations else \
            self.associations[0]
        return lifecycle.actor("ai", ai_id)


def identify(routing, address: str) -> Who | None:
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


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, *parts: str) -> str:
    return _b64(hmac.new(secret.encode(), "|".join(parts).encode(), hashlib.sha256).digest())


def token_key(token: str) -> str:
    """What the store keeps of a link: its hash, so a copy of the table opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def client_hash(svc, ip: str) -> str:
    return svc._hash("espace-ip", ip)


# --- The link -----------------------------------------------------------------------------------------------

def new_link(svc, who: Who, then: str) -> tuple[str, int]:
    """A fresh single-use token for this person (``then``: where to go once signed in); (token, expiry)."""
    token = secrets.token_urlsafe(32)
    expires = svc.now() + LINK_SECONDS
    svc.store.put_token(token_key(token), {"email": email_key(who.email), "then": then}, expires)
    return token, expires


def count_ask(svc, ip: str, address: str) -> bool:
    """Count one ask; raise TooManyAsks past the client's limit; False when the address has had enough links
    this hour (nothing is sent then, and the page says the same as always)."""
    hour = svc.now() // 3600
    client = f"espace-ip#{client_hash(svc, ip)}#{hour}"
    if svc.store.rate_count(client) >= ASKS_PER_CLIENT:
        raise TooManyAsks()
    svc.store.hit(client, (hour + 2) * 3600)
    to = f"espace-to#{svc._hash('espace-to', email_key(address))}#{hour}"
    return svc.store.hit(to, (hour + 2) * 3600) <= LINKS_PER_ADDRESS


def peek_link(svc, token: str) -> tuple[Who, str] | None:
    """The person a link is for and where it leads, if it is still valid; changes nothing."""
    data = svc.store.peek_token(token_key(token), svc.now()) if _plausible(token) else None
    who = identify(svc.routing, data["email"]) if data else None
    return (who, data.get("then", "")) if who else None


def use_link(svc, token: str) -> tuple[Who, str] | None:
    """Use a link (once): the person and where to go, or None (unknown, used, expired, or no longer allowed)."""
    data = svc.store.take_token(token_key(token), svc.now()) if _plausible(token) else None
    who = identify(svc.routing, data["email"]) if data else None
    return (who, data.get("then", "")) if who else None


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


def cookie_name(svc, base: str = COOKIE) -> str:
    """``__Host-`` in production: the browser then refuses the cookie from anywhere but this exact host."""
    return f"__Host-{base}" if secure(svc) else base


def secure(svc) -> bool:
    return svc.settings.forms_endpoint.startswith("https://")


def _cookie(svc, base: str, value: str, max_age: int) -> str:
    if base not in COOKIES or not 0 <= max_age <= COOKIES[base]:
        raise ValueError(f"cookie {base} for {max_age} s is not in auth.COOKIES (nor in the privacy notice)")
    attributes = [f"{cookie_name(svc, base)}={value}", "Path=/", f"Max-Age={max_age}", "HttpOnly",
                  "SameSite=Strict"]
    if secure(svc):
        attributes.append("Secure")
    return "; ".join(attributes)


def open_session(svc, who: Who) -> tuple[Session, str]:
    """A new session for this person: (session, Set-Cookie value)."""
    now = svc.now()
    return _session_cookie(svc, Session(secrets.token_urlsafe(16), who, now + SESSION_SECONDS, now))


def extend_session(svc, session: Session) -> tuple[Session, str]:
    """« Rester connecté »: the same session (its id, so the CSRF tokens of the open pages stay good) until 8 hours
    from now, never past 24 hours after signing in; (session, Set-Cookie value)."""
    expires = max(session.expires, min(svc.now() + SESSION_SECONDS, session.limit))
    return _session_cookie(svc, Session(session.id, session.who, expires, session.started))


def _session_cookie(svc, session: Session) -> tuple[Session, str]:
    """The cookie's value: ``id.expires.address.mac.started``, the MAC over all the others."""
    email = _b64(email_key(session.who.email).encode())
    sid, expires, started = session.id, str(session.expires), str(session.started)
    value = f"{sid}.{expires}.{email}.{_mac(svc.settings.secret, 'session', sid, expires, email, started)}.{started}"
    return session, _cookie(svc, COOKIE, value, session.expires - svc.now())


def current(svc, cookies: dict[str, str]) -> Session | None:
    """The session the cookie carries, if it is genuine, unexpired, not signed out, and its address still
    allowed; otherwise None."""
    value = cookies.get(cookie_name(svc))
    parts = value.split(".") if value else []
    if len(parts) != 5 or not SESSION_ID.fullmatch(parts[0]) or not all(
            p.isdigit() and len(p) <= 12 for p in (parts[1], parts[4])):
        return None
    sid, expires, email, mac, started = parts
    if not hmac.compare_digest(_mac(svc.settings.secret, "session", sid, expires, email, started), mac):
        return None
    if int(expires) <= svc.now() or int(expires) > int(started) + SESSION_LIMIT_SECONDS or \
            svc.store.claimed(f"signout#{sid}"):
        return None
    try:
        who = identify(svc.routing, _unb64(email).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    return Session(sid, who, int(expires), int(started)) if who else None


def close_session(svc, session: Session) -> str:
    """Sign out: the session is revoked in the store (a copied cookie stops working too, even one extended
    since: the revocation lasts until the latest end any copy may carry); returns the Set-Cookie value that
    removes it from the browser."""
    svc.store.claim(f"signout#{session.id}", session.limit + 60)
    return forget_cookie(svc)


def forget_cookie(svc) -> str:
    return _cookie(svc, COOKIE, "", 0)


def pre_cookie(svc, nonce: str) -> str:
    return _cookie(svc, PRE_COOKIE, nonce, PRE_SECONDS)


NONCE = re.compile(r"[A-Za-z0-9_-]{22}")


def browser_nonce(svc, cookies: dict[str, str]) -> tuple[str, list[str]]:
    """This browser's random nonce from the pre-sign-in cookie (the anonymous forms' CSRF token is made from it,
    and what a browser sent too late is kept under it), or a new one with the cookie that carries it."""
    nonce = cookies.get(cookie_name(svc, PRE_COOKIE), "")
    if NONCE.fullmatch(nonce):
        return nonce, []
    nonce = csrf.new_nonce()
    return nonce, [pre_cookie(svc, nonce)]
