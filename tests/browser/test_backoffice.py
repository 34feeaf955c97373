"""The back office end to end in headless Chromium, as people use it, against SQLite and against DynamoDB (moto
server): a household sends an order on the site; its association signs in from the link found in the outbox, sees
the order and marks it handled with an outcome; an operator of the cell records a liaison sheet for a commune no
association serves and for one that is served, and the association receives it. Then accessibility as on the
public site: axe (WCAG 2.2 AA) finds nothing serious, everything works with the keyboard alone, focus is visible
and goes where things happen, errors are linked to their fields, targets are 24 pixels, pages reflow at 320."""

from __future__ import annotations

import datetime
import email
import re
from dataclasses import dataclass, replace
from email import policy
from pathlib import Path

import pytest

from support_chalice import load_app, served
from support_html import pages_errors

APP = load_app("aai_functions_app_backoffice")

pytestmark = pytest.mark.browser

SERIOUS = {"serious", "critical"}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
OPERATOR = "claire.duboscq@aai-aquitaine.example.org"
CHROMIUM = "/usr/bin/chromium"


@dataclass
class Stack:
    api: str              # where the functions answer (forms_endpoint): the back office is {api}/espace/
    site: str             # the static site, built once for the session; its forms post to localhost:8001
    routing: Path
    tmp: Path
    moto: str = ""


@dataclass
class Espace:
    """One run of the back office: a service on one store, its outbox."""

    stack: Stack
    service: object
    store_name: str
    outbox: Path

    def messages(self) -> list[email.message.EmailMessage]:
        files = sorted(self.outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns) if self.outbox.exists() else []
        return [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in files]

    def link(self, address: str) -> str:
        """The newest sign-in link sent to this address, as the person finds it in their mailbox."""
        for msg in reversed(self.messages()):
            if "connexion" in str(msg["Subject"]) and msg["To"].addresses[0].addr_spec == address:
                return re.search(r"(http://\S+/espace/connexion\?jeton=\S+)",
                                 msg.get_body(("plain",)).get_content()).group(1)
        raise AssertionError(f"no sign-in link for {address}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory, site_url, site_data):
    from model.routing import write_routing_table
    from scripts.benchmarking import moto_endpoint

    tmp = tmp_path_factory.mktemp("espace")
    write_routing_table(site_data, tmp / "routing.json")
    with moto_endpoint() as moto, served(APP) as api:
        yield Stack(api, site_url, tmp / "routing.json", tmp, moto)
        APP.set_service(None)


def _service(stack: Stack, store_name: str, name: str):
    import boto3
    from chalicelib.config import Settings
    from chalicelib.mail.mailers import OutboxMailer
    from chalicelib.routing import load_routing
    from chalicelib.service import FormService
    from chalicelib.store import DynamoStore, SqliteStore

    folder = stack.tmp / name
    settings = replace(Settings(), outbox_dir=str(folder / "outbox"), sqlite_path=str(folder / "db.sqlite3"),
                       site_origins=(stack.site,), routing=str(stack.routing), secret="espace-tests",
                       forms_endpoint=stack.api, rate_limit=1000, store=store_name, table=f"espace-{name}")
    if store_name == "sqlite":
        store = SqliteStore(settings.sqlite_path)
    else:
        resource = boto3.resource("dynamodb", endpoint_url=stack.moto, region_name="eu-west-3",
                                  aws_access_key_id="testing", aws_secret_access_key="testing")
        DynamoStore.create_table(resource, settings.table)
        store = DynamoStore(settings.table, resource=resource)
    service = FormService(settings, load_routing(settings.routing), store, OutboxMailer(settings.outbox_dir))
    APP.set_service(service)
    return Espace(stack, service, store_name, Path(settings.outbox_dir))


def _folder(test_name: str) -> str:
    """One folder (and one table) per test: nothing one test does is seen by another."""
    return re.sub(r"[^a-z0-9]+", "-", test_name.lower()).strip("-")[-60:]


@pytest.fixture(params=["sqlite", "dynamodb"])
def espace(request, stack):
    """The back office on each store (the same store contract as tests/functions/test_store.py)."""
    yield _service(stack, request.param, _folder(request.node.name))
    APP.set_service(None)


@pytest.fixture
def espace_sqlite(stack, request):
    yield _service(stack, "sqlite", _folder(request.node.name))
    APP.set_service(None)


def only_this_machine(api: str):
    """A route handler: nothing leaves this machine, and the site's forms (built to post to localhost:8001) reach
    the test's functions server at ``api``."""
    def route(request_route):
        url = request_route.request.url
        if url.startswith("http://localhost:8001/"):
            return request_route.continue_(url=url.replace("http://localhost:8001", api, 1))
        if url.startswith(("http://127.0.0.1", "data:", "blob:")):
            return request_route.continue_()
        return request_route.abort()
    return route


@pytest.fixture
def person(browser, stack):
    """A browser window for one person (its own cookies), that reports CSP violations; ``person()`` opens one."""
    contexts = []

    def open_window(javascript: bool = True, width: int = 1280):
        context = browser.new_context(locale="fr-FR", java_script_enabled=javascript,
                                      viewport={"width": width, "height": 900})
        context.route("**/*", only_this_machine(stack.api))
        page = context.new_page()
        page.violations = []
        page.on("console", lambda m: page.violations.append(m.text) if "Content Security Policy" in m.text
                else None)
        contexts.append(context)
        return page

    yield open_window
    for context in contexts:
        context.close()


def serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result.response["violations"]
            if v["impact"] in SERIOUS]


def focused(page, selector: str) -> None:
    """The page moves the focus by itself (autofocus, run when the page is first rendered): wait for it, with
    Playwright's own polling (a predicate of ours would be JavaScript the pages' strict CSP refuses to eval)."""
    from playwright.sync_api import expect
    expect(page.locator(selector)).to_be_focused(timeout=3000)


def sign_in(page, espace: Espace, address: str) -> None:
    """As a person does: the address, the e-mail, the link, the button."""
    page.goto(f"{espace.stack.api}/espace/")
    page.get_by_label("Adresse e-mail").fill(address)
    page.get_by_role("button", name="Recevoir un lien de connexion").click()
    assert page.locator("h1").inner_text() == "Vérifiez votre messagerie"
    page.goto(espace.link(address))
    page.get_by_role("button", name="Me connecter").click()
    assert page.locator("h1").inner_text() == "Espace de gestion"
    assert page.get_by_role("button", name="Se déconnecter").is_visible()


def send_order_on_the_site(page, stack: Stack, ai, commune: str) -> str:
    """A household's order through the real page of the site, without JavaScript."""
    page.goto(f"{stack.site}/{ai.url}demande/")
    page.select_option("#f-commune", commune)
    page.fill("#f-nom", "Jeanne Martin")
    page.fill("#f-telephone", "05 36 49 12 34")
    page.fill("#f-email", "jeanne.martin@example.org")
    page.fill("#f-adresse", "4 rue Guadet")
    page.locator("input[name=services]").first.check()
    page.check("#f-consentement")
    with page.expect_navigation(url=re.compile(r"/merci/")):
        page.click("form.aai-form button[type=submit]")
    return re.search(r"ref=(AI-\d{8}-[0-9A-Z]{6})", page.url).group(1)


def test_an_ai_signs_in_from_the_outbox_sees_a_site_request_and_marks_it_handled(espace, person, site_data):
    ai = next(a for a in site_data.associations if a.zone)
    commune = sorted(ai.zone)[0]
    ref = send_order_on_the_site(person(javascript=False), espace.stack, ai, commune)

    page = person()
    sign_in(page, espace, ai.email)
    row = page.get_by_role("row").filter(has_text=ref)
    assert "Jeanne Martin" in row.inner_text()
    row.get_by_role("link", name=ref).click()
    assert page.locator("h1").inner_text() == f"Demande {ref}"
    assert "4 rue Guadet" in page.locator("main").inner_text()
    page.get_by_label("La personne est devenue cliente").check()
    page.get_by_role("button", name="Confirmer : la demande est traitée").click()
    focused(page, ".done")               # the news takes the focus
    assert "Le résultat est enregistré." in page.locator(".done").inner_text()
    record = espace.service.store.get(ref)
    assert (record["state"], record["outcome"], record["handled_by"]) == ("handled", "client", f"ai:{ai.id}")
    assert [r.what for r in espace.service.store.read_log(ref)][:2] == ["list", "page"]
    assert page.violations == []


def test_the_operator_records_liaison_sheets_and_the_ai_receives_them(espace, person, site_data):
    page = person()
    sign_in(page, espace, OPERATOR)
    page.get_by_role("link", name="Fiche de liaison", exact=True).click()

    uncovered = site_data.uncovered()[0]
    page.get_by_label("Commune de la personne").fill(uncovered.insee)
    page.get_by_role("button", name="Chercher la commune").click()
    assert "Aucune association intermédiaire ne dessert encore cette commune" in page.locator("main").inner_text()
    fill_sheet(page, "Odette Lamarque")
    page.get_by_role("button", name="Enregistrer et transmettre").click()
    assert "La fiche est enregistrée et transmise par e-mail" in page.locator(".done").inner_text()
    network_ref = page.locator("main li a").first.inner_text()
    assert espace.service.store.get(network_ref)["association"] == "aai"
    to_cell = [m for m in espace.messages() if m["X-AAI-Reference"] == network_ref]
    assert to_cell[0]["To"].addresses[0].addr_spec == site_data.settings.network.forms_email

    ai = next(a for a in site_data.associations if a.zone and len(site_data.serving(sorted(a.zone)[0])) == 1)
    covered = site_data.reference.communes[sorted(ai.zone)[0]]
    page.get_by_role("link", name="Enregistrer un autre appel").click()
    page.get_by_label("Commune de la personne").fill(covered.name)
    page.get_by_role("button", name="Chercher la commune").click()
    if page.locator(f"#f-commune-{covered.insee}").count():          # a name several communes share
        page.locator(f"#f-commune-{covered.insee}").check()
        page.get_by_role("button", name="Choisir cette commune").click()
    assert page.locator(f"#f-associations-{ai.id}").is_checked()     # pre-selected by the site's routing
    fill_sheet(page, "Marcel Pagnol")
    page.get_by_role("button", name="Enregistrer et transmettre").click()
    ai_ref = page.locator("main li a").first.inner_text()
    record = espace.service.store.get(ai_ref)
    assert (record["association"], record["channel"], record["kind"]) == (ai.id, "telephone", "rappel")
    [message] = [m for m in espace.messages() if m["X-AAI-Reference"] == ai_ref]
    assert message["To"].addresses[0].addr_spec == ai.email
    text = message.get_body(("plain",)).get_content()
    assert "Cellule téléphonique" in text and "Marcel Pagnol" in text and "Rappel convenu le" in text

    ai_page = person()
    sign_in(ai_page, espace, ai.email)
    assert ai_ref in ai_page.locator("main").inner_text()
    assert page.violations == [] and ai_page.violations == []



def test_the_session_warns_before_its_end_and_stays_without_losing_what_is_typed(espace_sqlite, person, site_data):
    """WCAG 2.2.1: the notice rises before the end (the page's clock moved, never waited for), « Rester connecté »
    extends the session in place — the note being typed stays — and the note is then recorded past the first
    8 hours."""
    from playwright.sync_api import expect
    from chalicelib.backoffice import auth

    service = espace_sqlite.service
    pages = _pages(espace_sqlite, site_data)
    page = person()
    sign_in(page, espace_sqlite, OPERATOR)
    start = service.now()
    service.clock = lambda: start + auth.SESSION_SECONDS - auth.WARN_SECONDS - 60   # a minute before the warning
    page.clock.install()
    page.goto(pages["request"])
    notice = page.locator("#session")
    assert "Session ouverte jusqu" in notice.inner_text() and "warn" not in notice.get_attribute("class")
    page.locator("#f-note").fill("Appelée : rappel jeudi.")
    page.clock.fast_forward("01:01")
    expect(notice).to_have_class(re.compile(r"\bwarn\b"))
    expect(page.locator("#session-fin")).to_contain_text("Votre session se termine bientôt")
    page.get_by_role("button", name="Rester connecté").click()
    expect(page.locator("#session-fin")).to_contain_text("Session prolongée jusqu’à")
    assert page.url == pages["request"] and page.locator("#f-note").input_value() == "Appelée : rappel jeudi."
    service.clock = lambda: start + auth.SESSION_SECONDS + 600                      # past the first 8 hours
    page.get_by_role("button", name="Ajouter la note").click()
    ref = pages["request"].rsplit("/", 1)[1]
    assert "fait=note" in page.url
    assert [e.details["text"] for e in service.trail(ref) if e.kind == "noted"] == ["Appelée : rappel jeudi."]
    assert page.violations == []

def fill_sheet(page, name: str) -> None:
    page.get_by_label("Nom et prénom").fill(name)
    page.get_by_label("Téléphone où la rappeler").fill("06 12 34 56 78")
    page.get_by_label("Besoin exprimé").fill("Du ménage, deux heures par semaine.")
    page.get_by_label("J'ai informé la personne", exact=False).check()


# --- Accessibility, on the pages of each kind (SQLite) ----------------------------------------------------------

def _pages(espace: Espace, site_data) -> dict[str, str]:
    """A request of each kind in the store, and the back office's pages to visit."""
    ai = next(a for a in site_data.associations if a.zone)
    fields = {"association": [ai.id], "nom": ["Jeanne Martin"], "telephone": ["05 36 49 12 34"],
              "consentement": ["oui"], "website": [""], "mode_contact": ["telephone"],
              "commune": [sorted(ai.zone)[0]]}
    ref = espace.service.submit("rappel", fields, "192.0.2.9").reference
    api = espace.stack.api
    return {"request": f"{api}/espace/demandes/{ref}", "list": f"{api}/espace/demandes",
            "figures": f"{api}/espace/chiffres", "queue": f"{api}/espace/file",
            "sheet": f"{api}/espace/fiche?commune=33063", "home": f"{api}/espace/",
            "annexe-3": f"{api}/espace/annexe-3",
            "annexe-3-year": f"{api}/espace/annexe-3?annee={datetime.date.today().year}"}


def test_the_back_office_passes_axe_and_wears_the_strict_policy(espace_sqlite, person, site_data):
    page = person()
    page.goto(f"{espace_sqlite.stack.api}/espace/")
    assert serious(page) == []
    page.get_by_label("Adresse e-mail").fill("pas-une-adresse")
    page.get_by_role("button", name="Recevoir un lien de connexion").click()
    focused(page, "#erreurs")            # the summary takes the focus
    assert page.locator("#f-email").get_attribute("aria-describedby") == "f-email-aide f-email-erreur"
    assert serious(page) == []
    page.goto(f"{espace_sqlite.stack.api}/espace/")
    page.get_by_label("Adresse e-mail").fill(OPERATOR)
    page.get_by_role("button", name="Recevoir un lien de connexion").click()
    page.goto(espace_sqlite.link(OPERATOR))
    assert serious(page) == []
    page.get_by_role("button", name="Me connecter").click()
    pages = _pages(espace_sqlite, site_data)
    for name, url in pages.items():
        page.goto(url)
        assert serious(page) == [], name
    page.goto(pages["sheet"])
    page.get_by_role("button", name="Enregistrer et transmettre").click()   # an empty sheet: linked errors
    focused(page, "#erreurs")
    assert page.locator("#erreurs a[href='#f-nom']").count() == 1
    assert page.locator("#f-nom").get_attribute("aria-invalid") == "true"
    assert serious(page) == []
    assert page.violations == []


def test_everything_works_with_the_keyboard_and_the_focus_shows(espace_sqlite, person, site_data):
    ai = next(a for a in site_data.associations if a.zone)
    pages = _pages(espace_sqlite, site_data)
    page = person()
    page.goto(f"{espace_sqlite.stack.api}/espace/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
    seen = []
    for _ in range(8):                                        # to the address field, by Tab alone
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", seen[-1]
        if seen[-1] == "f-email":
            break
    page.keyboard.type(ai.email)
    page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Vérifiez votre messagerie"
    page.goto(espace_sqlite.link(ai.email))
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    for _ in range(6):
        if page.evaluate("document.activeElement.tagName") == "BUTTON":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Espace de gestion"
    page.goto(pages["request"])
    page.locator("#f-resultat-client").focus()
    page.keyboard.press("Space")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").startswith("Confirmer"):
            break
    page.keyboard.press("Enter")
    focused(page, ".done")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"


def test_pages_reflow_at_320_pixels_with_24_pixel_targets(espace_sqlite, person, site_data):
    pages = _pages(espace_sqlite, site_data)
    page = person(width=320)
    page.goto(f"{espace_sqlite.stack.api}/espace/")
    page.get_by_label("Adresse e-mail").fill(OPERATOR)
    page.get_by_role("button", name="Recevoir un lien de connexion").click()
    page.goto(espace_sqlite.link(OPERATOR))
    page.get_by_role("button", name="Me connecter").click()
    for kind, url in pages.items():
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, kind
        small = page.evaluate("""() => [...document.querySelectorAll(
                'button, input:not([type=hidden]), select, textarea, header a, .tabs a, .months a')]
            .filter(e => e.offsetParent !== null)
            .map(e => [e.id || e.name || e.textContent.trim(), e.getBoundingClientRect()])
            .filter(([_, r]) => r.width < 24 || r.height < 24).map(([n]) => n)""")
        assert small == [], kind


def test_the_pages_are_valid_html5(espace_sqlite, person, site_data, tmp_path):
    """Every template of the back office, as served (signed out, signed in, with errors), through the W3C Nu
    HTML checker."""
    page = person()
    api = espace_sqlite.stack.api
    saved = {}

    def keep(name: str) -> None:
        saved[name] = page.content()

    page.goto(f"{api}/espace/")
    keep("signin")
    page.get_by_label("Adresse e-mail").fill("x")
    page.get_by_role("button", name="Recevoir un lien de connexion").click()
    keep("signin-errors")
    page.get_by_label("Adresse e-mail").fill(OPERATOR)
    page.get_by_role("button", name="Recevoir un lien de connexion").click()
    keep("link-sent")
    page.goto(espace_sqlite.link(OPERATOR))
    keep("link")
    page.get_by_role("button", name="Me connecter").click()
    pages = _pages(espace_sqlite, site_data)
    for name, url in pages.items():
        page.goto(url)
        keep(name)
    page.goto(pages["sheet"])
    page.get_by_role("button", name="Enregistrer et transmettre").click()
    keep("sheet-errors")
    page.goto(f"{api}/espace/fiche?commune=33330")
    keep("sheet-communes")
    page.goto(f"{api}/espace/connexion?jeton=used")
    keep("link-gone")
    assert pages_errors(saved, tmp_path) == ""


def test_an_associations_pages_pass_axe_and_the_html_checker(espace_sqlite, person, site_data, tmp_path):
    """The pages an association sees (the link sent, its home, a request with « pas pour nous », a page of the
    cell refused), and the page after the cell saves a liaison sheet: axe finds nothing serious, the HTML checker
    no error."""
    ai = next(a for a in site_data.associations if a.zone)
    api = espace_sqlite.stack.api
    ref = _pages(espace_sqlite, site_data)["request"].rsplit("/", 1)[1]
    saved = {}

    def check(page, name: str) -> None:
        assert serious(page) == [], name
        saved[name] = page.content()

    page = person()
    page.goto(f"{api}/espace/")
    page.get_by_label("Adresse e-mail").fill(ai.email)
    page.get_by_role("button", name="Recevoir un lien de connexion").click()
    assert page.locator("h1").inner_text() == "Vérifiez votre messagerie"
    check(page, "ai-link-sent")
    page.goto(espace_sqlite.link(ai.email))
    page.get_by_role("button", name="Me connecter").click()
    assert page.locator("h1").inner_text() == "Espace de gestion" and ref in page.locator("main").inner_text()
    check(page, "ai-home")
    page.goto(f"{api}/espace/demandes/{ref}")
    assert page.get_by_role("button", name="Rendre la demande à la cellule").is_visible()
    check(page, "ai-request")
    refused = page.goto(f"{api}/espace/file")
    assert refused.status == 403 and page.locator("h1").inner_text() == "Accès réservé"
    check(page, "ai-403")
    page.goto(f"{api}/espace/contact")                  # its own contacts (issue 25): the sheet, its errors, the list
    check(page, "ai-contact")
    page.get_by_label("Commune").fill("33330")
    page.get_by_role("button", name="Enregistrer le contact").click()
    assert page.locator("#f-nom-erreur").is_visible() and page.locator("#f-insee-33394").is_visible()
    check(page, "ai-contact-errors")
    page.goto(f"{api}/espace/contacts")
    check(page, "ai-contacts")
    page.goto(f"{api}/espace/annexe-3")
    check(page, "ai-annexe-3")
    assert page.violations == []

    cell = person()
    sign_in(cell, espace_sqlite, OPERATOR)
    cell.goto(f"{api}/espace/fiche?commune=33063")
    fill_sheet(cell, "Odette Lamarque")
    cell.get_by_role("button", name="Enregistrer et transmettre").click()
    assert "La fiche est enregistrée" in cell.locator(".done").inner_text()
    check(cell, "liaison-saved")
    assert cell.violations == []
    assert pages_errors(saved, tmp_path) == ""


def test_an_error_about_a_group_puts_the_focus_in_the_group(espace_sqlite, person, site_data):
    """The summary's link to a group of boxes leads to its first box, not to the fieldset: following it, the
    keyboard and the screen reader are in the group, ready to choose."""
    commune = sorted(next(a for a in site_data.associations if a.zone).zone)[0]
    page = person()
    sign_in(page, espace_sqlite, OPERATOR)
    page.goto(f"{espace_sqlite.stack.api}/espace/fiche?insee={commune}")
    [nearest] = page.locator("input[name=associations]:checked").all()          # one pre-selected, never two
    first = page.locator("input[name=associations]").first.get_attribute("id")
    nearest.uncheck()
    page.get_by_role("button", name="Enregistrer et transmettre").click()
    focused(page, "#erreurs")
    link = page.locator("#erreurs a", has_text="au moins une association")
    assert link.get_attribute("href") == f"#{first}"
    link.click()
    focused(page, f"#{first}")
    assert page.locator("#f-consentement").get_attribute("required") is not None
    assert page.violations == []


# --- « Mes informations » on a 390-pixel screen: the pull request on a local fake of GitHub (bare git repository),
# the token from Secrets Manager on moto ------------------------------------------------------------------------

DETAILS_FILES = ("data/associations.yaml", "data/communes.json", "data/services.yaml")
TOKEN = "github_pat_11BROWSERSECRET0000111122223333"
WIDTH = 390


@pytest.fixture
def espace_github(stack, request, tmp_path, monkeypatch):
    import boto3
    for name, value in {"AWS_ENDPOINT_URL": stack.moto, "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "eu-west-3"}.items():
        monkeypatch.setenv(name, value)
    boto3.client("secretsmanager").create_secret(Name=f"token-{tmp_path.name}", SecretString=TOKEN)
    from support_github import FakeGitHub, bare_repository, served as served_github
    root = Path(__file__).resolve().parents[2]
    fake = FakeGitHub(bare_repository(tmp_path, {name: (root / name).read_text("utf-8") for name in DETAILS_FILES}))
    with served_github(fake) as api:
        espace = _service(stack, "sqlite", _folder(request.node.name))
        espace.service.settings = replace(espace.service.settings, github_repository="aai/site", github_api=api,
                                          github_token_secret=f"token-{tmp_path.name}")
        yield espace, fake
        APP.set_service(None)


def test_an_association_changes_its_hours_on_a_phone(espace_github, person, site_data, tmp_path):
    espace, fake = espace_github
    ai = site_data.association("ai-libournais")
    page = person(width=WIDTH)
    sign_in(page, espace, ai.email)
    page.get_by_role("link", name="Mes informations").click()
    assert page.get_by_label("Horaires d’ouverture").input_value() == ai.hours
    assert serious(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    small = page.evaluate("""() => [...document.querySelectorAll('main button, main input:not([type=hidden])')]
        .map(e => [e.id || e.name, e.getBoundingClientRect()])
        .filter(([_, r]) => r.width < 24 || r.height < 24).map(([n]) => n)""")
    assert small == []
    saved = {"form": page.content()}

    page.get_by_label("Téléphone").fill("12 34")
    page.get_by_label("Horaires d’ouverture").fill("Du lundi au vendredi, de 8 h 30 à 12 h")
    page.get_by_role("button", name="Proposer ces modifications").click()
    error = page.locator("#f-telephone-erreur")
    assert "n’est pas valide" in error.inner_text()
    assert page.locator("#f-telephone").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Horaires d’ouverture").input_value() == "Du lundi au vendredi, de 8 h 30 à 12 h"
    assert serious(page) == [] and not fake.pulls
    saved["errors"] = page.content()

    page.get_by_label("Téléphone").fill(str(ai.phone))
    page.get_by_role("button", name="Proposer ces modifications").click()
    assert "Votre modification a été proposée" in page.locator("main").inner_text()
    assert TOKEN not in page.content()
    saved["sent"] = page.content()
    (tmp_path / "html").mkdir()
    assert pages_errors(saved, tmp_path / "html") == ""   # the W3C Nu checker, as for the other pages
    from support_github import git
    pull = fake.pulls[0]
    diff = git(fake.bare, "diff", "-U0", "main", pull["head"])
    assert [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))] == [
        f"-    hours: {ai.hours}", "+    hours: Du lundi au vendredi, de 8 h 30 à 12 h"]
    assert page.violations == []


# --- An association's own contacts (issue 25): a call recorded on a phone, followed up and counted ---------------

def test_an_association_records_a_call_on_a_phone_and_it_is_followed_up_and_counted(espace_sqlite, person,
                                                                                       site_data):
    from chalicelib.jobs import schedule as jobs

    espace = espace_sqlite
    ai = site_data.association("ai-libournais")
    page = person(width=WIDTH)
    sign_in(page, espace, ai.email)
    page.get_by_role("link", name="Contacts", exact=True).click()
    page.get_by_role("link", name="Noter un contact").click()
    assert page.get_by_label("Appel téléphonique").is_checked()        # the usual case, already chosen
    typed = {"Nom de la personne": "Odette Lamarque", "Téléphone": "0612345678", "Commune": "Saint-Émilion",
             "Besoin": "Ménage, 2 h par semaine"}
    for label, text in typed.items():
        page.get_by_label(label, exact=False).first.fill(text)
    assert sum(len(t) for t in typed.values()) < 80       # the whole typing of a call: a few words
    page.locator("summary").click()                       # the Annexe 3 answers, folded until needed
    page.get_by_label("recommandé par un client ou un ancien client").check()
    page.get_by_label("Un article dans le journal municipal").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    small = page.evaluate("""() => [...document.querySelectorAll(
            'main button, main input:not([type=hidden]), main textarea, main summary')]
        .filter(e => e.offsetParent !== null)
        .map(e => [e.id || e.name || e.textContent.trim(), e.getBoundingClientRect()])
        .filter(([_, r]) => r.width < 24 || r.height < 24).map(([n]) => n)""")
    assert small == []
    assert serious(page) == []
    page.get_by_role("button", name="Enregistrer le contact").click()
    assert "Le contact est enregistré" in page.locator(".done").inner_text()
    assert serious(page) == []

    [record] = [r for r in espace.service.store.month(page.evaluate("new Date().toISOString().slice(0, 7)"))
                if r["channel"] == "direct"]
    assert record["association"] == "ai-libournais" and record["data"]["commune"] == "33394"
    assert record["data"]["origine"] == ["bouche-a-oreille-client", "journal-municipal"]
    assert record["data"]["canal"] == "appel" and record["due"] == "reminder"

    # its reminder, the morning of the follow-up date (the clock moved, never slept)
    assert jobs.tick(espace.service, record["due_at"]).get("reminder") == 1
    [reminder] = [m for m in espace.messages() if m["X-AAI-Reference"] == record["ref"]]
    assert str(reminder["Subject"]).startswith("À relancer aujourd'hui")

    # the prospects, the month's figures and the Annexe 3 table count it
    page.get_by_role("link", name="Contacts", exact=True).click()
    assert "Odette Lamarque" in page.get_by_role("table").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    page.get_by_role("link", name="Chiffres du mois").click()
    row = page.get_by_role("row").filter(has_text="dont contacts directs")
    assert row.locator("td").last.inner_text().strip() == "1"
    page.get_by_role("link", name="Origines").click()
    table = page.locator("#annexe3")
    assert table.get_by_role("row").filter(has_text="Article dans le journal municipal").locator("td").nth(-2) \
        .inner_text() == "1"
    assert table.get_by_role("row").filter(has_text="Contacts").locator("td").nth(-2).inner_text() == "1"
    assert serious(page) == [] and page.violations == []
