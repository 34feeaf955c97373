"""The charter's results as published: the one JSON file the functions write and the site build reads.

The functions compute the figures from the stored requests (functions/chalicelib/charter_results) and write this
file (an S3 object in production, under ``var/`` locally); a scheduled rebuild of the static site reads it
(plugins/charter_results), so no page view ever reaches a function. Both sides read and write it through this
module alone: the format is written once.

    {
      "format": 1,
      "computed_at": "2026-12-01T07:00:00+01:00",
      "period": {"start": "2025-12-01", "end": "2026-11-30"},
      "region": RESULTS,
      "associations": {"<ai id>": RESULTS, ...}
    }

    RESULTS = {
      "callback_48h": {"counted": 120, "kept": 110},                       # always
      "intervenant_72h": {"counted": 40, "kept": 35},                      # optional (issue 24, item 1)
      "satisfaction": {"answers": 30, "welcome": 4.6, "follow_up": 4.2}    # optional (issue 24, item 2)
    }

``counted``: the requests (or new clients) whose deadline has passed within the period; ``kept``: those the
promise was kept for. ``welcome`` and ``follow_up`` are the mean answers (1 to 5) to the charter's two themes,
« la qualité de l'accueil » and « le suivi de la relation client ». Counts and shares only: no reference, no
name, no date of any request. Whether a figure has enough answers to be shown is the site's decision
(``results_min_answers`` in data/settings.yaml), the file carries every count.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from collections.abc import Set
from typing import Any

FORMAT = 1
SCALE = (1.0, 5.0)   # the satisfaction questions' five-point scale
FIX = ("rétablissez le fichier écrit par les fonctions (« python -m chalicelib.admin results », ou la tâche "
       "planifiée) ou supprimez-le : le site se construit alors sans les résultats de la charte")


class ResultsFormatError(ValueError):
    """The file is not in this format: the message says, in French, what is wrong."""


@dataclass(frozen=True)
class Promise:
    """A delay the charter promises: how many were due, how many were kept."""

    counted: int
    kept: int

    @property
    def share(self) -> float | None:
        return self.kept / self.counted if self.counted else None


@dataclass(frozen=True)
class Satisfaction:
    """The households' answers after the first mission: how many (the ratings behind the less-answered theme, so
    that the site's threshold holds for both means), and the mean of each theme (1 to 5)."""

    answers: int
    welcome: float
    follow_up: float


@dataclass(frozen=True)
class Results:
    """One AI's (or the region's) figures over the period; the last two only where there is something to count
    (a new client whose 72 hours ran out, a rating on each theme)."""

    callback_48h: Promise
    intervenant_72h: Promise | None = None
    satisfaction: Satisfaction | None = None


@dataclass(frozen=True)
class CharterResults:
    computed_at: datetime.datetime
    start: datetime.date
    end: datetime.date
    region: Results
    associations: dict[str, Results] = field(default_factory=dict)

    def of(self, ai_id: str) -> Results | None:
        return self.associations.get(ai_id)


# --- writing ---------------------------------------------------------------------------------------------------

def _results_dict(results: Results) -> dict[str, Any]:
    data: dict[str, Any] = {"callback_48h": {"counted": results.callback_48h.counted,
                                             "kept": results.callback_48h.kept}}
    if results.intervenant_72h is not None:
        data["intervenant_72h"] = {"counted": results.intervenant_72h.counted, "kept": results.intervenant_72h.kept}
    if results.satisfaction is not None:
        data["satisfaction"] = {"answers": results.satisfaction.answers,
                                "welcome": round(results.satisfaction.welcome, 2),
                                "follow_up": round(results.satisfaction.follow_up, 2)}
    return data


def to_json(results: CharterResults) -> str:
    """The file's text: sorted keys, so the same figures always give the same bytes (and the same site)."""
    data = {"format": FORMAT, "computed_at": results.computed_at.isoformat(timespec="seconds"),
            "period": {"start": results.start.isoformat(), "end": results.end.isoformat()},
            "region": _results_dict(results.region),
            "associations": {ai_id: _results_dict(r) for ai_id, r in sorted(results.associations.items())}}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


# --- reading ---------------------------------------------------------------------------------------------------

def _block(value: Any, where: str, required: Set[str], optional: Set[str] | None = None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ResultsFormatError(f"« {where} » doit être un bloc de champs")
    if optional is None:
        optional = frozenset()
    unknown = sorted(set(value) - required - optional)
    if unknown:
        raise ResultsFormatError(f"« {where} » contient un champ inconnu « {unknown[0]} »")
    missing = sorted(required - set(value))
    if missing:
        raise ResultsFormatError(f"« {where} » n'a pas de champ « {missing[0]} »")
    return value


def _count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ResultsFormatError(f"« {where} » doit être un nombre entier positif ou nul, pas {value!r}")
    return value


def _promise(value: Any, where: str) -> Promise:
    data = _block(value, where, {"counted", "kept"})
    promise = Promise(_count(data["counted"], f"{where}.counted"), _count(data["kept"], f"{where}.kept"))
    if promise.kept > promise.counted:
        raise ResultsFormatError(f"« {where} » compte plus de promesses tenues ({promise.kept}) que de demandes "
                                 f"comptées ({promise.counted})")
    return promise


def _mean(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not SCALE[0] <= value <= SCALE[1]:
        raise ResultsFormatError(f"« {where} » doit être une note moyenne entre 1 et 5, pas {value!r}")
    return float(value)


def _results(value: Any, where: str) -> Results:
    data = _block(value, where, {"callback_48h"}, {"intervenant_72h", "satisfaction"})
    satisfaction = None
    if "satisfaction" in data:
        block = _block(data["satisfaction"], f"{where}.satisfaction", {"answers", "welcome", "follow_up"})
        satisfaction = Satisfaction(_count(block["answers"], f"{where}.satisfaction.answers"),
                                    _mean(block["welcome"], f"{where}.satisfaction.welcome"),
                                    _mean(block["follow_up"], f"{where}.satisfaction.follow_up"))
    return Results(_promise(data["callback_48h"], f"{where}.callback_48h"),
                   _promise(data["intervenant_72h"], f"{where}.intervenant_72h")
                   if "intervenant_72h" in data else None,
                   satisfaction)


def _date(value: Any, where: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ResultsFormatError(f"« {where} » doit être une date AAAA-MM-JJ, pas {value!r}") from None


def parse(text: str) -> CharterResults:
    """The file's figures, or ``ResultsFormatError`` saying what is wrong (JSON errors with their line)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ResultsFormatError(f"ligne {error.lineno} : ce n'est pas du JSON valide ({error.msg})") from None
    top = _block(data, "le fichier", {"format", "computed_at", "period", "region", "associations"})
    if top["format"] != FORMAT:
        raise ResultsFormatError(f"le format {top['format']!r} n'est pas connu de ce site (attendu : {FORMAT})")
    try:
        computed_at = datetime.datetime.fromisoformat(top["computed_at"])
    except (TypeError, ValueError):
        computed_at = None
    if computed_at is None or computed_at.tzinfo is None:
        raise ResultsFormatError(f"« computed_at » doit être un instant ISO 8601 avec son décalage horaire, "
                                 f"pas {top['computed_at']!r}")
    period = _block(top["period"], "period", {"start", "end"})
    start, end = _date(period["start"], "period.start"), _date(period["end"], "period.end")
    if end < start:
        raise ResultsFormatError("« period » se termine avant de commencer")
    associations = top["associations"]
    if not isinstance(associations, dict):
        raise ResultsFormatError("« associations » doit être un bloc : identifiant de l'association → ses résultats")
    return CharterResults(computed_at, start, end, _results(top["region"], "region"),
                          {str(ai_id): _results(value, f"associations.{ai_id}")
                           for ai_id, value in associations.items()})
