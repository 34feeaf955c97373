"""Every read of personal data and every action in the back office, written down with who and when.

Actions on a request go through the lifecycle (``FormService.act`` and friends), which stores each with its actor
in the request's trail. Reads — a request's page, a list, the cell's queue, a CSV export — are kept beside the
trail (``store.log_reads``) without touching the record, so reading never races a change; they go with the
request when it is purged or erased. What concerns no single request (signing in and out, a refused link, an
export, a liaison sheet) goes to the back office's journal, kept as long as the requests.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import TYPE_CHECKING

from ..requests.model import Request
from ..store.base import JournalEntry

if TYPE_CHECKING:   # the one service, for its type only (it imports this module)
    from ..service import FormService

logger = logging.getLogger(__name__)

DAY = 86400


def read(svc: FormService, who, records: list[Request], what: str) -> None:
    """``who`` (auth.Who) has seen these requests' personal data (``what``: rules.vocabulary.READS)."""
    by_actor: dict[str, dict[str, int]] = defaultdict(dict)
    for record in records:
        by_actor[who.actor(record)][record["ref"]] = int(record["expires_at"])
    for actor, refs in by_actor.items():
        svc.store.log_reads(refs, svc.now(), actor, what)


def journal(svc: FormService, actor: str, action: str, **details) -> None:
    """One line of the journal (``action``: rules.vocabulary.JOURNAL)."""
    svc.store.journal_add(JournalEntry(svc.now(), actor, action, details),
                          svc.now() + svc.routing.retention_days * DAY)
    logger.info("back office: %s by %s", action, actor)
