"""What ``python -m chalicelib.admin results`` prints: where the figures went and what they say, per AI, with
the counts behind each share (the site shows a share only over ``results_min_answers`` answers)."""

from __future__ import annotations

from rules.charter_results import CharterResults, Promise
from rules.dates import french_date

from ..reports.formats import percent
from ..routing import Routing


def _promise(promise: Promise | None) -> str:
    if promise is None:
        return "—"
    return f"{percent(promise.share)} ({promise.kept} sur {promise.counted})"


def results_text(results: CharterResults, where: str, routing: Routing) -> str:
    lines = [f"Résultats de la charte publiés : {where}",
             f"Sur 12 mois, du {french_date(results.start)} au {french_date(results.end)} "
             f"(calculés le {french_date(results.computed_at.date())}).",
             f"Toute la région : sous 48 heures {_promise(results.region.callback_48h)}"]
    for ai_id, figures in results.associations.items():
        contact = routing.recipient(ai_id)
        lines.append(f"{contact.name if contact else ai_id} : sous 48 heures {_promise(figures.callback_48h)}")
    return "\n".join(lines) + "\n"
