"""Helpers for the back office's tests: sign in over HTTP exactly as a person does (the address form, the link
found in the outbox, the link page's button), then post forms with the session's cookie and CSRF token."""

from __future__ import annotations

import email
import http.client
import re
import urllib.parse
from dataclasses import dataclass, field
from email import policy
from pathlib import Path

from support_functions import Reply, bodies

AI_A = "demandes@libournais.example.org"            # AI du Libournais (Saint-Émilion, Libourne…)
AI_B = "contact@grand-perigueux.example.org"        # the Grand Périgueux's association
OPERATOR = "claire.duboscq@aai-aquitaine.example.org"   # data/settings.yaml, ``operators``
SESSION_CSRF = re.compile(r'<form class="signout"[^>]*>.*?name="csrf" value="([^"]+)"', re.S)
ANONYMOUS_CSRF = re.compile(r'action="[^"]*/espace/(?:connexion|session)"[^>]*>\s*<input type="hidden" name="csrf" '
                            r'value="([^"]+)"')
ANONYMOUS_VIEWS = ("/espace/connexion", "/espace/session")
LINK = re.compile(r"https://api\.example\.org(/espace/connexion\?jeton=[A-Za-z0-9_-]+)")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def set_cookies(response) -> dict[str, str]:
    """The cookies a response sets, every Set-Cookie header (name → value; an empty value removes it)."""
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";")[0]
    return found


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items() if v)


@dataclass
class Browser:
    """A cookie jar and the last CSRF token seen: enough of a browser for the back office over HTTP."""

    client: object
    jar: dict[str, str] = field(default_factory=dict)
    csrf: str = ""              # the session's token (from the sign-out form every signed-in page carries)
    anonymous_csrf: str = ""    # the sign-in forms' token (from the pre-sign-in cookie)

    set_cookie: list[str] = field(default_factory=list)   # the raw Set-Cookie headers of the last reply

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", self.client.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers={"Cookie": cookie_header(self.jar), **(headers or {})})
            response = conn.getresponse()
            reply = Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
            self.set_cookie = response.headers.get_all("Set-Cookie") or []
            for name, value in set_cookies(response).items():
                if value:
                    self.jar[name] = value
                else:
                    self.jar.pop(name, None)
        finally:
            conn.close()
        if reply.headers.get("content-type", "").startswith("text/html"):
            for pattern, name in ((SESSION_CSRF, "csrf"), (ANONYMOUS_CSRF, "anonymous_csrf")):
                found = pattern.search(reply.text)
                if found:
                    setattr(self, name, found.group(1))
        return reply

    def get(self, path: str, headers: dict | None = None) -> Reply:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, fields: dict | list, csrf: str | None = None, headers: dict | None = None) -> Reply:
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        pairs = [(k, x) for k, v in pairs for x in (v if isinstance(v, list) else [v])]
        token = (self.anonymous_csrf if path in ANONYMOUS_VIEWS else self.csrf) if csrf is None else csrf
        if token:
            pairs.append(("csrf", token))
        return self.request("POST", path, urllib.parse.urlencode(pairs).encode(), {**FORM, **(headers or {})})


def last_link(local) -> str:
    """The path of the newest sign-in link in the outbox (network-wide messages carry no request reference)."""
    folder = Path(local.settings.outbox_dir)
    for path in sorted(folder.glob("*-reseau-*.eml"), key=lambda p: p.stat().st_mtime_ns, reverse=True):
        found = LINK.search(bodies(email.message_from_bytes(path.read_bytes(), policy=policy.default))[0])
        if found:
            return found.group(1)
    raise AssertionError("no sign-in link in the outbox")


def sign_in(client, local, address: str) -> Browser:
    """Sign in as a person does; returns the browser, its session cookie set and its CSRF token known."""
    browser = Browser(client)
    assert browser.get("/espace/").status == 200
    assert browser.post("/espace/connexion", {"email": address}).status == 200
    assert browser.get(last_link(local)).status == 200
    token = re.search(r'name="jeton" value="([^"]+)"', browser.get(last_link(local)).text).group(1)
    reply = browser.post("/espace/session", {"jeton": token})
    assert reply.status == 303, reply.text
    assert browser.get("/espace/").status == 200
    return browser
