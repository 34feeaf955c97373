"""« Signaler une erreur »: a visitor reports a mistake on an association's or a commune's page.

The page is named by a hidden field (``page``: ``association/<id>`` or ``commune/<INSEE>``), checked against the
routing table; the recipients come from that table only — the AI(s) concerned and AAI's editors (the network's
address). The optional contact e-mail a visitor types is never a recipient nor a Reply-To: it is shown, escaped,
inside the message, so that nobody can make the site send mail to an address nobody verified.

Tracking: each report is kept in the store as a token ``erreur#<ref>`` (status « signalée ») and as a case
(``chalicelib.complaints``) until the retention delay ends; each recipient's message carries its signed
« suite donnée » link (« corrigé » / « pas une erreur »), also in the back office's « Réclamations et signalements ».
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rules.dates import local_time

from ..web import signing
from .forms import HONEYPOT, Invalid
from ..mail.messages import compose, new_message, shared_address
from ..routing import Contact, Routing
from .site_pages import INSEE
from .validation import FieldError, clean_email, clean_text

if TYPE_CHECKING:
    from ..service import FormService

logger = logging.getLogger(__name__)

FIELDS = ("page", "erreur", "email", HONEYPOT)
MAX_TEXT = 1000
STATUS = "signalée"
TOKEN_PREFIX = "erreur#"
UNKNOWN_PAGE = "Cette page ne figure pas dans notre annuaire : signalez l'erreur depuis la page concernée."


class RateLimited(Exception):
    """Too many reports from one address this hour."""


@dataclass(frozen=True)
class Report:
    page: str                 # association/<id> or commune/<INSEE>
    label: str                # what the page is about, in words
    url: str                  # the page on the site (associations; a commune's is named by its code)
    recipients: tuple[Contact, ...]
    text: str
    contact: str              # the visitor's optional e-mail, shown only inside the message


def validate(raw: dict[str, list[str]], routing: Routing) -> Report:
    """The cleaned report, or Invalid with one French message per field."""
    errors: dict[str, str] = {}
    if any(name not in FIELDS for name in raw):
        errors["formulaire"] = "Le formulaire contient un champ inattendu. Rechargez la page puis renvoyez-le."
    one = {name: [v for v in raw.get(name, []) if v.strip()] for name in FIELDS}
    for name, values in one.items():
        if len(values) > 1:
            errors[name] = "Ce champ a été envoyé plusieurs fois : une seule valeur est attendue."
    page = (one["page"] or [""])[0].strip()
    found = target(page, routing)
    if found is None:
        errors["page"] = UNKNOWN_PAGE
    text = contact = ""
    try:
        if not one["erreur"]:
            raise FieldError("Décrivez l'erreur que vous avez remarquée.")
        text = clean_text(one["erreur"][0], MAX_TEXT, multiline=True)
    except FieldError as problem:
        errors.setdefault("erreur", str(problem))
    try:
        if one["email"]:
            contact = clean_email(clean_text(one["email"][0], 254))
    except FieldError as problem:
        errors.setdefault("email", str(problem))
    if errors or found is None:
        raise Invalid(errors)
    label, url, recipients = found
    return Report(page, label, url, recipients, text, contact)


def target(page: str, routing: Routing) -> tuple[str, str, tuple[Contact, ...]] | None:
    """(label, address on the site, recipients) of a page the routing table knows, else None."""
    kind, _, key = page.partition("/")
    if kind == "association":
        ai = routing.recipient(key)
        if ai is None or ai.id == routing.network.id:
            return None
        return ai.name, ai.page_url(routing.site_url), (ai, routing.network)
    if kind == "commune" and INSEE.fullmatch(key) and key in routing.communes:
        name = routing.commune_name(key)
        return f"commune de {name} (code INSEE {key})", "", (*routing.serving(key), routing.network)
    return None


def receive(service: FormService, raw: dict[str, list[str]], client_ip: str) -> str:
    """Validate, filter robots, count against the hour's limit, store, mail the AI(s) and AAI; the reference."""
    now = service.now()
    report = validate(raw, service.routing)
    ref = "ERR-" + local_time(now).strftime("%Y%m%d") + "-" + secrets.token_hex(3).upper()
    from ..complaints.tracking import open_error_report, outcome_url   # the report's case and its links
    honeypot = raw.get(HONEYPOT)
    if honeypot is None or any(v.strip() for v in honeypot):
        logger.info("honeypot missing or filled on /erreur: fake success, nothing kept")
        return ref
    hour = now // 3600
    ip_hash = signing.keyed_hash(service.settings.secret, "ip", client_ip)
    if not service.store.take(f"{ip_hash}#{hour}", service.settings.rate_limit, (hour + 2) * 3600):
        raise RateLimited()
    expires = now + service.routing.retention_days * 86400
    service.store.put_token(TOKEN_PREFIX + ref, {
        "kind": "error_report", "ref": ref, "page": report.page, "text": report.text, "contact": report.contact,
        "status": STATUS, "created_at": now, "recipients": [c.id for c in report.recipients]}, expires)
    case = open_error_report(service, ref, report.page, report.text, report.contact,
                             tuple(c.id for c in report.recipients), expires)
    details = [("Référence", ref), ("Page", report.label), *([("Adresse", report.url)] if report.url else []),
               ("Erreur signalée", report.text), ("E-mail de contact (non vérifié)", report.contact or "non indiqué")]
    for contact in {c.id: c for c in report.recipients}.values():
        msg = new_message(f"Erreur signalée – {report.label}", service.routing,
                          shared_address(contact.name, contact.email), ref=ref)
        compose(msg, "error_report", details=details, url=report.url,
                for_network=contact.id == service.routing.network.id, with_ai=len(report.recipients) > 1,
                site_name=service.routing.site_name, outcome_url=outcome_url(service, case, contact.id))
        try:
            service.mailer.send(msg)
        except Exception:   # kept in the store all the same: the visitor is thanked, never shown a 5xx
            logger.exception("error report %s: the message to %s failed", ref, contact.id)
    logger.info("error report %s on %s for %d recipients", ref, report.page, len(report.recipients))
    return ref
