"""Signing in to the back office: links that open once, for 15 minutes, to the address the data knows; sessions
in a signed cookie for 8 hours; the same answer whatever the address; expired, replayed and tampered links and
cookies refused; signing out revokes the session everywhere."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import urllib.parse

import pytest
from itsdangerous import URLSafeSerializer

from support_backoffice import AI_A, OPERATOR, Browser, last_link, sign_in
from support_functions import ROUTING, Local, bodies, functions_app, plain

from chalicelib.backoffice import auth, csrf, gate, signin, timeout, web
from chalicelib.routing import Routing

NOW = 1795000000   # a fixed instant: links and sessions expire by moving it, never by sleeping


@pytest.fixture
def local(tmp_path):
    backends = Local(tmp_path)
    backends.service.clock = lambda: NOW
    functions_app.set_service(backends.service)
    yield backends
    functions_app.set_service(None)


def ask(client, address: str, headers: dict | None = None) -> tuple[Browser, object]:
    browser = Browser(client)
    browser.get("/espace/")
    return browser, browser.post("/espace/connexion", {"email": address}, headers=headers)


def links(local) -> list:
    return [m for m in local.messages(everything=True) if "connexion" in str(m["Subject"])]


def at(local, instant: int) -> None:
    local.service.clock = lambda: instant


def test_the_link_goes_to_the_address_the_data_writes_never_the_one_typed(client, local):
    _, reply = ask(client, "  Demandes@LIBOURNAIS.example.org ")
    assert reply.status == 200
    [message] = links(local)
    assert message["To"].addresses[0].addr_spec == AI_A
    text, html = bodies(message)
    assert "valable 15 minutes" in text and "ne sert qu'une fois" in text
    assert re.search(r"https://api\.example\.org/espace/connexion\?jeton=[A-Za-z0-9_-]{43}\n", text)
    assert "jeton=" in html


def test_the_link_starts_from_the_settings_never_from_the_request_headers(client, local):
    ask(client, AI_A, headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example",
                               "Forwarded": "host=evil.example"})
    text = bodies(links(local)[0])[0]
    assert "evil" not in text and "https://api.example.org/espace/connexion?jeton=" in text


def _same(page: str, typed: str) -> str:
    return re.sub(r'value="[^"]*"', "", page.replace(typed, "ADRESSE"))


def test_the_page_answers_the_same_whatever_the_address(client, local):
    known = ask(client, AI_A)[1]
    unknown = ask(client, "personne@example.org")[1]
    operator = ask(client, OPERATOR)[1]
    for _ in range(auth.LINKS_PER_ADDRESS):
        limited = ask(client, AI_A)[1]          # past this client's limit for the address: nothing sent
        unknown_limited = ask(client, "personne@example.org")[1]
    assert known.status == unknown.status == operator.status == limited.status == unknown_limited.status == 200
    assert _same(known.text, AI_A) == _same(unknown.text, "personne@example.org") == _same(operator.text, OPERATOR)
    # Past the limit the page says that no link left, and says it of any address, known or not.
    assert _same(limited.text, AI_A) == _same(unknown_limited.text, "personne@example.org") != _same(known.text, AI_A)
    assert "Aucun nouveau lien n'a été envoyé" in plain(limited.text)
    assert "Aucun nouveau lien" not in plain(known.text)
    sent = [m["To"].addresses[0].addr_spec for m in links(local)]
    assert sent.count(AI_A) == auth.LINKS_PER_ADDRESS and sent.count(OPERATOR) == 1
    assert "personne@example.org" not in sent


def ask_from(local, ip: str, address: str):
    """The address form posted from another client (``ip``) than the test's HTTP client, through the same view."""
    svc = local.service
    nonce = csrf.new_nonce()
    cookie = f"{auth.cookie_name(svc, auth.PRE_COOKIE)}={nonce}"
    body = urllib.parse.urlencode({"email": address, "csrf": csrf.anonymous_token(svc.settings.secret, nonce)})
    visit = web.Visit.parse("POST", "/espace/connexion", {}, {"Cookie": cookie}, body.encode(), ip)
    return gate.serve(svc, visit, signin.ask_link)


def test_a_stranger_cannot_use_up_the_owner_s_links(client, local):
    """Five anonymous asks for an association's address used to spend its hourly allowance: its own request
    then sent nothing. The allowance is per address and client; the owner's own request always brings a link,
    and that link is the one that works."""
    for _ in range(3 * auth.LINKS_PER_ADDRESS):
        ask_from(local, "198.51.100.66", AI_A)
    stranger = ask_from(local, "198.51.100.66", AI_A)
    assert "Aucun nouveau lien n'a été envoyé" in plain(stranger.body)   # the stranger is told, not the owner
    before = len(links(local))
    assert before == auth.LINKS_PER_ADDRESS
    stale = last_link(local)

    browser, reply = ask(client, AI_A)            # the owner, from its own connection
    assert reply.status == 200 and "un lien de connexion vient d'y être envoyé" in plain(reply.text)
    assert len(links(local)) == before + 1
    fresh = last_link(local)
    assert browser.get(stale).status == 410      # replaced by the owner's: one link in flight per address
    page = browser.get(fresh)
    assert page.status == 200
    token = re.search(r'name="jeton" value="([^"]+)"', page.text).group(1)
    assert browser.post("/espace/session", {"jeton": token}).status == 303


def test_a_new_link_replaces_the_previous_one(client, local):
    browser, _ = ask(client, AI_A)
    first = last_link(local)
    ask(client, AI_A)
    second = last_link(local)
    assert first != second
    assert browser.get(first).status == 410 and browser.get(second).status == 200


def test_known_and_unknown_addresses_go_through_the_same_steps(client, local, monkeypatch):
    """The link is e-mailed within a fixed time, after which the page answers: a known address (token stored,
    e-mail sent) and an unknown one answer after the same delay (7 ms against 2 ms told who has access)."""
    steps = []
    monkeypatch.setattr(signin, "answer_after", lambda started, seconds=signin.ANSWER_SECONDS: steps.append(
        ("answer after", seconds)))
    send = local.mailer.send
    monkeypatch.setattr(local.mailer, "send", lambda msg: steps.append(("send",)) or send(msg))
    paths = {}
    for address in (AI_A, "personne@example.org", OPERATOR):
        steps.clear()
        assert ask(client, address)[1].status == 200
        paths[address] = list(steps)
    answer = ("answer after", signin.ANSWER_SECONDS)
    assert paths[AI_A] == paths[OPERATOR] == [("send",), answer]   # sent before the answer, within the delay
    assert paths["personne@example.org"] == [answer]


def test_the_answer_waits_for_the_fixed_delay_from_when_the_form_was_posted():
    waited = []
    signin.answer_after(100.0, 0.3, clock=lambda: 100.05, sleep=waited.append)     # a quick path waits longer
    signin.answer_after(100.0, 0.3, clock=lambda: 100.25, sleep=waited.append)     # a slower one, less
    signin.answer_after(100.0, 0.3, clock=lambda: 100.5, sleep=waited.append)      # past it: no wait
    assert [round(w, 2) for w in waited] == [0.25, 0.05]


def test_the_sign_in_page_points_to_the_privacy_notice(client, local):
    page = Browser(client).get("/espace/")
    main = page.text.split("<main", 1)[1].split("</main>", 1)[0]           # not only the footer's link
    assert f'<a href="{local.service.routing.site_url}/donnees-personnelles/">' in main
    assert local.service.routing.site_url.startswith("https://")


def test_one_client_asking_too_often_is_slowed_down(client, local):
    for number in range(auth.ASKS_PER_CLIENT):
        assert ask(client, f"n{number}@example.org")[1].status == 200
    refused = ask(client, "n-last@example.org")[1]
    assert refused.status == 429 and "réessayez dans une heure" in refused.text
    at(local, NOW + 2 * 3600)
    assert ask(client, AI_A)[1].status == 200


def test_an_invalid_address_is_reported_next_to_the_field(client, local):
    reply = ask(client, "pas-une-adresse")[1]
    assert reply.status == 400
    assert '<a href="#f-email">' in reply.text and 'aria-invalid="true"' in reply.text
    assert 'aria-describedby="f-email-aide f-email-erreur"' in reply.text
    assert links(local) == []


def test_following_the_link_changes_nothing_and_its_button_opens_one_session(client, local):
    ask(client, AI_A)
    path = last_link(local)
    browser = Browser(client)
    for _ in range(3):   # a mail scanner, then the person: the link still works
        page = browser.get(path)
        assert page.status == 200 and "AI du Libournais" in page.text and "Me connecter" in page.text
    token = urllib.parse.parse_qs(path.split("?")[1])["jeton"][0]
    opened = browser.post("/espace/session", {"jeton": token})
    assert opened.status == 303 and opened.headers["location"] == "/espace/"
    assert browser.get("/espace/demandes").status == 200
    replay = Browser(client)
    assert replay.get(path).status == 410
    replay.get("/espace/")
    again = replay.post("/espace/session", {"jeton": token})
    assert again.status == 410 and "déjà utilisé" in again.text
    assert replay.get("/espace/demandes").status == 303
    assert [e.action for e in local.store.journal(0, NOW + 1)] == ["link_sent", "signed_in", "link_refused"]


def test_the_link_page_elides_before_the_name(client, local):
    """« en tant qu'AI du Libournais », never « en tant que AI … »: the rulebook's elision, in the template."""
    ask(client, AI_A)
    page = Browser(client).get(last_link(local))
    assert "en tant qu&#39;<strong>AI du Libournais</strong>" in page.text and "que <strong>" not in page.text


def test_an_expired_link_is_refused(client, local):
    ask(client, AI_A)
    path = last_link(local)
    at(local, NOW + auth.LINK_SECONDS)
    browser = Browser(client)
    assert browser.get(path).status == 410
    token = path.split("jeton=")[1]
    browser.get("/espace/")
    assert browser.post("/espace/session", {"jeton": token}).status == 410
    at(local, NOW + auth.LINK_SECONDS - 1)
    assert browser.post("/espace/session", {"jeton": token}).status == 410   # used up by the refused try


@pytest.mark.parametrize("change", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: t[:-2],
                                    lambda t: t + "x", lambda t: "", lambda t: "../" + t])
def test_a_tampered_link_is_refused(client, local, change):
    ask(client, AI_A)
    token = last_link(local).split("jeton=")[1]
    browser = Browser(client)
    browser.get("/espace/")
    assert browser.get(f"/espace/connexion?jeton={urllib.parse.quote(change(token))}").status == 410
    assert browser.post("/espace/session", {"jeton": change(token)}).status == 410
    assert browser.get("/espace/demandes").status == 303


def test_the_session_cookie_is_httponly_strict_secure_and_lasts_8_hours(client, local):
    first = sign_in(client, local, AI_A)
    ask(client, AI_A)
    browser = Browser(client)
    browser.get(last_link(local))
    browser.post("/espace/session", {"jeton": last_link(local).split("jeton=")[1]})
    [cookie] = [c for c in browser.set_cookie if c.startswith("__Host-aai-espace=")]
    attributes = {part.strip().split("=")[0]: part.strip() for part in cookie.split(";")[1:]}
    assert set(attributes) == {"Path", "Max-Age", "HttpOnly", "SameSite", "Secure"}
    assert attributes["Path"] == "Path=/" and attributes["SameSite"] == "SameSite=Strict"
    assert attributes["Max-Age"] == f"Max-Age={8 * 3600}"
    assert first.jar["__Host-aai-espace"] != browser.jar["__Host-aai-espace"]   # one session per sign-in


def test_locally_over_http_the_cookie_is_not_secure(client, tmp_path):
    local = Local(tmp_path, forms_endpoint="http://localhost:8001")
    functions_app.set_service(local.service)
    try:
        browser = Browser(client)
        browser.get("/espace/")
        assert [c for c in browser.set_cookie if c.startswith("aai-espace-avant=")]
        assert all("Secure" not in c for c in browser.set_cookie)
        browser.post("/espace/connexion", {"email": AI_A})
        text = bodies(links(local)[0])[0]
        path = re.search(r"http://localhost:8001(/espace/connexion\?jeton=\S+)", text).group(1)
        browser.get(path)
        browser.post("/espace/session", {"jeton": path.split("jeton=")[1]})
        assert "aai-espace" in browser.jar and browser.get("/espace/demandes").status == 200
    finally:
        functions_app.set_service(None)


def _tampered(value: str, field: int | None = None, new=None, stamp: int | None = None, mac: bool = False) -> str:
    """The session cookie (itsdangerous: ``payload.timestamp.signature``, the payload a JSON list of id, end,
    address, start) with one of its parts changed and the signature kept (or reversed)."""
    payload, timestamp, signature = value.rsplit(".", 2)   # the payload starts with a dot when compressed
    codec = URLSafeSerializer("the payload's encoding only")
    data = codec.load_payload(payload.encode())
    if field is not None:
        data[field] = new
        payload = codec.dump_payload(data).decode()
    if stamp is not None:
        timestamp = base64.urlsafe_b64encode(stamp.to_bytes((stamp.bit_length() + 7) // 8, "big")).decode().rstrip("=")
    return ".".join((payload, timestamp, signature[::-1] if mac else signature))


@pytest.mark.parametrize("how", ["mac", "expiry", "address", "stamp", "garbage", "empty"])
def test_a_tampered_cookie_is_no_session_and_is_removed(client, local, how):
    browser = sign_in(client, local, AI_A)
    value = browser.jar["__Host-aai-espace"]
    assert _tampered(value) == value   # the helper reads the cookie's format right
    browser.jar["__Host-aai-espace"] = {
        "mac": _tampered(value, mac=True),
        "expiry": _tampered(value, 1, NOW + 10 * 86400),
        "address": _tampered(value, 2, OPERATOR),
        "stamp": _tampered(value, stamp=NOW + 3600),   # a later seal does not buy a longer life
        "garbage": "x.y.z", "empty": "..."}[how]
    reply = browser.get("/espace/demandes")
    assert reply.status == 303 and reply.headers["location"] == "/espace/?suite=/espace/demandes"
    assert any(c.startswith("__Host-aai-espace=;") and "Max-Age=0" in c for c in browser.set_cookie)
    assert browser.post("/espace/demandes/AI-20261102-ZZZZZZ/note", {"note": "x"}).status == 401


def test_a_session_ends_after_8_hours(client, local):
    browser = sign_in(client, local, AI_A)
    at(local, NOW + auth.SESSION_SECONDS - 1)
    assert browser.get("/espace/demandes").status == 200
    at(local, NOW + auth.SESSION_SECONDS)
    assert browser.get("/espace/demandes").status == 303


def test_signing_out_revokes_the_session_even_for_a_copied_cookie(client, local):
    browser = sign_in(client, local, OPERATOR)
    copy = Browser(client, dict(browser.jar))
    reply = browser.post("/espace/deconnexion", {})
    assert reply.status == 200 and "déconnecté" in reply.text
    assert any(c.startswith("__Host-aai-espace=;") for c in browser.set_cookie)
    assert browser.get("/espace/file").status == 303
    assert copy.get("/espace/file").status == 303
    assert [e.action for e in local.store.journal(0, NOW + 1)][-1] == "signed_out"


def test_an_address_removed_from_the_data_closes_its_sessions(client, local):
    browser = sign_in(client, local, OPERATOR)
    assert browser.get("/espace/file").status == 200
    table = json.loads(open(ROUTING, encoding="utf-8").read())
    table["operators"] = [o for o in table["operators"] if o["email"] != OPERATOR]
    local.service.routing = Routing(table)
    assert browser.get("/espace/file").status == 303


def test_after_sign_in_the_person_lands_where_they_were_going(client, local):
    browser = Browser(client)
    reply = browser.get("/espace/demandes")
    assert reply.headers["location"] == "/espace/?suite=/espace/demandes"
    form = browser.get(reply.headers["location"])
    assert 'name="suite" value="/espace/demandes"' in form.text
    browser.post("/espace/connexion", {"email": AI_A, "suite": "/espace/demandes"})
    browser.get(last_link(local))
    opened = browser.post("/espace/session", {"jeton": last_link(local).split("jeton=")[1]})
    assert opened.headers["location"] == "/espace/demandes"


@pytest.mark.parametrize("then", ["https://evil.example/", "//evil.example", "/espace/../../x", "/autre"])
def test_never_to_another_site_after_sign_in(client, local, then):
    browser = Browser(client)
    browser.get("/espace/")
    browser.post("/espace/connexion", {"email": AI_A, "suite": then})
    browser.get(last_link(local))
    opened = browser.post("/espace/session", {"jeton": last_link(local).split("jeton=")[1]})
    assert opened.headers["location"] == "/espace/"


SMUGGLED = "/espace/demandes\r\nSet-Cookie: x=1"


def no_smuggled_header(reply) -> None:
    """Nothing of the smuggled text reached the response's headers (http.client would show it as a header)."""
    assert "x" not in {c.split("=")[0].strip() for c in reply.headers.get("set-cookie", "").split(",")}
    assert all("x=1" not in f"{k}: {v}" and "\r" not in v and "\n" not in v for k, v in reply.headers.items())


@pytest.mark.parametrize("how", ["form", "query"])
def test_a_header_smuggled_into_where_to_go_after_sign_in_never_comes_out(client, local, how):
    browser = Browser(client)
    form = browser.get("/espace/?" + urllib.parse.urlencode({"suite": SMUGGLED}) if how == "query" else "/espace/")
    no_smuggled_header(form)
    assert 'name="suite" value="/espace/"' in form.text and "Set-Cookie" not in form.text
    sent = browser.post("/espace/connexion", {"email": AI_A, "suite": SMUGGLED if how == "form" else "/espace/"})
    no_smuggled_header(sent)
    browser.get(last_link(local))
    opened = browser.post("/espace/session", {"jeton": last_link(local).split("jeton=")[1]})
    assert opened.status == 303 and opened.headers["location"] == "/espace/"
    no_smuggled_header(opened)
    assert not any(c.startswith("x=") for c in browser.set_cookie) and "x" not in browser.jar


def test_a_header_smuggled_into_the_path_is_not_carried_to_the_sign_in_page(client, local):
    reply = Browser(client).get("/espace/demandes/" + urllib.parse.quote("AI-20261102-AAAAAA\r\nSet-Cookie: x=1"))
    assert reply.status == 303 and reply.headers["location"] == "/espace/"     # not « ?suite=… » with it
    no_smuggled_header(reply)


def test_a_shared_mailbox_signs_in_for_each_of_its_associations():
    table = json.loads(open(ROUTING, encoding="utf-8").read())
    table["associations"]["ai-entre-deux-mers"]["email"] = AI_A.upper()
    who = auth.identify(Routing(table), AI_A)
    assert who.role == "ai" and set(who.associations) == {"ai-libournais", "ai-entre-deux-mers"}
    assert who.sees({"association": "ai-entre-deux-mers"}) and not who.sees({"association": "ai-grand-perigueux"})
    assert who.actor({"association": "ai-entre-deux-mers"}) == "ai:ai-entre-deux-mers"
    operator = auth.identify(Routing(table), OPERATOR.upper())
    assert operator.role == "cell" and operator.name == "Claire Duboscq" and operator.sees({"association": "x"})
    assert auth.identify(Routing(table), "") is None and auth.identify(Routing(table), "x@example.org") is None


# --- The end of a session: warned, extended, and nothing typed is lost (WCAG 2.2.1) -------------------------

def _order(local) -> str:
    """A request of AI A's (Libournais) to write notes on."""
    from support_functions import demande_fields
    fields = {k: v if isinstance(v, list) else [v] for k, v in demande_fields(date_debut="2026-12-01").items()}
    return local.service.submit("demande", fields, "192.0.2.1").reference


def _ends(instant: int) -> str:
    """The end as the page words it at the instant the tests' clock shows."""
    from chalicelib.backoffice import layout
    return layout.end_time(functions_app.service(), instant)


def test_every_page_says_when_the_session_ends_and_offers_to_stay_signed_in(client, local):
    browser = sign_in(client, local, AI_A)
    page = browser.get("/espace/demandes").text
    assert f"Session ouverte jusqu'à {_ends(NOW + auth.SESSION_SECONDS)}." in page
    form = re.search(r'<form class="session" id="session" method="post" action="/espace/prolonger" '
                     r'data-reste="(\d+)" data-alerte="(\d+)"[^>]*>(.*?)</form>', page, re.S)
    assert form and form.group(1) == str(auth.SESSION_SECONDS) and form.group(2) == str(auth.WARN_SECONDS)
    assert f'name="csrf" value="{browser.csrf}"' in form.group(3) and 'name="suite" value="/espace/demandes"' in \
        form.group(3) and ">Rester connecté</button>" in form.group(3)
    at(local, NOW + auth.SESSION_SECONDS - auth.WARN_SECONDS)   # without JavaScript too, the page says it is soon
    assert "Votre session se termine bientôt, à" in browser.get("/espace/demandes").text
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    csp = browser.get("/espace/demandes").headers["content-security-policy"]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp and "connect-src 'self'" in csp and "unsafe" not in csp


def test_staying_signed_in_extends_the_same_session_without_a_new_token(client, local):
    browser = sign_in(client, local, AI_A)
    ref = _order(local)
    assert browser.get(f"/espace/demandes/{ref}").status == 200
    token = browser.csrf                              # the token of the page left open
    at(local, NOW + 7 * 3600)
    reply = browser.post("/espace/prolonger", {"suite": f"/espace/demandes/{ref}"})
    assert reply.status == 303 and reply.headers["location"] == f"/espace/demandes/{ref}"
    [cookie] = [c for c in browser.set_cookie if c.startswith("__Host-aai-espace=")]
    assert f"Max-Age={auth.SESSION_SECONDS}" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie \
        and "Secure" in cookie
    at(local, NOW + 9 * 3600)                         # past the first 8 hours
    page = browser.get(f"/espace/demandes/{ref}")
    assert page.status == 200 and f"jusqu'à {_ends(NOW + 15 * 3600)}" in page.text
    assert browser.post(f"/espace/demandes/{ref}/note", {"note": "Rappel fait."}, csrf=token).status == 303
    assert browser.post("/espace/prolonger", {"suite": "https://evil.example/"}).headers["location"] == "/espace/"


def test_the_script_extends_in_place_and_json_says_until_when(client, local):
    browser = sign_in(client, local, OPERATOR)
    at(local, NOW + 3600)
    reply = browser.post("/espace/prolonger", {"suite": "/espace/file"}, headers={"Accept": "application/json"})
    assert reply.status == 200 and reply.headers["content-type"].startswith("application/json")
    assert json.loads(reply.text) == {"reste": auth.SESSION_SECONDS, "fin": _ends(NOW + 3600 + auth.SESSION_SECONDS),
                                      "prolongeable": True}


def test_a_session_is_never_extended_past_24_hours_nor_by_a_forged_start(client, local):
    browser = sign_in(client, local, AI_A)
    for hours in (7, 14, 21):
        at(local, NOW + hours * 3600)
        assert browser.post("/espace/prolonger", {"suite": "/espace/"}).status == 303
    page = browser.get("/espace/").text
    assert f"jusqu'à {_ends(NOW + auth.SESSION_LIMIT_SECONDS)}" in page and "ne peut plus être prolongée" in page
    assert ">Rester connecté</button>" not in page
    value = browser.jar["__Host-aai-espace"]
    forged = browser.jar["__Host-aai-espace"] = _tampered(value, 3, NOW + 10 * 3600)   # a later sign-in
    assert browser.get("/espace/").status == 200 and "__Host-aai-espace" not in browser.jar
    browser.jar["__Host-aai-espace"] = value
    at(local, NOW + auth.SESSION_LIMIT_SECONDS)
    assert browser.get("/espace/demandes").status == 303, "the end of the 24 hours is the end"
    assert forged != value


def test_signing_out_revokes_a_copy_extended_since(client, local):
    browser = sign_in(client, local, AI_A)
    thief = Browser(client, dict(browser.jar))
    thief.csrf = browser.csrf
    at(local, NOW + 7 * 3600)
    assert thief.post("/espace/prolonger", {"suite": "/espace/"}).status == 303
    assert browser.post("/espace/deconnexion", {}).status == 200
    at(local, NOW + 10 * 3600)                       # past the end of the session the owner signed out of
    assert thief.get("/espace/demandes").status == 303


def _sign_in_again(browser: Browser, local, then: str):
    """The sign-in form of the « session terminée » page, as the person fills it in, then the link's button."""
    assert browser.post("/espace/connexion", {"email": AI_A, "suite": then}).status == 200
    browser.get(last_link(local))
    return browser.post("/espace/session", {"jeton": last_link(local).split("jeton=")[1]})


def test_a_note_sent_after_the_end_comes_back_after_signing_in_again(client, local):
    browser = sign_in(client, local, AI_A)
    ref = _order(local)
    browser.get(f"/espace/demandes/{ref}")
    at(local, NOW + auth.SESSION_SECONDS + 600)       # the note took long to write
    note = "Appelée ce matin : d'accord pour jeudi, 2 h de ménage."
    reply = browser.post(f"/espace/demandes/{ref}/note", {"note": note, "rappel_prevu": "2026-11-26"})
    assert reply.status == 401 and "n'est pas perdu" in plain(reply.text)
    then = re.search(r'name="suite" value="(/espace/reprendre/[0-9a-f]{32})"', reply.text).group(1)
    assert 'action="/espace/connexion"' in reply.text and 'name="email"' in reply.text   # sign in right here
    assert [e.kind for e in local.service.trail(ref)][-1] != "noted"

    opened = _sign_in_again(browser, local, then)
    assert opened.status == 303 and opened.headers["location"] == then
    page = browser.get(then)
    assert page.status == 200 and f'action="/espace/demandes/{ref}/note"' in page.text
    assert f">{html.escape(note, quote=False)}</textarea>" in page.text.replace("&#39;", "'")
    assert 'value="2026-11-26"' in page.text
    assert browser.post(f"/espace/demandes/{ref}/note", {"note": note, "rappel_prevu": "2026-11-26"}).status == 303
    noted = [e for e in local.service.trail(ref) if e.kind == "noted"]
    assert [e.details["text"] for e in noted] == [note]
    assert browser.get(then).status == 410, "shown once, then erased"


def test_what_was_kept_stays_with_the_browser_that_sent_it(client, local):
    browser = sign_in(client, local, AI_A)
    ref = _order(local)
    browser.get(f"/espace/demandes/{ref}")
    at(local, NOW + auth.SESSION_SECONDS)
    reply = browser.post(f"/espace/demandes/{ref}/note", {"note": "Secret de Jeanne."})
    then = re.search(r'name="suite" value="(/espace/reprendre/[0-9a-f]{32})"', reply.text).group(1)
    other = sign_in(client, local, AI_A)               # the same person on another computer: not there
    assert other.get(then).status == 410 and "Secret de Jeanne" not in other.get(then).text
    assert browser.get(then).status == 303             # and the first browser must sign in first
    at(local, NOW + auth.SESSION_SECONDS + 3600)        # an hour later it is gone, signed in or not
    assert _sign_in_again(browser, local, then).status == 303 and browser.get(then).status == 410


def test_nothing_is_kept_of_a_late_sign_out_and_the_store_is_not_filled_by_strangers(client, local):
    browser = sign_in(client, local, AI_A)
    at(local, NOW + auth.SESSION_SECONDS)
    reply = browser.post("/espace/deconnexion", {})
    assert reply.status == 401 and "/espace/reprendre/" not in reply.text
    stranger = Browser(client)
    stranger.get("/espace/")
    kept = [re.search(r"/espace/reprendre/[0-9a-f]{32}", stranger.post("/espace/fiche", {"nom": "x" * 100}).text)
            for _ in range(timeout.DRAFTS_PER_CLIENT + 3)]
    assert all(kept[:timeout.DRAFTS_PER_CLIENT]) and not any(kept[timeout.DRAFTS_PER_CLIENT:])


def test_a_page_left_open_from_an_earlier_session_gives_back_what_it_carried(client, local):
    """Signed in again, then Back to the page left open: its token is the old session's, so nothing is done —
    and the note comes back at once, with this session's token, to send once checked."""
    browser = sign_in(client, local, AI_A)
    ref = _order(local)
    browser.get(f"/espace/demandes/{ref}")
    old_token = browser.csrf
    at(local, NOW + auth.SESSION_SECONDS + 60)
    assert _sign_in_again(browser, local, "/espace/").status == 303
    browser.get("/espace/")
    reply = browser.post(f"/espace/demandes/{ref}/note", {"note": "Rappel jeudi."}, csrf=old_token)
    assert reply.status == 403 and "expiré" in reply.text and ">Rappel jeudi.</textarea>" in reply.text
    assert not [e for e in local.service.trail(ref) if e.kind == "noted"]
    assert f'name="csrf" value="{browser.csrf}"' in reply.text and browser.csrf != old_token
    assert browser.post(f"/espace/demandes/{ref}/note", {"note": "Rappel jeudi."}).status == 303


def test_an_end_after_midnight_says_tomorrow(client, local):
    from rules.dates import local_time
    late = int(local_time(NOW).replace(hour=23, minute=0, second=0).timestamp())
    at(local, late - 7 * 3600)                        # signed in at 16 h, then « Rester connecté » at 23 h
    browser = sign_in(client, local, AI_A)
    at(local, late)
    browser.post("/espace/prolonger", {"suite": "/espace/"})
    assert "Session ouverte jusqu'à demain 7 h 00." in browser.get("/espace/").text
