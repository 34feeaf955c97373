"""The directory pages, built with the real settings from the real data."""

from __future__ import annotations

import json
import re
import shutil

# Raised from 15 000 when each serving AI's two form links started carrying the association and the commune to the
# functions (no JavaScript needed to keep the commune, WCAG 3.3.7): about 60 bytes per AI; the link to the town
# hall's page (card and poster) is on a page of its own for the same reason.
COMMUNE_PAGE_LIMIT = 15_500


def read(site, path):
    return (site / path).read_text("utf-8")


def test_one_page_per_commune_departement_and_association(built_site, site_data):
    communes = list((built_site / "commune").glob("*/index.html"))
    assert len(communes) == 2228
    assert len(list((built_site / "departement").glob("*/index.html"))) == 5
    ais = {p.parent.name for p in (built_site / "association").glob("*/index.html")}
    assert ais >= {a.id for a in site_data.associations}


def test_every_commune_page_is_linked_from_its_departement(built_site, site_data):
    for departement in site_data.reference.departements.values():
        html = read(built_site, departement.url + "index.html")
        links = set(re.findall(r'href="/(commune/[^"]+/)"', html))
        expected = {c.url for c in site_data.reference.in_departement(departement.code)}
        assert links == expected, departement.name


def test_homonym_communes_get_distinct_pages(built_site, site_data):
    sauveurs = [c for c in site_data.reference.communes.values() if c.name == "Saint-Sauveur"]
    pages = {c.insee: read(built_site, c.url + "index.html") for c in sauveurs}
    assert len(pages) >= 2
    articles = {"24": "de la", "33": "de la", "40": "des", "47": "du", "64": "des"}
    for insee, html in pages.items():
        departement = site_data.reference.departements[insee[:2]].name
        assert f"Commune {articles[insee[:2]]} {departement} ({insee[:2]})" in html


def test_uncovered_commune_shows_the_regional_line(built_site, site_data):
    commune = site_data.uncovered()[0]
    html = read(built_site, commune.url + "index.html")
    phone = site_data.settings.regional_phone.display
    assert "Aucune association intermédiaire ne couvre encore cette commune" in html
    assert f'href="tel:{site_data.settings.regional_phone.e164}"' in html and phone in html
    assert site_data.settings.network.email in html


def test_commune_served_by_two_lists_both_with_full_details(built_site, site_data):
    html = read(built_site, "commune/33394-saint-emilion/index.html")
    serving = site_data.serving("33394")
    assert len(serving) == 2
    for ai in serving:
        assert ai.name.replace("'", "&#39;") in html or ai.name in html
        assert f'href="tel:{ai.phone.e164}"' in html
        assert f'href="mailto:{ai.email}"' in html
        assert ai.contact in html and ai.address in html
        assert f"/demande?association={ai.id}&amp;commune=33394" in html   # the form, the commune chosen


def test_association_page_lists_zone_by_departement_and_charter(built_site, site_data):
    cross = next(a for a in site_data.associations if len(a.departements) > 1)
    html = read(built_site, cross.url + "index.html")
    for code in cross.departements:
        assert f"{site_data.reference.departements[code].name} ({code}) — " in html
    signed = next(a for a in site_data.associations if a.charter_signed)
    assert "Signataire de la" in read(built_site, signed.url + "index.html")
    unsigned = next(a for a in site_data.associations if not a.charter_signed)
    assert "pas encore signé" in read(built_site, unsigned.url + "index.html")


def test_commune_pages_stay_small(built_site):
    sizes = [p.stat().st_size for p in (built_site / "commune").glob("*/index.html")]
    assert max(sizes) < COMMUNE_PAGE_LIMIT, max(sizes)


def test_finder_index_covers_communes_and_former_names(built_site, site_data):
    entry = json.loads(read(built_site, "trouver/communes.json"))
    rows = [row for _, _, name in entry["departements"] for row in json.loads(read(built_site, "trouver/" + name))]
    assert len(rows) == 2228
    by_code = {row[0]: row for row in rows}
    emilion = by_code["33394"]
    assert emilion[1] == "Saint-Émilion" and "33330" in emilion[3]
    assert {entry["associations"][i][0] for i in emilion[6]} == {a.id for a in site_data.serving("33394")}
    former = sum(len(row[4].split("|")) for row in rows if row[4])
    distinct = sum(1 for c in site_data.reference.communes.values() for f in c.former if f.name != c.name)
    assert former == distinct > 100  # every former name is searchable
    assert emilion in json.loads(read(built_site, "trouver/" + entry["names"]["em"]))


def test_pages_are_french_and_have_the_accessibility_footer(built_site):
    html = read(built_site, "commune/33394-saint-emilion/index.html")
    assert '<html lang="fr">' in html
    assert '<a class="skip" href="#contenu">' in html
    for label in ("Accessibilité", "Mentions légales", "Données personnelles", "Plan du site"):
        assert label in html
    assert not re.search(r'(src|href)="https?://(?!www\.ai-aquitaine)', html.split("<main")[0])


def test_invalid_data_fails_the_build(tmp_path, root, build):
    broken = tmp_path / "project"
    shutil.copytree(root / "data", broken / "data")
    (broken / "content").mkdir()
    path = broken / "data" / "associations.yaml"
    path.write_text(path.read_text("utf-8").replace("phone: 05 36 49", "phone: 06 00", 1), "utf-8")
    result = build(tmp_path / "out", "-e", f'DATA_ROOT="{broken}"')
    assert result.returncode != 0
    assert "n'est pas valide" in result.stdout + result.stderr
