"""What ``python -m chalicelib.admin results`` prints: where the figures went and what they say, per AI, with
the counts behind each share and mean (the site shows a share only over ``results_min_answers`` answers)."""

from __future__ import annotations

from rules.charter_results import CharterResults, Promise, Results
from rules.dates import french_date
from rules.typography import french_number

from ..reports.formats import percent
from ..routing import Routing


def _promise(promise: Promise | None) -> str:
    if promise is None:
        return "—"
    return f"{percent(promise.share)} ({promise.kept} sur {promise.counted})"


def _figures(results: Results) -> str:
    """« sous 48 heures 90 % (9 sur 10) », then the 72 hours and satisfaction when there are any."""
    words = f"sous 48 heures {_promise(results.callback_48h)}"
    if results.intervenant_72h is not None:
        words += f" ; intervenant sous 72 heures {_promise(results.intervenant_72h)}"
    if results.satisfaction is not None:
        happy = results.satisfaction
        words += (f" ; satisfaction : accueil {french_number(happy.welcome, 1)}/5, suivi de la relation "
                  f"{french_number(happy.follow_up, 1)}/5 ({happy.answers} réponses)")
    return words


def results_text(results: CharterResults, where: str, routing: Routing) -> str:
    lines = [f"Résultats de la charte publiés : {where}",
             f"Sur 12 mois, du {french_date(results.start)} au {french_date(results.end)} "
             f"(calculés le {french_date(results.computed_at.date())}).",
             f"Toute la région : {_figures(results.region)}"]
    for ai_id, figures in results.associations.items():
        contact = routing.recipient(ai_id)
        lines.append(f"{contact.name if contact else ai_id} : {_figures(figures)}")
    return "\n".join(lines) + "\n"
