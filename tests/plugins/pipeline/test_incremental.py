"""An incremental build gives exactly what a cold build gives, touching only what changed.

On a scaled-down synthetic site (scripts/synthetic_site.py: the five départements, a dozen communes
each plus the offices): built cold, then edited — a news title, an association's phone, an
association removed — and built again into the same folder, then compared byte for byte with a cold
build of the edited site.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from support_builds import pelican, snapshot, synthetic_root

OLD = 1_000_000  # a date no build gives a file: kept files keep it


def age(output: Path) -> None:
    """Every file of a build dated ``OLD``: after the next build, a file still so dated was kept, not written."""
    for path in output.rglob("*"):
        if path.is_file():
            os.utime(path, (OLD, OLD))


def edit(site: Path) -> dict[str, str]:
    """A news title, one association's phone, another association gone; what changed, for the checks."""
    news = sorted((site / "content" / "actualites").glob("*.md"))[0]
    news.write_text(re.sub(r"^Title: (.*)$", r"Title: \1 (modifié)", news.read_text("utf-8"), count=1,
                           flags=re.M), "utf-8")
    data = site / "data" / "associations.yaml"
    text = data.read_text("utf-8")
    blocks = re.split(r"(?m)^(?=- id: )", text)
    head, entries = blocks[0], blocks[1:]
    phoned = re.search(r"^- id: (\S+)", entries[0], re.M).group(1)
    removed = re.search(r"^- id: (\S+)", entries[-1], re.M).group(1)
    entries[0] = re.sub(r"(?m)^(  phone: ).*$", r"\g<1>05 36 49 99 99", entries[0])
    data.write_text(head + "".join(entries[:-1]), "utf-8")
    return {"phoned": phoned, "removed": removed, "news": news.stem}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("incremental")
    site = synthetic_root(base / "site")
    output = base / "output"
    pelican(site, output)
    before = snapshot(output)
    before_text = {p.relative_to(output).as_posix(): p.read_text("utf-8")
                   for p in (output / "commune").glob("*/index.html")}
    age(output)
    edits = edit(site)
    incremental = pelican(site, output, "--verbose")
    cold = base / "cold"
    pelican(site, cold)
    return {"site": site, "output": output, "cold": cold, "before": before, "before_text": before_text,
            "edits": edits, "log": incremental}


def test_an_incremental_build_is_byte_identical_to_a_cold_one(builds):
    assert snapshot(builds["output"]) == snapshot(builds["cold"])


def test_only_the_files_whose_bytes_changed_have_a_new_date(builds):
    output, before = builds["output"], builds["before"]
    after = snapshot(output)
    for rel, digest in after.items():
        touched = (output / rel).stat().st_mtime != OLD
        if rel.startswith(".build/"):
            continue
        assert touched == (before.get(rel) != digest), rel


def test_pages_of_a_removed_association_are_removed_and_nothing_else(builds):
    gone = builds["edits"]["removed"]
    removed = set(builds["before"]) - set(snapshot(builds["output"]))
    assert f"association/{gone}/index.html" in removed
    assert f"association/{gone}/demande/index.html" in removed
    after = set(snapshot(builds["output"]))

    def replaced_map_data(rel: str) -> bool:
        """A département's zones or overview for the maps (fingerprinted): the removal changed them, so the old
        version goes and the new one, under the same name with another fingerprint, takes its place."""
        found = re.fullmatch(r"(carte/(?:zones|apercu)-\w+\.)[0-9a-f]+\.json", rel)
        return bool(found) and any(other.startswith(found.group(1)) for other in after)

    # .build/: the build's own notes (never published), e.g. folium's drawings of the maps that changed
    assert all(gone in rel or rel.startswith(("pagefind/", "trouver/", ".build/")) or replaced_map_data(rel)
               for rel in removed), sorted(removed)


def test_only_pages_showing_an_edited_association_are_rendered_again(builds):
    output, cold, edits = builds["output"], builds["cold"], builds["edits"]
    pages = sorted(p.relative_to(cold).as_posix() for p in (cold / "commune").glob("*/index.html"))
    edited = {rel for rel in pages if any(f"/association/{ai}/" in text for ai in (edits["phoned"], edits["removed"])
                                          for text in [(cold / rel).read_text("utf-8"),
                                                       builds["before_text"].get(rel, "")])}
    assert edited
    for rel in pages:
        assert ((output / rel).stat().st_mtime != OLD) == (rel in edited), rel
    assert "05 36 49 99 99" in (output / f"association/{edits['phoned']}/index.html").read_text("utf-8")
    rendered, count = map(int, re.search(r"Commune pages: (\d+) of (\d+) rendered by 2 processes",
                                          builds["log"].stdout).groups())
    assert count == len(pages)
    assert rendered == len(edited)


def test_nothing_is_written_when_nothing_changed(builds):
    output = builds["output"]
    before = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file() and ".build" not in p.parts}
    result = pelican(builds["site"], output)
    after = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file() and ".build" not in p.parts}
    assert after == before
    assert result.returncode == 0


@pytest.fixture(scope="module")
def phone_edit(tmp_path_factory):
    """A cold build, then one association's phone, e-mail and hours edited and the site built again."""
    base = tmp_path_factory.mktemp("contact")
    site = synthetic_root(base / "site")
    output = base / "output"
    pelican(site, output)
    age(output)
    data = site / "data" / "associations.yaml"
    blocks = re.split(r"(?m)^(?=- id: )", data.read_text("utf-8"))
    edited = re.search(r"^- id: (\S+)", blocks[1], re.M).group(1)
    blocks[1] = re.sub(r"(?m)^(  phone: ).*$", r"\g<1>05 36 49 99 98", blocks[1])
    blocks[1] = re.sub(r"(?m)^(  email: ).*$", r"\g<1>nouvelle-adresse@example.org", blocks[1])
    data.write_text("".join(blocks), "utf-8")
    incremental = pelican(site, output, "--verbose")
    cold = base / "cold"
    pelican(site, cold)
    return {"output": output, "cold": cold, "edited": edited, "log": incremental}


def test_a_contact_edit_redraws_no_map(phone_edit):
    """Maps depend on geometry and zones: the pages showing the new phone are rendered again, with the
    pop-ups they give their map, but no map script is written and folium is not even imported."""
    output, edited = phone_edit["output"], phone_edit["edited"]
    scripts = sorted(output.rglob("carte.js"))
    assert len(scripts) > 5
    written = [p.relative_to(output).as_posix() for p in scripts if p.stat().st_mtime != OLD]
    assert written == []
    assert re.search(r"Map: /carte/ written; 0 map\(s\) built", phone_edit["log"].stdout)
    page = (output / "association" / edited / "index.html")
    assert page.stat().st_mtime != OLD
    assert "05 36 49 99 98" in page.read_text("utf-8") and "nouvelle-adresse@example.org" in page.read_text("utf-8")
    carte = (output / "carte/index.html").read_text("utf-8")
    card = carte[carte.index(f'<template id="aai-card-{edited}">'):]
    assert "nouvelle-adresse@example.org" in card[:card.index("</template>")]


def test_after_a_contact_edit_the_build_is_byte_identical_to_a_cold_one(phone_edit):
    assert snapshot(phone_edit["output"]) == snapshot(phone_edit["cold"])



def zone_edit_of(site: Path, recoloured: bool) -> tuple[str, str, set[str]]:
    """An association, a commune of its département outside its zone, and the départements whose zones files
    adding it changes (its own, and those of the associations it gives another colour): with ``recoloured``,
    the zones that touch change and so do some colours; without, the zones' graph stays as it is. Some
    association's map shows none of those départements."""
    from types import SimpleNamespace

    from map.palette import colour_graph, zone_graph
    from model import load_site

    loaded = load_site(site)
    neighbours = loaded.shapes.neighbours
    graph = zone_graph(loaded.associations, neighbours)
    colours = colour_graph(*graph, 5)
    for ai in loaded.associations:
        others = [a for a in loaded.associations if a.id != ai.id]
        for commune in loaded.reference.in_departement(ai.commune.departement):
            if commune.insee in ai.zone:
                continue
            grown = SimpleNamespace(id=ai.id, zone=frozenset({*ai.zone, commune.insee}))
            now = zone_graph([*others, grown], neighbours)
            if (now != graph) != recoloured:
                continue
            changed = {ident for ident, colour in colour_graph(*now, 5).items() if colours[ident] != colour}
            if recoloured and not changed:
                continue
            departements = {commune.departement} | {code for a in loaded.associations if a.id in changed
                                                    for code in a.departements}
            if any(not departements & set(a.departements) for a in loaded.associations):
                return ai.id, commune.insee, departements
    raise AssertionError("no such zone edit in the synthetic site")


def build_zone_edit(base: Path, recoloured: bool) -> dict:
    """A cold build, then a commune added to an association's zone (``zone_edit_of``), built again."""
    import yaml

    site = synthetic_root(base / "site")
    output = base / "output"
    pelican(site, output)
    age(output)
    edited, insee, departements = zone_edit_of(site, recoloured)
    data_path = site / "data" / "associations.yaml"
    data = yaml.safe_load(data_path.read_text("utf-8"))
    entry = next(a for a in data["associations"] if a["id"] == edited)
    entry["zone"].setdefault("communes", []).append(insee)
    data_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), "utf-8")
    incremental = pelican(site, output, "--verbose")
    cold = base / "cold"
    pelican(site, cold)
    return {"site": site, "output": output, "cold": cold, "edited": edited, "departements": departements,
            "log": incremental}


@pytest.fixture(scope="module", params=[False, True], ids=["same colours", "colours changed"])
def zone_edit(request, tmp_path_factory):
    return build_zone_edit(tmp_path_factory.mktemp("zone"), request.param) | {"recoloured": request.param}


def test_after_a_zone_edit_the_build_is_byte_identical_to_a_cold_one(zone_edit):
    assert snapshot(zone_edit["output"]) == snapshot(zone_edit["cold"])


def test_a_zone_edit_renders_again_only_the_pages_whose_map_changed(zone_edit):
    """Only the zones files of the départements whose zones or colours changed are renamed: the pages whose
    maps show only other départements are not even rendered. networkx is loaded only when the zones that touch
    changed; the communes that touch are read back, not worked out again from the shapes."""
    from model import load_site

    output, site, departements = zone_edit["output"], load_site(zone_edit["site"]), zone_edit["departements"]
    touched = {p.parent.relative_to(output).as_posix() + "/" for p in output.glob("*/*/index.html")
               if p.stat().st_mtime != OLD and p.parts[-3] in ("association", "departement")}
    showing = {a.url for a in site.associations if departements & set(a.departements)}
    showing |= {site.reference.departements[code].url for code in departements}
    assert f"association/{zone_edit['edited']}/" in touched
    assert touched <= showing
    rendered = int(re.search(r"(\d+) département and association page\(s\) rendered", zone_edit["log"].stdout)[1])
    assert 0 < rendered <= len(showing) < len(site.associations) + len(site.reference.departements)
    assert ("worked out by networkx" in zone_edit["log"].stdout) == zone_edit["recoloured"]
    assert "communes that touch worked out" not in zone_edit["log"].stdout  # kept with the shapes' digest
