"""plugins/editorial, module by module, without a build."""

from __future__ import annotations

import datetime
import json
import types
import xml.etree.ElementTree as ET

import pytest

from editorial import jsonld, news, sitemap
from pipeline.files import OutputFiles


@pytest.mark.parametrize("start, end, expected", [
    ("2026-05-16", None, "le 16 mai 2026"),
    ("2026-05-16", "2026-05-24", "du 16 au 24 mai 2026"),
    ("2026-05-01", "2026-05-03", "du 1er au 3 mai 2026"),
    ("2026-04-28", "2026-05-03", "du 28 avril au 3 mai 2026"),
    ("2026-12-30", "2027-01-02", "du 30 décembre 2026 au 2 janvier 2027"),
])
def test_event_periods_read_as_french(start, end, expected):
    end_day = datetime.date.fromisoformat(end) if end else None
    assert news.french_period(datetime.date.fromisoformat(start), end_day) == expected


def _article(path, **meta):
    return types.SimpleNamespace(relative_source_path=path, **meta)


def test_press_is_recognised_by_folder_or_category():
    assert news.is_press(_article("presse/x.md", category="Revue de presse"))
    assert news.is_press(_article("actualites/x.md", category="Revue de presse"))
    assert not news.is_press(_article("actualites/x.md", category="Actualités"))


def test_press_pdf_resolves_to_the_copied_file_with_its_size(tmp_path):
    (tmp_path / "presse" / "pdf").mkdir(parents=True)
    (tmp_path / "presse" / "pdf" / "a.pdf").write_bytes(b"%PDF" + b"0" * 20_000)
    item = _article("presse/a.md", pdf="{static}/presse/pdf/a.pdf")
    news.describe_press_item(item, tmp_path)
    assert item.press_url == "presse/pdf/a.pdf"
    assert item.press_format == "PDF, 20 ko"


def test_missing_press_pdf_is_reported_in_french(tmp_path, caplog):
    item = _article("presse/a.md", pdf="{static}/presse/pdf/absent.pdf")
    news.describe_press_item(item, tmp_path)
    assert item.press_url is None
    assert "introuvable" in caplog.text


def test_press_link_is_kept_as_is(tmp_path):
    item = _article("presse/a.md", link=" https://journal.example.org/a ")
    news.describe_press_item(item, tmp_path)
    assert (item.press_url, item.press_format) == ("https://journal.example.org/a", None)


def test_split_press_keeps_news_only(tmp_path):
    day = datetime.datetime(2026, 3, 2)
    story = _article("actualites/a.md", category="Actualités", date=day)
    press = _article("presse/b.md", category="Revue de presse", date=day, link="https://x.example.org/")
    generator = types.SimpleNamespace(articles=[story, press], translations=[], hidden_articles=[],
                                      settings={"PATH": str(tmp_path)}, context={})
    news.split_press(generator)
    assert generator.articles == [story]
    assert generator.context["press_items"] == [press]


def test_sitemap_lists_pages_but_not_404_noindex_or_search_files(tmp_path):
    files = OutputFiles(tmp_path)
    for rel, html in {
        "index.html": "<html></html>",
        "commune/33063-bordeaux/index.html": "<html></html>",
        "404.html": "<html></html>",
        "recherche/index.html": '<meta name="robots" content="noindex">',
        "pagefind/x.html": "",
    }.items():
        files.write(rel, html)
    assert sitemap.page_paths(files) == ["", "commune/33063-bordeaux/"]
    settings = {"SITEURL": "https://site.example.org"}
    assert sitemap.write_sitemap(files, settings) == ["sitemap.xml"]
    text = (tmp_path / "sitemap.xml").read_text()
    assert "<loc>https://site.example.org/commune/33063-bordeaux/</loc>" in text
    sitemap.write_robots(files, settings)
    assert "Sitemap: https://site.example.org/sitemap.xml" in (tmp_path / "robots.txt").read_text()


def test_past_the_limit_the_sitemap_is_an_index_of_parts(tmp_path):
    files = OutputFiles(tmp_path)
    for n in range(5):
        files.write(f"commune/{n}/index.html", "<html></html>")
    names = sitemap.write_sitemap(files, {"SITEURL": "https://site.example.org"}, max_urls=2)
    assert names == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    index = ET.parse(tmp_path / "sitemap.xml").getroot()
    assert index.tag == f"{{{sitemap.NAMESPACE}}}sitemapindex"
    assert [e.text for e in index.iter(f"{{{sitemap.NAMESPACE}}}loc")] == [
        f"https://site.example.org/sitemap-{n}.xml" for n in (1, 2, 3)]
    parts = [[e.text for e in ET.parse(tmp_path / name).getroot().iter(f"{{{sitemap.NAMESPACE}}}loc")]
             for name in names[1:]]
    assert [len(p) for p in parts] == [2, 2, 1]
    assert sorted(u for p in parts for u in p) == [f"https://site.example.org/commune/{n}/" for n in range(5)]


def test_jsonld_cannot_close_its_script_element(site_data):
    text = str(jsonld.render(site_data))
    assert "<" not in text and ">" not in text
    assert json.loads(text)["@graph"][0]["@type"] == "Organization"


def test_association_jsonld_covers_address_phone_geo_and_zone(site_data):
    ai = site_data.associations[0]
    node = jsonld.local_business(site_data, ai)
    assert node["address"]["postalCode"] == ai.postal_code
    assert node["telephone"] == ai.phone.e164
    assert (node["geo"]["latitude"], node["geo"]["longitude"]) == (ai.latitude, ai.longitude)
    assert {c["identifier"] for c in node["areaServed"]} == set(ai.zone)
