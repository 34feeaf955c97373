"""Mail backends: a local outbox folder, SMTP, or Amazon SES v2. Each raises MailError on failure."""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import time
import uuid
from email import policy
from email.message import EmailMessage
from pathlib import Path

logger = logging.getLogger(__name__)


class MailError(Exception):
    """Sending failed; the submission stays pending and the retry job tries again."""


class OutboxMailer:
    """Writes each message as an .eml file: the local default, readable with any mail client."""

    def __init__(self, folder: str):
        self.folder = Path(folder)

    def send(self, msg: EmailMessage) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            name = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}.eml"
            tmp = self.folder / f".{name}.tmp"
            tmp.write_bytes(msg.as_bytes(policy=policy.SMTP))
            os.replace(tmp, self.folder / name)
        except OSError as exc:
            raise MailError(f"outbox: {exc}") from exc


class SmtpMailer:
    """For associations not on AWS, and for tests against a real SMTP server."""

    def __init__(self, host: str, port: int, user: str = "", password: str = "", starttls: bool = False,
                 timeout: float = 10):
        self.host, self.port, self.user, self.password = host, port, user, password
        self.starttls, self.timeout = starttls, timeout

    def send(self, msg: EmailMessage) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())   # checks the server's certificate
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"smtp: {exc}") from exc


class SesMailer:
    """Amazon SES v2 with raw content, so the message is exactly the one we built."""

    def __init__(self, client=None):
        if client is None:
            import boto3  # imported here: local runs never pay for it
            client = boto3.client("sesv2")
        self.client = client

    def send(self, msg: EmailMessage) -> None:
        from botocore.exceptions import BotoCoreError, ClientError
        recipients = [a.addr_spec for a in msg["To"].addresses]
        try:
            self.client.send_email(FromEmailAddress=msg["From"].addresses[0].addr_spec,
                                   Destination={"ToAddresses": recipients},
                                   Content={"Raw": {"Data": msg.as_bytes(policy=policy.SMTP)}})
        except (BotoCoreError, ClientError) as exc:
            raise MailError(f"ses: {exc}") from exc


def build_mailer(settings):
    if settings.mailer == "ses":
        return SesMailer()
    if settings.mailer == "smtp":
        return SmtpMailer(settings.smtp_host, settings.smtp_port, settings.smtp_user, settings.smtp_password,
                          settings.smtp_starttls)
    return OutboxMailer(settings.outbox_dir)
