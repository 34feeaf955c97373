"""The charter's results on the site, end to end: requests stored by the functions → the file they publish →
the site build → each signatory's page and the charter page. Shown once ten answers exist and not before, never
a name, never on a non-signatory's page, readable at 320 pixels; an incremental build after a new file writes
what a cold build writes (and renders the association pages again, not the commune pages); no file, no results;
a broken file stops the build naming the file and the fix.

The builds read and fill ``make build``'s own cache (var/cache: compiled templates, QR codes, Markdown readings,
each keyed by what it was made from), as the incremental builds' tests do; only the cold builds an incremental one
is compared with have a cache of their own, empty at first."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support_builds import ROOT, pelican, snapshot, synthetic_root
from support_charter import RATINGS, a_client, a_request, a_year_of_clients
from support_functions import Local, demande_fields

from chalicelib.requests import actions
from chalicelib.charter_results.publishing import publish_results
from chalicelib.requests import lifecycle
from model import load_site
from rules.dates import PARIS

NOW = int(datetime.datetime(2026, 12, 1, 7, tzinfo=PARIS).timestamp())   # Tuesday 1 December 2026
MONDAYS = [(2025, 12, 1), (2026, 1, 5), (2026, 2, 2), (2026, 3, 2), (2026, 3, 9), (2026, 6, 8), (2026, 6, 15),
           (2026, 9, 7), (2026, 9, 14), (2026, 10, 5), (2026, 10, 12), (2026, 11, 9)]
NAMES = ["Jeanne Martin", "Luc Bernard", "Anne Roux", "Eva Petit", "Marc Lefebvre", "Sophie Garnier",
         "Hugo Moreau", "Léa Fontaine", "Paul Mercier", "Chloé Lambert", "Louis Girard", "Inès Faure"]
SENTENCE = ("<strong>90\u00a0%</strong> des demandes rappelées sous 48\u00a0heures ouvrées, sur 12&nbsp;mois "
            "(calculé le 1er décembre 2026)")
SECTION = 'class="charter-results"'
AI = "ai-libournais"   # a signatory in data/associations.yaml, and in the functions' test routing table


def at(*args) -> int:
    return int(datetime.datetime(*args, tzinfo=PARIS).timestamp())


def one_request(local: Local, number: int, handled: bool) -> None:
    """A request to the AI du Libournais on a Monday at 10:00, handled at noon (within 48 hours) or never."""
    day = MONDAYS[number]
    local.service.clock = lambda: at(*day, 10)
    fields = demande_fields(nom=NAMES[number], email=f"personne{number}@example.org")
    fields = {k: v if isinstance(v, list) else [v] for k, v in fields.items()}
    fields["date_debut"] = [datetime.date(*day).replace(day=28).isoformat()]
    ref = local.service.submit("demande", fields, f"192.0.2.{number + 10}").reference
    if handled:
        local.service.clock = lambda: at(*day, 12)
        details = {"reason": None, "orientation": None, "first_visit": None, "outcome": "en-cours"}
        actions.handle(local.service, local.service.store.get(ref), lifecycle.actor("ai", AI), details)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return synthetic_root(tmp_path_factory.mktemp("charter-results") / "site", communes=2)


def page(output: Path, rel: str) -> str:
    return (output / rel / "index.html").read_text("utf-8")


def test_the_figures_show_from_ten_answers_never_before_and_never_a_name(site, tmp_path):
    results = site / "var" / "charter-results.json"
    local = Local(tmp_path / "functions", results_path=str(results))
    output = tmp_path / "output"
    try:
        for number in range(9):   # nine answers: the eighth kept… and not enough to say anything
            one_request(local, number, handled=number != 8)
        publish_results(local.service, NOW)
        pelican(site, output)
        assert SECTION not in page(output, f"association/{AI}")
        charter = page(output, "charte-qualite")
        assert "Les premiers résultats (demandes rappelées sous 48&nbsp;heures ouvrées…) s’afficheront ici" in charter
        assert "%</strong>" not in charter

        one_request(local, 9, handled=True)   # the tenth: 9 kept out of 10
        publish_results(local.service, NOW)
        log = pelican(site, output, "--verbose").stdout
        association = page(output, f"association/{AI}")
        assert SECTION in association and SENTENCE in association
        assert "Période du 1er décembre 2025 au 30 novembre 2026" in association
        assert SENTENCE in page(output, "charte-qualite")           # the region: the same ten requests
        assert "Les premiers résultats" not in page(output, "charte-qualite")
        # Only the association pages whose figures changed were rendered again: no commune page.
        assert "Commune pages: 0 of" in log, log[-3000:]
        # Never a name, an address or a reference: not in the file, not on any page.
        published = [results.read_text("utf-8"), *(p.read_text("utf-8") for p in output.rglob("*.html"))]
        for secret in [*NAMES[:10], "personne3@example.org", "AI-2026"]:
            assert not any(secret in text for text in published), secret
        # The incremental build wrote what a cold build writes.
        cold = tmp_path / "cold"
        pelican(site, cold, CACHE_PATH=str(tmp_path / "cold-cache"))
        assert snapshot(output) == snapshot(cold)

        results.unlink()   # no file: no results, and again what a cold build writes
        pelican(site, output)
        assert SECTION not in page(output, f"association/{AI}") and SECTION not in page(output, "charte-qualite")
        shutil.rmtree(cold)
        pelican(site, cold, CACHE_PATH=str(tmp_path / "cold-cache"))
        assert snapshot(output) == snapshot(cold)
    finally:
        results.unlink(missing_ok=True)


def test_the_72_hours_and_satisfaction_computed_from_the_requests_show_once_ten_answers_exist(site, tmp_path):
    """Clients and their answers stored by the functions → the file → the pages: the 72-hour share and the two
    themes' marks appear only once each rests on ten answers, beside the 48-hour share already shown."""
    results = site / "var" / "charter-results.json"
    local = Local(tmp_path / "functions", results_path=str(results))
    output = tmp_path / "output"
    seventy_two = "des nouveaux clients avec un intervenant sous 72\u00a0heures ouvrées"
    try:
        # Eight clients (six in time) and nine ratings per theme, two more requests: the 48 hours only.
        a_year_of_clients(local, count=8)
        for number, day in ((30, MONDAYS[8]), (31, MONDAYS[9])):
            a_request(local, datetime.date(*day), number)
        publish_results(local.service, NOW)
        pelican(site, output)
        association = page(output, f"association/{AI}")
        assert ("<strong>100\u00a0%</strong> des demandes rappelées sous 48\u00a0heures ouvrées, sur 12&nbsp;mois "
                "(calculé le 1er décembre 2026)") in association
        assert seventy_two not in association and "L’accueil noté" not in association

        # Four more clients: twelve whose 72 hours ran out (ten in time), ten ratings on each theme.
        for number in range(8, 12):
            a_client(local, datetime.date(*MONDAYS[number]), number, False, RATINGS[number])
        publish_results(local.service, NOW)
        pelican(site, output)
        for rel in (f"association/{AI}", "charte-qualite"):
            shown = page(output, rel)
            assert "<p>Sur 12&nbsp;mois (calculé le 1er décembre 2026)&nbsp;:</p>" in shown, rel
            assert f"<li><strong>83\u00a0%</strong> {seventy_two}</li>" in shown, rel
            assert ("<li>L’accueil noté <strong>4,2 sur 5</strong> par les clients après la première mission</li>"
                    in shown), rel
            assert ("<li>Le suivi de la relation noté <strong>3,9 sur 5</strong> par les clients après la première "
                    "mission</li>") in shown, rel
        published = [results.read_text("utf-8"), *(p.read_text("utf-8") for p in output.rglob("*.html"))]
        for secret in ["Jeanne Martin", "Inès Faure", "personne3@example.org", "AI-2026"]:
            assert not any(secret in text for text in published), secret
    finally:
        results.unlink(missing_ok=True)


def written(site: Path, associations: dict[str, dict], region: tuple[int, int] = (40, 30)) -> Path:
    path = site / "var" / "charter-results.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps({
        "format": 1, "computed_at": "2026-12-01T07:00:00+01:00", "period": {"start": "2025-12-01", "end": "2026-11-30"},
        "region": {"callback_48h": {"counted": region[0], "kept": region[1]}}, "associations": associations}), "utf-8")
    return path


@pytest.fixture(scope="module")
def with_figures(site, tmp_path_factory) -> tuple[Path, str]:
    """The site built from a file holding every figure for the AI du Libournais (the 72-hour and satisfaction ones
    too: issue 24, items 1 and 2) and 50 answers for an association that has not signed the charter."""
    outsider = next(a.id for a in load_site(site).associations if not a.charter_signed)
    path = written(site, {AI: {"callback_48h": {"counted": 200, "kept": 199},
                               "intervenant_72h": {"counted": 12, "kept": 11},
                               "satisfaction": {"answers": 14, "welcome": 4.6, "follow_up": 4.24}},
                          outsider: {"callback_48h": {"counted": 50, "kept": 50}}})
    output = tmp_path_factory.mktemp("with-figures")
    try:
        pelican(site, output / "site")
    finally:
        path.unlink()
    return output / "site", outsider


def test_every_figure_of_the_file_is_shown_but_never_on_a_non_signatorys_page(with_figures):
    output, outsider = with_figures
    association = page(output, f"association/{AI}")
    assert "<p>Sur 12&nbsp;mois (calculé le 1er décembre 2026)&nbsp;:</p>" in association
    assert ("<li><strong>99\u00a0%</strong> des demandes rappelées sous 48\u00a0heures ouvrées</li>"
            in association)   # 199 out of 200: not « 100 % »
    assert ("<li><strong>92\u00a0%</strong> des nouveaux clients avec un intervenant sous 72\u00a0heures "
            "ouvrées</li>") in association
    assert ("<li>L’accueil noté <strong>4,6 sur 5</strong> par les clients après la première mission</li>"
            in association)
    assert ("<li>Le suivi de la relation noté <strong>4,2 sur 5</strong> par les clients après la première "
            "mission</li>") in association
    assert SECTION not in page(output, f"association/{outsider}")
    assert "<strong>75\u00a0%</strong> des demandes rappelées" in page(output, "charte-qualite")


def test_the_pages_with_figures_are_valid_html5(with_figures, tmp_path):
    from support_html import html_errors
    output, _ = with_figures
    for rel in (f"association/{AI}/index.html", "charte-qualite/index.html"):
        target = tmp_path / rel
        target.parent.mkdir(parents=True)
        shutil.copy(output / rel, target)
    assert html_errors(tmp_path, "--skip-non-html") == ""


@pytest.mark.browser
def test_the_figures_read_well_at_320_pixels_with_no_serious_accessibility_problem(with_figures, browser):
    from pelicanconf import FORMS_ENDPOINT
    from support_axe import serious
    from support_infra import serve_as_in_production
    output, _ = with_figures
    context = browser.new_context(locale="fr-FR", viewport={"width": 320, "height": 640})
    try:
        tab = context.new_page()
        with serve_as_in_production(output, FORMS_ENDPOINT, FORMS_ENDPOINT) as origin:
            for path in (f"/association/{AI}/", "/charte-qualite/"):
                tab.goto(origin + path)
                section = tab.locator("section.charter-results")
                assert section.is_visible() and section.get_by_role("heading", level=2).is_visible()
                assert tab.evaluate("document.documentElement.scrollWidth") <= 320, path   # reflow: no sideways
                assert serious(tab) == [], path
    finally:
        context.close()


def test_a_broken_file_stops_the_build_naming_the_file_and_the_fix(site, tmp_path):
    path = written(site, {AI: {"callback_48h": {"counted": 200, "kept": 201}}})
    try:
        broken = subprocess.run(
            [sys.executable, "-m", "pipeline.build", "--settings", "pelicanconf.py", "--output",
             str(tmp_path / "broken"), "-e", f"PATH={json.dumps(str(site / 'content'))}", "--fatal", "errors"],
            cwd=ROOT, capture_output=True, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT / "plugins"), "COLUMNS": "250"})
        said = broken.stdout + broken.stderr
        assert broken.returncode != 0
        assert "var/charter-results.json : les résultats de la charte sont illisibles" in said, said[-3000:]
        assert "compte plus de promesses tenues (201) que de demandes comptées (200)" in said
        assert "supprimez-le : le site se construit alors sans les résultats de la charte" in said
    finally:
        path.unlink(missing_ok=True)


def test_every_association_page_and_the_charter_page_link_to_the_complaint_form(with_figures):
    """« Faire une réclamation »: to the functions' form, the association chosen from its page (signatory or not)."""
    from pelicanconf import FORMS_ENDPOINT
    output, outsider = with_figures
    endpoint = FORMS_ENDPOINT.rstrip("/")
    for ai in (AI, outsider):
        association = page(output, f"association/{ai}")
        link = f'<a href="{endpoint}/reclamation?association={ai}">Faire une réclamation'
        assert f'{link}<span class="visually-hidden"> au sujet de ' in association, ai
    charter = page(output, "charte-qualite")
    assert f'<a href="{endpoint}/reclamation">Faire une réclamation</a>' in charter
