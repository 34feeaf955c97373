"""The form service: the one object the routes, the scheduled job and the admin command share (settings,
routing, store, mailer, clock), and the intake of a new request — validate, filter robots, store first,
then e-mail; nothing is lost.

Everything that happens to a request afterwards goes through ``change`` (the lifecycle's rules, stored with its
audit-trail event) and ``send`` (every message is indexed by its id, so a mail event finds its request).
The back office (issue 12) builds on the same object: ``requests_of``, ``queue``, ``trail`` and ``act``.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from rules.dates import local_time
from rules.email_address import email_key

from .requests import actions
from .web import links, signing
from .mail import events as mail_events
from .requests import lifecycle
from .intake.forms import HONEYPOT, validate
from .requests.lifecycle import Policy, Refused
from .mail.mailers import Mailer, MailError, PermanentMailError, build_mailer, redact
from .intake import promise
from .complaints.household import complaint_url
from .mail.messages import acknowledgement, message_to_ai
from .web.pages import Pages
from .requests.enums import ActorKind, EscalationReason, EventKind, State
from .requests.model import Item, Request
from .intake.site_pages import SitePages
from .sms import sending as sms_sending
from .sms.senders import SmsSender, build_sms_sender
from .routing import Routing, load_routing
from .store import Stale, Store, build_store
from .intake.validation import FieldError, clean_email, clean_phone
from .config import Settings

logger = logging.getLogger(__name__)

REF_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"   # Crockford: no I, L, O, U to misread on the phone
REF_PATTERN = re.compile(r"AI-\d{8}-[0-9A-Z]{6}")
SYSTEM = lifecycle.actor(ActorKind.SYSTEM)
TWIN_WAIT = 5.0      # seconds a double click waits for its twin's e-mail to leave (the Lambda has 20)
TWIN_POLL = 0.2


class RateLimited(Exception):
    """Too many new requests from one client this hour."""


class MessageCapReached(PermanentMailError):
    """Not sent: the request has caused ``Policy.message_cap`` messages already. A permanent refusal for every
    caller — none of them tries it again — and, like an SMTP 5xx, already dealt with when raised (``send``
    recorded it and handed the request to the cell): callers re-read the record and go on."""


@dataclass(frozen=True)
class Outcome:
    reference: str
    delivered: bool   # False: stored, the AI's e-mail will follow when the scheduled job succeeds
    promised: str = ""          # the promised day, ISO (promise.promised_day), for the thank-you page
    channel: str = "telephone"  # a key of promise.CHANNELS


def new_reference(now: float) -> str:
    return f"AI-{local_time(now):%Y%m%d}-{''.join(secrets.choice(REF_ALPHABET) for _ in range(6))}"


class FormService:
    def __init__(self, settings: Settings, routing: Routing, store: Store, mailer: Mailer,
                 clock: Callable[[], float] = time.time, sms: SmsSender | None = None) -> None:
        self.settings, self.routing, self.store, self.mailer, self.clock = settings, routing, store, mailer, clock
        self.sms: SmsSender = sms if sms is not None else build_sms_sender(settings)   # chalicelib.sms.senders
        self.sleep: Callable[[float], None] = time.sleep   # a double click waiting for its twin (tests pass theirs)
        self.policy = Policy.from_routing(routing)
        self.pages = Pages(routing)
        # written by the build beside the routing table it writes (plugins/forms), or named on its own
        pages = getattr(settings, "site_pages", "") or str(Path(settings.routing).with_name("site_pages.json"))
        self.site_pages = SitePages(pages, settings.site_origin, settings.forms_endpoint)

    @classmethod
    def from_settings(cls, settings: Settings) -> FormService:
        return cls(settings, load_routing(settings.routing), build_store(settings), build_mailer(settings))

    def now(self) -> int:
        return int(self.clock())

    # --- the lifecycle's plumbing -------------------------------------------------------------------------

    def change(self, record: Item, kind: str, who: str, **details: Any) -> Request:
        """Apply one lifecycle event now and store it with its trail entry; returns the new record.
        Raises lifecycle.Refused (not allowed) or store.Stale (someone changed it meanwhile)."""
        changes, event = lifecycle.step(record, kind, self.now(), who, self.policy, **details)
        return self.store.apply(record, changes, event)

    def on_fresh_copy(self, record: Request, action: Callable[[Request], Request]) -> Request:
        """Run ``action`` on the record; if someone changed it meanwhile (a reminder went out, store.Stale), once
        more on the fresh copy. Raises Refused when the request was deleted meanwhile."""
        try:
            return action(record)
        except Stale:
            fresh = self.store.get(record["ref"])
            if fresh is None:
                raise Refused("deleted meanwhile") from None
            return action(fresh)

    def send(self, record: Request, msg: EmailMessage, purpose: str) -> str:
        """Send a message about a request and index it by its id for mail events. A permanent refusal (SMTP
        5xx) goes through mail_events exactly like an SES bounce, then is raised for the caller. The index keeps
        whom the message went to: a refusal arriving after a re-route is charged to that address, not the new AI."""
        recipient = mail_events.recipient_of(record, purpose, self.routing)
        counted = self._within_cap(record, purpose)
        self.store.flush()   # stored before mailed: the request, its events and the counter are committed
        try:
            message_id = self.mailer.send(msg)
        except Exception as failure:
            if counted:
                self.store.give_back(counted)   # only messages that left count towards the cap
            if not isinstance(failure, PermanentMailError):
                raise
            refusal = failure
            message_id = str(msg["Message-ID"])
            self.store.record_message(message_id, record["ref"], purpose, record["expires_at"], recipient)
            mail_events.record(self, mail_events.smtp_refusal(message_id, refusal, self.now()))
            raise
        self.store.record_message(message_id, record["ref"], purpose, record["expires_at"], recipient)
        return message_id

    def within_cap(self, record: Request, purpose: str) -> str:
        """The cap for a message that does not go through ``send`` (an SMS of chalicelib.mission or
        chalicelib.satisfaction): the same counter, the same consequences (MessageCapReached)."""
        return self._within_cap(record, purpose)

    def _within_cap(self, record: Request, purpose: str) -> str:
        """The one place the cap on the messages a request causes is enforced: a place is taken in the store's
        counter of the request (atomic: two ticks cannot both take the last one); returns the counter's key, or
        "" for messages to AAI's cell, never capped — they are how a capped request reaches people. Past the cap
        the message does not leave, the trail says so (``capped``), and the request goes to the cell's queue
        (unless handled or closed, or there already): nothing it needed is dropped without somebody seeing it.
        The monthly figures count these escalations by their reason (``cap``)."""
        if mail_events.ROLES.get(purpose) == "cell":
            return ""
        key, cap = f"messages#{record['ref']}", self.policy.message_cap
        if self.store.take(key, cap, int(record["expires_at"])):
            return key
        logger.warning("%s: message cap reached (%d), %s not sent", record["ref"], cap, purpose)
        current = self.store.get(record["ref"]) or record
        try:
            current = self.change(current, EventKind.CAPPED, SYSTEM, message=purpose, cap=cap)
            if current["state"] != State.ESCALATED:   # already in the cell's queue: no second liaison sheet
                actions.escalate(self, current, EscalationReason.CAP)
        except Refused as why:   # closed, handled, the cell's own, already sent to it for the cap: recorded only
            logger.info("%s: capped, not escalated (%s)", record["ref"], why)
        raise MessageCapReached(f"message cap of {cap} reached for {record['ref']}")

    def link_expiry(self, record: Request) -> int:
        return lifecycle.link_expiry(record, self.policy)

    def espace_url(self, ref: str) -> str:
        """A request's page in the back office (sign-in required): from the settings, never a request's Host."""
        return f"{self.settings.forms_endpoint}/espace/demandes/{ref}"

    def handled_url(self, record: Request, by: str = "ai") -> str:
        """The « traitée » link: the association's carries it as its holder (a re-route voids it), the cell's not."""
        return links.handled_url(self.settings.forms_endpoint, self.settings.secret, record["ref"],
                                 self.link_expiry(record), by, record["association"] if by == "ai" else "")

    def status_url(self, record: Request) -> str:
        """The household's status page, in every message it gets: it expires with the request."""
        return links.status_url(self.settings.forms_endpoint, self.settings.secret, record["ref"],
                                self.link_expiry(record))

    # --- a new request ------------------------------------------------------------------------------------

    def submit(self, kind: str, raw: dict[str, list[str]], client_ip: str) -> Outcome:
        """Raises Invalid (field errors) or RateLimited; otherwise the request is stored. Its writes are committed
        together (``store.batch``), and always before a message leaves (``send`` flushes them)."""
        with self.store.batch():
            return self._submit(kind, raw, client_ip)

    def _submit(self, kind: str, raw: dict[str, list[str]], client_ip: str) -> Outcome:
        now = self.now()
        data = validate(kind, raw, self.routing, local_time(now).date())
        honeypot = raw.get(HONEYPOT)
        if honeypot is None or any(v.strip() for v in honeypot):
            logger.info("honeypot missing or filled on /%s: fake success, nothing kept", kind)
            return Outcome(new_reference(now), True, *self._promise({"kind": kind, "data": data,
                                                                     "association": data["association"],
                                                                     "created_at": now}))
        ip_hash = signing.keyed_hash(self.settings.secret, "ip", client_ip)
        hour = now // 3600
        token = data.pop("idempotence", None)
        secret = self.settings.secret
        idem_key = signing.keyed_hash(secret, kind, data["association"], token) if token else \
            signing.keyed_hash(secret, kind, json.dumps(data, sort_keys=True, ensure_ascii=False), ip_hash, str(hour))
        rate_key = f"{ip_hash}#{hour}"
        # The place is taken before storing, in one atomic step: simultaneous posts never all see room left.
        if not self.store.take(rate_key, self.settings.rate_limit, (hour + 2) * 3600):
            duplicate = self._duplicate(idem_key)
            if duplicate is None:
                raise RateLimited()
            return duplicate
        record, event = lifecycle.new_request(
            ref=new_reference(now), idem_key=idem_key, kind=kind, association=data["association"], created_at=now,
            retention_days=self.routing.retention_days, data=data, policy=self.policy,
            email=email_key(data["email"]) if "email" in data else None, phone=data.get("telephone"))
        stored, created = self.store.put_new(record, event)
        if not created:
            self.store.give_back(rate_key)   # only new requests count towards the limit
            logger.info("duplicate submission %s: nothing sent again, nothing counted", stored["ref"])
            return Outcome(stored["ref"], self._sent_by_twin(stored), *self._promise(stored))
        logger.info("stored %s for %s", stored["ref"], stored["association"])
        # stored and due: if delivery fails, the visitor is told so and the scheduled job sends it
        return Outcome(stored["ref"], self.deliver_or_defer(stored, "new request"), *self._promise(stored))

    def _promise(self, record: Item) -> tuple[str, str]:
        """The thank-you page's promise: the same day and channel as the acknowledgement's."""
        return promise.promised_day(record, self.policy).isoformat(), promise.channel(record)

    def _duplicate(self, idem_key: str) -> Outcome | None:
        """A double click past the rate limit is still the same request, not a new one to refuse."""
        record = self.store.find_idem(idem_key)
        return Outcome(record["ref"], self._sent_by_twin(record), *self._promise(record)) if record else None

    def _being_delivered(self, record: Request) -> bool:
        """Fresh, never tried: the twin's own HTTP request is sending the AI's e-mail right now."""
        return (record["state"] == State.RECEIVED and not record.get("attempts") and not record.get("ai_mail_failure")
                and self.now() - int(record["created_at"]) < self.policy.retry_grace)

    def _sent_by_twin(self, record: Request) -> bool:
        """The truth for a double click: has the AI its e-mail? The second click often arrives while the first
        is still sending it; reading the record then would say « the e-mail will follow » of a message leaving
        that very moment. So wait for the first's answer — a few seconds at most, then say what is stored."""
        self.store.flush()   # hold no transaction while the twin writes what we wait for
        ends = time.monotonic() + TWIN_WAIT
        while not record.get("ai_sent_at") and self._being_delivered(record) and time.monotonic() < ends:
            self.sleep(TWIN_POLL)
            record = self.store.get(record["ref"]) or record
        return bool(record.get("ai_sent_at"))

    def deliver_or_defer(self, record: Request, what: str) -> bool:
        """« Store, then try to deliver », written once: ``record`` is stored and due, so a delivery that fails
        for any reason is left to the scheduled job (``tick`` retries it) instead of failing whoever stored it —
        the visitor's post, the cell's liaison sheet, a re-route. True once the AI has its e-mail; never raises."""
        try:
            return self.deliver(record)
        except Exception:
            logger.exception("%s (%s): delivery failed after storing it, left to the scheduled job", record["ref"],
                             what)
            return False

    def deliver(self, record: Request) -> bool:
        """Send whatever of the first two messages is still unsent; True once the AI has its e-mail."""
        if not record.get("ai_sent_at") and not record.get("ai_mail_failure"):
            try:
                message_id = self.send(record, message_to_ai(record, self.routing, self.handled_url(record)),
                                       "request")
            except PermanentMailError:
                record = self.store.get(record["ref"]) or record   # escalated by mail_events
            except MailError as exc:
                error = redact(str(exc))[:500]
                logger.warning("sending %s failed (attempt %d): %s", record["ref"],
                               int(record.get("attempts") or 0) + 1, error)
                self.change(record, EventKind.SEND_FAILED, SYSTEM, message="request", error=error)
                return False
            else:
                record = self.change(record, EventKind.SENT, SYSTEM, to="ai", message_id=message_id)
                if self.mailer.confirms_delivery:
                    record = self.change(record, EventKind.DELIVERED, lifecycle.actor(ActorKind.MAIL))
        if record.get("email") and not record.get("ack_sent_at") and not record.get("household_unreachable"):
            try:
                message_id = self.send(record, acknowledgement(record, self.routing, self.status_url(record),
                                                         self.policy, complaint_url(self, record)), "ack")
            except PermanentMailError:
                record = self.store.get(record["ref"]) or record
            except MailError as exc:
                record = self.change(record, EventKind.SEND_FAILED, SYSTEM, message="ack", error=redact(str(exc))[:500])
            else:
                record = self.change(record, EventKind.ACKNOWLEDGED, SYSTEM, message_id=message_id)
        sms_sending.send_acknowledgement(self, record)   # after the AI's e-mail: its SMS gives the AI's phone
        return bool(record.get("ai_sent_at"))

    # --- retention and erasure ----------------------------------------------------------------------------

    def erase(self, who: str) -> int:
        """Right to erasure: every request of one person, found by e-mail or phone number, with every copy
        (trail, message index, local outbox files)."""
        try:
            email, phone = (email_key(clean_email(who)), None) if "@" in who else (None, clean_phone(who).e164)
        except FieldError:
            raise ValueError(f"not an e-mail address or a French phone number: {who!r}") from None
        refs = self.store.erase(email=email, phone=phone)
        files = self.mailer.forget(refs) + self.sms.forget(refs)
        cases = self.store.erase_cases(email=email, phone=phone)   # complaints, error reports (chalicelib.complaints)
        logger.info("erasure: %d requests deleted, %d local copies of messages, %d complaints or reports", len(refs),
                    files, len(cases))
        return len(refs)

    def purge_one(self, ref: str) -> None:
        """Past retention: the request, its trail and every copy of its messages."""
        self.store.delete(ref)
        self.mailer.forget([ref])
        self.sms.forget([ref])

    # --- signed links -------------------------------------------------------------------------------------

    def find_signed(self, ref: str, purpose: str, sig: str | None) -> tuple[str, Request | None]:
        """(verdict, record) for a signed link: ``invalid``, ``expired``, ``missing`` (purged or erased),
        ``closed``, ``moved`` (an association's link to a request the cell has since re-routed to another) or
        ``ok``. Changes nothing."""
        if not REF_PATTERN.fullmatch(ref or ""):
            return "invalid", None
        verdict, holder = links.check(self.settings.secret, purpose, ref, sig, self.now())
        if verdict != "ok":
            return verdict, None
        record = self.store.get(ref)
        if record is None:
            return "missing", None
        if purpose == "handled:ai" and not self._holds(record, holder):
            return "moved", None
        return ("closed" if record["state"] == State.CLOSED else "ok"), record

    @staticmethod
    def _holds(record: Request, holder: str) -> bool:
        """The association's link is still its own: signed for the request's current association — or, for links
        mailed before links named their holder, a request that was never re-routed (such links end with their
        request, 30 days after it)."""
        return holder == record["association"] if holder else not record.get("previous_associations")

    # --- for the back office (issue 12) -------------------------------------------------------------------

    def requests_of(self, association: str, month: str, states: tuple[str, ...] | None = None) -> list[Request]:
        """An AI's requests received in a month (``2026-11``), optionally in some states only."""
        records = self.store.month(month, association)
        return [r for r in records if states is None or r["state"] in states]

    def queue(self) -> list[Request]:
        """The cell's queue: requests escalated (charter deadline, the AI's address refusing mail, the household
        saying nobody called back), the longest waiting first."""
        return self.store.queue()

    def trail(self, ref: str) -> list[lifecycle.Event]:
        return self.store.trail(ref)

    def act(self, ref: str, who: str, kind: str, **details: Any) -> Request:
        """Record an action with its actor (``lifecycle.actor(ActorKind.CELL, "claire@…")``): ``handled`` (outcome,
        reason, orientation, first_visit), ``noted`` (text, callback_on), ``escalated`` (reason), ``closed``.
        Raises KeyError (unknown request) or lifecycle.Refused."""
        record = self.store.get(ref)
        if record is None:
            raise KeyError(ref)
        if kind == EventKind.ESCALATED:
            return actions.escalate(self, record, details["reason"], who)
        if kind not in (EventKind.HANDLED, EventKind.NOTED, EventKind.CLOSED):
            raise Refused(f"{kind} is not an action people take")
        return self.change(record, kind, who, **details)
