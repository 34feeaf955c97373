"""End to end, locally: pages fetched from `make run`'s site server and a request sent through the form
functions → `python -m chalicelib.admin report <month>` shows the audience, the path to a client and the
request; the monthly e-mails carry the same, with charts drawn in table cells and the CSV tables."""

from __future__ import annotations

import os
import subprocess
import sys

from support_audience import IPHONE, paris
from support_functions import FUNCTIONS, Local, demande_fields

from chalicelib.jobs import schedule as jobs
from chalicelib.requests import lifecycle
from chalicelib.audience.figures import MonthFigures
from chalicelib.reports.followup import follow_up, months_before


def request_from_the_site(local, when):
    local.service.clock = lambda: when
    fields = {k: v if isinstance(v, list) else [v] for k, v in demande_fields(date_debut="2026-12-15").items()}
    return local.service.submit("demande", fields, "192.0.2.7").reference


def test_pages_seen_and_a_request_sent_show_in_the_monthly_follow_up(local_site, tmp_path):
    fetch, logs, base = local_site
    local = Local(tmp_path, access_log_dir=str(logs))
    for minute, path in enumerate(["/", "/commune/33394-saint-emilion/", "/association/ai-libournais/",
                                   "/association/ai-libournais/demande/"]):
        fetch(paris(23, 10, minute), path, agent=IPHONE, referrer="https://www.qwant.com/" if not minute else "")
    ref = request_from_the_site(local, paris(23, 10, 5))
    fetch(paris(23, 10, 5, 2), "/merci/", agent=IPHONE, referrer=base + "/association/ai-libournais/demande/")
    local.service.clock = lambda: paris(24, 9, 0)
    local.service.act(ref, lifecycle.actor("ai", "ai-libournais"), "handled", outcome="client")

    env = {"AAI_SQLITE_PATH": local.settings.sqlite_path, "AAI_OUTBOX_DIR": local.settings.outbox_dir,
           "AAI_ROUTING": local.settings.routing, "AAI_ACCESS_LOG_DIR": str(logs), "AAI_SECRET": "test-secret",
           "AAI_SITE_ORIGINS": base, "PATH": os.environ["PATH"]}
    result = subprocess.run([sys.executable, "-m", "chalicelib.admin", "report", "2026-11"], cwd=FUNCTIONS, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Demandes reçues : 1 (1 d'intervention, 0 de rappel)" in text
    for line in ("Visites\u00a0: 1", "Pages vues\u00a0: 5", "Moteurs de recherche\u00a0: 1",
                 "Téléphone mobile\u00a0: 1",
                 "Pages de l’annuaire vues\u00a0: 2", "Pages de formulaire vues\u00a0: 1",
                 "Demandes reçues par le site\u00a0: 1", "Demandes traitées\u00a0: 1", "Nouveaux clients\u00a0: 1"):
        assert line in text, line
    # The figures are kept: the raw logs may go, the trend stays.
    assert local.store.load_figures(["2026-11"])["2026-11"]["visits"] == 1


def test_the_monthly_e_mails_carry_the_audience_the_path_to_a_client_and_the_trend(local_site, tmp_path):
    fetch, logs, base = local_site
    local = Local(tmp_path, access_log_dir=str(logs), site_origins=(base,))
    october = MonthFigures("2026-10", visits=40, page_views=90)
    local.store.save_figures("2026-10", october.to_dict(), int(paris(1, 0, 0, year=2028)))
    fetch(paris(23, 10, 0), "/association/ai-libournais/")
    fetch(paris(23, 10, 1), "/association/ai-libournais/demande/")
    request_from_the_site(local, paris(23, 10, 2))
    sent = jobs.tick(local.service, paris(1, 9, 30, month=12))    # Tuesday 1 December, at the office's opening
    assert sent["reports"] == 1 + len(local.service.routing.associations)
    by_recipient = {m["To"].addresses[0].addr_spec: m for m in local.messages(everything=True)
                    if m["Subject"].startswith("Suivi des demandes — novembre 2026")}
    region = by_recipient[local.service.routing.network.email]
    html = region.get_body(("html",)).get_content()
    brand = local.service.routing.brand
    assert "De la page au client" in html and f'bgcolor="{brand["primary"]}"' in html   # the charter's colour
    assert "Fréquentation du site" in html and "Visites par mois" in html                # the trend, with October
    assert "<img" not in html and "<script" not in html and "<svg" not in html
    names = sorted(part.get_filename() for part in region.iter_attachments())
    assert names == ["frequentation-2026-11.csv", "suivi-demandes-2026-11.csv"]
    own = by_recipient["demandes@libournais.example.org"]
    own_text = own.get_body(("plain",)).get_content()
    assert "Vues de votre page\u00a0: 1" in own_text and "Vues de vos formulaires\u00a0: 1" in own_text
    assert [part.get_filename() for part in own.iter_attachments()] == ["suivi-demandes-2026-11-ai-libournais.csv"]
    assert months_before("2026-01", 2) == ["2025-11", "2025-12"]
    kept = follow_up(local.service, "2026-11", measure=False)      # what the back office shows
    assert [m.month for m in kept.history] == ["2026-10"] and kept.audience.funnel.form_views == 1
