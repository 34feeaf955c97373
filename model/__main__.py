"""``python -m model check`` validates data and content; ``routing PATH`` writes the routing table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .content import check_content
from .errors import DataError
from .routing import write_routing_table
from .site import load_site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m model")
    parser.add_argument("command", choices=["check", "routing"])
    parser.add_argument("path", nargs="?", default="functions/chalicelib/routing.json")
    parser.add_argument("--root", default=".")
    parser.add_argument("--quiet", action="store_true", help="do not list uncovered communes")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    try:
        site = load_site(root)
    except DataError as error:
        print(error.report(), file=sys.stderr)
        return 1

    if args.command == "routing":
        changed = write_routing_table(site, Path(args.path))
        print(f"routing table {'written' if changed else 'unchanged'}: {args.path}")
        return 0

    content_problems = check_content(root, site)
    errors = [p for p in content_problems if not p.warning]
    for problem in [*site.warnings, *content_problems]:
        print(problem, file=sys.stderr)
    if errors:
        print(f"{len(errors)} erreur(s) dans les contenus — corrigez-les puis relancez « make check ».",
              file=sys.stderr)
        return 1
    uncovered = {c.insee for c in site.uncovered()}
    if not args.quiet:
        for departement in site.reference.departements.values():
            names = [f"{c.name} ({c.insee})" for c in site.reference.in_departement(departement.code)
                     if c.insee in uncovered]
            if names:
                print(f"attention : {departement.name} ({departement.code}) — {len(names)} communes "
                      f"desservies par aucune association : {', '.join(names)}")
    plural = "s" if len(site.associations) > 1 else ""
    print(f"Données valides : {len(site.associations)} association{plural}, "
          f"{len(site.reference.communes)} communes dont {len(uncovered)} sans association, "
          f"{len(site.services)} services.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
