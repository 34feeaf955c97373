"""The scheduled job's dead-man switch: each ``tick`` that completes says so in the store, and ``admin health``
tells whether one did within the last two hours of office time — the jobs (retries, reminders, escalations) are
the charter's promise, and a job that silently stopped breaks it without a single error to see.

Office time, not wall time: nobody reads an alarm at night or on a Sunday, so only the office's hours count
towards the two hours (a Friday evening's last tick is still fine on Sunday, and not at Monday 11:00). In
production the same silence raises a CloudWatch alarm to AAI (infra/site.yaml, ``SchedulerStoppedAlarm``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rules.dates import french_datetime, local_time
from rules.working_days import office_seconds_between

if TYPE_CHECKING:
    from ..store import Store

HEARTBEAT_KEY = "heartbeat#tick"   # in the store's tokens (a small key, no request's data)
KEPT = 400 * 86400                 # seconds the last completion is kept
STALE_AFTER = 2 * 3600             # seconds of office time without a completed tick before the alarm


@dataclass(frozen=True)
class Health:
    ok: bool
    last: int | None      # when the last tick completed (None: never recorded)
    silent: float         # seconds of office time since then

    def text(self) -> str:
        """One line in French for the operator (and the exit status for a monitoring script)."""
        if self.last is None:
            return "ALERTE : aucun passage de la tâche planifiée n'a jamais été enregistré."
        minutes = int(self.silent // 60)
        since = f"{minutes // 60} h {minutes % 60:02d} de temps de bureau"
        when = f"dernier passage complet de la tâche planifiée le {french_datetime(self.last)}"
        if self.ok:
            return f"OK : {when} ({since} depuis)."
        return f"ALERTE : {when}, il y a {since} (plus de deux heures) : les relances ne partent plus."


def record_completion(store: Store, now: int) -> None:
    """Called by ``tick`` once it has run every job; a replay of an earlier instant (``admin tick --now``) never
    moves the last completion back."""
    last = last_completion(store, now)
    if last is None or now >= last:
        store.put_token(HEARTBEAT_KEY, {"at": int(now)}, int(now) + KEPT)


def last_completion(store: Store, now: int) -> int | None:
    found = store.peek_token(HEARTBEAT_KEY, int(now))
    return int(found["at"]) if found else None


def check(store: Store, now: int) -> Health:
    last = last_completion(store, now)
    if last is None:
        return Health(False, None, 0.0)
    silent = office_seconds_between(local_time(min(last, now)), local_time(now))
    return Health(silent <= STALE_AFTER, last, silent)
