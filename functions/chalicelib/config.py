"""The functions' settings: one table, read from ``AAI_*`` environment variables, so the same code runs locally
and on AWS. Each setting is a field below: its default is written once, here, and its variable is ``AAI_`` +
the field's name in capitals. docs/reglages.md lists every setting of the project (and a test keeps them equal).

Site data (names, addresses, the sender, retention) is not a setting: it comes from data/ through the routing
table (model/routing.py).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import Field, dataclass, fields
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parents[1]   # local runs: relative paths start here, whatever the working folder
DEV_SECRET = "dev-secret-change-me"
PREFIX = "AAI_"
LOCAL_PATHS = ("outbox_dir", "sqlite_path", "access_log_dir")   # relative to the repository root
SITE_PORT, FUNCTIONS_PORT, VAR_DIR = "8000", "8001", "var"   # `make run`'s, unless AAI_SITE_PORT… say otherwise


def local_defaults(env: Mapping[str, str]) -> dict[str, str]:
    """The functions' local settings, derived from `make run`'s own (``AAI_SITE_PORT``, ``AAI_FUNCTIONS_PORT``,
    ``AAI_VAR_DIR``): the one source the local server (scripts/serve.py, which passes those three to its
    children) and the command line (``python -m chalicelib.admin``) both read, so a ``tick`` run by hand signs
    its links with the same secret and points them at the same port as the server that will open them."""
    site = env.get("AAI_SITE_PORT") or SITE_PORT
    functions = env.get("AAI_FUNCTIONS_PORT") or FUNCTIONS_PORT
    var = (env.get("AAI_VAR_DIR") or VAR_DIR).rstrip("/")
    return {"AAI_OUTBOX_DIR": f"{var}/outbox", "AAI_SQLITE_PATH": f"{var}/submissions.sqlite3",
            "AAI_ACCESS_LOG_DIR": f"{var}/access-logs",
            "AAI_SITE_ORIGINS": f"http://localhost:{site},http://127.0.0.1:{site}",
            "AAI_FORMS_ENDPOINT": f"http://localhost:{functions}"}


@dataclass(frozen=True)
class Settings:
    mailer: str = "outbox"                 # outbox | smtp | ses
    outbox_dir: str = "var/outbox"
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    store: str = "sqlite"                  # sqlite | dynamodb
    sqlite_path: str = "var/submissions.sqlite3"
    table: str = "aai-requests"           # a new name: the keys changed (pk, sk and three indexes)
    # the site's origin(s), comma-separated; the first is where the thank-you redirects point
    site_origins: tuple[str, ...] = ("http://localhost:8000", "http://127.0.0.1:8000")
    forms_endpoint: str = "http://localhost:8001"   # where these functions answer: links in e-mails start here
    secret: str = DEV_SECRET               # HMAC key: signed links, hashed IPs
    routing: str = str(HERE / "routing.json")
    site_pages: str = ""   # the site's form pages (plugins/forms); empty: site_pages.json beside the routing table
    rate_limit: int = 10                   # new requests per hashed IP per hour (a double click counts once)
    log_bucket: str = ""                   # CloudFront's access logs (production); empty: the local folder
    log_prefix: str = "cloudfront/"
    access_log_dir: str = "var/access-logs"   # `make run`'s access log, in the same format
    # The charter's public results (chalicelib/charter_results), read by the scheduled rebuild of the site: an S3
    # object in production, a file locally (the site build's CHARTER_RESULTS, pelicanconf.py). Neither: the tick
    # publishes nothing, and ``admin results`` writes var/charter-results.json (in AAI_VAR_DIR).
    results_bucket: str = ""
    results_key: str = "charter/results.json"
    results_path: str = ""                 # relative to the repository root
    mail_events_topic: str = "aai-mail-events"   # SNS topic of the SES events (infra/site.yaml), read at deploy
    # « Mes informations » (chalicelib/details): the repository its pull requests go to; empty: the page is off
    github_repository: str = ""            # owner/name
    github_base: str = "main"
    github_api: str = "https://api.github.com"
    github_token_secret: str = "aai-github-token"   # Secrets Manager: a fine-grained token or a GitHub App's token
    # « Vos informations sont-elles à jour ? » (chalicelib/details/campaign.py): the days of the year (MM-DD, Paris)
    details_campaigns: tuple[str, ...] = ("03-15", "09-15")
    details_answer_days: int = 14   # the reminder that many days after the question, the cell as many days later
    sms: str = "outbox"                    # outbox (files beside the e-mails) | sns (AWS SNS, boto3)
    sms_sender_id: str = "AAI"             # the sender name households read (up to 11 letters or digits)
    # A two-way number (E.164) rented from AWS End User Messaging: SMS leave from it and households can answer
    # « NON » or « STOP »; empty: the sender name above, to which nobody can reply
    sms_reply_number: str = ""
    sms_replies_topic: str = "aai-sms-replies"   # SNS topic of the households' replies (infra/site.yaml)
    sms_monthly_budget: float = 30.0       # euros per calendar month: no SMS beyond, an alert to AAI at 80 %
    # AWS's price for one SMS segment to a French mobile, in euros: about 0.07; check it against AWS's price list
    sms_price_per_segment: float = 0.07

    @classmethod
    def at_import(cls, name: str, env: Mapping[str, str] | None = None) -> str:
        """A setting Chalice needs when it reads app.py (a topic to subscribe to), before any request."""
        env = os.environ if env is None else env
        return env.get(PREFIX + name.upper()) or str(getattr(cls, name))

    @property
    def site_origin(self) -> str:
        """The origin the thank-you redirects point to (the first one listed)."""
        return self.site_origins[0]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        derived = local_defaults(env)
        values: dict[str, Any] = {}
        for field in fields(cls):
            name = PREFIX + field.name.upper()
            raw = env.get(name, derived.get(name))
            value = field.default if raw is None or (raw == "" and field.type != "str") else _convert(field, raw)
            values[field.name] = _local_path(str(value)) if field.name in LOCAL_PATHS else value
        settings = cls(**values)
        settings.check()
        return settings

    def check(self) -> None:
        if self.mailer not in ("outbox", "smtp", "ses"):
            raise ValueError(f"AAI_MAILER must be outbox, smtp or ses, not {self.mailer!r}")
        if self.sms not in ("outbox", "sns"):
            raise ValueError(f"AAI_SMS must be outbox or sns, not {self.sms!r}")
        if self.sms_reply_number and not re.fullmatch(r"\+[1-9]\d{6,14}", self.sms_reply_number):
            raise ValueError("AAI_SMS_REPLY_NUMBER must be a number in international form, e.g. +33612345678")
        if self.sms_price_per_segment <= 0 or self.sms_monthly_budget < 0:
            raise ValueError("AAI_SMS_PRICE_PER_SEGMENT must be positive and AAI_SMS_MONTHLY_BUDGET not negative")
        if not all(re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|30)", day) for day in self.details_campaigns):
            raise ValueError("AAI_DETAILS_CAMPAIGNS lists days of the year as MM-JJ (01 to 30), comma-separated")
        if self.details_answer_days < 1:
            raise ValueError("AAI_DETAILS_ANSWER_DAYS must be at least 1")
        if self.store not in ("sqlite", "dynamodb"):
            raise ValueError(f"AAI_STORE must be sqlite or dynamodb, not {self.store!r}")
        if self.store == "dynamodb" and self.secret == DEV_SECRET:
            raise ValueError("AAI_SECRET must be set in production: the development secret is public")
        if self.store == "dynamodb" and not self.forms_endpoint.startswith("https://"):
            raise ValueError("AAI_FORMS_ENDPOINT must be set in production (https://…): links in e-mails are "
                             "built from it, never from request headers")


def _convert(field: Field[Any], raw: str) -> str | int | float | bool | tuple[str, ...]:
    if field.type == "int":
        return int(raw)
    if field.type == "float":
        return float(raw.replace(",", "."))
    if field.type == "bool":
        return raw.strip().lower() in ("1", "true", "oui", "yes")
    if field.type.startswith("tuple"):
        return tuple(part.strip().rstrip("/") for part in raw.split(",") if part.strip())
    if field.name == "forms_endpoint":
        return raw.rstrip("/")
    return raw


def _local_path(path: str) -> str:
    """Relative paths are relative to the repository root: `chalice local` moves into functions/, the admin
    command runs from there too, and both must find the same var/ folder as scripts/serve.py."""
    return path if Path(path).is_absolute() else str(REPOSITORY / path)
