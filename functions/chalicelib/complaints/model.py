"""A case: a complaint or an error report, as the store keeps it (``Store.put_case`` and its siblings).

Not a request: it has no lifecycle of its own beyond open → (escalated →) closed, and it must never change a
request's figures. It keeps what was typed (``details``, plain strings shown escaped), the recipients it was sent to
(ids of the routing table, never addresses), its delay (``due_at``: when the cell is told, None once it is) and a
short history, so the back office and the monthly counts read it without any other look-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from rules.dates import month_of

from ..requests.enums import CaseKind, CaseStatus


@dataclass(frozen=True)
class Entry:
    """One line of a case's history: who did what, when."""

    at: int
    actor: str
    what: str
    note: str = ""


@dataclass(frozen=True)
class Case:
    ref: str
    kind: CaseKind
    association: str              # the AI concerned; the network's id when nobody could name one
    created_at: int
    expires_at: int
    details: Mapping[str, str] = field(default_factory=dict)
    recipients: tuple[str, ...] = ()
    status: CaseStatus = CaseStatus.OPEN
    outcome: str = ""             # a ComplaintOutcome or an ErrorReportOutcome value once closed
    due_at: int | None = None     # when the cell is told that nothing was done
    version: int = 1
    history: tuple[Entry, ...] = ()
    who: tuple[str, ...] = ()     # the person's e-mail key and E.164 number, for the right to erasure

    @property
    def month(self) -> str:
        return month_of(self.created_at)

    def changed(self, at: int, actor: str, what: str, note: str = "", **changes: Any) -> Case:
        """The next version, with its history line: what the store's ``update_case`` writes."""
        return replace(self, version=self.version + 1, history=(*self.history, Entry(at, actor, what, note)),
                       **changes)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["details"] = dict(self.details)
        data["recipients"] = list(self.recipients)
        data["history"] = [asdict(entry) for entry in self.history]
        data["who"] = list(self.who)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Case:
        return cls(ref=str(data["ref"]), kind=CaseKind.of(data["kind"]), association=str(data["association"]),
                   created_at=int(data["created_at"]), expires_at=int(data["expires_at"]),
                   details={str(k): str(v) for k, v in dict(data.get("details") or {}).items()},
                   recipients=tuple(str(r) for r in data.get("recipients") or ()),
                   status=CaseStatus.of(data.get("status") or CaseStatus.OPEN), outcome=str(data.get("outcome") or ""),
                   due_at=None if data.get("due_at") is None else int(data["due_at"]),
                   version=int(data.get("version") or 1),
                   history=tuple(Entry(int(e["at"]), str(e["actor"]), str(e["what"]), str(e.get("note") or ""))
                                 for e in data.get("history") or ()),
                   who=tuple(str(w) for w in data.get("who") or ()))
