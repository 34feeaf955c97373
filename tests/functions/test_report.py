"""The monthly follow-up: counts per AI and for the region, response times against the charter, origins."""

from __future__ import annotations

import datetime
import email
import subprocess
import sys
from email import policy

from support_functions import FUNCTIONS, demande_fields, rappel_fields

from chalicelib.report import CHARTER_HOURS
from rules.dates import PARIS

HOUR = 3600


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=PARIS).timestamp()


def submit(local, when, kind="demande", **changes):
    local.service.clock = lambda: when
    fields = (demande_fields if kind == "demande" else rappel_fields)(**changes)
    fields = {k: v if isinstance(v, list) else [v] for k, v in fields.items()}
    if kind == "demande":
        fields["date_debut"] = [(datetime.date.fromtimestamp(when) + datetime.timedelta(days=10)).isoformat()]
    return local.service.submit(kind, fields, f"192.0.2.{int(when) % 250}").reference


def handle(local, ref, when):
    local.service.clock = lambda: when
    local.store.update(ref, handled_at=int(when))


def test_counts_delays_and_origins_per_ai_and_region(local):
    quick = submit(local, at(2026, 10, 5), origine="mairie")
    slow = submit(local, at(2026, 10, 6), nom="Luc Bernard", origine="site-commun")
    submit(local, at(2026, 10, 7), kind="rappel", origine="mairie")
    submit(local, at(2026, 9, 30), nom="Ancien Mois")          # September: not counted
    submit(local, at(2026, 11, 2), nom="Mois Suivant")         # November: not counted
    handle(local, quick, at(2026, 10, 5) + 5 * HOUR)
    handle(local, slow, at(2026, 10, 6) + 72 * HOUR)

    report = local.service.monthly_report("2026-10")
    lines = {line.id: line for line in report.lines}
    libournais = lines["ai-libournais"]
    assert (libournais.orders, libournais.callbacks, libournais.handled) == (2, 0, 2)
    assert libournais.within_charter == 1 and 72 > CHARTER_HOURS
    assert libournais.median_hours == (5 + 72) / 2
    assert lines["ai-grand-perigueux"].callbacks == 1
    assert report.region.received == 3
    assert report.region.origins == {"mairie": 2, "site-commun": 1}
    assert all(line.received == 0 for line in report.lines if line.id not in ("ai-libournais", "ai-grand-perigueux"))


def test_report_is_mailed_to_the_network_with_a_csv_table(local):
    ref = submit(local, at(2026, 10, 5), origine="bouche-a-oreille")
    handle(local, ref, at(2026, 10, 5) + 2 * HOUR)
    local.service.clock = lambda: at(2026, 11, 1, 7)
    local.service.send_monthly_report()  # the month that just ended
    reports = [m for m in local.messages() if m["Subject"].startswith("Suivi des demandes")]
    assert len(reports) == 1
    message = reports[0]
    assert message["Subject"] == "Suivi des demandes — octobre 2026"
    assert message["To"] == "cellule@aai-aquitaine.example.org"
    body = message.get_body(("plain",)).get_content()
    assert "1 demande(s) (1 d'intervention, 0 de rappel), 1 traitée(s), 100 % sous 48 heures" in body
    assert "Jeanne Martin" not in body and "05 36 49 12 34" not in body  # counts only, no personal data
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "suivi-demandes-2026-10.csv"
    table = attachment.get_content()
    rows = [row.split(";") for row in table.lstrip("\ufeff").strip().splitlines()]
    header, region = rows[0], rows[-1]
    assert header[:4] == ["mois", "association", "identifiant", "demandes"]
    assert region[2] == "region" and region[3] == "1" and region[7] == "1"


def test_admin_command_prints_the_report(local, tmp_path):
    submit(local, at(2026, 10, 5))
    env = {"AAI_STORE": "sqlite", "AAI_SQLITE_PATH": local.settings.sqlite_path, "AAI_MAILER": "outbox",
           "AAI_OUTBOX_DIR": str(tmp_path / "out"), "AAI_ROUTING": local.settings.routing,
           "AAI_SECRET": "test-secret", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "chalicelib.admin", "report", "2026-10"], cwd=FUNCTIONS,
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Suivi des demandes — octobre 2026")
    bad = subprocess.run([sys.executable, "-m", "chalicelib.admin", "report", "octobre"], cwd=FUNCTIONS,
                         env=env, capture_output=True, text=True)
    assert bad.returncode != 0 and "AAAA-MM" in bad.stderr
