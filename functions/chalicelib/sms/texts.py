"""The SMS texts, each measured against the GSM-7 rules (rules/sms.py): one segment of 160 characters when
possible, the French letters outside GSM-7 replaced by their neighbour so that one « ê » does not make the text
UCS-2 (70 characters a segment).

No « STOP » mention in the acknowledgement: it is a transactional message the household asked for, sent once per
request (the « STOP » rule of French operators binds marketing SMS). ``with_opt_out`` adds the short mention to
texts that may be sent more than once, when it fits without a new segment: « STOP SMS : le dire à l'AAI » from a
sender name (nobody can reply to one), « STOP : répondez STOP » from a two-way number (settings.sms_reply_number),
whose replies sms/replies.py reads.
"""

from __future__ import annotations

import datetime

from rules.dates import french_date
from rules.phone import Phone
from rules.sms import SINGLE_GSM7, segments, to_gsm7

OPT_OUT = "STOP SMS : le dire a l'AAI"   # no reply possible to a sender name: the household tells the cell
OPT_OUT_BY_REPLY = "STOP : repondez STOP"
PREFIX = "AAI : "


def fit(candidates: list[str]) -> str:
    """The first candidate (longest first) that fits one GSM-7 SMS once made GSM-7, else the shortest."""
    texts = [to_gsm7(c) for c in candidates]
    for text in texts:
        if len(text) <= SINGLE_GSM7 and segments(text) == 1:
            return text
    return min(texts, key=len)


def acknowledgement(ref: str, ai_name: str, ai_phone: Phone | None, day: datetime.date) -> str:
    """« AAI : demande AI-… reçue. [AI] vous rappelle au plus tard le mardi 8 décembre ; son numéro : 05 … »,
    shortened (weekday, then the AI's name, then the year) until it fits one SMS. ``day`` is the promised day
    (promise.promised_day), the same as the e-mail's and the thank-you page's. ``ai_phone`` is the routing table's,
    already parsed."""
    phone = f" ; son numéro : {ai_phone.display}" if ai_phone else ""
    with_weekday, plain = french_date(day, weekday=True)[:-5], french_date(day)[:-5]   # the year is understood
    head = f"{PREFIX}demande {ref} reçue. "
    short_name = ai_name if len(ai_name) <= 40 else ai_name[:39].rstrip() + "."
    return fit([f"{head}{ai_name} vous rappelle au plus tard le {with_weekday}{phone}.",
                f"{head}{ai_name} vous rappelle au plus tard le {plain}{phone}.",
                f"{head}{short_name} vous rappelle au plus tard le {plain}{phone}.",
                f"{head}L'association vous rappelle au plus tard le {plain}{phone}."])


def with_opt_out(text: str, by_reply: bool = False) -> str:
    """The text with the opt-out mention when it costs no extra segment."""
    longer = f"{text} {OPT_OUT_BY_REPLY if by_reply else OPT_OUT}"
    return longer if segments(longer) == segments(text) else text


def followup(ref: str, no_url: str, by_reply: bool = False) -> str:
    """« Avez-vous été recontacté ? » with the short « non » link (its page also offers « oui ») and, from a
    two-way number, the keyword: one GSM-7 segment with a short link (sms/short_links.py)."""
    ask = f"{PREFIX}l'association vous a-t-elle rappelé pour la demande {ref} ? Si non"
    short = f"{PREFIX}demande {ref} : l'association vous a-t-elle rappelé ? Si non"
    shortest = f"{PREFIX}{ref} : l'association vous a rappelé ? Sinon"
    # Longest first. The link's length depends on the functions' address (an API Gateway one is 60 characters
    # long): the shorter wordings keep one segment where a custom domain is not set.
    if not by_reply:
        return fit([f"{ask}, dites-le ici : {no_url}", f"{short}, dites-le ici : {no_url}", f"{short} : {no_url}",
                    f"{shortest}, dites-le : {no_url}"])
    return fit([f"{ask}, répondez NON ou dites-le ici : {no_url}", f"{short}, répondez NON ou dites-le ici : {no_url}",
                f"{short}, répondez NON ou : {no_url}", f"{shortest}, répondez NON ou : {no_url}"])
