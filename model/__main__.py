"""``python -m model check`` validates data and content; ``routing PATH`` writes the routing table;
``schemas`` rewrites the JSON Schemas of data/schemas/ from the model.

``check`` prints a short summary (counts per département); ``--details`` lists the uncovered
communes. Under GitHub Actions (or with ``--annotations``) every problem is also written as a
workflow annotation, and a French job summary goes to ``$GITHUB_STEP_SUMMARY`` (or ``--summary``),
with what the change does for visitors against ``--base`` (e.g. ``origin/main``).
"""

from __future__ import annotations

import argparse
import datetime
import logging
import sys
from pathlib import Path

from rules.dates import PARIS
from rules.grammar import plural

from . import github
from .changes import BaseUnavailable, compare, load_base
from .content import check_content, read_items
from .errors import DataError, Problem
from .routing import write_routing_table
from .schema import SCHEMA_DIR, write_schemas
from .site import load_site
from .summary import job_summary, uncovered_lines, valid_line

logger = logging.getLogger(__name__)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m model")
    parser.add_argument("command", choices=["check", "routing", "schemas"])
    parser.add_argument("path", nargs="?", default="functions/chalicelib/routing.json")
    parser.add_argument("--root", default=".")
    parser.add_argument("--quiet", action="store_true", help="problems only, no summary of uncovered communes")
    parser.add_argument("--details", action="store_true", help="list every commune no association serves")
    parser.add_argument("--annotations", action=argparse.BooleanOptionalAction, default=None,
                        help="GitHub workflow annotations (default: when GITHUB_ACTIONS=true)")
    parser.add_argument("--summary", metavar="PATH",
                        help="append a French job summary (default: $GITHUB_STEP_SUMMARY when set)")
    parser.add_argument("--base", metavar="GIT_REF",
                        help="compare with this git ref (e.g. origin/main) in the job summary")
    parser.add_argument("--now", type=datetime.datetime.fromisoformat,
                        help="the instant news are judged published or scheduled (Paris time)")
    parser.add_argument("--today", type=datetime.date.fromisoformat,
                        help="the day dates are judged against: none in the future, details confirmed within six "
                             "months (default: today in Paris)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    root = Path(args.root).resolve()
    annotate = github.in_github_actions() if args.annotations is None else args.annotations
    summary = github.summary_path(args.summary) if args.command == "check" else None
    if args.command == "schemas":
        written = write_schemas(root)
        print(f"{len(written)} schéma(s) réécrit(s) dans {SCHEMA_DIR}/" if written else "Schémas à jour.")
        return 0
    try:
        site = load_site(root, args.today)
    except DataError as error:
        print(error.report(), file=sys.stderr)
        if annotate:
            print("\n".join(github.annotation(p) for p in error.problems))
        if summary:
            github.append_summary(summary, job_summary(None, error.problems, None, None, None))
        return 1

    if args.command == "routing":
        changed = write_routing_table(site, Path(args.path))
        print(f"routing table {'written' if changed else 'unchanged'}: {args.path}")
        return 0

    problems: list[Problem] = [*site.warnings, *check_content(root, site), *site.freshness]
    errors = [p for p in problems if not p.warning]
    for problem in problems:
        print(problem, file=sys.stderr)
    if annotate:
        print("\n".join(github.annotation(p) for p in problems))
    if summary:
        changes, base_error = None, None
        if args.base and not errors:
            now = args.now or datetime.datetime.now(PARIS).replace(tzinfo=None)
            try:
                base_site, base_items = load_base(root, args.base)
                changes = compare(base_site, site, base_items, read_items(root), now)
            except BaseUnavailable as exc:
                base_error = str(exc)
        github.append_summary(summary, job_summary(site, problems, changes, args.base, base_error))
    if errors:
        print(f"{plural(errors, 'erreur', 'erreurs')} dans les contenus — corrigez-les puis relancez "
              "« make check ».",
              file=sys.stderr)
        return 1
    if not args.quiet:
        for line in uncovered_lines(site, args.details):
            print(line)
    print(valid_line(site))
    return 0


if __name__ == "__main__":
    sys.exit(main())
