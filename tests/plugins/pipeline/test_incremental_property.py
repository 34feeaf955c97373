"""Whatever an editor changes, an incremental build writes the bytes a cold build writes (Hypothesis).

A scaled-down copy of the site (support_builds: the five départements, six communes each plus the offices,
the real content, and here the real theme too) is built once. Each example then puts the sources back as
they were, applies one to three random edits — a field of an association in data/associations.yaml (phone,
hours, name, a service, a commune added to or taken from its zone), the title or the body of a Markdown
file, a template, a template included with « ignore missing » deleted, a file of theme/static (edited or
added), a news article deleted, the charter's results published by the functions — and builds twice with
``make build``'s command: into the folder of the examples before (its notes, its cache: incremental) and into a
new folder (cold). The two trees must hold the same files with the same bytes, the build's notes included. As
the sources are put back before each example, every incremental build also undoes the edits of the example
before it.

The cold builds share one cache of compiled templates (Jinja checks each template's source before using its
compiled code), never the incremental builds' one: a cold build is two seconds of the suite.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support_builds import ROOT, pelican, snapshot, synthetic_root

from model import load_site

EXAMPLES = 5  # each one: one to three edits, an incremental and a cold build (about 4 s)
GENERATED = {"css/tokens.css", "css/charte.css", "images/logo.svg", "images/logo-negatif.svg",
             "images/pictos.svg"}  # made from data/brand.yaml by each build (kit/brand.py): not edited by hand
OPTIONAL = re.compile(r"""\{%-?\s*include\s+["']([^"']+)["']\s+ignore missing""")
HOURS = ("Du lundi au vendredi, de 9 h à 12 h", "Le mardi et le jeudi, de 14 h à 17 h 30",
         "Du lundi au samedi, de 8 h à 18 h ; le dimanche sur rendez-vous")


@dataclass
class World:
    pristine: Path  # the sources as built first; each example starts from a copy of them
    site: Path  # the sources the examples edit
    output: Path  # the incremental builds' folder
    cache: Path  # … and their CACHE_PATH
    cold_cache: Path
    base: Path
    associations: list[str]  # ids, in file order
    zones: dict[str, list[str]]  # id → the INSEE codes of its zone
    communes: list[str]  # every commune of the copy
    services: list[str]
    templates: list[str]  # paths under theme/templates
    optional_templates: list[str]  # … those included with « ignore missing »
    statics: list[str]  # paths under theme/static that a build copies as they are
    markdown: list[str]  # paths under content
    news: list[str]  # paths under content/actualites
    touched: set[str]  # paths (relative to the site) the last example edited, put back before the next
    builds: int = 0

    def build(self, output: Path, cache: Path):
        return pelican(self.site, output, THEME=str(self.site / "theme"), CACHE_PATH=str(cache))

    def restore(self) -> None:
        for rel in sorted(self.touched):
            source, target = self.pristine / rel, self.site / rel
            if source.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
            else:
                target.unlink(missing_ok=True)
        self.touched.clear()


def relative_files(folder: Path, base: Path, pattern: str = "*") -> list[str]:
    return sorted(p.relative_to(base).as_posix() for p in folder.rglob(pattern) if p.is_file())


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    base = tmp_path_factory.mktemp("incremental-property")
    pristine = synthetic_root(base / "pristine", communes=6)
    shutil.copytree(ROOT / "theme", pristine / "theme", dirs_exist_ok=True)
    site = base / "site"
    shutil.copytree(pristine, site)
    model = load_site(pristine)
    templates = relative_files(site / "theme" / "templates", site)
    optional = sorted({f"theme/templates/{name}" for rel in templates
                       for name in OPTIONAL.findall((site / rel).read_text("utf-8"))})
    statics = [rel for rel in relative_files(site / "theme" / "static", site)
               if rel.removeprefix("theme/static/") not in GENERATED and "/fonts/" not in rel]
    result = World(
        pristine=pristine, site=site, output=base / "output", cache=base / "cache", cold_cache=base / "cold-cache",
        base=base, associations=[a.id for a in model.associations],
        zones={a.id: sorted(a.zone) for a in model.associations}, communes=sorted(model.reference.communes),
        services=sorted(model.services), templates=templates,
        optional_templates=optional,
        statics=statics, markdown=relative_files(site / "content", site, "*.md"),
        news=relative_files(site / "content" / "actualites", site, "*.md"), touched=set())
    result.build(result.output, result.cache)
    return result


# --- the edits: each one a function of the world, drawn with its arguments ---------------------------------

def edit_association(world: World, index: int, field: str, number: int) -> None:
    path = world.site / "data" / "associations.yaml"
    text = path.read_text("utf-8")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    data = yaml.safe_load(text)
    entry = data["associations"][index % len(data["associations"])]
    if field == "phone":
        entry["phone"] = f"05 36 49 {number % 100:02d} {number // 100 % 100:02d}"
    elif field == "hours":
        entry["hours"] = HOURS[number % len(HOURS)]
    elif field == "name":
        entry["name"] = f"{entry['name']} ({number})"
    elif field == "service":
        service = world.services[number % len(world.services)]
        offered = entry["services"]
        if service not in offered:
            offered.append(service)
        elif len(offered) > 1:
            offered.remove(service)
    elif field == "commune added":
        commune = world.communes[number % len(world.communes)]
        zone = entry["zone"]
        if commune in zone.get("except", []):
            zone["except"].remove(commune)
        elif commune not in world.zones[entry["id"]]:
            zone.setdefault("communes", []).append(commune)
    elif field == "commune removed":
        served = world.zones[entry["id"]]
        commune = served[number % len(served)]
        zone = entry["zone"]
        if len(served) > 1:
            if commune in zone.get("communes", []):
                zone["communes"].remove(commune)
            else:
                zone.setdefault("except", []).append(commune)
    path.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), "utf-8")
    world.touched.add("data/associations.yaml")


def edit_markdown(world: World, index: int, field: str, number: int) -> None:
    rel = world.markdown[index % len(world.markdown)]
    path = world.site / rel
    if not path.is_file():  # deleted by an earlier edit of the example
        return
    head, _, body = path.read_text("utf-8").partition("\n\n")
    if field == "title":
        head = "\n".join(f"{line} (modifié {number})" if line.startswith("Title:") else line
                         for line in head.splitlines())
    else:
        body = f"{body.rstrip()}\n\nUn paragraphe ajouté ({number}).\n"
    path.write_text(f"{head}\n\n{body}", "utf-8")
    world.touched.add(rel)


def edit_template(world: World, index: int, where: int, number: int) -> None:
    """A comment put after the tag opening one of its blocks or macros, or at its start: somewhere it shows."""
    rel = world.templates[index % len(world.templates)]
    path = world.site / rel
    if not path.is_file():  # deleted by an earlier edit of the example
        return
    text = path.read_text("utf-8")
    places = [0, *(m.end() for m in re.finditer(r"\{%-?\s*(?:block|macro)\b[^%]*-?%\}", text))]
    at = places[where % len(places)]
    path.write_text(f"{text[:at]}<!-- modifié {number} -->{text[at:]}", "utf-8")
    world.touched.add(rel)


def delete_optional_template(world: World, index: int) -> None:
    """A template a page includes with ``ignore missing``: the page goes on without it (and gets it back when
    the next example puts the sources back)."""
    rel = world.optional_templates[index % len(world.optional_templates)]
    (world.site / rel).unlink(missing_ok=True)
    world.touched.add(rel)


def edit_static(world: World, index: int, new: bool, number: int) -> None:
    if new:
        rel = f"theme/static/js/ajout-{number}.js"
        (world.site / rel).write_text(f"// un fichier ajouté ({number})\n", "utf-8")
    else:
        rel = world.statics[index % len(world.statics)]
        path = world.site / rel
        suffix = {".css": f"\n/* modifié {number} */\n", ".js": f"\n// modifié {number}\n",
                  ".svg": f"\n<!-- modifié {number} -->\n"}.get(path.suffix, f"\n{number}\n")
        path.write_bytes(path.read_bytes() + suffix.encode())
    world.touched.add(rel)


def publish_results(world: World, index: int, counted: int, kept: int) -> None:
    """The functions' results file (plugins/charter_results), for one association and the region: shown from ten
    answers on, so the counts fall on both sides of it."""
    rel = "var/charter-results.json"
    path = world.site / rel
    path.parent.mkdir(exist_ok=True)
    promise = {"callback_48h": {"counted": counted, "kept": min(kept, counted)}}
    path.write_text(json.dumps({
        "format": 1, "computed_at": "2026-12-01T07:00:00+01:00", "period": {"start": "2025-12-01", "end": "2026-11-30"},
        "region": promise, "associations": {world.associations[index % len(world.associations)]: promise}}), "utf-8")
    world.touched.add(rel)


def delete_news(world: World, index: int) -> None:
    rel = world.news[index % len(world.news)]
    (world.site / rel).unlink(missing_ok=True)
    world.touched.add(rel)


numbers = st.integers(min_value=0, max_value=9999)
indexes = st.integers(min_value=0, max_value=999)
EDITS = st.one_of(
    st.tuples(st.just(edit_association), indexes,
              st.sampled_from(["phone", "hours", "name", "service", "commune added", "commune removed"]), numbers),
    st.tuples(st.just(edit_markdown), indexes, st.sampled_from(["title", "body"]), numbers),
    st.tuples(st.just(edit_template), indexes, indexes, numbers),
    st.tuples(st.just(delete_optional_template), indexes),
    st.tuples(st.just(edit_static), indexes, st.booleans(), numbers),
    st.tuples(st.just(delete_news), indexes),
    st.tuples(st.just(publish_results), indexes, st.integers(min_value=0, max_value=20),
              st.integers(min_value=0, max_value=20)),
)


def describe(edit: tuple) -> str:
    return f"{edit[0].__name__}{edit[1:]}"


@settings(max_examples=EXAMPLES, deadline=None, derandomize=False, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(EDITS, min_size=1, max_size=3))
def test_an_incremental_build_after_random_edits_is_byte_identical_to_a_cold_one(world, edits):
    world.restore()
    for function, *arguments in edits:
        function(world, *arguments)
    world.builds += 1
    world.build(world.output, world.cache)
    cold = world.base / f"cold-{world.builds}"
    world.build(cold, world.cold_cache)
    incremental, expected = snapshot(world.output), snapshot(cold)  # the build's notes (.build/) too
    shutil.rmtree(cold)
    edited = "; ".join(describe(edit) for edit in edits)
    assert sorted(incremental.keys() - expected.keys()) == [], f"left over after {edited}"
    assert sorted(expected.keys() - incremental.keys()) == [], f"missing after {edited}"
    stale = sorted(rel for rel in expected if incremental[rel] != expected[rel])
    assert stale == [], f"stale after {edited}"


def test_a_template_edit_renders_again_only_the_pages_that_read_it(world):
    """The form's template is read by the form pages alone: the directory's pages are kept as they are."""
    world.restore()
    world.build(world.output, world.cache)  # the output as the sources say, whatever the examples left
    edit_template(world, world.templates.index("theme/templates/forms/demande.html"), 0, 1)
    log = pelican(world.site, world.output, "--verbose", THEME=str(world.site / "theme"),
                  CACHE_PATH=str(world.cache)).stdout
    world.restore()
    communes = len(world.communes)
    assert re.search(rf"Commune pages: 0 of {communes} rendered", log), log[-3000:]
    assert "0 département and association page(s) rendered" in log
    demande = list(world.output.glob("association/*/demande/index.html"))
    assert len(demande) == len(world.associations)
    assert all("<!-- modifié 1 -->" in p.read_text("utf-8") for p in demande)


def test_a_commune_removed_from_one_zone_renews_every_map_naming_the_departements_zones(world):
    """Found by the property test: the département's zones file is fingerprinted, and the other associations'
    pages of that département were kept, their maps naming the file the build had just replaced."""
    world.restore()
    edit_association(world, 0, "commune removed", 3)
    world.builds += 1
    world.build(world.output, world.cache)
    cold = world.base / f"cold-{world.builds}"
    world.build(cold, world.cold_cache)
    incremental, expected = snapshot(world.output), snapshot(cold)
    shutil.rmtree(cold)
    assert sorted(rel for rel in expected if incremental.get(rel) != expected[rel]) == []
    world.restore()
