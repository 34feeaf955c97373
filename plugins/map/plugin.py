"""Pelican side of the map: ``MAPS`` for the templates and the /carte/ page.

Templates call ``MAPS.region()``, ``MAPS.departement(departement, associations)`` or
``MAPS.association(association)`` and get a ``MapParts`` to place in the page; the home page's
« Autour de moi » asks ``MAPS.around()`` for the shape files. Every map draws the territory
(communes coloured by AI zone, from the published shape files) under the offices' markers.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import time
from collections.abc import Iterable, Mapping
from functools import cached_property
from pathlib import Path

from directory.directory import INDEX_SAVE_AS  # the finder's index: "directory" loads before "map"
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator
from pipeline import finishing_step, pipeline_of
from pipeline.files import STATE_DIR, replace_whole

from model.digest import digest

from . import assets
from .spec import Bounds, MapError, MapParts, MapSpec, centre_of, union
from .palette import Palette, colour_graph, palette, zone_graph
from .popup import popup_templates
from .shapes import ShapePublisher
from .territory import Territory, script_value, territory_options
from .zones import ZonePublisher

logger = logging.getLogger(__name__)

MAP_URL = "carte/"
SCRIPT_NAME = "carte.js"
NOTES = "maps"  # the build state's part: each map's digest and the parts its page embeds
OVERVIEWS = "map overviews"  # … the départements' overviews (key of their inputs → file)
COLOURS = "map colours"  # … and the zones' colours with the digest of what they were worked out from
DRAWINGS = "maps"  # under the output's build folder: folium's drawings, files marked (``MapMaker._drawn``)
NEIGHBOURS = "map-neighbours.json"  # … and the communes that touch (``MapMaker._neighbours``)
FILES_MARK = "aai:files"  # in place of the files a map names, written in once drawn
BOUNDS_MARK = (10.1234567891, 170.1234567892, 10.1234567893, 170.1234567894)  # … and of its box, out of France
TILE_PATH = "/{z}/{x}/{y}.png"
NO_TILES = "off"  # TILES_URL (AAI_TILES_URL) value that turns the tiles off for one build


def tiles_template(setting: str, default: str) -> str:
    """Leaflet's tile URL from ``TILES_URL``: a full template, or just the server (as the CSP and
    publishconf.py give it: ``https://tile.openstreetmap.org``); empty → data/settings.yaml;
    ``off`` → no tiles (and so is an empty URL in data/settings.yaml)."""
    if not setting:
        return default
    if setting.strip().lower() == NO_TILES:
        return ""
    return setting if "{z}" in setting else setting.rstrip("/") + TILE_PATH


def filled_in(script: str, files: list, bounds: Bounds | None) -> str | None:
    """A map's script drawn with marks (``FILES_MARK``, and ``BOUNDS_MARK`` when it is framed) as folium would
    have drawn it with these files and this box: each mark's text replaced by the value's, as folium writes
    them (JSON; the centre as floats); None when a mark is not found exactly once."""
    values = {script_value(FILES_MARK): script_value(files)}
    if bounds is not None:
        values.update(zip(map(json.dumps, BOUNDS_MARK), map(json.dumps, bounds)))
        values.update(zip((json.dumps(float(v)) for v in centre_of(BOUNDS_MARK)),
                          (json.dumps(float(v)) for v in centre_of(bounds))))
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, values)) + r")(?![\w.])")
    found = pattern.findall(script)
    if len(found) != len(values) or set(found) != set(values):
        return None
    return pattern.sub(lambda match: values[match.group(1)], script)


class MapMaker:
    """Draws the maps on demand, with the site's settings read when a page asks (not at start-up)."""

    def __init__(self, settings: dict):
        self._settings = settings
        self.seconds = 0.0  # time spent building maps, for the build log and the benchmark
        self.made = 0  # maps built by folium in this build (the others came from the last build)
        self.notes: dict[str, list] | None = None  # page URL → [digest, styles, scripts, html, drawing]

    @property
    def pipeline(self):
        return pipeline_of(self._settings)

    @property
    def site(self):
        return self._settings["SITE_DATA"]

    @property
    def siteurl(self) -> str:
        return self._settings.get("SITEURL", "")

    @property
    def tiles(self) -> str:
        return tiles_template(self._settings.get("TILES_URL", ""), self.site.settings.tiles_url)

    @cached_property
    def shapes(self) -> ShapePublisher:
        return ShapePublisher(self.site.shapes, self.pipeline.files, self.siteurl)

    @cached_property
    def palette(self) -> Palette:
        if self.site.brand is None:
            raise MapError("the map takes its colours from data/brand.yaml, which is missing")
        return palette(self.site.brand, tiles=bool(self.tiles))

    @cached_property
    def colours(self) -> dict[str, int]:
        """Each AI's tint, from the last build's notes while what it is worked out from is the same.

        Kept as they are while the zones and the shapes are; else the graph of the zones that touch
        (``zone_graph``, plain Python) is drawn again, and networkx colours it (and is loaded) only when
        that graph changed: a zone edit that makes no zone touch one it did not touch before (a commune
        added beside a zone, among the zones it already touches) changes no colour, and only the maps of
        the edited commune's département are drawn again (``inputs``).
        """
        count = len(self.palette.zones)
        code = self.pipeline.inputs.code  # networkx's version included (pipeline.sources)
        key = digest(code, sorted((a.id, sorted(a.zone)) for a in self.site.associations), count,
                     self._shape_files)
        notes = self.pipeline.notes(COLOURS)
        colours, graph = notes.get("colours"), notes.get("graph")
        if not (notes.get("input") == key and isinstance(colours, dict) and isinstance(graph, str)):
            nodes, edges = zone_graph(self.site.associations, self._neighbours())
            drawn = digest(code, nodes, edges, count)
            if not (drawn == graph and isinstance(colours, dict)):
                colours = colour_graph(nodes, edges, count)
                logger.info("Map: the zones' colours worked out by networkx (the zones that touch changed)")
            graph = drawn
        self.pipeline.remember(COLOURS, {"input": key, "graph": graph, "colours": colours})
        return colours

    @cached_property
    def _shape_files(self) -> dict[str, str]:
        """Each département's published shape file, named after its content."""
        return {code: self.shapes.path(code) for code in self.site.shapes.files}

    def _neighbours(self) -> Mapping[str, Iterable[str]]:
        """The communes that touch (``Shapes.neighbours``: every border line of the region walked, a tenth of a
        second), kept in the output's build folder with the digest of the code and the shape files they come
        from: a zone edit reads them back instead of walking the borders again."""
        key = digest(self.pipeline.inputs.code, self._shape_files)
        path = self.pipeline.files.root / STATE_DIR / NEIGHBOURS
        try:
            saved = json.loads(path.read_text("utf-8"))
            if saved["input"] == key and isinstance(saved["neighbours"], dict):
                return saved["neighbours"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
        found = self.site.shapes.neighbours
        logger.info("Map: the communes that touch worked out from the shape files")
        replace_whole(path, json.dumps({"input": key, "neighbours": {insee: sorted(others) for insee, others
                                                                     in sorted(found.items())}},
                                       separators=(",", ":")).encode("utf-8"))
        return found

    @property
    def index_url(self) -> str:
        return f"{self.siteurl}/{INDEX_SAVE_AS}"

    @cached_property
    def _shared(self) -> str:
        return digest(self.palette.as_options(), self.tiles, self.site.settings.tiles_attribution,
                      self._shape_files, self.siteurl)

    def inputs(self, codes) -> list:
        """What a map of these départements draws besides its page's own data: what every map shares (the
        palette, the tiles, the shape files' names) and the files it names (``drawn_files``). Part of the
        digest of each page with a map (plugins/directory): a page is rendered again when its map changes,
        and only then. A zone edit renames the zones file of its départements (named after their zones and
        the colours of their AIs), not the others': the pages whose maps show other départements are kept."""
        return [self._shared, self.drawn_files(codes)]

    @cached_property
    def zones(self) -> ZonePublisher:
        publisher = ZonePublisher(self.site, self.site.shapes, self.pipeline.files, self.siteurl, self.colours,
                                  known=self.pipeline.notes(OVERVIEWS), code=self.pipeline.inputs.code)
        self.pipeline.remember(OVERVIEWS, publisher.made)  # filled as /carte/ asks for each overview
        return publisher

    def drawn_files(self, codes) -> list[tuple]:
        """The files a map of these départements names (shapes, zones, box). They are fingerprinted, so another
        association's zone change in the same département renames its zones file, and a page kept from the
        last build would name a file that is gone."""
        return [self._files(code, overview=False) for code in codes]

    def _files(self, code: str, overview: bool) -> tuple:
        """What a map names of one département: shapes, zones, overview (/carte/ only), box."""
        box = self.site.reference.departements[code].bounds if code in self.site.reference.departements else None
        return (code, self.shapes.url(code), self.zones.zones_url(code),
                self.zones.overview_url(code) if overview else None, list(box) if box else None)

    @staticmethod
    def script_path(page_url: str) -> str:
        return page_url + SCRIPT_NAME

    def _make(self, spec: MapSpec, page_url: str, territory: Territory) -> MapParts:
        """Render a map and publish its script beside the page (``<page>/carte.js``).

        A map made from the same inputs as in the last build is not built again: its script is kept
        and the parts its page embeds come from the build's notes. A map whose only change is the
        files it names or its box (a zone edited: its département's zones file has a new name, the
        AI's zone another box) is not built by folium either: its script is the one folium drew with
        marks in their place (``FILES_MARK``, ``BOUNDS_MARK``; kept in the output's build folder, see
        ``_drawn``), the files and the box written in (``filled_in``).
        """
        started = time.perf_counter()
        if self.notes is None:
            self.notes = dict(self.pipeline.notes(NOTES))
            self.pipeline.remember(NOTES, self.notes)
        files = [list(self._files(code, overview=territory.mode == "region")) for code in territory.departements]
        options = territory_options(self.site, territory, files=(), index_url=self.index_url,
                                    siteurl=self.siteurl, palette=self.palette)
        attribution = self.site.settings.tiles_attribution
        key = digest(self.pipeline.inputs.code, spec.drawn(), options, files, self.tiles, attribution, self.siteurl,
                     self.pipeline.minified)  # the script kept must be written as this build would write it
        rel = self.script_path(page_url)
        known = self.notes.get(page_url)
        if known and known[0] == key and self.pipeline.files.keep(rel):
            parts = MapParts(styles=tuple(known[1]), scripts=tuple(known[2]), html=Markup(known[3]),
                             script=Markup(""))
        else:
            options["files"] = FILES_MARK  # in the same place in the script as the files, written in once drawn
            marked = dataclasses.replace(spec, bounds=BOUNDS_MARK if spec.bounds else None)
            drawn = digest(self.pipeline.inputs.code, marked.drawn(), options, self.tiles, attribution,
                           self.siteurl)
            parts = self._drawn(drawn, marked, options)
            script = filled_in(str(parts.script), files, spec.bounds)
            if script is None:  # a mark not found once: drawn as it is, kept nowhere
                from .builder import make_map

                options["files"] = files
                parts = make_map(spec, tiles=self.tiles, attribution=attribution, siteurl=self.siteurl,
                                 territory=options)
                script, drawn = str(parts.script), ""
                self.made += 1
            self.pipeline.files.write(rel, script + "\n")
            self.notes[page_url] = [key, list(parts.styles), list(parts.scripts), str(parts.html), drawn]
        shown = {a.id: a for a in spec.associations}
        shown.update((a.id, a) for insee in territory.communes for a in self.site.serving(insee))
        popups = popup_templates([shown[ident] for ident in sorted(shown)], self.site.settings, self.siteurl)
        self.seconds += time.perf_counter() - started
        return dataclasses.replace(parts, script=Markup(""), script_url=f"{self.siteurl}/{rel}", popups=popups)

    @property
    def drawings_folder(self) -> Path:
        return self.pipeline.files.root / STATE_DIR / DRAWINGS

    def _drawn(self, drawn: str, spec: MapSpec, options: dict) -> MapParts:
        """The map folium draws from these inputs, files marked: from the output's build folder when an
        earlier build drew it (named after the digest of its inputs, code included), else by folium."""
        path = self.drawings_folder / f"{drawn}.json"
        try:
            saved = json.loads(path.read_text("utf-8"))
            return MapParts(styles=tuple(saved["styles"]), scripts=tuple(saved["scripts"]),
                            html=Markup(saved["html"]), script=Markup(saved["script"]))
        except (OSError, ValueError, KeyError, TypeError):
            pass
        from .builder import make_map  # folium: loaded only when a map must be built

        parts = make_map(spec, tiles=self.tiles, attribution=self.site.settings.tiles_attribution,
                         siteurl=self.siteurl, territory=options)
        replace_whole(path, json.dumps({"styles": list(parts.styles), "scripts": list(parts.scripts),
                                        "html": str(parts.html), "script": str(parts.script)},
                                       ensure_ascii=False).encode("utf-8"))
        self.made += 1
        return parts

    def region(self, page_url: str = MAP_URL) -> MapParts:
        """Every commune and AI office of the five départements, offices clustered."""
        reference = self.site.reference
        spec = MapSpec("carte", self.site.associations, bounds=self.site.shapes.bounds(reference.communes),
                       cluster=True)
        return self._make(spec, page_url, Territory("region", tuple(reference.departements),
                                                    tuple(reference.communes)))

    def departement(self, departement, associations) -> MapParts:
        """The département's communes coloured by AI, and the offices of those AIs (some sit next door)."""
        communes = tuple(c.insee for c in self.site.reference.in_departement(departement.code))
        points = [(a.latitude, a.longitude) for a in associations]
        spec = MapSpec(f"dep_{departement.code}", tuple(associations), small=True, cluster=True,
                       cluster_radius=50, bounds=union([self.site.shapes.bounds(communes)], points))
        return self._make(spec, departement.url, Territory("departement", (departement.code,), communes))

    def association(self, association) -> MapParts:
        """One AI's zone and office."""
        zone = tuple(sorted(association.zone))
        box = self.site.shapes.bounds(zone)
        spec = MapSpec("ai", (association,), zoom=13, small=True,
                       bounds=union([box], [(association.latitude, association.longitude)]) if box else None)
        return self._make(spec, association.url, Territory("association", association.departements, zone,
                                                          key=association.id))

    def around(self) -> dict:
        """What « Autour de moi » needs without a map: every département's file and box, the index."""
        files = [[code, self.shapes.url(code), list(d.bounds)]
                 for code, d in self.site.reference.departements.items()]
        # communes.js is left out: the finder beside « Autour de moi » loads it (one index cache).
        scripts = [u for u in assets.shapes(self.siteurl) if not u.endswith(assets.COMMUNES_JS)]
        return {"files": files, "index": self.index_url,
                "scripts": [*scripts, assets.url(self.siteurl, assets.AROUND_JS)]}


def groups_by_departement(site) -> list[tuple[object, list]]:
    """AIs under the département of their office, for the text list under the big map."""
    return [(d, sorted((a for a in site.associations if a.commune.departement == d.code),
                       key=lambda a: a.name))
            for d in site.reference.departements.values()]


class MapPageGenerator(Generator):
    """Writes /carte/ from theme/templates/map.html."""

    def generate_output(self, writer) -> None:
        maker = self.context["MAPS"]
        writer.write_file(MAP_URL + "index.html", self.get_template("map"), self.context,
                          url=MAP_URL, page_url=MAP_URL,
                          groups=groups_by_departement(self.context["SITE_DATA"]))
        logger.info("Map: /%s written; %d map(s) built, %.2f s spent on maps so far", MAP_URL, maker.made,
                    maker.seconds)


def add_maker(pelican) -> None:
    pelican.settings["MAPS"] = MapMaker(pelican.settings)


def get_generators(pelican):
    return MapPageGenerator


def prune_notes(pelican, pipeline) -> None:
    """Notes only for the maps this build published."""
    maker = pelican.settings.get("MAPS")
    if maker is not None and maker.notes is not None:
        for url in [u for u in maker.notes if maker.script_path(u) not in pipeline.files.produced]:
            del maker.notes[url]
        drawings = {f"{known[4]}.json" for known in maker.notes.values() if len(known) > 4}
        if maker.drawings_folder.is_dir():  # the drawings of the maps published only
            for path in maker.drawings_folder.iterdir():
                if path.name not in drawings:
                    path.unlink()


def register() -> None:
    signals.initialized.connect(add_maker)
    signals.get_generators.connect(get_generators)
    finishing_step("map notes", 90, prune_notes)
