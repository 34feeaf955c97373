"""SMS backends, chosen by the ``sms`` setting like the mailers: a local outbox (``.sms.txt`` files beside the
e-mails in var/outbox/) or AWS SNS through boto3.

SNS rather than End User Messaging SMS (``pinpoint-sms-voice-v2``): both send the same SMS at the same price,
but only SNS's ``Publish`` to a phone number is simulated by moto (5.2), so only it can be tested for real here.

``send`` returns the message id and raises SmsError when the SMS did not leave (tried again by the tick),
PermanentSmsError when the service refused it for good (invalid or opted-out number: handled like a bounce).
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..mail.mailers import REFERENCE

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_sns.type_defs import MessageAttributeValueTypeDef

    from ..config import Settings


class SmsError(Exception):
    """Sending failed for now; the SMS stays owed and the scheduled job tries again."""


class PermanentSmsError(SmsError):
    """The service refused this number for good (not a valid mobile, or the person opted out)."""


PERMANENT_CODES = ("InvalidParameter", "InvalidParameterValue", "OptedOut", "OptedOutException")


class SmsSender(Protocol):
    """What the service and the jobs ask of an SMS backend (the two below)."""

    def send(self, phone: str, text: str, ref: str = "") -> str:
        """The message's id; raises SmsError or PermanentSmsError."""
        ...

    def forget(self, refs: list[str]) -> int:
        """Delete every local copy of the SMS about these requests; how many there were."""
        ...

    def purge(self, before: float) -> int:
        """Delete the local copies written before ``before`` (epoch); how many there were."""
        ...


class OutboxSms:
    """Writes each SMS as a text file in the outbox, beside the e-mails (`make run`): ``To:``, ``From:``, then
    the text. The file name carries the request's reference, so erasure and retention find every copy."""

    def __init__(self, folder: str, sender_id: str, reply_number: str = ""):
        self.folder, self.sender_id = Path(folder), reply_number or sender_id   # who the household sees

    def send(self, phone: str, text: str, ref: str = "") -> str:
        """Written to a hidden temporary file, then renamed: a reader never sees half a message."""
        message_id = f"sms-{uuid.uuid4().hex}"
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{ref if REFERENCE.fullmatch(ref) else 'reseau'}-" \
               f"{message_id[4:12]}.sms.txt"
        tmp = self.folder / f".{name}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp.write_text(f"To: {phone}\nFrom: {self.sender_id}\n\n{text}\n", encoding="utf-8")
            os.replace(tmp, self.folder / name)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise SmsError(f"outbox: {exc}") from exc
        return message_id

    def _files(self, pattern: str) -> list[Path]:
        if not self.folder.exists():
            return []
        return [*self.folder.glob(f"{pattern}.sms.txt"), *self.folder.glob(f".{pattern}.sms.txt.tmp")]

    def forget(self, refs: list[str]) -> int:
        """Delete every SMS about these requests (erasure, purge): each holds a phone number."""
        paths = [p for ref in refs if REFERENCE.fullmatch(ref) for p in self._files(f"*-{ref}-*")]
        for path in paths:
            path.unlink(missing_ok=True)
        return len(paths)

    def purge(self, before: float) -> int:
        """Delete the SMS written before ``before`` (epoch): past the retention period."""
        old = [p for p in self._files("*") if p.stat().st_mtime < before]
        for path in old:
            path.unlink(missing_ok=True)
        return len(old)


class SnsSms:
    """AWS SNS ``Publish`` to a phone number, transactional (delivered first, even to numbers that refused
    marketing), with the sender name households read. The client comes from chalicelib.web.aws (timeouts)."""

    def __init__(self, sender_id: str, client: SNSClient | None = None, reply_number: str = ""):
        if client is None:
            from ..web import aws
            client = aws.client("sns")
        self.sender_id, self.client, self.reply_number = sender_id, client, reply_number

    def send(self, phone: str, text: str, ref: str = "") -> str:
        from botocore.exceptions import BotoCoreError, ClientError
        attributes: dict[str, MessageAttributeValueTypeDef] = {
            "AWS.SNS.SMS.SenderID": {"DataType": "String", "StringValue": self.sender_id},
            "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}
        if self.reply_number:   # the two-way number: the household's « NON » or « STOP » comes back to us
            attributes["AWS.MM.SMS.OriginationNumber"] = {"DataType": "String", "StringValue": self.reply_number}
        try:
            answer = self.client.publish(PhoneNumber=phone, Message=text, MessageAttributes=attributes)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in PERMANENT_CODES:
                raise PermanentSmsError(f"sns: {code}") from exc
            raise SmsError(f"sns: {code or exc}") from exc
        except BotoCoreError as exc:
            raise SmsError(f"sns: {exc}") from exc
        return answer["MessageId"]

    def forget(self, refs: list[str]) -> int:   # handed to SNS: no local copy
        return 0

    def purge(self, before: float) -> int:
        return 0


def build_sms_sender(settings: Settings) -> OutboxSms | SnsSms:
    if settings.sms == "sns":
        return SnsSms(settings.sms_sender_id, reply_number=settings.sms_reply_number)
    return OutboxSms(settings.outbox_dir, settings.sms_sender_id, settings.sms_reply_number)
