"""The production build (publishconf.py) is reproducible and fingerprints the theme assets."""

import re
from pathlib import Path

import pytest
from support_builds import pelican, synthetic_root

from deploy.sync import scan_local


def files_of(out: Path) -> dict[str, bytes]:
    """The files `make deploy` would upload (deploy.sync's own selection: the build's notes in .build/ stay home)."""
    return {key: local.path.read_bytes() for key, local in scan_local(out).items()}


@pytest.fixture(scope="module")
def builds(publish_builds):
    return tuple(files_of(out) for out in publish_builds)


def test_two_production_builds_are_byte_identical(builds):
    first, second = builds
    # Search index included: Pagefind filters (hash-map ordered) are not used, so it is stable too.
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []


def test_theme_assets_are_fingerprinted_and_referenced(builds):
    files, _ = builds
    theme = [name for name in files if name.startswith("theme/")
             and re.search(r"\.(css|js|woff2|png|svg)$", name) and "/marker-" not in name]
    assert theme
    plain = [name for name in theme if not re.search(r"\.[0-9a-f]{8}\.[a-z0-9]+$", name)]
    assert plain == []
    home = files["index.html"].decode()
    assert "https://www.ai-aquitaine.example.org/theme/css/site." in home
    assert "/theme/css/site.css" not in home


def test_every_theme_reference_points_to_a_published_file(builds):
    files, _ = builds
    site = "https://www.ai-aquitaine.example.org"
    pattern = re.compile(rf"(?:{re.escape(site)})?/(theme/[^\s\"'()<>?#]+)")
    missing = set()
    for name, data in files.items():
        if name.endswith((".html", ".css", ".js", ".json", ".xml")):
            for match in pattern.finditer(data.decode("utf-8", "replace")):
                if match.group(1) not in files:
                    missing.add((name.split("/")[0], match.group(1)))
    assert not missing, sorted(missing)[:20]


def test_a_staging_build_names_no_production_address(tmp_path):
    """AAI_SITEURL wins for every absolute URL of a build: canonical, Open Graph, JSON-LD, feed, sitemap, robots.

    ``make publish``'s command on a scaled-down copy of the site (support_builds: every kind of page, the real
    content, settings and theme, a few communes per département): which address a page names comes from the
    settings and the templates, not from how many communes there are, and the two production builds above
    already run at full scale."""
    site = synthetic_root(tmp_path / "site", communes=2)
    out = tmp_path / "staging"
    pelican(site, out, settings_file="publishconf.py",
            environment={"AAI_SITEURL": "https://staging.example.org",
                         "AAI_FORMS_ENDPOINT": "https://formulaires.staging.example.org"})
    production = "www.ai-aquitaine.example.org"
    leaks = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()
             and p.suffix in (".html", ".xml", ".txt", ".json", ".js", ".css")
             and production in p.read_text("utf-8", errors="replace")]
    assert leaks == []
    assert "Sitemap: https://staging.example.org/sitemap.xml" in (out / "robots.txt").read_text()
    assert "<loc>https://staging.example.org/commune/" in (out / "sitemap.xml").read_text()
    home = (out / "index.html").read_text()
    assert '<link rel="canonical" href="https://staging.example.org/">' in home
    assert '"@id":"https://staging.example.org/#aai"' in home
    assert "https://staging.example.org/" in (out / "feeds" / "actualites.atom.xml").read_text()
