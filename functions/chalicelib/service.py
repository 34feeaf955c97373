"""The use case: validate, filter bots, limit the rate, store first, then e-mail; nothing is lost."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
import time
from dataclasses import dataclass

from . import handled
from rules.dates import local_time, month_bounds, previous_month
from rules.email_address import email_key

from .forms import HONEYPOT, validate
from .report import Report, build_report, report_message
from .mailers import MailError, build_mailer
from .messages import acknowledgement, message_to_ai
from .routing import Routing, load_routing
from .storage import build_store
from .validation import FieldError, clean_email, clean_phone

logger = logging.getLogger(__name__)

REF_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"   # Crockford: no I, L, O, U to misread on the phone
REF_PATTERN = re.compile(r"AI-\d{8}-[0-9A-Z]{6}")
RETRY_GRACE = 120   # seconds: leave fresh submissions to the request that is delivering them
RETRY_EVERY = 15 * 60   # the schedule of the retry function (app.py)
QUICK_ATTEMPTS = 20     # tries at every run before retries slow down to hourly (they never stop)


class RateLimited(Exception):
    """Too many submissions from one client this hour."""


@dataclass(frozen=True)
class Outcome:
    reference: str
    delivered: bool   # False: stored, the AI's e-mail will follow when the retry job succeeds


EMAIL_IN_TEXT = re.compile(r"[^\s<>'\"(),;:@]+@[^\s<>'\"(),;:]+")


def redact(text: str) -> str:
    """Mail servers quote the refused address: keep it out of logs and of the stored error."""
    return EMAIL_IN_TEXT.sub("<adresse>", text)


def retry_due(record: dict, now: float, quick_attempts: int) -> bool:
    """Every run (15 minutes) for the first attempts, then once an hour: a long outage loses nothing."""
    extra = int(record.get("attempts") or 0) - quick_attempts
    return extra < 0 or now >= record["created_at"] + quick_attempts * RETRY_EVERY + (extra + 1) * 3600


def new_reference(now: float) -> str:
    return f"AI-{local_time(now):%Y%m%d}-{''.join(secrets.choice(REF_ALPHABET) for _ in range(6))}"


class FormService:
    quick_attempts = QUICK_ATTEMPTS
    def __init__(self, settings, routing: Routing, store, mailer, clock=time.time):
        self.settings, self.routing, self.store, self.mailer, self.clock = settings, routing, store, mailer, clock

    @classmethod
    def from_settings(cls, settings) -> "FormService":
        return cls(settings, load_routing(settings.routing), build_store(settings), build_mailer(settings))

    def _hash(self, *parts: str) -> str:
        return hmac.new(self.settings.secret.encode(), "|".join(parts).encode(), hashlib.sha256).hexdigest()[:40]

    def submit(self, kind: str, raw: dict[str, list[str]], client_ip: str) -> Outcome:
        """Raises Invalid (field errors) or RateLimited; otherwise the submission is stored."""
        now = self.clock()
        if any(v.strip() for v in raw.get(HONEYPOT, [])):
            logger.info("honeypot filled on /%s: fake success, nothing kept", kind)
            return Outcome(new_reference(now), True)
        data = validate(kind, raw, self.routing, local_time(now).date())
        ip_hash = self._hash("ip", client_ip)
        hour = int(now // 3600)
        if self.store.hit(f"{ip_hash}#{hour}", (hour + 2) * 3600) > self.settings.rate_limit:
            raise RateLimited()
        token = data.pop("idempotence", None)
        idem_key = self._hash(kind, data["association"], token) if token else \
            self._hash(kind, json.dumps(data, sort_keys=True, ensure_ascii=False), ip_hash, str(hour))
        record = {
            "ref": new_reference(now), "idem_key": idem_key, "kind": kind, "association": data["association"],
            "created_at": int(now), "expires_at": int(now) + self.routing.retention_days * 86400,
            "status": "pending", "attempts": 0, "last_error": None, "ai_sent_at": None, "ack_sent_at": None,
            "handled_at": None, "email": email_key(data["email"]) if "email" in data else None, "phone": data.get("telephone"),
            "data": data,
        }
        stored, created = self.store.put_new(record)
        if not created:
            logger.info("duplicate submission %s: nothing sent again", stored["ref"])
            return Outcome(stored["ref"], bool(stored.get("ai_sent_at")))
        logger.info("stored %s for %s", stored["ref"], stored["association"])
        try:
            return Outcome(stored["ref"], self.deliver(stored))
        except Exception:   # stored and pending: the visitor is told so, the retry job sends it
            logger.exception("delivery of %s failed after storing it", stored["ref"])
            return Outcome(stored["ref"], False)

    def deliver(self, record: dict) -> bool:
        """Send whatever is still unsent; return True once the AI has its e-mail."""
        ref, now = record["ref"], int(self.clock())
        try:
            if not record.get("ai_sent_at"):
                url = handled.handled_url(self.settings.forms_endpoint, self.settings.secret, ref)
                self.mailer.send(message_to_ai(record, self.routing, url))
                record["ai_sent_at"] = now
                self.store.update(ref, ai_sent_at=now)   # at once: a crash now must not send it twice
            if "email" in record["data"] and not record.get("ack_sent_at"):
                self.mailer.send(acknowledgement(record, self.routing))
                record["ack_sent_at"] = now
                self.store.update(ref, ack_sent_at=now)
        except MailError as exc:
            record["attempts"] = int(record.get("attempts") or 0) + 1
            error = redact(str(exc))[:500]
            logger.warning("sending %s failed (attempt %d): %s", ref, record["attempts"], error)
            self.store.update(ref, attempts=record["attempts"], last_error=error)
            return bool(record.get("ai_sent_at"))
        self.store.update(ref, status="sent", last_error=None)
        return True

    def retry_pending(self) -> dict:
        """Scheduled: send what failed before. Fresh submissions are left to their own request."""
        sent = failed = waiting = 0
        now = self.clock()
        for record in self.store.pending():
            if record["created_at"] > now - RETRY_GRACE:
                continue
            if not retry_due(record, now, self.quick_attempts):
                waiting += 1
                continue
            if int(record.get("attempts") or 0) >= self.quick_attempts:
                logger.error("%s still unsent after %s attempts: check the mail settings", record["ref"],
                             record["attempts"])
            try:
                self.deliver(record)
            except Exception:   # one broken record must not block the others
                logger.exception("retry of %s failed", record["ref"])
            if record.get("ai_sent_at") and (record.get("ack_sent_at") or "email" not in record["data"]):
                sent += 1
            else:
                failed += 1
        logger.info("retry: %d sent, %d still failing, %d waiting for their next hourly try", sent, failed, waiting)
        return {"sent": sent, "failed": failed, "waiting": waiting}

    def purge(self) -> int:
        """Scheduled: delete submissions past the retention period."""
        count = self.store.purge(int(self.clock()))
        logger.info("purge: %d expired submissions deleted", count)
        return count

    def erase(self, who: str) -> int:
        """Right to erasure: every submission of one person, found by e-mail or phone number."""
        try:
            email, phone = (email_key(clean_email(who)), None) if "@" in who else (None, clean_phone(who).e164)
        except FieldError:
            raise ValueError(f"not an e-mail address or a French phone number: {who!r}") from None
        count = self.store.erase(email=email, phone=phone)
        logger.info("erasure: %d submissions deleted", count)
        return count

    def find_signed(self, ref: str, sig: str | None) -> tuple[int, dict | None]:
        """Look a request up from its signed link, changing nothing.

        Returns (HTTP status, record): 403 bad signature, 404 unknown or already purged, 200 found."""
        if not REF_PATTERN.fullmatch(ref) or not handled.verify(self.settings.secret, ref, sig):
            return 403, None
        record = self.store.get(ref)
        if record is None:
            return 404, None
        return 200, record

    def monthly_report(self, month: str | None = None) -> Report:
        """The follow-up of a month ("2026-11"); by default the one that just ended."""
        month = month or previous_month(local_time(self.clock()).date())
        start, end = month_bounds(month)
        return build_report(self.store.created_between(start, end), self.routing, month)

    def send_monthly_report(self, month: str | None = None) -> Report:
        report = self.monthly_report(month)
        self.mailer.send(report_message(report, self.routing))
        logger.info("monthly report %s sent to the network", report.month)
        return report

    def mark_handled(self, ref: str, sig: str | None) -> tuple[int, dict | None]:
        """Record when the request was handled (the first time only); same statuses as find_signed."""
        status, record = self.find_signed(ref, sig)
        if record is None:
            return status, None
        if not record.get("handled_at"):
            record["handled_at"] = int(self.clock())
            self.store.update(ref, handled_at=record["handled_at"])
            logger.info("%s marked handled", ref)
        return 200, record
