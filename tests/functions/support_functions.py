"""Helpers shared by the form-function tests: valid submissions, an HTTP client, local backends."""

from __future__ import annotations

import atexit
import datetime
import email
import http.client
import json
import shutil
import sqlite3
import tempfile
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace
from email import policy
from pathlib import Path

from chalicelib.config import Settings
from chalicelib.mail.mailers import MailError, OutboxMailer
from chalicelib.routing import load_routing
from chalicelib.service import FormService
from chalicelib.store import SqliteStore
from support_chalice import FUNCTIONS, load_app  # noqa: F401 (FUNCTIONS: imported from here too)

from scripts.benchmarking import free_port  # noqa: F401 (imported from here by the functions' tests)



functions_app = load_app("aai_functions_app")
TEST_DATA = Path(__file__).parent / "test_data"


def generated_routing() -> str:
    """The routing table of the three associations of test_data/, made by the data model exactly as
    `python -m model routing` makes the real one (real reference, settings and services)."""
    from model import load_site
    from model.routing import write_routing_table
    from support_data import make_data_root
    root = make_data_root(Path(tempfile.mkdtemp(prefix="aai-routing-")), TEST_DATA / "associations.yaml")
    atexit.register(shutil.rmtree, root, True)
    path = root / "routing.json"
    write_routing_table(load_site(root), path)
    return str(path)


ROUTING = generated_routing()
ORIGIN = "https://ai-aquitaine.example.org"
TABLE = "aai-submissions-test"
SCHEDULED_EVENT = {"version": "0", "account": "123456789012", "region": "eu-west-3", "detail": {},
                   "detail-type": "Scheduled Event", "source": "aws.events", "time": "2026-11-23T10:00:00Z",
                   "id": "e1", "resources": []}


def aws_settings(**changes) -> Settings:
    """Built from environment variables, exactly as on Lambda."""
    env = {"AAI_MAILER": "ses", "AAI_SMS": "sns", "AAI_STORE": "dynamodb", "AAI_TABLE": TABLE,
           "AAI_SITE_ORIGINS": ORIGIN,
           "AAI_SECRET": "test-secret", "AAI_ROUTING": ROUTING, "AAI_FORMS_ENDPOINT": "https://api.example.org"}
    return replace(Settings.from_env(env), **changes)


def about_requests(messages: list, everything: bool) -> list:
    """Messages about requests (they carry X-AAI-Reference); ``everything`` adds the network-wide ones (monthly
    figures, alerts), which a scheduled run may send whenever the real date allows."""
    return messages if everything else [m for m in messages if m["X-AAI-Reference"]]


def ses_messages(endpoint: str, everything: bool = False) -> list[email.message.EmailMessage]:
    """What moto's SES accepted, in order."""
    data = json.load(urllib.request.urlopen(f"{endpoint}/moto-api/data.json"))
    return about_requests([email.message_from_string(m["raw_data"], policy=policy.default)
                           for m in data["ses"]["RawMessage"]], everything)
IN_A_MONTH = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()


def demande_fields(**changes) -> dict[str, list[str] | str]:
    """A valid order for AI du Libournais, Saint-Émilion (served by two AIs)."""
    fields = {
        "association": "ai-libournais", "nom": "Jeanne Martin", "telephone": "05 36 49 12 34",
        "email": "jeanne.martin@example.org", "commune": "33394", "origine": "mairie", "consentement": "oui",
        "website": "", "adresse": "4 rue Guadet", "services": ["menage", "jardinage"],
        "description": "Ménage du salon & de la cuisine.\nTaille de la haie (« 20 m »).",
        "date_debut": IN_A_MONTH, "frequence": "hebdomadaire", "heures": "3,5",
        "jours": ["lundi", "jeudi"], "creneaux": ["matin", "apres-midi"],
    }
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}


def rappel_fields(**changes) -> dict[str, list[str] | str]:
    fields = {
        "association": "ai-grand-perigueux", "nom": "Paul Dubreuil", "telephone": "06 12 34 56 78",
        "email": "paul.dubreuil@example.org", "commune": "24322", "origine": "bouche-a-oreille",
        "consentement": "oui", "website": "", "mode_contact": "sms",
        "disponibilites": ["lundi-matin", "mercredi-soir"], "message": "Rappelez-moi plutôt le matin.",
    }
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)


class Client:
    """A tiny HTTP client that never follows redirects, so tests see the 303."""

    def __init__(self, port: int):
        self.port = port

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            res = conn.getresponse()
            return Reply(res.status, {k.lower(): v for k, v in res.getheaders()}, res.read())
        finally:
            conn.close()

    def post(self, path: str, fields, as_json: bool = False, headers: dict | None = None) -> Reply:
        """Post like the form page: urlencoded (no JavaScript) or JSON with Accept: application/json (fetch)."""
        headers = {"Origin": ORIGIN, **(headers or {})}
        if as_json:
            body = json.dumps(fields).encode()
            headers = {"Content-Type": "application/json", "Accept": "application/json", **headers}
        else:
            pairs = [(k, x) for k, v in fields.items() for x in (v if isinstance(v, list) else [v])]
            body = urllib.parse.urlencode(pairs).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded", **headers}
        return self.request("POST", path, body, headers)


class FlakyMailer:
    """Wraps a real mailer; fails while ``broken`` is set (fault injection). ``calls`` counts the messages about
    requests (a tick may also send the network's monthly figures, whenever the real date allows)."""

    def __init__(self, inner):
        self.inner, self.broken, self.calls = inner, False, 0

    def __getattr__(self, name):   # forget, purge, confirms_delivery: the real mailer's
        return getattr(self.inner, name)

    def send(self, msg):
        self.calls += bool(msg["X-AAI-Reference"])
        if self.broken:
            raise MailError("injected failure")
        return self.inner.send(msg)


class Local:
    """The local backends of one test: SQLite file + outbox folder, served by the app."""

    def __init__(self, tmp_path: Path, **overrides):
        self.settings = replace(Settings(), **{
            "outbox_dir": str(tmp_path / "outbox"), "sqlite_path": str(tmp_path / "submissions.sqlite3"),
            "site_origins": (ORIGIN,), "access_log_dir": str(tmp_path / "access-logs"), "secret": "test-secret",
            "routing": ROUTING, "forms_endpoint": "https://api.example.org",
            # no site build unless a test brings one (site_pages.json, plugins/forms): the plain pages
            "site_pages": str(tmp_path / "no-site-pages.json"), **overrides})
        self.mailer = FlakyMailer(OutboxMailer(self.settings.outbox_dir))
        self.store = SqliteStore(self.settings.sqlite_path)
        self.service = FormService(self.settings, load_routing(ROUTING), self.store, self.mailer)

    def messages(self, everything: bool = False) -> list[email.message.EmailMessage]:
        """The outbox, oldest first (see about_requests)."""
        folder = Path(self.settings.outbox_dir)
        files = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns) if folder.exists() else []
        return about_requests([email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in files],
                              everything)

    def rows(self) -> list[dict]:
        """Every stored request, read straight from the SQLite file."""
        db = sqlite3.connect(self.settings.sqlite_path)
        try:
            return [json.loads(body) for (body,) in db.execute("SELECT body FROM submissions ORDER BY created_at")]
        finally:
            db.close()


def plain(text: str) -> str:
    """A page or message as plain words, to look for sentences: entities decoded, French typography (’ and the
    non-breaking spaces before « : ; ? ! ») back to ASCII apostrophes and spaces."""
    import html
    return html.unescape(text).replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")


def bodies(msg) -> tuple[str, str]:
    """(plain text, HTML) of a message, with plain line endings whatever the transport."""
    return tuple(msg.get_body((kind,)).get_content().replace("\r\n", "\n") for kind in ("plain", "html"))


class SmtpSink:
    """aiosmtpd handler: keeps (envelope recipients, parsed message) pairs, and answers 550 for the mailboxes
    listed in ``dead`` (a closed mailbox: the permanent refusal the functions must treat as a bounce)."""

    def __init__(self):
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []
        self.dead: set[str] = set()
        self.port = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.dead:
            return "550 5.1.1 <" + address + ">: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((list(envelope.rcpt_tos),
                              email.message_from_bytes(envelope.original_content or envelope.content,
                                                       policy=policy.default)))
        return "250 Message accepted for delivery"
