"""Settings read from environment variables, so the same code runs locally and on AWS."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parents[1]   # local runs: relative paths start here, whatever the working folder
DEV_SECRET = "dev-secret-change-me"


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
    table: str = "aai-submissions"
    site_origins: tuple[str, ...] = ("http://localhost:8000",)
    api_url: str = ""                      # public base URL of these functions (for the "handled" link)
    secret: str = DEV_SECRET
    mail_from: str = "ne-pas-repondre@ai-aquitaine.example.org"
    routing_path: str = str(HERE / "routing.json")
    rate_limit: int = 10                   # accepted submissions per hashed IP per hour
    max_attempts: int = 20                 # retries before a pending submission is left for a human
    log_bucket: str = ""                   # CloudFront's access logs (production); empty: the local folder
    log_prefix: str = "cloudfront/"
    access_log_dir: str = "var/access-logs"   # `make run`'s access log, in the same format

    @property
    def site_origin(self) -> str:
        """The origin the thank-you redirects point to (the first one listed)."""
        return self.site_origins[0]

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Settings":
        env = os.environ if env is None else env
        get = env.get
        origins = tuple(o.strip().rstrip("/") for o in get("AAI_SITE_ORIGIN", "http://localhost:8000").split(",")
                        if o.strip())
        settings = cls(
            mailer=get("AAI_MAILER", "outbox"),
            outbox_dir=_local_path(get("AAI_OUTBOX_DIR", "var/outbox")),
            smtp_host=get("AAI_SMTP_HOST", "localhost"),
            smtp_port=int(get("AAI_SMTP_PORT", "25")),
            smtp_user=get("AAI_SMTP_USER", ""),
            smtp_password=get("AAI_SMTP_PASSWORD", ""),
            smtp_starttls=get("AAI_SMTP_STARTTLS", "") in ("1", "true", "oui"),
            store=get("AAI_STORE", "sqlite"),
            sqlite_path=_local_path(get("AAI_SQLITE_PATH", "var/submissions.sqlite3")),
            table=get("AAI_TABLE", "aai-submissions"),
            site_origins=origins or ("http://localhost:8000",),
            api_url=get("AAI_API_URL", "").rstrip("/"),
            secret=get("AAI_SECRET", DEV_SECRET),
            mail_from=get("AAI_FROM", "ne-pas-repondre@ai-aquitaine.example.org"),
            routing_path=get("AAI_ROUTING", str(HERE / "routing.json")),
            rate_limit=int(get("AAI_RATE_LIMIT", "10")),
            log_bucket=get("AAI_LOG_BUCKET", ""),
            log_prefix=get("AAI_LOG_PREFIX", "cloudfront/"),
            access_log_dir=_local_path(get("AAI_ACCESS_LOG_DIR", "var/access-logs")),
        )
        if settings.mailer not in ("outbox", "smtp", "ses"):
            raise ValueError(f"AAI_MAILER must be outbox, smtp or ses, not {settings.mailer!r}")
        if settings.store not in ("sqlite", "dynamodb"):
            raise ValueError(f"AAI_STORE must be sqlite or dynamodb, not {settings.store!r}")
        if settings.secret == DEV_SECRET and settings.store == "dynamodb":
            raise ValueError("AAI_SECRET must be set in production: the development secret is public")
        return settings


def _local_path(path: str) -> str:
    """Relative paths are relative to the repository root: `chalice local` moves into functions/, the admin
    command runs from there too, and both must find the same var/ folder as scripts/serve.py."""
    return path if Path(path).is_absolute() else str(REPOSITORY / path)
