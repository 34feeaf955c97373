"""« Signaler une erreur » tracked (issue 27): each report becomes a case, open until the association or AAI's
editors say « corrigé » or « pas une erreur ». No delay of its own: a wrong phone number is fixed by the editors
in git, the case only keeps who said what and when, for the monthly count."""

from __future__ import annotations

from rules.email_address import email_key

from ..requests.enums import CaseKind, CaseStatus
from ..service import FormService
from .cases import outcome_url
from .model import Case, Entry

__all__ = ["open_error_report", "outcome_url"]


def open_error_report(svc: FormService, ref: str, page: str, text: str, contact: str, recipients: tuple[str, ...],
                      expires_at: int) -> Case:
    """Store the report's case: its page, the text, the visitor's unverified contact, its recipients' ids."""
    now = svc.now()
    network = svc.routing.network.id
    concerned = next((r for r in recipients if r != network), network)
    case = Case(ref=ref, kind=CaseKind.ERROR_REPORT, association=concerned, created_at=now, expires_at=expires_at,
                details={"page": page, "texte": text, "email": contact}, recipients=recipients,
                status=CaseStatus.OPEN, history=(Entry(now, "visitor", "opened"),),
                who=(email_key(contact),) if contact else ())
    svc.store.put_case(case)
    return case
