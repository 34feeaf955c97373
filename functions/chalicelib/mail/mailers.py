"""Mail backends: a local outbox folder, SMTP, or Amazon SES v2.

``send`` returns the message's id as the mail system knows it (SES's MessageId, which its Bounce, Complaint and
Delivery events carry; the Message-ID header otherwise) and raises MailError when the message did not leave,
PermanentMailError when the recipient's server refused it for good (an SMTP 5xx: the same event as an SES
bounce). Backends that keep a copy of what they send (the outbox) also forget it with the request: retention
and erasure cover every copy.
"""

from __future__ import annotations

import logging
import os
import re
import time
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client

    from ..config import Settings

from .policy import wire_bytes

logger = logging.getLogger(__name__)

REFERENCE = re.compile(r"AI-\d{8}-[0-9A-Z]{6}")
EMAIL_IN_TEXT = re.compile(r"[^\s<>'\"(),;:@]+@[^\s<>'\"(),;:]+")


def redact(text: str) -> str:
    """Mail servers quote the refused address: keep it out of logs and of the stored error."""
    return EMAIL_IN_TEXT.sub("<adresse>", str(text))


class MailError(Exception):
    """Sending failed for now; the request stays due and the scheduled job tries again."""


class PermanentMailError(MailError):
    """The recipient's server refused the message for good (SMTP 5xx on the recipient)."""

    def __init__(self, message: str, diagnostic: str = "") -> None:
        super().__init__(message)
        self.diagnostic = diagnostic


def reference_of(msg: EmailMessage) -> str:
    """The request a message is about (our X-AAI-Reference header), or '' for network-wide messages."""
    value = str(msg.get("X-AAI-Reference", ""))
    return value if REFERENCE.fullmatch(value) else ""


class Mailer(Protocol):
    """What the service, the jobs and the back office ask of a mail backend (the three below)."""

    # True when a message handed over is delivered (a file, an SMTP 250); False when delivery is told later
    # (SES's events), so that the request is not marked delivered on sending
    confirms_delivery: bool

    def send(self, msg: EmailMessage) -> str:
        """The message's id as the mail system knows it; raises MailError or PermanentMailError."""
        ...

    def forget(self, refs: list[str]) -> int:
        """Delete every local copy of the messages about these requests; how many there were."""
        ...

    def purge(self, before: float) -> int:
        """Delete the local copies written before ``before`` (epoch); how many there were."""
        ...


class OutboxMailer:
    """Writes each message as an .eml file: the local default, readable with any mail client. The file name
    carries the request's reference, so erasure and retention find every copy."""

    confirms_delivery = True   # the file is the delivery

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)
        self._made = False   # the folder was made (or found) once: not asked again for every message

    def send(self, msg: EmailMessage) -> str:
        """Written to a hidden ``.….eml.tmp`` file, then renamed: a reader never sees half a message. A failed
        write removes its temporary file (it holds the address); one left by a crash is still found by
        ``forget`` and ``purge``, whose patterns cover it."""
        tmp = None
        try:
            if not self._made:
                self.folder.mkdir(parents=True, exist_ok=True)
                self._made = True
            name = f"{time.strftime('%Y%m%d-%H%M%S')}-{reference_of(msg) or 'reseau'}-{uuid.uuid4().hex[:8]}.eml"
            tmp = self.folder / f".{name}.tmp"
            data = wire_bytes(msg)
            try:
                tmp.write_bytes(data)
            except FileNotFoundError:   # the folder was removed meanwhile: made again
                self.folder.mkdir(parents=True, exist_ok=True)
                tmp.write_bytes(data)
            os.replace(tmp, self.folder / name)
        except OSError as exc:
            if tmp is not None:
                try:
                    tmp.unlink(missing_ok=True)
                except OSError:
                    logger.warning("outbox: could not remove %s (the purge will)", tmp.name)
            raise MailError(f"outbox: {exc}") from exc
        return str(msg["Message-ID"])

    def _files(self, pattern: str) -> list[Path]:
        """The messages matching ``pattern`` (``*-REF-*``, ``*``) and the temporary files of unfinished ones."""
        if not self.folder.exists():
            return []
        return [*self.folder.glob(f"{pattern}.eml"), *self.folder.glob(f".{pattern}.eml.tmp")]

    def forget(self, refs: list[str]) -> int:
        """Delete every message about these requests (erasure, purge)."""
        count = 0
        for ref in refs:
            if REFERENCE.fullmatch(ref):
                for path in self._files(f"*-{ref}-*"):
                    path.unlink(missing_ok=True)
                    count += 1
        return count

    def purge(self, before: float) -> int:
        """Delete messages written before ``before`` (epoch): what is left past the retention period."""
        count = 0
        for path in self._files("*"):
            if path.stat().st_mtime < before:
                path.unlink(missing_ok=True)
                count += 1
        return count


class _KeepsNothing:
    """Messages handed to a mail server: no local copy to forget."""

    def forget(self, refs: list[str]) -> int:
        return 0

    def purge(self, before: float) -> int:
        return 0


class SmtpMailer(_KeepsNothing):
    """For associations not on AWS, and for tests against a real SMTP server. A 250 from the server is taken
    as delivery; a 5xx on the recipient is a permanent refusal, handled like an SES bounce."""

    confirms_delivery = True

    def __init__(self, host: str, port: int, user: str = "", password: str = "", starttls: bool = False,
                 timeout: float = 10) -> None:
        self.host, self.port, self.user, self.password = host, port, user, password
        self.starttls, self.timeout = starttls, timeout

    def send(self, msg: EmailMessage) -> str:
        import smtplib   # with ssl and socket: only the SMTP backend's sends pay for them
        import ssl
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())   # checks the server's certificate
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            text = "; ".join(f"{code} {reply.decode('utf-8', 'replace')}" for code, reply in exc.recipients.values())
            if codes and all(code >= 500 for code in codes):
                raise PermanentMailError(f"smtp: refused: {text}", diagnostic=text) from exc
            raise MailError(f"smtp: {text}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"smtp: {exc}") from exc
        return str(msg["Message-ID"])


class SesMailer(_KeepsNothing):
    """Amazon SES v2 with raw content, so the message is exactly the one we built. SES accepts at once and
    tells later (configuration set → SNS → ``mail.events``) whether the message was delivered or bounced."""

    confirms_delivery = False

    def __init__(self, client: SESV2Client | None = None) -> None:
        if client is None:
            from ..web import aws
            client = aws.client("sesv2")
        self.client = client

    def send(self, msg: EmailMessage) -> str:
        from botocore.exceptions import BotoCoreError, ClientError
        recipients = [a.addr_spec for a in msg["To"].addresses]
        try:
            answer = self.client.send_email(FromEmailAddress=msg["From"].addresses[0].addr_spec,
                                            Destination={"ToAddresses": recipients},
                                            Content={"Raw": {"Data": wire_bytes(msg)}})
        except (BotoCoreError, ClientError) as exc:
            raise MailError(f"ses: {exc}") from exc
        return answer["MessageId"]


def build_mailer(settings: Settings) -> Mailer:
    if settings.mailer == "ses":
        return SesMailer()
    if settings.mailer == "smtp":
        return SmtpMailer(settings.smtp_host, settings.smtp_port, settings.smtp_user, settings.smtp_password,
                          settings.smtp_starttls)
    return OutboxMailer(settings.outbox_dir)
