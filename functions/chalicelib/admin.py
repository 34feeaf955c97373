"""Command line for the AAI staff and operators, with the same settings as the functions.

    cd functions && python -m chalicelib.admin tick [--now 2026-11-24T17:05]   # every time-driven job, as of then
    cd functions && python -m chalicelib.admin health [--now 2026-11-24T17:05] # did the job complete lately?
    cd functions && python -m chalicelib.admin report 2026-11 [--csv] [--association ai-x] [--send]
    cd functions && python -m chalicelib.admin results [--now 2026-12-01T07:00]  # the charter's results, for the site
    cd functions && python -m chalicelib.admin trail AI-20261123-7K3F9Q         # a request's audit trail and reads
    cd functions && python -m chalicelib.admin journal 2026-11-23               # the back office's journal of a day
    cd functions && python -m chalicelib.admin erase jeanne.martin@example.org   # right to erasure
    cd functions && python -m chalicelib.admin migrate                           # after an upgrade
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import os
import re

from rules import vocabulary
from rules.dates import PARIS, french_datetime, local_time, previous_month

from .jobs import health, schedule as jobs
from .charter_results.publishing import publish_results
from .charter_results.summary import results_text
from .config import VAR_DIR, Settings
from .reports.followup import follow_up
from .reports.formats import followup_text, report_csv, report_message
from .requests.enums import EventKind
from .service import FormService


def parse_instant(text: str) -> float:
    """ISO 8601; without an offset, the region's wall-clock time (``2026-11-24T17:05``)."""
    moment = datetime.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    return moment.timestamp()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chalicelib.admin", description=__doc__.splitlines()[0])
    parser.add_argument("command",
                        choices=["tick", "health", "report", "results", "trail", "journal", "erase", "migrate"])
    parser.add_argument("what", nargs="?",
                        help="month YYYY-MM (report), reference (trail), day YYYY-MM-DD (journal), e-mail address "
                             "or phone number (erase)")
    parser.add_argument("--now", help="tick, health, results: the instant to run as of (ISO 8601, Paris time "
                                      "without an offset)")
    parser.add_argument("--csv", action="store_true", help="report: print the table as CSV")
    parser.add_argument("--association", help="report: one AI's figures only (its id)")
    parser.add_argument("--send", action="store_true", help="report: e-mail it (to AAI, or to the AI)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    service = FormService.from_settings(Settings.from_env())
    if args.command == "tick":
        try:
            now = parse_instant(args.now) if args.now else None
        except ValueError:
            parser.error("--now s'écrit en ISO 8601, par exemple 2026-11-24T17:05")
        print(json.dumps(jobs.tick(service, now), ensure_ascii=False, sort_keys=True))
    elif args.command == "health":
        try:
            now = parse_instant(args.now) if args.now else service.now()
        except ValueError:
            parser.error("--now s'écrit en ISO 8601, par exemple 2026-11-24T17:05")
        verdict = health.check(service.store, int(now))
        print(verdict.text())
        return 0 if verdict.ok else 1
    elif args.command == "results":
        try:
            now = parse_instant(args.now) if args.now else service.now()
        except ValueError:
            parser.error("--now s'écrit en ISO 8601, par exemple 2026-11-24T17:05")
        local = f"{(os.environ.get('AAI_VAR_DIR') or VAR_DIR).rstrip('/')}/charter-results.json"
        print(results_text(*publish_results(service, int(now), local), service.routing), end="")
    elif args.command == "report":
        if args.what and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", args.what):
            parser.error("le mois s'écrit AAAA-MM, par exemple 2026-11")
        if args.association and service.routing.recipient(args.association) is None:
            parser.error(f"l'association « {args.association} » ne figure pas dans la table de routage")
        month = args.what or previous_month(local_time(service.now()).date())
        followup = follow_up(service, month)
        if args.send:
            service.mailer.send(report_message(followup, service.routing, args.association))
        if args.csv:
            print(report_csv(followup.report, service.routing, args.association), end="")
        else:
            print(followup_text(followup, service.routing, args.association), end="")
    elif args.command == "trail":
        record = service.store.get(args.what or "")
        if record is None:
            parser.error("aucune demande sous cette référence (supprimée, ou mal recopiée ?)")
        print(f"{record.ref} — {record.state.label}")
        for event in service.trail(record["ref"]):
            details = ", ".join(f"{k}={v}" for k, v in sorted(event.details.items()))
            print(f"{french_datetime(event.at)} · {event.actor} · {EventKind.label_of(event.kind, event.kind)}"
                  + (f" ({details})" if details else ""))
        for read in service.store.read_log(record["ref"]):
            print(f"{french_datetime(read.at)} · {read.actor} · {vocabulary.READS.get(read.what, read.what)}")
    elif args.command == "journal":
        try:
            day = datetime.date.fromisoformat(args.what or "")
        except ValueError:
            parser.error("le jour s'écrit AAAA-MM-JJ, par exemple 2026-11-23")
        start = datetime.datetime.combine(day, datetime.time(0), PARIS)
        end = start + datetime.timedelta(days=1)
        for entry in service.store.journal(int(start.timestamp()), int(end.timestamp())):
            details = ", ".join(f"{k}={v}" for k, v in sorted(entry.details.items()))
            print(f"{french_datetime(entry.at)} · {entry.actor} · {vocabulary.JOURNAL.get(entry.action, entry.action)}"
                  + (f" ({details})" if details else ""))
    elif args.command == "erase":
        if not args.what:
            parser.error("erase needs an e-mail address or a phone number")
        try:
            print(f"{service.erase(args.what)} demande(s) supprimée(s).")
        except ValueError:
            parser.error("ce n'est ni une adresse e-mail ni un numéro de téléphone français valide")
    else:
        print(f"{service.store.migrate()} demande(s) mise(s) au format actuel.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
