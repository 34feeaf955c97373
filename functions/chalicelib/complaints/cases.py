"""What complaints and error reports share: their references, the signed « suite donnée » link, who may answer
a case, and recording its outcome (by a signed link or in the back office, the same rule)."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from rules.dates import local_time

from ..web import links
from ..requests.enums import CaseKind, CaseStatus, ComplaintOutcome, ErrorReportOutcome, Labelled
from ..service import REF_ALPHABET, FormService
from ..store import Stale
from .model import Case

PREFIXES = {CaseKind.COMPLAINT: "REC", CaseKind.ERROR_REPORT: "ERR"}
OUTCOMES: dict[CaseKind, type[Labelled]] = {CaseKind.COMPLAINT: ComplaintOutcome,
                                            CaseKind.ERROR_REPORT: ErrorReportOutcome}
OUTCOME_LINK_DAYS = 90     # the « suite donnée » link: long enough for a slow answer, not for ever
MAX_NOTE = 1000
DAY = 86400


class Closed(Exception):
    """The case already has its outcome: a second one is refused, not silently written over."""


def new_ref(kind: CaseKind, now: int) -> str:
    """``REC-20261102-7K3QXM``: readable on the phone like the requests' references (no I, L, O, U)."""
    return f"{PREFIXES[kind]}-{local_time(now):%Y%m%d}-{''.join(secrets.choice(REF_ALPHABET) for _ in range(6))}"


def outcome_url(svc: FormService, case: Case, holder: str) -> str:
    """The signed « suite donnée » page of one case for one of its recipients (an AI's id, or the network's for
    AAI): from the settings' endpoint, never a request's Host."""
    expires = case.created_at + OUTCOME_LINK_DAYS * DAY
    sig = links.sign(svc.settings.secret, "case:outcome", case.ref, expires, holder)
    return f"{svc.settings.forms_endpoint}/suite-donnee/{case.ref}?{urlencode({'sig': sig})}"


def may_answer(case: Case, associations: tuple[str, ...], network_id: str, is_cell: bool) -> bool:
    """An association answers the cases sent to it (a report about its own page, a complaint about it); the cell
    and AAI's editors (the network's address) answer every case."""
    return is_cell or network_id in associations or bool(set(case.recipients) & set(associations))


def outcome_of(case: Case, value: str) -> Labelled | None:
    """The outcome named by a form's value, if it is one of this kind's."""
    try:
        return OUTCOMES[case.kind].of(value)
    except ValueError:
        return None


def record_outcome(svc: FormService, case: Case, outcome: Labelled, note: str, actor: str) -> Case:
    """Close the case with its outcome, on the freshest copy (someone else may have escalated it meanwhile);
    Closed when it already has one."""
    for _ in range(2):
        if case.status == CaseStatus.CLOSED:
            raise Closed(case.ref)
        closed = case.changed(svc.now(), actor, "closed", note, status=CaseStatus.CLOSED, outcome=outcome.value,
                              due_at=None)
        try:
            svc.store.update_case(closed)
            return closed
        except Stale:
            fresh = svc.store.get_case(case.ref)
            if fresh is None:
                raise Closed(case.ref) from None
            case = fresh
    raise Closed(case.ref)
