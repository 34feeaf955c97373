"""The households' SMS replies, when SMS leave from a two-way number (settings.sms_reply_number): « NON » (or
« OUI ») answers « Avez-vous été recontacté ? », « STOP » stops every SMS to that number.

AWS End User Messaging publishes each reply on an SNS topic; the reply names a phone number, never a reference,
so it answers the newest open question sent to that number. Anything else is logged and left: a person who
writes a sentence is not a keyword, and the cell's number is in every SMS.
"""

from __future__ import annotations

import json
import logging
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..requests import actions

from ..web import signing
from ..requests.enums import FollowUpAnswer, State
from ..requests.lifecycle import Refused

if TYPE_CHECKING:
    from ..service import FormService

logger = logging.getLogger(__name__)

STOP_WORDS = {"STOP", "ARRET", "STOPSMS", "DESABONNER", "DESINSCRIRE"}
ANSWERS = {"NON": FollowUpAnswer.NO, "OUI": FollowUpAnswer.YES}
# The opposition is kept three years, the CNIL's reference for an opposition list; a new request from the same
# number does not lift it (the household can ask the cell to).
OPT_OUT_DAYS = 3 * 365


@dataclass(frozen=True)
class Reply:
    sender: str        # E.164
    to: str            # our two-way number
    text: str

    @classmethod
    def from_sns(cls, message: str) -> Reply | None:
        """End User Messaging's inbound JSON (originationNumber, destinationNumber, messageBody); None if not."""
        try:
            data: Any = json.loads(message)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        sender, to, text = data.get("originationNumber"), data.get("destinationNumber"), data.get("messageBody")
        if not (isinstance(sender, str) and isinstance(to, str) and isinstance(text, str)):
            return None
        return cls(sender, to, text)

    @property
    def keyword(self) -> str:
        """The first word, capitals without accents: « non », « Non. », « ARRÊT » → NON, NON, ARRET."""
        words = self.text.split()
        first = words[0] if words else ""
        plain = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode()
        return "".join(c for c in plain if c.isalnum()).upper()


def _opt_out_key(svc: FormService, phone: str) -> str:
    return "sms-stop#" + signing.keyed_hash(svc.settings.secret, "sms-stop", phone)


def opted_out(svc: FormService, phone: str) -> bool:
    """The number said « STOP »: no SMS goes to it any more."""
    return bool(svc.store.claimed(_opt_out_key(svc, phone)))


def receive(svc: FormService, reply: Reply) -> str:
    """Act on one reply; what was done, for the log (never the number or the text)."""
    if not svc.settings.sms_reply_number or reply.to != svc.settings.sms_reply_number:
        return "ignored: not our number"
    keyword = reply.keyword
    if keyword in STOP_WORDS:
        svc.store.claim(_opt_out_key(svc, reply.sender), svc.now() + OPT_OUT_DAYS * 86400)
        logger.info("an SMS number opted out")
        return "opted out"
    if keyword not in ANSWERS:
        logger.info("an SMS reply that is not a keyword: left alone")
        return "ignored: not a keyword"
    asked = [r for r in svc.store.by_phone(reply.sender)
             if r.get("followup_sent_at") and not r.get("followup_answer") and r["state"] != State.CLOSED]
    if not asked:
        return "ignored: no open question"
    record = asked[-1]
    try:
        actions.answer_followup(svc, record, ANSWERS[keyword])
    except Refused:
        return "ignored: already answered"
    logger.info("%s: « %s » by SMS", record["ref"], ANSWERS[keyword])
    return f"answered {ANSWERS[keyword]}"
