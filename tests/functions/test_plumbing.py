"""One body parser with one set of limits (chalicelib/web/http.py), cookies read and written by the standard library."""

from __future__ import annotations

import re
from http.cookies import SimpleCookie
from pathlib import Path
from types import SimpleNamespace

import pytest

from chalicelib.web import http
from chalicelib.backoffice import auth, web

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _sources() -> dict[str, str]:
    return {p.relative_to(FUNCTIONS).as_posix(): p.read_text("utf-8") for p in FUNCTIONS.rglob("*.py")
            if "vendor" not in p.parts}


def test_one_body_parser_and_one_set_of_limits():
    sources = _sources()
    assert {name for name, text in sources.items() if "parse_qsl(" in text} == {"chalicelib/web/http.py"}
    assert {name for name, text in sources.items() if re.search(r"^MAX_\w*BODY\w* =", text, re.M)} == \
        {"chalicelib/web/http.py"}


def test_the_back_office_reads_its_forms_with_the_same_parser_and_limits():
    small = web.Visit.parse("POST", "/espace/x", {}, FORM, b"a=1&a=2&b=", "192.0.2.1")
    assert small.form == {"a": ["1", "2"], "b": [""]} and not small.body_too_large
    assert web.Visit.parse("POST", "/espace/x", {}, {}, b"a=1", "").form == {"a": ["1"]}   # no type: a form
    large = web.Visit.parse("POST", "/espace/x", {}, FORM, b"a=" + b"x" * http.MAX_BODY, "")
    assert large.body_too_large and large.form == {}
    many = "&".join(f"f{i}=1" for i in range(http.MAX_FIELDS + 1)).encode()
    assert web.Visit.parse("POST", "/espace/x", {}, FORM, many, "").form == {}
    as_json = web.Visit.parse("POST", "/espace/x", {}, {"Content-Type": "application/json"}, b'{"csrf": "x"}', "")
    assert as_json.form == {} and not as_json.body_too_large   # the back office takes HTML forms only
    assert web.Visit.parse("POST", "/espace/x", {}, FORM, b"a=%FF", "").form == {}


def test_a_signed_page_s_button_refuses_an_oversized_body_in_french(client, local):
    reply = client.request("POST", "/traite/AI-20261102-ABCDEF", b"sig=" + b"x" * http.MAX_BODY, FORM)
    assert reply.status == 403 and "lien" in reply.text.lower()


@pytest.mark.parametrize("header, expected", [
    ("a=1; b=2", {"a": "1", "b": "2"}),
    ("a=1; b=2; a=3", {"a": "1", "b": "2"}),            # the first of two with one name
    ("a=1; b c=2; d=4", {"a": "1", "d": "4"}),           # one odd pair does not hide the others
    ('a="x"; e=', {"a": "x", "e": ""}),
    ("", {}), (";;", {}), ("x", {}),
])
def test_cookies_are_read_by_the_standard_library(header, expected):
    assert web.parse_cookies(header) == expected


@pytest.mark.parametrize("endpoint, name", [("https://api.example.org", "__Host-aai-espace"),
                                            ("http://localhost:8001", "aai-espace")])
def test_cookies_are_written_by_the_standard_library_with_every_lock(endpoint, name):
    svc = SimpleNamespace(settings=SimpleNamespace(forms_endpoint=endpoint))
    made = auth._cookie(svc, auth.COOKIE, "abc.DEF-_1", 600)
    jar: SimpleCookie = SimpleCookie()
    jar.load(made)
    morsel = jar[name]
    assert morsel.value == "abc.DEF-_1" and morsel["path"] == "/" and morsel["max-age"] == "600"
    assert morsel["httponly"] is True and morsel["samesite"] == "Strict"
    assert bool(morsel["secure"]) is endpoint.startswith("https://")
    assert auth._cookie(svc, auth.COOKIE, "", 0).startswith(f"{name}=;")
    with pytest.raises(ValueError):
        auth._cookie(svc, auth.COOKIE, 'a"b; Domain=evil.example', 600)   # nothing that would need quoting
    with pytest.raises(ValueError):
        auth._cookie(svc, auth.COOKIE, "x", auth.SESSION_SECONDS + 1)
