"""The month's complaints and error reports in figures, for the monthly follow-up (to AAI: the region; to each
AI: its own): received, answered and how, escalated to the cell for want of an answer, still waiting.

Counted from the cases themselves (``Store.cases_month``), as of the report's instant; a case counts for the
association it is about (the first AI of a commune page's report), and for the region."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..requests.enums import CaseKind, CaseStatus, ComplaintOutcome, ErrorReportOutcome
from ..store import Store
from .model import Case


@dataclass
class CaseFigures:
    month: str
    region: Counter[str] = field(default_factory=Counter)
    by_association: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, case: Case) -> None:
        keys = [case.kind.value]
        if case.status == CaseStatus.CLOSED:
            keys += [f"{case.kind.value}:answered", f"{case.kind.value}:{case.outcome}"]
        else:
            keys.append(f"{case.kind.value}:waiting")
        if any(entry.what == "escalated" for entry in case.history):
            keys.append(f"{case.kind.value}:escalated")
        for counter in (self.region, self.by_association.setdefault(case.association, Counter())):
            counter.update(keys)

    def counts(self, only: str | None = None) -> Counter[str]:
        return self.region if only is None else self.by_association.get(only, Counter())

    def lines(self, only: str | None = None) -> list[str]:
        """The figures in French sentences, for the report's twins."""
        c = self.counts(only)
        complaint, report = CaseKind.COMPLAINT.value, CaseKind.ERROR_REPORT.value
        outcomes = ", ".join(f"{member.label.lower()} : {c[f'{complaint}:{member.value}']}"
                             for member in ComplaintOutcome)
        return [f"Réclamations reçues : {c[complaint]} (suite donnée : {c[f'{complaint}:answered']} — {outcomes} ; "
                f"en attente : {c[f'{complaint}:waiting']} ; transmises à la cellule faute de réponse dans le "
                f"délai : {c[f'{complaint}:escalated']})",
                f"Erreurs signalées sur le site : {c[report]} ("
                + ", ".join(f"{member.label.lower()} : {c[f'{report}:{member.value}']}"
                            for member in ErrorReportOutcome)
                + f", en attente : {c[f'{report}:waiting']})"]


def month_counts(store: Store, month: str) -> CaseFigures:
    figures = CaseFigures(month)
    for kind in CaseKind:
        for case in store.cases_month(kind.value, month):
            figures.add(case)
    return figures
