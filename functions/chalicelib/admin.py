"""Command line for the AAI staff and operators, with the same settings as the functions.

    cd functions && python -m chalicelib.admin erase jeanne.martin@example.org   # right to erasure
    cd functions && python -m chalicelib.admin purge                             # past retention
    cd functions && python -m chalicelib.admin retry                             # pending e-mails now
    cd functions && python -m chalicelib.admin report 2026-11 [--csv] [--send]   # monthly follow-up
    cd functions && python -m chalicelib.admin migrate                           # after an upgrade
"""

from __future__ import annotations

import argparse
import logging
import re

from .config import Settings
from .report import report_csv, report_text
from .service import FormService


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chalicelib.admin", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["erase", "purge", "retry", "report", "migrate"])
    parser.add_argument("who", nargs="?", help="e-mail address or phone number (erase), month YYYY-MM (report)")
    parser.add_argument("--csv", action="store_true", help="report: print the table as CSV")
    parser.add_argument("--send", action="store_true", help="report: e-mail it to the network")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    service = FormService.from_settings(Settings.from_env())
    if args.command == "erase":
        if not args.who:
            parser.error("erase needs an e-mail address or a phone number")
        try:
            print(f"{service.erase(args.who)} demande(s) supprimée(s).")
        except ValueError:
            parser.error("ce n'est ni une adresse e-mail ni un numéro de téléphone français valide")
    elif args.command == "purge":
        print(f"{service.purge()} demande(s) expirée(s) supprimée(s).")
    elif args.command == "report":
        if args.who and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", args.who):
            parser.error("le mois s'écrit AAAA-MM, par exemple 2026-11")
        report = service.send_monthly_report(args.who) if args.send else service.monthly_report(args.who)
        print(report_csv(report, service.routing) if args.csv else report_text(report, service.routing), end="")
    elif args.command == "migrate":
        print(f"{service.store.migrate()} demande(s) mise(s) au format actuel.")
    else:
        print(service.retry_pending())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
