"""``python -m kit --output output/kit``: every association's print kit, a zip each, and the charter.

Run after the site build (``make kit``, and by ``make run`` after each rebuild): the site links to
``/kit/<ai-id>/…``. Only the kits whose inputs changed are rendered again; ``--force`` redoes all.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from model.errors import DataError

from .build import build_kit

logger = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kit",
                                     description="Génère le kit de communication de chaque association.")
    parser.add_argument("--output", type=Path, default=Path("output/kit"),
                        help="dossier de sortie (par défaut output/kit)")
    parser.add_argument("--only", action="append", metavar="AI_ID",
                        help="ne générer que cette association (option répétable)")
    parser.add_argument("--root", type=Path, default=Path("."), help="racine du dépôt (data/, theme/)")
    parser.add_argument("--jobs", type=int, default=2, help="processus en parallèle (par défaut 2)")
    parser.add_argument("--force", action="store_true",
                        help="tout régénérer, même les kits dont les données n'ont pas changé")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for noisy in ("weasyprint", "fontTools"):
        logging.getLogger(noisy).setLevel(logging.ERROR)

    started = time.perf_counter()
    try:
        report = build_kit(args.root.resolve(), args.output, only=args.only, jobs=args.jobs,
                           force=args.force)
    except DataError as error:
        print(error.report(), file=sys.stderr)
        return 1
    except KeyError as error:
        print(f"Association inconnue : {error.args[0]} (voir data/associations.yaml).", file=sys.stderr)
        return 1
    sizes = [size for ai_id in report.rendered for size in report[ai_id].values()]
    print(f"Kit : {_count(len(report.rendered), 'régénéré')} ({len(sizes)} fichiers, "
          f"{sum(sizes) / 1e6:.1f} Mo), {_count(len(report.unchanged), 'inchangé')}, en "
          f"{time.perf_counter() - started:.1f} s → {args.output}/")
    return 0


def _count(number: int, participle: str) -> str:
    plural = "s" if number > 1 else ""
    return f"{number} kit{plural} {participle}{plural}"


if __name__ == "__main__":
    sys.exit(main())
