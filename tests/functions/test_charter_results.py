"""The charter's public results (issue 24, item 4) on the functions' side: the 48-hour share over the last 12
complete months, counted exactly as the monthly report counts it; published as a file that names no one — once a
day by the tick (locally or to S3), at once by ``admin results``. And the monthly report's count of signatories
(item 5)."""

from __future__ import annotations

import datetime
import json

from support_charter import AI, MONDAYS, a_year_of_clients, at, submit
from support_functions import ROUTING, Local
from chalicelib import admin
from chalicelib.requests import actions
from chalicelib.jobs import schedule as jobs
from chalicelib.charter_results.figures import charter_results
from chalicelib.charter_results.publishing import publish_results
from chalicelib.charter_results.summary import results_text
from chalicelib.satisfaction import figures as satisfaction
from chalicelib.reports.request_figures import monthly_report
from chalicelib.reports.formats import followup_html, report_text
from chalicelib.reports.followup import follow_up
from chalicelib.routing import Routing
from model.charter_results import PublicResults
from rules.charter_results import Promise, Satisfaction, parse, to_json
from rules.dates import PARIS

NOW = int(datetime.datetime(2026, 12, 1, 7, tzinfo=PARIS).timestamp())   # Tuesday 1 December 2026, 07:00


def handle(local, record: dict, when: int) -> None:
    local.service.clock = lambda: when
    details = {"reason": None, "orientation": None, "first_visit": None, "outcome": "en-cours"}
    actions.handle(local.service, local.service.store.get(record["ref"]), AI, details)


def a_year_of_requests(local, count: int, late: int = 1) -> list[dict]:
    """``count`` requests to the AI du Libournais within the period, each on a Monday at 10:00; all but ``late``
    handled at noon the same day; the last ``late`` never handled. Plus one before the period and one whose
    deadline has not passed on 1 December: neither counts."""
    records = []
    for number, day in enumerate(MONDAYS[:count]):
        record = submit(local, at(*day, 10), number)
        if number < count - late:
            handle(local, record, at(*day, 12))
        records.append(record)
    records.append(submit(local, at(2025, 11, 24, 10), 20))      # November 2025: before the period
    records.append(submit(local, at(2026, 11, 30, 10), 21))      # its deadline is Wednesday 2 December
    return records


def test_the_48_hour_share_over_12_months_is_the_monthly_reports_count(tmp_path):
    local = Local(tmp_path)
    a_year_of_requests(local, 10)
    results = charter_results(local.service, NOW)
    assert (results.start, results.end) == (datetime.date(2025, 12, 1), datetime.date(2026, 11, 30))
    assert results.computed_at.date() == datetime.date(2026, 12, 1)
    figures = results.of("ai-libournais")
    assert figures.callback_48h == Promise(counted=10, kept=9) and figures.callback_48h.share == 0.9
    assert results.region.callback_48h == Promise(counted=10, kept=9)
    assert results.of("ai-entre-deux-mers").callback_48h == Promise(0, 0)
    assert "aai" not in results.associations   # the cell's own line is no association's
    # The same count as the twelve monthly reports' (the one rule, not a second one).
    months = [f"{y}-{m:02d}" for y, m in [(2025, 12), *((2026, n) for n in range(1, 12))]]
    lines = [monthly_report(local.service, month, as_of=NOW).line("ai-libournais") for month in months]
    assert (sum(x.deadline_passed for x in lines), sum(x.handled_in_time for x in lines)) == (10, 9)
    # No request became a client and no question was asked: no 72-hour nor satisfaction figure, absent, not zero.
    assert figures.intervenant_72h is None and figures.satisfaction is None


def test_the_published_file_names_no_one_and_reads_back_the_same(tmp_path):
    local = Local(tmp_path, results_path=str(tmp_path / "resultats.json"))
    records = a_year_of_requests(local, 12)
    results, where = publish_results(local.service, NOW)
    text = (tmp_path / "resultats.json").read_text("utf-8")
    assert where == str(tmp_path / "resultats.json") and parse(text) == results
    assert json.loads(text)["associations"]["ai-libournais"] == {"callback_48h": {"counted": 12, "kept": 11}}
    for record in records:
        data = record["data"]
        for secret in (record["ref"], data["nom"], data["email"], data["telephone"], data["adresse"]):
            assert secret not in text, secret
    assert "Martin" not in text and "example.org" not in text and "33394" not in text


def test_the_tick_publishes_once_a_day_only_where_it_is_told(tmp_path):
    path = tmp_path / "var" / "charter-results.json"
    local = Local(tmp_path, results_path=str(path))
    a_year_of_requests(local, 10)
    assert jobs.tick(local.service, NOW)["charter_results"] == 1
    first = path.read_text("utf-8")
    assert parse(first).of("ai-libournais").callback_48h == Promise(10, 9)
    assert "charter_results" not in jobs.tick(local.service, NOW + 900)          # the same day: once
    assert jobs.tick(local.service, at(2026, 12, 2, 0, 5))["charter_results"] == 1   # the next day, after midnight
    # Without a destination (a bare checkout, the other tests), the tick publishes nothing and says nothing.
    bare = Local(tmp_path / "bare")
    a_year_of_requests(bare, 10)
    assert "charter_results" not in jobs.tick(bare.service, NOW)
    assert not (tmp_path / "bare" / "var").exists()


def test_in_production_the_file_is_an_s3_object(aws):
    import boto3
    from dataclasses import replace
    boto3.client("s3").create_bucket(Bucket="aai-resultats",
                                     CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    aws.settings = replace(aws.settings, results_bucket="aai-resultats")
    assert jobs.tick(aws, NOW)["charter_results"] == 1
    body = boto3.client("s3").get_object(Bucket="aai-resultats", Key="charter/results.json")["Body"].read()
    results = parse(body.decode("utf-8"))
    assert results.computed_at.date() == datetime.date(2026, 12, 1) and results.region.callback_48h == Promise(0, 0)


def test_the_admin_command_publishes_and_says_what(tmp_path, monkeypatch, capsys):
    local = Local(tmp_path)
    a_year_of_requests(local, 10)
    for name, value in {"AAI_STORE": "sqlite", "AAI_SQLITE_PATH": local.settings.sqlite_path, "AAI_MAILER": "outbox",
                        "AAI_OUTBOX_DIR": str(tmp_path / "outbox"), "AAI_ROUTING": ROUTING,
                        "AAI_VAR_DIR": str(tmp_path / "var")}.items():
        monkeypatch.setenv(name, value)
    assert admin.main(["results", "--now", "2026-12-01T07:00"]) == 0
    out = capsys.readouterr().out
    assert f"Résultats de la charte publiés : {tmp_path / 'var' / 'charter-results.json'}" in out
    assert "Sur 12 mois, du 1er décembre 2025 au 30 novembre 2026 (calculés le 1er décembre 2026)." in out
    assert "AI du Libournais : sous 48 heures 90 % (9 sur 10)" in out
    assert parse((tmp_path / "var" / "charter-results.json").read_text("utf-8")).region.callback_48h == Promise(10, 9)


def signed_routing() -> Routing:
    """The test routing table with two signatories of the charter (the data of test_data/ has none)."""
    table = json.loads(open(ROUTING, encoding="utf-8").read())
    table["associations"]["ai-libournais"]["charter_signed"] = "2024-05-30"
    table["associations"]["ai-grand-perigueux"]["charter_signed"] = "2024-03-12"
    return Routing(table)


def test_the_monthly_report_states_the_number_of_signatories(tmp_path):
    local = Local(tmp_path)
    a_year_of_requests(local, 10)
    report = monthly_report(local.service, "2026-10", as_of=NOW)
    assert "Charte qualité : 0 association signataire sur 3." in report_text(report, local.service.routing)
    routing = signed_routing()
    region = report_text(report, routing)
    assert "Charte qualité : 2 associations signataires sur 3." in region.splitlines()
    own = report_text(report, routing, "ai-libournais")
    assert "Charte qualité : 2 associations signataires sur 3, dont la vôtre depuis le 30 mai 2024." in own
    assert "dont la vôtre" not in report_text(report, routing, "ai-entre-deux-mers")
    html = followup_html(follow_up(local.service, "2026-10", as_of=NOW, measure=False), routing)
    assert "<p>Charte qualité : 2 associations signataires sur 3.</p>" in html


def test_the_72_hours_and_satisfaction_are_the_monthly_reports_counts_over_12_months(tmp_path):
    local = Local(tmp_path)
    refs = a_year_of_clients(local)
    results = charter_results(local.service, NOW)
    figures = results.of("ai-libournais")
    # Twelve new clients whose 72 hours ran out in the period, two first missions too late; November 2025's client
    # (received before the period) and 30 November's (its 72 hours end on 3 December) are not counted.
    assert figures.intervenant_72h == Promise(counted=12, kept=10) and results.region.intervenant_72h == Promise(12, 10)
    assert figures.callback_48h == Promise(12, 12)
    # The questions sent within the period: the twelve Mondays' and November 2025's client's (sent in December).
    # Accueil 46 / 11, suivi de la relation 39 / 10; ten answers behind the less-answered theme.
    assert figures.satisfaction == Satisfaction(answers=10, welcome=46 / 11, follow_up=3.9)
    assert results.region.satisfaction == figures.satisfaction
    # An association with no new client and no answer has neither figure: absent, not zero.
    other = results.of("ai-entre-deux-mers")
    assert other.intervenant_72h is None and other.satisfaction is None
    # The same counts as the monthly report's: its 72-hour line month by month, its satisfaction figures.
    months = [f"{y}-{m:02d}" for y, m in [(2025, 12), *((2026, n) for n in range(1, 12))]]
    lines = [monthly_report(local.service, month, as_of=NOW).line("ai-libournais").mission for month in months]
    assert (sum(x.deadline_passed for x in lines), sum(x.in_time for x in lines)) == (12, 10)
    period = satisfaction.sent_between(local.service, at(2025, 12, 1), at(2026, 12, 1))["ai-libournais"]
    assert (period.sent, period.answered, period.mean("accueil"), period.mean("suivi")) == (13, 11, 46 / 11, 3.9)
    # The published file: counts and means, no one named.
    text = to_json(results)
    assert json.loads(text)["associations"]["ai-libournais"] == {
        "callback_48h": {"counted": 12, "kept": 12}, "intervenant_72h": {"counted": 12, "kept": 10},
        "satisfaction": {"answers": 10, "welcome": 4.18, "follow_up": 3.9}}
    for ref in refs:
        record = local.service.store.get(ref)
        for secret in (ref, record["data"]["nom"], record["data"]["email"], record["data"]["telephone"]):
            assert secret not in text, secret


def test_the_site_shows_the_72_hours_and_satisfaction_only_over_ten_answers(tmp_path):
    local = Local(tmp_path)
    a_year_of_clients(local, count=8)   # 8 clients (6 in time), 9 ratings on each theme: nothing to show yet
    few = charter_results(local.service, NOW)
    assert few.of("ai-libournais").intervenant_72h == Promise(8, 6)
    assert few.of("ai-libournais").satisfaction.answers == 9
    public = PublicResults(few, frozenset({"ai-libournais"}), min_answers=10)
    assert public.of("ai-libournais") is None and public.region is None

    enough = charter_results(_year(tmp_path / "year"), NOW)
    public = PublicResults(enough, frozenset({"ai-libournais"}), min_answers=10)
    shown = [f"{f.before}{f.value}{f.after}" for f in public.of("ai-libournais").figures]
    assert shown == ["100\u00a0% des demandes rappelées sous 48\u00a0heures ouvrées",
                     "83\u00a0% des nouveaux clients avec un intervenant sous 72\u00a0heures ouvrées",
                     "L’accueil noté 4,2 sur 5 par les clients après la première mission",
                     "Le suivi de la relation noté 3,9 sur 5 par les clients après la première mission"]
    assert public.of("ai-libournais").computed_words == "calculé le 1er décembre 2026"
    # One answer short on either theme is not enough: the means go, the shares stay.
    eleven = PublicResults(enough, frozenset({"ai-libournais"}), min_answers=11)
    assert [f.value for f in eleven.of("ai-libournais").figures] == ["100\u00a0%", "83\u00a0%"]


def _year(path):
    local = Local(path)
    a_year_of_clients(local)
    return local.service


def test_the_admin_summary_gives_the_72_hours_and_satisfaction(tmp_path):
    local = Local(tmp_path)
    a_year_of_clients(local)
    text = results_text(charter_results(local.service, NOW), "var/charter-results.json", local.service.routing)
    assert ("AI du Libournais : sous 48 heures 100 % (12 sur 12) ; intervenant sous 72 heures 83 % (10 sur 12) ; "
            "satisfaction : accueil 4,2/5, suivi de la relation 3,9/5 (10 réponses)") in text
    assert "Toute la région : sous 48 heures 100 % (12 sur 12) ; intervenant sous 72 heures 83 % (10 sur 12)" in text
    name = local.service.routing.recipient("ai-entre-deux-mers").name
    other = next(line for line in text.splitlines() if line.startswith(f"{name} : "))
    assert "72 heures" not in other and "satisfaction" not in other   # nothing to count: nothing said
