"""The monthly figures per AI and for the region, computed from the stored requests: the charter counted only
once a deadline has passed, working-day delays, outcomes and conversion, Annexe 3, escalations, the household's
side — and the same numbers in the e-mails and from the admin command."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

from support_functions import FUNCTIONS, demande_fields, rappel_fields
from chalicelib.requests import actions
from chalicelib.jobs import schedule as jobs
from chalicelib.requests import lifecycle
from chalicelib.reports.request_figures import monthly_report
from chalicelib.reports.followup import follow_up
from chalicelib.reports.formats import followup_text, report_csv, report_text
from rules.dates import PARIS

AI = lifecycle.actor("ai", "ai-libournais")


def at(*args) -> int:
    return int(datetime.datetime(*args, tzinfo=PARIS).timestamp())


def submit(local, when: int, kind: str = "demande", **changes) -> dict:
    local.service.clock = lambda: when
    fields = (demande_fields if kind == "demande" else rappel_fields)(**changes)
    fields = {k: v if isinstance(v, list) else [v] for k, v in fields.items()}
    if kind == "demande":
        fields["date_debut"] = [(datetime.date.fromtimestamp(when) + datetime.timedelta(days=10)).isoformat()]
    ref = local.service.submit(kind, fields, f"192.0.2.{when % 250}").reference
    return local.service.store.get(ref)


def handle(local, record: dict, when: int, **outcome) -> dict:
    local.service.clock = lambda: when
    details = {"reason": None, "orientation": None, "first_visit": None, **outcome}
    return actions.handle(local.service, local.service.store.get(record["ref"]), AI, details)


def october(local) -> dict[str, dict]:
    """A month for the AI du Libournais (and one callback for the Grand Périgueux)."""
    quick = submit(local, at(2026, 10, 5, 10), origine="mairie", suivi="oui")            # Monday
    slow = submit(local, at(2026, 10, 9, 17), nom="Luc Bernard", origine="site-commun")  # Friday 17:00
    never = submit(local, at(2026, 10, 14, 10), nom="Anne Roux", origine="mairie")
    late = submit(local, at(2026, 10, 30, 17), nom="Eva Petit", origine=None)             # deadline 3 Nov
    submit(local, at(2026, 10, 7, 10), kind="rappel", origine="mairie")
    submit(local, at(2026, 9, 30, 10), nom="Ancien Mois")                                 # September
    handle(local, quick, at(2026, 10, 5, 15), outcome="client", first_visit="2026-10-12")  # 5 hours
    handle(local, slow, at(2026, 10, 13, 17), outcome="sans-suite", reason="tarif")         # at the deadline
    for moment in (at(2026, 10, 8, 12), at(2026, 10, 15, 10, 5), at(2026, 10, 16, 18)):   # question, reminder, deadline
        jobs.tick(local.service, moment)
    yes = local.service.store.get(quick["ref"])
    actions.answer_followup(local.service, yes, "oui")
    return {"quick": quick, "slow": slow, "never": never, "late": late}


def test_the_figures_of_an_ai_and_of_the_region(local):
    october(local)
    report = monthly_report(local.service, "2026-10", as_of=at(2026, 11, 2, 9, 5))
    line = report.line("ai-libournais")
    assert (line.received, line.orders, line.callbacks, line.delivered, line.handled) == (4, 4, 0, 4, 2)
    # The late one's deadline (Tuesday 3 November) has not passed on the 2nd: not counted against the charter.
    assert (line.deadline_passed, line.handled_in_time) == (3, 2) and round(line.in_time_rate, 2) == 0.67
    assert line.delays == [5 / 24, 2.0] and line.median_delay == (5 / 24 + 2.0) / 2
    assert line.outcomes == {"client": 1, "sans-suite": 1, "sans-resultat": 2}
    assert line.no_follow_up_reasons == {"tarif": 1} and line.conversion_rate == 0.25
    assert line.origins == {"mairie": 2, "site-commun": 1, "non-renseigne": 1}
    assert line.client_origins == {"mairie": 1}
    assert line.reminders == 1 and line.escalations == {"deadline": 1}          # Anne Roux's request
    assert (line.questions_sent, line.answered_yes, line.answered_no) == (1, 1, 0)
    assert report.line("ai-grand-perigueux").callbacks == 1 and report.region.received == 5
    assert report.line("ai-entre-deux-mers").received == 0

    later = monthly_report(local.service, "2026-10", as_of=at(2026, 11, 4, 9))
    assert later.line("ai-libournais").deadline_passed == 4   # now the 30 October one counts, unhandled


def test_each_ai_gets_its_own_figures_and_aai_the_regions_once_on_the_first_working_day(local):
    october(local)
    # 1 November 2026 is a Sunday and a public holiday: the figures leave on Monday 2 November at opening.
    for early in (at(2026, 11, 1, 10), at(2026, 11, 2, 8, 55)):
        assert "reports" not in jobs.tick(local.service, early)
    assert jobs.tick(local.service, at(2026, 11, 2, 9, 5))["reports"] == 4
    assert "reports" not in jobs.tick(local.service, at(2026, 11, 2, 9, 20))      # once
    reports = [m for m in local.messages(everything=True) if str(m["Subject"]).startswith("Suivi des demandes")]
    by_recipient = {m["To"].addresses[0].addr_spec: m for m in reports}
    assert set(by_recipient) == {"cellule@aai-aquitaine.example.org", "demandes@libournais.example.org",
                                 "contact@e2m.example.org", "contact@grand-perigueux.example.org"}
    region = by_recipient["cellule@aai-aquitaine.example.org"]
    assert str(region["Subject"]) == "Suivi des demandes — octobre 2026"
    own = by_recipient["demandes@libournais.example.org"]
    assert str(own["Subject"]) == "Suivi des demandes — octobre 2026 – AI du Libournais"
    text = own.get_body(("plain",)).get_content()
    assert "Demandes reçues : 4 (4 d'intervention, 0 de rappel)" in text
    assert "dans le délai de la charte : 2 sur 3 demandes échues (67 %)" in text
    assert "Taux de transformation en clients : 25 %" in text
    assert "Périgueux" not in text and "Entre-deux-Mers" not in text and "Total régional" not in text
    for message in reports:   # counts only, no personal data
        assert "Jeanne Martin" not in message.as_string() and "Luc Bernard" not in message.as_string()
    (attachment,) = list(own.iter_attachments())
    assert attachment.get_filename() == "suivi-demandes-2026-10-ai-libournais.csv"
    rows = [row.split(";") for row in attachment.get_content().lstrip("\ufeff").strip().splitlines()]
    assert len(rows) == 2 and rows[1][2] == "ai-libournais" and rows[1][3] == "4"
    html = own.get_body(("html",)).get_content()
    assert "<h1" in html and "Taux de transformation en clients : 25 %" in html
    region_rows = [r.split(";") for r in next(region.iter_attachments()).get_content().strip().splitlines()]
    assert region_rows[-1][2] == "region" and region_rows[-1][3] == "5"


def test_the_monthly_figures_never_leave_at_night_nor_on_a_day_off(local):
    """A tick after the first working day's opening but at night, or on a Saturday or Sunday (the first `make
    run` on a Sunday at 00:25), sends nothing; the next tick in office hours sends them, once."""
    october(local)
    for quiet in (at(2026, 11, 2, 19, 30), at(2026, 11, 3, 0, 25), at(2026, 11, 7, 14), at(2026, 11, 8, 0, 25),
                  at(2026, 11, 11, 10)):   # evening, night, Saturday, Sunday night, Armistice Day (a holiday)
        assert "reports" not in jobs.tick(local.service, quiet), quiet
    assert jobs.tick(local.service, at(2026, 11, 9, 9, 0))["reports"] == 4      # Monday's opening
    assert "reports" not in jobs.tick(local.service, at(2026, 11, 9, 10))


def test_a_month_with_nothing_to_say_sends_one_line_not_a_chart(local):
    october(local)
    assert jobs.tick(local.service, at(2026, 11, 2, 9, 5))["reports"] == 4
    reports = {m["To"].addresses[0].addr_spec: m for m in local.messages(everything=True)
               if str(m["Subject"]).startswith("Suivi des demandes")}
    quiet = reports["contact@e2m.example.org"]   # no request in October
    assert str(quiet["Subject"]) == "Suivi des demandes — octobre 2026 – Entre-deux-Mers Services"
    assert not quiet.is_multipart() and list(quiet.iter_attachments()) == []
    assert quiet.get_content().splitlines() == ["Aucune demande n'a été reçue en octobre 2026 pour Entre-deux-Mers "
                                                "Services."]
    busy = reports["demandes@libournais.example.org"]
    assert busy.get_body(("html",)) is not None and len(list(busy.iter_attachments())) == 1


def test_the_admin_command_prints_the_same_numbers(local):
    october(local)
    env = {"AAI_STORE": "sqlite", "AAI_SQLITE_PATH": local.settings.sqlite_path, "AAI_MAILER": "outbox",
           "AAI_OUTBOX_DIR": local.settings.outbox_dir, "AAI_ROUTING": local.settings.routing,
           "AAI_SECRET": "test-secret", "AAI_ACCESS_LOG_DIR": local.settings.access_log_dir, "PATH": os.environ["PATH"]}

    def admin(*args):
        return subprocess.run([sys.executable, "-m", "chalicelib.admin", *args], cwd=FUNCTIONS, env=env,
                              capture_output=True, text=True)

    result = admin("report", "2026-10")
    assert result.returncode == 0, result.stderr
    expected = followup_text(follow_up(local.service, "2026-10", as_of=at(2026, 11, 20)), local.service.routing)
    assert expected.startswith(report_text(monthly_report(local.service, "2026-10", as_of=at(2026, 11, 20)),
                                           local.service.routing).rstrip("\n"))
    assert "Fréquentation du site\u00a0: aucune mesure pour ce mois" in expected   # no access log in this test
    drop_date = lambda text: [line for line in text.splitlines() if not line.startswith("Chiffres arrêtés")]  # noqa
    assert drop_date(result.stdout) == drop_date(expected)
    assert result.stdout.startswith("Suivi des demandes — octobre 2026")
    csv = admin("report", "2026-10", "--csv", "--association", "ai-libournais")
    # The follow-up's report: with its twelve months' satisfaction columns, as the command prints it.
    expected_csv = report_csv(follow_up(local.service, "2026-10", as_of=at(2026, 11, 20), measure=False).report,
                              local.service.routing, "ai-libournais")
    assert csv.returncode == 0 and csv.stdout == expected_csv.replace("\r\n", "\n")
    assert admin("report", "octobre").returncode != 0 and "AAAA-MM" in admin("report", "octobre").stderr
    unknown = admin("report", "2026-10", "--association", "ai-inconnue")
    assert unknown.returncode != 0 and "ne figure pas" in unknown.stderr


def test_the_trail_command_tells_a_requests_story(local):
    record = october(local)["slow"]
    result = subprocess.run([sys.executable, "-m", "chalicelib.admin", "trail", record["ref"]], cwd=FUNCTIONS,
                            env={"AAI_SQLITE_PATH": local.settings.sqlite_path, "AAI_ROUTING": local.settings.routing,
                                 "AAI_OUTBOX_DIR": local.settings.outbox_dir, "PATH": os.environ["PATH"]},
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{record['ref']} — Traitée"
    assert "vendredi 9 octobre 2026 à 17 h 00 · household · Demande reçue" in lines[1]
    assert any("ai:ai-libournais · Marquée traitée (outcome=sans-suite, reason=tarif)" in line for line in lines)


def landes_service(tmp_path):
    """A service whose routing table holds the two Landes associations of the walkthrough's story, taken from
    data/associations.yaml exactly as the site has them."""
    import yaml
    from model import load_site
    from model.routing import write_routing_table
    from support_data import ROOT, make_data_root
    from support_functions import Local
    from chalicelib.routing import load_routing
    from chalicelib.service import FormService

    data = yaml.safe_load((ROOT / "data" / "associations.yaml").read_text("utf-8"))
    data["associations"] = [ai for ai in data["associations"] if ai["id"] in ("ai-haute-lande", "ai-marsan")]
    root = make_data_root(tmp_path / "landes", yaml.safe_dump(data, allow_unicode=True))
    write_routing_table(load_site(root), root / "routing.json")
    local = Local(tmp_path)
    local.service = FormService(local.settings, load_routing(str(root / "routing.json")), local.store, local.mailer)
    return local


def test_a_rerouted_request_counts_each_event_for_the_ai_that_held_it_then(tmp_path):
    """Haute Lande receives an order, says « pas pour nous », the cell re-routes it to Marsan: Haute Lande
    received it and said « pas pour nous »; Marsan received it (re-routed) and is charged with nothing else."""
    local = landes_service(tmp_path)
    svc = local.service
    commune = next(code for code, c in svc.routing.communes.items() if c.get("ais") == ["ai-haute-lande"])
    order = submit(local, at(2026, 11, 2, 10), association="ai-haute-lande", commune=commune,
                   services=["menage"])
    svc.clock = lambda: at(2026, 11, 2, 15)
    actions.escalate(svc, svc.store.get(order["ref"]), "not_ours", lifecycle.actor("ai", "ai-haute-lande"))
    svc.clock = lambda: at(2026, 11, 3, 10)
    actions.reroute(svc, svc.store.get(order["ref"]), "ai-marsan", lifecycle.actor("cell", "claire"))
    assert svc.store.get(order["ref"])["association"] == "ai-marsan"

    report = monthly_report(svc, "2026-11", as_of=at(2026, 11, 4, 12))
    haute_lande, marsan = report.line("ai-haute-lande"), report.line("ai-marsan")
    assert (haute_lande.received, haute_lande.delivered, haute_lande.rerouted) == (1, 1, 0)
    assert haute_lande.escalations == {"not_ours": 1}
    assert (marsan.received, marsan.delivered, marsan.rerouted) == (1, 1, 1)
    assert marsan.escalations == {} and marsan.handled == 0
    assert (report.region.received, report.region.rerouted, report.region.escalations) == (1, 1, {"not_ours": 1})
    # Haute Lande's own page of figures reads the request it held too.
    own = monthly_report(svc, "2026-11", as_of=at(2026, 11, 4, 12), association="ai-haute-lande")
    assert own.line("ai-haute-lande").escalations == {"not_ours": 1} and own.line("ai-haute-lande").received == 1
    assert [r["ref"] for r in svc.requests_of("ai-haute-lande", "2026-11")] == []   # its lists: no longer its own


def test_the_report_email_is_rendered_from_its_figures_not_cut_out_of_its_text(local):
    """Its HTML twin (templates/mail/report.html) gives each part its own element: a heading and a list per
    association, the silent associations in a sentence, Annexe 3's two lists under their own headings."""
    from chalicelib.reports.formats import followup_html
    october(local)
    followup = follow_up(local.service, "2026-10", as_of=at(2026, 11, 20))
    page = followup_html(followup, local.service.routing)
    assert '<h2 style="font-size:1.1em;margin:1.2em 0 .3em">AI du Libournais</h2><ul><li>Demandes reçues : 4' in page
    assert "<p>Sans demande ce mois-ci : " in page
    assert ">Dont les nouveaux clients :</h2>\n<ul><li>" in page and "<li>Dont les nouveaux clients" not in page
    assert "Taux de transformation en clients : 25 %" in page and "<p>Chiffres arrêtés le " in page
    source = (FUNCTIONS / "chalicelib" / "reports" / "formats.py").read_text("utf-8")
    assert ".split(" not in source and "<h2" not in source and "html.escape" not in source


def test_the_report_names_every_escalation_reason_and_counts_the_closes_by_the_household():
    """A reason added to the lifecycle (the message cap, a refused SMS…) shows in the report's words and its CSV
    column, never as a raw key; « je n'ai plus besoin » from the status page has its column."""
    from chalicelib.reports.formats import COLUMNS, ESCALATIONS
    from chalicelib.requests.enums import EscalationReason
    assert set(ESCALATIONS) == {reason.value for reason in EscalationReason}
    assert "closes par la personne (plus besoin)" in [name for name, _ in COLUMNS]
