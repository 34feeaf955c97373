"""A request as the modules pass it around, and its storage form, converted in one place.

``Record`` is a request in its storage form: the flat dictionary the stores keep as JSON
(``chalicelib.requests.lifecycle`` makes and changes it). ``Request`` is the same request typed: enums for its
states and reasons, tuples for its lists, the household's phone held once. ``Request.from_item`` and
``Request.to_item`` are the only conversion between the two; a field added to a request is added here, with its
type.

The phone: the form's « telephone » field and the record's ``phone`` (which the stores index for erasure) are the
same number, kept in E.164 since the migration of store/base.py's ``phone_in_e164``. A Request holds it once
(``phone``); ``fields`` gives the form's fields with it, and ``to_item`` writes both places, so the storage format
and the stores' indexes stay as they are.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from dataclasses import dataclass, field
from typing import Any

from .enums import (Channel, EscalationReason, FollowUpAnswer, Labelled, MailFailure, NoFollowUpReason, Orientation,
                    Outcome, SiteFeedback, State)

Record = dict[str, Any]
Item = Mapping[str, Any]   # a request in either form: a Record, or a Request (which reads as its Record)

PHONE_FIELD = "telephone"   # the form's name for the household's phone (rules/vocabulary, theme/templates/forms)


@dataclass(frozen=True, slots=True)
class Request(Mapping[str, Any]):
    """One request of a household (or of the cell's liaison sheet), as stored, typed. Immutable: ``replace``
    gives a changed copy; the lifecycle decides the changes, the store keeps them (with ``version``).

    While the modules move to its attributes, a Request also reads as its storage form (a read-only mapping:
    ``request["state"]``, ``request.get("phone")``, ``{**request}``): the stores return Requests, and a module not
    moved yet keeps reading the keys it read. Nothing can write into it."""

    ref: str
    idem_key: str
    kind: str                                   # rules.vocabulary.KINDS: « demande », « rappel »
    association: str                            # who holds it: an AI's id, or the network's (rules.vocabulary)
    created_at: int
    expires_at: int                             # retention: purged after
    state: State
    version: int
    data: Mapping[str, Any]                     # the form's fields, without the phone (``phone``; ``fields``)
    channel: Channel = Channel.SITE
    email: str | None = None                    # the normalised address (rules.email_address.email_key)
    phone: str | None = None                    # E.164
    followup_wanted: bool = False
    attempts: int = 0
    due_at: int | None = None                   # the due index: when the next job is owed, and which
    due: str | None = None
    last_attempt_at: int | None = None
    last_error: str | None = None
    ai_sent_at: int | None = None
    ack_sent_at: int | None = None
    delivered_at: int | None = None
    reminded_at: int | None = None
    ai_mail_failure: MailFailure | None = None
    ai_mail_failed_at: int | None = None
    cell_mail_failure: MailFailure | None = None
    cell_mail_failed_at: int | None = None
    household_unreachable: int | None = None    # when the household's address refused a message
    sms_sent_at: int | None = None              # the household's acknowledgement by SMS (chalicelib.sms)
    sms_failed_at: int | None = None            # the operator refused it for good
    sms_attempts: int | None = None
    sms_last_attempt_at: int | None = None
    escalation: EscalationReason | None = None
    escalations: tuple[EscalationReason, ...] = ()
    past_escalations: tuple[EscalationReason, ...] = ()   # before a re-route: still counted in the figures
    escalated_at: int | None = None
    escalation_unsent: bool | None = None
    routed_at: int | None = None
    previous_associations: tuple[str, ...] = ()
    handled_at: int | None = None
    handled_by: str | None = None
    outcome: Outcome | None = None
    outcome_reason: NoFollowUpReason | None = None
    orientation: Orientation | None = None
    first_visit: str | None = None
    outcome_at: int | None = None
    followup_sent_at: int | None = None
    followup_answer: FollowUpAnswer | None = None
    followup_answered_at: int | None = None
    last_note_at: int | None = None
    callback_on: str | None = None
    closed_at: int | None = None
    close_reason: str | None = None
    site_feedback: SiteFeedback | None = None
    site_feedback_at: int | None = None
    client_at: int | None = None                # the outcome « client » first recorded: the 72 hours start
    mission_reminded_at: int | None = None      # chalicelib.mission: the reminder before the 72 hours end
    mission_difficulty_at: int | None = None    # the AI said it has a difficulty…
    mission_difficulty_told_at: int | None = None   # …and the household was told
    satisfaction_sent_at: int | None = None     # chalicelib.satisfaction: the questions after the first mission
    satisfaction_channel: str | None = None     # "email" or "sms"
    satisfaction_reminded_at: int | None = None
    satisfaction_answered_at: int | None = None
    satisfaction_welcome: int | None = None     # 1–5 (SatisfactionTheme.WELCOME)
    satisfaction_relationship: int | None = None   # 1–5 (SatisfactionTheme.RELATIONSHIP)
    satisfaction_comment: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)   # fields this version does not know: kept as they were
    _empty: frozenset[str] = field(default=frozenset(), repr=False, compare=False)   # lists stored empty: kept so
    _item: Record = field(init=False, repr=False, compare=False)                       # (a re-route writes [])

    def __post_init__(self) -> None:
        object.__setattr__(self, "_item", self._storage())

    # --- storage ---

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> Request:
        """The request a store keeps (its JSON body, or a record the lifecycle made)."""
        known = _stored_set(cls)
        data = dict(item.get("data") or {})
        phone = item.get("phone") or data.get(PHONE_FIELD)
        data.pop(PHONE_FIELD, None)
        values: dict[str, Any] = {name: item[name] for name in known if item.get(name) is not None}
        for name, enum in _ENUMS.items():
            if name in values:
                values[name] = enum.of(values[name])
        for name, enum in _ENUM_LISTS.items():
            values[name] = tuple(enum.of(v) for v in item.get(name) or ())
        values["previous_associations"] = tuple(item.get("previous_associations") or ())
        extra = {k: v for k, v in item.items() if k not in known and k != "data" and v is not None}
        empty = frozenset(name for name in _LISTS if item.get(name) == [])
        return cls(**{**values, "data": data, "phone": phone, "extra": extra, "_empty": empty})

    def to_item(self) -> Record:
        """The storage form: plain strings, lists and numbers (JSON), no None, the phone in both places."""
        return {**self._item, "data": dict(self._item["data"])}

    def _storage(self) -> Record:
        item: Record = dict(self.extra)
        for name in _stored_names(type(self)):
            value = getattr(self, name)
            if value is None or (value == () and name not in self._empty):
                continue
            if isinstance(value, tuple):
                value = [str(v) for v in value]
            elif isinstance(value, Labelled):
                value = value.value
            item[name] = value
        item["data"] = self.fields
        return item

    # --- reading ---

    def __getitem__(self, key: str) -> Any:
        return self._item[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._item)

    def __len__(self) -> int:
        return len(self._item)

    # The reads the lifecycle and the messages make by the dozen (``record.get(…)``, ``{**record}``), answered by the
    # storage form's own dict instead of the generic Mapping methods, which go through ``__getitem__`` and KeyError.
    def get(self, key: str, default: Any = None) -> Any | None:
        return self._item.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._item

    def keys(self) -> KeysView[str]:
        return self._item.keys()

    def items(self) -> ItemsView[str, Any]:
        return self._item.items()

    def values(self) -> ValuesView[Any]:
        return self._item.values()

    @property
    def fields(self) -> dict[str, Any]:
        """The form's fields as the household gave them, the phone included (messages, exports)."""
        return {**self.data, PHONE_FIELD: self.phone} if self.phone else dict(self.data)

    def replace(self, **changes: Any) -> Request:
        """A copy with these fields changed (typed values: enums, tuples)."""
        return dataclasses.replace(self, **changes)


@functools.cache
def _stored_names(cls: type[Request]) -> tuple[str, ...]:
    """The fields kept one by one in storage (not ``data``, ``extra`` and the private ones), in their order:
    worked out once, not for every request read or written."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.name not in ("extra", "data", "_item", "_empty"))


@functools.cache
def _stored_set(cls: type[Request]) -> frozenset[str]:
    return frozenset(_stored_names(cls))


_ENUMS: dict[str, type[Labelled]] = {
    "state": State, "channel": Channel, "ai_mail_failure": MailFailure, "cell_mail_failure": MailFailure,
    "escalation": EscalationReason, "outcome": Outcome, "outcome_reason": NoFollowUpReason,
    "orientation": Orientation, "followup_answer": FollowUpAnswer, "site_feedback": SiteFeedback,
}
_ENUM_LISTS: dict[str, type[Labelled]] = {"escalations": EscalationReason, "past_escalations": EscalationReason}
_LISTS = (*_ENUM_LISTS, "previous_associations")
