"""The complaints' delay, run by the scheduled tick (chalicelib.jobs.schedule) as of its instant: a complaint whose
association said nothing within its working days goes to the cell, once, with the cell's own « suite donnée »
link. The case is marked before the message leaves, so two overlapping ticks never both send it; a failed send
puts the case back in the due index a quarter of an hour later."""

from __future__ import annotations

import logging

from ..requests.enums import CaseStatus
from ..service import FormService
from ..store import Stale
from . import mail

logger = logging.getLogger(__name__)

RETRY_AFTER = 900


def escalate_due(svc: FormService, now: int) -> int:
    """Send the cell every complaint past its delay; the number sent."""
    sent = 0
    for case in svc.store.cases_due(now):
        try:
            if case.status == CaseStatus.CLOSED:   # answered meanwhile: out of the index
                svc.store.update_case(case.changed(now, "system", "unscheduled", due_at=None))
                continue
            marked = case.changed(now, "system", "escalated", status=CaseStatus.ESCALATED, due_at=None)
            svc.store.update_case(marked)
        except Stale:   # an outcome, or another tick, got there first
            continue
        try:
            svc.mailer.send(mail.escalation(svc, marked))
            sent += 1
        except Exception:
            logger.exception("complaint %s: the cell's message failed, tried again later", case.ref)
            try:
                svc.store.update_case(marked.changed(now, "system", "retry", due_at=now + RETRY_AFTER))
            except Stale:
                pass
    return sent
