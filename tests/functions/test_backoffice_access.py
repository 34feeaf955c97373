"""Who may see and do what in the back office, proved route by route: every route of /espace/ × anonymous, AI A,
AI B and an operator of the cell → the expected status. Another association's request is a 404 — the same page
as a request that does not exist — and never carries its data. Every POST needs its CSRF token and its own
origin; nothing changes without them."""

from __future__ import annotations

import secrets

import pytest

from support_backoffice import AI_A, AI_B, OPERATOR, Browser, sign_in
from support_functions import Local, demande_fields, functions_app

ANONYMOUS, A, B, CELL = "anonymous", "ai-a", "ai-b", "cell"
WHO = (ANONYMOUS, A, B, CELL)
UNKNOWN = "AI-20261102-ZZZZZZ"
NO_DRAFT = "0" * 32       # what a form sent after its session's end, kept under an id: none by this one
NOV_2 = 1793610000        # Monday 2 November 2026, 10:00 in Paris: the module's clock


def as_lists(fields: dict) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in fields.items()}


def sheet_fields(**changes) -> dict:
    fields = {"commune": "33394", "associations": ["ai-libournais"], "nom": "Odette Lamarque",
              "telephone": "05 36 49 22 33", "besoin": "Du ménage chaque semaine.", "rappel_le": "2026-11-05",
              "mode_contact": "telephone", "consentement": "oui", "jeton": secrets.token_urlsafe(18)}
    fields.update(changes)
    return fields


def contact_fields(**changes) -> dict:
    """An association's own contact (a call it received), as its quick sheet posts it."""
    fields = {"canal": "appel", "nom": "Odette Lamarque", "telephone": "05 36 49 22 33", "commune": "Saint-Émilion",
              "besoin": "Du ménage chaque semaine.", "rappel_le": "2026-11-05",
              "origine": ["bouche-a-oreille-client", "mairie"], "jeton": secrets.token_urlsafe(18)}
    fields.update(changes)
    return fields


class World:
    """One service for the module: a request for AI A, one for AI B, and a signed-in browser per person."""

    def __init__(self, client, tmp_path):
        self.client = client
        self.local = Local(tmp_path, rate_limit=10_000)
        self.local.service.clock = lambda: NOV_2
        functions_app.set_service(self.local.service)
        self.ref_a = self.new_request()
        self.ref_b = self.local.service.submit("rappel", as_lists(rappel_b()), "192.0.2.2").reference
        self.case_a = self.new_case()
        self.browsers = {ANONYMOUS: Browser(client)}
        self.browsers[ANONYMOUS].get("/espace/")   # the pre-sign-in cookie and the form's token
        for who, address in ((A, AI_A), (B, AI_B), (CELL, OPERATOR)):
            self.browsers[who] = sign_in(client, self.local, address)

    def new_request(self) -> str:
        """A fresh order for AI A (Saint-Émilion), for actions that change it."""
        fields = demande_fields(idempotence=secrets.token_urlsafe(12), date_debut="2026-12-01")
        return self.local.service.submit("demande", as_lists(fields), "192.0.2.1").reference

    def new_case(self) -> str:
        """A fresh error report on AI A's page (« Signaler une erreur »), tracked as a case."""
        from chalicelib.intake import error_reports
        fields = {"page": ["association/ai-libournais"], "erreur": ["Le numéro de Guadet a changé."],
                  "email": [], "website": [""]}
        return error_reports.receive(self.local.service, fields, "192.0.2.3")

    def fill(self, path: str, ref: str) -> str:
        """A route's path with its request, and a fresh case of AI A for a POST on one (an outcome is recorded
        once), the module's one for a GET."""
        if "{case}" in path:
            path = path.replace("{case}", self.new_case() if ref != self.ref_a else self.case_a)
        return path.replace("{ref}", ref)


def rappel_b() -> dict:
    from support_functions import rappel_fields
    return rappel_fields(nom="Paul Dubreuil")


@pytest.fixture(scope="module")
def world(client, tmp_path_factory):
    world = World(client, tmp_path_factory.mktemp("access"))
    yield world
    functions_app.set_service(None)


# route → (method, path, fields, {who: status}); {ref} is a fresh request of AI A for POSTs, the fixed one for GETs.
MATRIX = {
    "home": ("GET", "/espace/", None, {ANONYMOUS: 200, A: 200, B: 200, CELL: 200}),
    "ask-link": ("POST", "/espace/connexion", {"email": "someone@example.org"},
                 {ANONYMOUS: 200, A: 200, B: 200, CELL: 200}),
    "link-page": ("GET", "/espace/connexion?jeton=unknownunknownunknown", None,
                  {ANONYMOUS: 410, A: 410, B: 410, CELL: 410}),
    "open-session": ("POST", "/espace/session", {"jeton": "unknownunknownunknown"},
                     {ANONYMOUS: 410, A: 410, B: 410, CELL: 410}),
    "list": ("GET", "/espace/demandes", None, {ANONYMOUS: 303, A: 200, B: 200, CELL: 200}),
    "list-of-a": ("GET", "/espace/demandes?association=ai-libournais", None,
                  {ANONYMOUS: 303, A: 200, B: 200, CELL: 200}),
    "request": ("GET", "/espace/demandes/{ref}", None, {ANONYMOUS: 303, A: 200, B: 404, CELL: 200}),
    "unknown-request": ("GET", f"/espace/demandes/{UNKNOWN}", None, {ANONYMOUS: 303, A: 404, B: 404, CELL: 404}),
    "handled": ("POST", "/espace/demandes/{ref}/traitee", {"resultat": "client"},
                {ANONYMOUS: 401, A: 303, B: 404, CELL: 303}),
    "note": ("POST", "/espace/demandes/{ref}/note", {"note": "Appelée, rappel jeudi."},
             {ANONYMOUS: 401, A: 303, B: 404, CELL: 303}),
    "hand-back": ("POST", "/espace/demandes/{ref}/pas-pour-nous", {"pourquoi": "Pas de jardinage ici."},
                  {ANONYMOUS: 401, A: 303, B: 404, CELL: 403}),
    "reroute": ("POST", "/espace/demandes/{ref}/reorienter", {"association": "ai-entre-deux-mers"},
                {ANONYMOUS: 401, A: 403, B: 403, CELL: 303}),
    "export": ("GET", "/espace/export", None, {ANONYMOUS: 303, A: 200, B: 200, CELL: 403}),
    "queue": ("GET", "/espace/file", None, {ANONYMOUS: 303, A: 403, B: 403, CELL: 200}),
    "sheet": ("GET", "/espace/fiche?commune=33394", None, {ANONYMOUS: 303, A: 403, B: 403, CELL: 200}),
    "sheet-save": ("POST", "/espace/fiche", "sheet", {ANONYMOUS: 401, A: 403, B: 403, CELL: 200}),
    "figures": ("GET", "/espace/chiffres", None, {ANONYMOUS: 303, A: 200, B: 200, CELL: 200}),
    "figures-of-a": ("GET", "/espace/chiffres?association=ai-libournais", None,
                     {ANONYMOUS: 303, A: 200, B: 404, CELL: 200}),
    "week": ("GET", "/espace/semaine", None, {ANONYMOUS: 303, A: 403, B: 403, CELL: 200}),   # the cell's week
    # An association's own contacts (chalicelib/contacts): its own only, never the cell's (it has the liaison sheet).
    "contact": ("GET", "/espace/contact", None, {ANONYMOUS: 303, A: 200, B: 200, CELL: 403}),
    "contact-save": ("POST", "/espace/contact", "contact", {ANONYMOUS: 401, A: 200, B: 200, CELL: 403}),
    "contacts": ("GET", "/espace/contacts", None, {ANONYMOUS: 303, A: 200, B: 200, CELL: 403}),
    "contacts-export": ("GET", "/espace/contacts/export", None, {ANONYMOUS: 303, A: 200, B: 200, CELL: 403}),
    # The Annexe 3 table: counts only; an association its own, the cell the region's and each association's.
    "annexe-3": ("GET", "/espace/annexe-3", None, {ANONYMOUS: 303, A: 200, B: 200, CELL: 200}),
    "annexe-3-of-a": ("GET", "/espace/annexe-3?association=ai-libournais", None,
                      {ANONYMOUS: 303, A: 200, B: 404, CELL: 200}),
    "annexe-3-export": ("GET", "/espace/annexe-3/export?annee=2026", None, {ANONYMOUS: 303, A: 200, B: 200, CELL: 200}),
    # « Mes informations »: an association's own details only, never the cell's to edit. This module's service
    # has no repository configured (AAI_GITHUB_REPOSITORY): the form shows, sending answers « pas encore ouvert ».
    "my-details": ("GET", "/espace/mes-informations", None, {ANONYMOUS: 303, A: 200, B: 200, CELL: 403}),
    "my-details-of-a": ("GET", "/espace/mes-informations?association=ai-libournais", None,
                        {ANONYMOUS: 303, A: 200, B: 404, CELL: 403}),
    "my-details-save": ("POST", "/espace/mes-informations", {"association": "ai-libournais",
                                                             "telephone": "05 36 49 99 00"},
                        {ANONYMOUS: 401, A: 503, B: 404, CELL: 403}),
    "sign-out": ("POST", "/espace/deconnexion", {}, {ANONYMOUS: 401, A: 200, B: 200, CELL: 200}),
    "extend": ("POST", "/espace/prolonger", {"suite": "/espace/demandes"},
               {ANONYMOUS: 401, A: 303, B: 303, CELL: 303}),
    "resume": ("GET", f"/espace/reprendre/{NO_DRAFT}", None, {ANONYMOUS: 303, A: 410, B: 410, CELL: 410}),
    # Complaints and error reports (chalicelib.complaints): an AI sees those sent to it — {case} is an error
    # reported on AI A's page —, the cell and AAI's editors see every one.
    "cases": ("GET", "/espace/suites", None, {ANONYMOUS: 303, A: 200, B: 200, CELL: 200}),
    "case": ("GET", "/espace/suites/{case}", None, {ANONYMOUS: 303, A: 200, B: 404, CELL: 200}),
    "case-outcome": ("POST", "/espace/suites/{case}", {"issue": "corrige", "note": "Fiche corrigée."},
                     {ANONYMOUS: 401, A: 303, B: 404, CELL: 303}),
}


def call(world: World, route: str, who: str, browser: Browser | None = None):
    method, path, fields, _ = MATRIX[route]
    browser = browser or world.browsers[who]
    ref = world.new_request() if method == "POST" else world.ref_a
    path = world.fill(path, ref)
    if method == "GET":
        return browser.get(path), ref
    fields = sheet_fields() if fields == "sheet" else contact_fields() if fields == "contact" else dict(fields)
    return browser.post(path, fields), ref


def test_the_matrix_covers_every_route_of_the_back_office():
    routes = {(method, path) for path, entry in functions_app.app.routes.items() if path.startswith("/espace")
              for method in entry}
    covered = {(method, path.split("?")[0].replace(UNKNOWN, "{ref}").replace(NO_DRAFT, "{draft}")
                .replace("{case}", "{ref}").rstrip("/"))
               for method, path, _, _ in MATRIX.values()}
    assert routes == covered
    assert len(MATRIX) * len(WHO) == 140   # the size of the matrix, as reported


@pytest.mark.parametrize("route", [r for r in MATRIX if r != "sign-out"])
def test_who_may_see_and_do_what(world, route):
    expected = MATRIX[route][3]
    found = {who: call(world, route, who)[0].status for who in WHO}
    assert found == expected


def test_signing_out_is_for_people_signed_in(world, client):
    for who, address in ((ANONYMOUS, None), (A, AI_A), (B, AI_B), (CELL, OPERATOR)):
        browser = sign_in(client, world.local, address) if address else Browser(client)
        assert call(world, "sign-out", who, browser)[0].status == MATRIX["sign-out"][3][who]


def test_another_associations_request_is_the_page_of_a_request_that_does_not_exist(world):
    browser = world.browsers[B]
    theirs, unknown = browser.get(f"/espace/demandes/{world.ref_a}"), browser.get(f"/espace/demandes/{UNKNOWN}")
    assert theirs.status == unknown.status == 404
    assert theirs.body.replace(world.ref_a.encode(), b"") == unknown.body.replace(UNKNOWN.encode(), b"")
    reads = world.local.store.read_log(world.ref_a)
    assert not [r for r in reads if r.actor == "ai:ai-grand-perigueux"]


@pytest.mark.parametrize("route", ["list", "list-of-a", "export", "figures", "figures-of-a", "handled", "note",
                                   "hand-back", "request", "contacts", "contacts-export", "annexe-3-of-a"])
def test_ai_b_never_sees_ai_as_data(world, route):
    reply, ref = call(world, route, B)
    text = reply.body.decode("utf-8")
    for private in ("Jeanne Martin", "36 49 12 34", "jeanne.martin", "Guadet", ref, world.ref_a):
        assert private not in text, (route, private)


def test_ai_b_sees_its_own_requests(world):
    text = world.browsers[B].get("/espace/demandes").text
    assert world.ref_b in text and "Paul Dubreuil" in text and world.ref_a not in text


def test_nothing_changes_when_another_ai_posts_on_a_request(world):
    ref = world.new_request()
    before = world.local.store.get(ref)
    for action, fields in (("traitee", {"resultat": "client"}), ("note", {"note": "x"}),
                           ("pas-pour-nous", {})):
        assert world.browsers[B].post(f"/espace/demandes/{ref}/{action}", fields).status == 404
    assert world.local.store.get(ref) == before


POSTS = [r for r, (method, *_rest) in MATRIX.items() if method == "POST"]


@pytest.mark.parametrize("route", POSTS)
def test_every_post_needs_its_csrf_token(world, route, client):
    """No token, a wrong one, or another session's: refused (403), nothing stored."""
    who = A if MATRIX[route][3][A] in (200, 303) else CELL
    method, path, fields, _ = MATRIX[route]
    other = world.browsers[B if who == A else A]
    for token in ("", "0" * 40, other.csrf):
        browser = sign_in(client, world.local, AI_A if who == A else OPERATOR) if route == "sign-out" else \
            world.browsers[who]
        ref = world.new_request()
        before = world.local.store.get(ref)
        journal = len(world.local.store.journal(0, 2**40))
        body = sheet_fields() if fields == "sheet" else contact_fields() if fields == "contact" else dict(fields)
        reply = browser.post(world.fill(path, ref), body, csrf=token or "")
        assert reply.status == 403, (route, token)
        assert "expiré" in reply.text
        assert world.local.store.get(ref) == before
        assert len(world.local.store.journal(0, 2**40)) == journal
        if route == "sign-out":
            assert browser.get("/espace/demandes").status == 200   # still signed in


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {"Origin": "null"},
                                     {"Sec-Fetch-Site": "cross-site"}])
@pytest.mark.parametrize("route", POSTS)
def test_a_post_from_another_site_is_refused_before_anything(world, route, headers):
    who = A if MATRIX[route][3][A] in (200, 303) else CELL
    method, path, fields, _ = MATRIX[route]
    ref = world.new_request()
    before = world.local.store.get(ref)
    body = sheet_fields() if fields == "sheet" else contact_fields() if fields == "contact" else dict(fields)
    reply = world.browsers[who].post(world.fill(path, ref), body, headers=headers)
    assert reply.status == 403 and "Envoi refusé" in reply.text
    assert world.local.store.get(ref) == before


def test_a_post_from_the_back_office_itself_is_accepted(world):
    ref = world.new_request()
    reply = world.browsers[A].post(f"/espace/demandes/{ref}/note", {"note": "Rappelée."},
                                   headers={"Origin": "https://api.example.org", "Sec-Fetch-Site": "same-origin"})
    assert reply.status == 303


def test_a_body_too_large_is_refused_and_changes_nothing(world):
    ref = world.new_request()
    before = world.local.store.get(ref)
    reply = world.browsers[A].post(f"/espace/demandes/{ref}/note", {"note": "x" * 20_000})
    assert reply.status == 413 and "trop volumineux" in reply.text
    assert world.local.store.get(ref) == before


def test_an_error_report_is_seen_and_answered_by_its_association_and_the_cell_only(world):
    """Issue 27: an AI sees only the reports about its own page; the cell and AAI's editors see all of them."""
    case = world.new_case()
    assert case in world.browsers[A].get("/espace/suites").text
    assert case in world.browsers[CELL].get("/espace/suites").text
    listed_b = world.browsers[B].get("/espace/suites").text
    assert case not in listed_b and "Guadet" not in listed_b
    theirs = world.browsers[B].get(f"/espace/suites/{case}")
    unknown = world.browsers[B].get("/espace/suites/ERR-20261102-ZZZZZZ")
    assert theirs.status == unknown.status == 404
    assert theirs.body.replace(case.encode(), b"") == unknown.body.replace(b"ERR-20261102-ZZZZZZ", b"")
    before = world.local.store.get_case(case)
    assert world.browsers[B].post(f"/espace/suites/{case}", {"issue": "pas-une-erreur"}).status == 404
    assert world.local.store.get_case(case) == before
    answered = world.browsers[A].post(f"/espace/suites/{case}", {"issue": "corrige"})
    assert answered.status == 303 and answered.headers["location"].endswith(f"/espace/suites/{case}?fait=1")
    assert "La suite donnée est enregistrée." in world.browsers[A].get(f"/espace/suites/{case}?fait=1").text
    done = world.local.store.get_case(case)
    assert done.outcome == "corrige" and done.history[-1].actor == "ai:ai-libournais"
    page = world.browsers[CELL].get(f"/espace/suites/{case}").text
    assert "Corrigé" in page and "Guadet" in page and 'name="issue"' not in page   # recorded once
    assert world.browsers[CELL].post(f"/espace/suites/{case}", {"issue": "pas-une-erreur"}).status == 409
