"""Build benchmark against its peers (not a test): prints figures and ratios, measured side by side.

On the real data, or on the synthetic France (``--france``: scripts/synthetic_site.py, 35,648 communes and
512 associations), it measures, alternating the tools from one round to the next (medians of ``--runs``):

- our cold build (``make build``'s command into an empty folder) against a bare Pelican build of as many
  pages — the same titles and texts as Markdown, no plugin, Pelican's own theme — and against Hugo's
  cold build of those pages (Debian package ``hugo``, scripts/debian-packages/benchmark.txt), twice: the
  one-line template of old, and a realistic peer — our own page chrome (head, header, menu, footer) as
  Hugo templates and partials, the menu from Hugo's menu, each page's <main> as it is in ours;
- our rebuild after one edit of each kind (a news title, a page's text, an association's phone, its hours, a
  commune added to or taken from a zone — the one edit that redraws maps) and with nothing changed, against
  Hugo's cold build;
- the peak memory of each build (the proportional set sizes of all its processes, summed, sampled);
- Pagefind both ways: the pages people search (content, services, départements, associations) against
  every page with a body, commune pages included;
- what a browser fetches: the finder's entry and parts, the map scripts.

The machine is shared: only ratios measured in the same run mean something; wall time and CPU time are
both printed. Nothing here asserts anything: the figures go in the issue's notes.

``--nochange`` measures only ``make build`` with nothing changed (plugins/pipeline/nochange.py) against its floor:
a fresh Python process that imports the build (Pelican and the plugins) and loads the data, alternated with it,
and, with ``--peer-checkout DIR``, the same command of another checkout (``main`` before a change) beside them.

Usage::

    .venv/bin/python scripts/benchmark_scale.py [--france] [--runs 3] [--work DIR]
    .venv/bin/python scripts/benchmark_scale.py --nochange [--france] [--runs 5] [--peer-checkout DIR]
"""

from __future__ import annotations

import argparse
import gzip
import html
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
MAIN = re.compile(r"<main\b[^>]*>(.*?)</main>", re.S)
TAG = re.compile(r"<[^>]+>")
SPACES = re.compile(r"\s+")


# --- measuring a command ---------------------------------------------------------------------------------

@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float


def _tree_pss_kb(session: int) -> int:
    """Memory of every process of a session (the build and what it started), in KiB: the sum of their
    proportional set sizes, so the pages forked workers share with the build count once, not once each
    (a sum of resident sizes would count them as often as there are processes)."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            if int(fields[3]) != session:  # field 6 of stat, the session id
                continue
            with open(f"/proc/{entry.name}/smaps_rollup", "rb") as handle:
                for row in handle:
                    if row.startswith(b"Pss:"):
                        total += int(row.split()[1])
                        break
        except (OSError, IndexError, ValueError):
            continue
    return total


def measure(command: list[str], cwd: Path = ROOT, env: dict | None = None) -> Run:
    """Wall time, CPU time (its own and its children's) and peak memory of the whole process tree."""
    before = os.times()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_pss_kb(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    after = os.times()
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{output.decode(errors='replace')[-3000:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return Run(wall, cpu, peak / 1024)


# --- the three sites --------------------------------------------------------------------------------------

def prepare_project(work: Path, france: bool) -> Path:
    """A project root of our own (data, content, fonts), so edits never touch the repository."""
    project = work / "project"
    if france:
        if not (project / "data" / "communes.json").is_file():
            spec = importlib.util.spec_from_file_location("synthetic_site", ROOT / "scripts" / "synthetic_site.py")
            synthetic = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(synthetic)
            synthetic.make_synthetic_root(project)
    else:
        shutil.rmtree(project, ignore_errors=True)
        shutil.copytree(ROOT / "data", project / "data")
        shutil.copytree(ROOT / "theme" / "static" / "fonts", project / "theme" / "static" / "fonts")
    shutil.rmtree(project / "content", ignore_errors=True)
    shutil.copytree(ROOT / "content", project / "content")
    return project


def ours(project: Path, output: Path, checkout: Path = ROOT) -> list[str]:
    """``make build``'s command (without the routing table, which lives in the repository), run in ``checkout``."""
    return ["env", f"PYTHONPATH={checkout / 'plugins'}", PYTHON, "-m", "pipeline.build", "--settings",
            "pelicanconf.py", "--output", str(output), "-e", f'PATH="{project / "content"}"', "--fatal", "errors"]


# The floor of a build with nothing to do: a fresh process importing what the build imports before it can tell
# (Pelican, its settings reader, every plugin of PLUGINS) and loading the data model.
FLOOR = """
import runpy, sys
from pelican import Pelican
from pelican.settings import read_settings
for name in runpy.run_path("pelicanconf.py")["PLUGINS"]:
    __import__(name)
from model import load_site
load_site(sys.argv[1])
"""


def floor(project: Path) -> list[str]:
    return ["env", f"PYTHONPATH={ROOT / 'plugins'}", PYTHON, "-c", FLOOR, str(project)]


def nochange(args: argparse.Namespace, work: Path, project: Path) -> int:
    """``make build`` with nothing changed against its floor (and another checkout's), alternated."""
    builds = {"ours, nothing changed": (ROOT, work / "nochange-ours")}
    if args.peer_checkout:
        builds["peer checkout, nothing changed"] = (args.peer_checkout.resolve(), work / "nochange-peer")
    for name, (checkout, output) in builds.items():
        first = measure(ours(project, output, checkout), cwd=checkout)
        print(f"  {name} : première construction {first.wall:.1f} s", flush=True)
        measure(ours(project, output, checkout), cwd=checkout)  # the first no-op of the peer leaves its notes
    check = subprocess.run(ours(project, builds["ours, nothing changed"][1]), cwd=ROOT, capture_output=True,
                           text=True)
    if "Rien n’a changé" not in check.stdout + check.stderr:
        sys.exit("La construction sans changement a reconstruit :\n" + (check.stdout + check.stderr)[-3000:])
    commands = {name: (ours(project, output, checkout), checkout) for name, (checkout, output) in builds.items()}
    commands["floor (imports + data)"] = (floor(project), ROOT)
    series = {name: Series() for name in commands}
    for round_number in range(args.runs):
        names = list(commands)
        names = names[round_number % len(names):] + names[:round_number % len(names)]  # alternated
        for name in names:
            command, cwd = commands[name]
            series[name].runs.append(measure(command, cwd=cwd))
    print("\nMédianes (machine partagée : seuls les rapports mesurés côte à côte comptent ; "
          "mémoire : somme des PSS des processus)")
    for name, found in series.items():
        print(line(name, found))
    print("\nRapports")
    base = series["floor (imports + data)"]
    for name in builds:
        print(ratio(f"{name} / plancher", series[name], base))
    if args.peer_checkout:
        print(ratio("nous / checkout pair", series["ours, nothing changed"], series["peer checkout, nothing changed"]))
    print(f"\nDossier de travail : {work}")
    return 0


def page_texts(output: Path) -> list[tuple[str, str]]:
    """(title, text of <main>) of every HTML page we built: what the peers get to build."""
    pages = []
    for path in sorted(output.rglob("*.html")):
        if ".build" in path.parts:
            continue
        text = path.read_text("utf-8")
        title = TITLE.search(text)
        main = MAIN.search(text)
        body = SPACES.sub(" ", html.unescape(TAG.sub(" ", main.group(1) if main else ""))).strip()
        pages.append((html.unescape(title.group(1)) if title else path.parent.name, body))
    return pages


def write_peers(work: Path, pages: list[tuple[str, str]]) -> tuple[Path, Path]:
    """A bare Pelican project and a Hugo project with these pages, as Markdown."""
    pelican, hugo = work / "bare-pelican", work / "hugo"
    for folder in (pelican, hugo):
        shutil.rmtree(folder, ignore_errors=True)
    (pelican / "content" / "pages").mkdir(parents=True)
    (hugo / "content" / "pages").mkdir(parents=True)
    (hugo / "layouts" / "_default").mkdir(parents=True)
    for number, (title, body) in enumerate(pages):
        paragraphs = "\n\n".join(body[i:i + 600] for i in range(0, len(body), 600))
        safe = title.replace('"', "'")
        (pelican / "content" / "pages" / f"p{number}.md").write_text(
            f"Title: {title}\nSlug: p{number}\n\n{paragraphs}\n", "utf-8")
        (hugo / "content" / "pages" / f"p{number}.md").write_text(
            f'---\ntitle: "{safe}"\n---\n\n{paragraphs}\n', "utf-8")
    (pelican / "pelicanconf.py").write_text(
        'SITENAME = "Bare"\nPATH = "content"\nPAGE_PATHS = ["pages"]\nARTICLE_PATHS = []\n'
        'PAGE_URL = "{slug}/"\nPAGE_SAVE_AS = "{slug}/index.html"\nTIMEZONE = "Europe/Paris"\n'
        'FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nAUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\n'
        'TRANSLATION_FEED_ATOM = None\nDIRECT_TEMPLATES = ["index"]\nAUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""\n'
        'TAG_SAVE_AS = TAGS_SAVE_AS = ""\nCATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""\nARCHIVES_SAVE_AS = ""\n'
        'DISPLAY_PAGES_ON_MENU = False\nTHEME = "simple"\nPLUGINS = []\n', "utf-8")
    (hugo / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\nlanguageCode = "fr"\ntitle = "Bare"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n', "utf-8")
    template = ('<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
                "<body><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>\n")
    for name in ("single.html", "list.html"):
        (hugo / "layouts" / "_default" / name).write_text(template, "utf-8")
    return pelican, hugo


HEAD = re.compile(r"<head>(.*?)</head>", re.S)
BODY_OPEN = re.compile(r"<body\b[^>]*>")
MENU = re.compile(r'(<nav aria-label="Menu principal"><ul class="menu">)(.*?)(</ul></nav>)', re.S)
MENU_ITEM = re.compile(r'<li><a href="([^"]*)">(.*?)</a></li>')
HEAD_PAGE_ONLY = re.compile(r'<title>.*?</title>|<meta name="description"[^>]*>|<meta property="og:[^>]*>|'
                            r'<link rel="canonical"[^>]*>|<script type="application/ld\+json">.*?</script>', re.S)


def page_mains(output: Path) -> list[tuple[str, str, str]]:
    """(path, title, the HTML of <main>) of every HTML page we built: what the realistic peer renders."""
    pages = []
    for path in sorted(output.rglob("*.html")):
        rel = path.relative_to(output)
        if rel.parts[0] in (".build", "pagefind"):
            continue
        text = path.read_text("utf-8")
        title, main = TITLE.search(text), MAIN.search(text)
        pages.append((rel.as_posix(), html.unescape(title.group(1)) if title else path.parent.name,
                      main.group(1) if main else ""))
    return pages


def write_realistic_hugo(work: Path, output: Path, pages: list[tuple[str, str, str]]) -> Path:
    """A Hugo project that builds the same pages with the same chrome as ours: <head> (styles, fonts,
    scripts), header with the menu, footer, taken from our commune page of Saint-Émilion (or the first page)
    and written as Hugo templates — base layout, partials, the menu as Hugo's menu, each page's title and
    description from its front matter — and each page's <main> as its content, at the same address."""
    folder = work / "hugo-realistic"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "layouts" / "_default").mkdir(parents=True)
    (folder / "layouts" / "partials").mkdir(parents=True)
    model = next((output / p for p, _, _ in pages if p.startswith("commune/")), output / pages[0][0])
    text = model.read_text("utf-8")
    head = HEAD_PAGE_ONLY.sub("", HEAD.search(text).group(1))
    body_open = BODY_OPEN.search(text)
    header = text[body_open.end():text.index("<main")]
    footer = text[text.index("</main>") + len("</main>"):text.index("</body>")]
    menu = MENU.search(header)
    entries = MENU_ITEM.findall(menu.group(2)) if menu else []
    if menu:
        header = (header[:menu.start()] + menu.group(1) + "{{ range .Site.Menus.main }}"
                  '<li><a href="{{ .URL }}">{{ .Name }}</a></li>{{ end }}' + menu.group(3) + header[menu.end():])
    config = ['baseURL = "https://www.example.org/"', 'languageCode = "fr"', 'title = "AAI"',
              'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]',
              "[markup.goldmark.renderer]", "unsafe = true"]
    for weight, (url, name) in enumerate(entries):
        config += ["[[menu.main]]", f"name = {json.dumps(html.unescape(name), ensure_ascii=False)}",
                   f'url = "{url}"', f"weight = {weight + 1}"]  # 0 is « no weight »: last
    (folder / "hugo.toml").write_text("\n".join(config) + "\n", "utf-8")
    partials = folder / "layouts" / "partials"
    (partials / "head.html").write_text(head, "utf-8")
    (partials / "header.html").write_text(header, "utf-8")
    (partials / "footer.html").write_text(footer, "utf-8")
    (folder / "layouts" / "_default" / "baseof.html").write_text(
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n'
        "<title>{{ .Title }}</title>\n"
        '<meta name="description" content="{{ .Description }}">\n'
        '<link rel="canonical" href="{{ .Permalink }}">\n<meta property="og:title" content="{{ .Title }}">\n'
        '{{ partial "head.html" . }}</head>\n<body>\n{{ partial "header.html" . }}'
        '<main id="contenu" tabindex="-1" class="wrap">{{ block "main" . }}{{ end }}</main>'
        '{{ partial "footer.html" . }}</body>\n</html>\n', "utf-8")
    for name in ("single.html", "list.html"):
        (folder / "layouts" / "_default" / name).write_text('{{ define "main" }}{{ .Content }}{{ end }}\n', "utf-8")
    content = folder / "content"
    for number, (rel, title, main) in enumerate(pages):
        url = "/" + rel.removesuffix("index.html") if rel.endswith("index.html") else "/" + rel
        path = content / f"p{number}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        front = json.dumps({"title": title, "description": title, "url": url}, ensure_ascii=False)
        path.write_text(f"{front}\n\n{main}\n", "utf-8")
    return folder


def bare_pelican(folder: Path, output: Path) -> list[str]:
    return [PYTHON, "-m", "pelican", "content", "--settings", "pelicanconf.py", "--output", str(output),
            "--quiet"]


def hugo(folder: Path, output: Path) -> list[str]:
    return ["hugo", "--quiet", "--source", str(folder), "--destination", str(output)]


# --- edits ------------------------------------------------------------------------------------------------

def edit_news(project: Path, round_number: int) -> None:
    news = sorted((project / "content" / "actualites").glob("*.md"))[0]
    text = re.sub(r"^(Title: .*?)(?: \(essai \d+\))?$", rf"\1 (essai {round_number})", news.read_text("utf-8"),
                  count=1, flags=re.M)
    news.write_text(text, "utf-8")


def edit_phone(project: Path, round_number: int) -> None:
    path = project / "data" / "associations.yaml"
    text = path.read_text("utf-8")
    digit = round_number % 10
    text = re.sub(r"(?m)^(\s*-?\s*phone: )05 36 49 \d\d \d\d", rf"\g<1>05 36 49 9{digit} 9{digit}", text, count=1)
    path.write_text(text, "utf-8")


def edit_page(project: Path, round_number: int) -> None:
    """A sentence added to a page's body (content/pages/), as an editor would fix a word."""
    path = project / "content" / "pages" / "association-intermediaire.md"
    text = re.sub(r"\n\n\(Mise à jour \d+\.\)\n$", "\n", path.read_text("utf-8"))
    path.write_text(text.rstrip("\n") + f"\n\n(Mise à jour {round_number}.)\n", "utf-8")


def edit_hours(project: Path, round_number: int) -> None:
    """An association's opening hours (data/associations.yaml)."""
    path = project / "data" / "associations.yaml"
    text = re.sub(r"(?m)^(\s*-?\s*hours: .*?)(?: \(mis à jour \d+\))?$", rf"\1 (mis à jour {round_number})",
                  path.read_text("utf-8"), count=1)
    path.write_text(text, "utf-8")


def edit_zone(project: Path, round_number: int) -> None:
    """The second association's office commune added to the first association's zone, then taken out again:
    the maps are drawn again. (The file is written back by PyYAML: its comments go, its data stays.)"""
    path = project / "data" / "associations.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    first, second = data["associations"][:2]
    communes = first["zone"].setdefault("communes", [])
    if second["commune"] in communes:
        communes.remove(second["commune"])
    else:
        communes.append(second["commune"])
    if not communes:
        del first["zone"]["communes"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), "utf-8")

# --- Pagefind both ways -----------------------------------------------------------------------------------

def pagefind_both_ways(output: Path, work: Path) -> dict[str, list[Run]]:
    from editorial.search import command
    searchable, communes = work / "search-chosen", work / "search-all"
    for folder in (searchable, communes):
        shutil.rmtree(folder, ignore_errors=True)
    for path in output.rglob("*.html"):
        rel = path.relative_to(output)
        if rel.parts[0] in ("pagefind", ".build"):
            continue
        text = path.read_text("utf-8")
        if "data-pagefind-body" in text:
            for folder in (searchable, communes):
                (folder / "site" / rel).parent.mkdir(parents=True, exist_ok=True)
                (folder / "site" / rel).write_text(text, "utf-8")
        elif rel.parts[0] == "commune":  # as before: the commune page's <main> had a body too
            text = text.replace('<main id="contenu" tabindex="-1" class="wrap">',
                                '<main id="contenu" tabindex="-1" class="wrap" data-pagefind-body>')
            (communes / "site" / rel).parent.mkdir(parents=True, exist_ok=True)
            (communes / "site" / rel).write_text(text, "utf-8")
    runs = {"chosen": [], "with communes": []}
    for round_number in range(3):
        order = list(runs) if round_number % 2 == 0 else list(reversed(runs))
        for name in order:
            folder = searchable if name == "chosen" else communes
            shutil.rmtree(folder / "index", ignore_errors=True)
            runs[name].append(measure(command(folder / "site", folder / "index")))
    for name, folder in (("chosen", searchable), ("with communes", communes)):
        size = sum(p.stat().st_size for p in (folder / "index").rglob("*") if p.is_file())
        pages = sum(1 for _ in (folder / "site").rglob("*.html"))
        runs[name + " (pages, index MB)"] = (pages, size / 1024 / 1024)
    return runs


# --- report -----------------------------------------------------------------------------------------------

@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(run, attribute) for run in self.runs)


def line(name: str, series: Series) -> str:
    return (f"  {name:<34} {series.median('wall'):7.2f} s wall  {series.median('cpu'):7.2f} s CPU  "
            f"{series.median('peak_mb'):7.0f} MB peak   (n={len(series.runs)})")


def ratio(label: str, ours_series: Series, peer: Series) -> str:
    return (f"  {label:<48} {ours_series.median('wall') / peer.median('wall'):5.2f} (wall)  "
            f"{ours_series.median('cpu') / peer.median('cpu'):5.2f} (CPU)")


def sizes(output: Path) -> list[str]:
    def kb(path: Path) -> str:
        data = path.read_bytes()
        return f"{len(data) / 1024:7.1f} KB ({len(gzip.compress(data)) / 1024:6.1f} KB gzip)"

    entry = output / "trouver" / "communes.json"
    index = json.loads(entry.read_text("utf-8"))
    departements = [output / "trouver" / name for _, _, name in index["departements"]]
    names = sorted((output / "trouver" / name for name in index["names"].values()), key=lambda p: p.stat().st_size)
    whole = b"".join(p.read_bytes() for p in departements)
    maps = sorted(output.rglob("carte.js"), key=lambda p: p.stat().st_size)
    return [
        f"  finder entry (every page)          {kb(entry)}",
        f"  finder, all communes (before: one file) {len(whole) / 1024:7.1f} KB "
        f"({len(gzip.compress(whole)) / 1024:6.1f} KB gzip)",
        f"  largest département part           {kb(max(departements, key=lambda p: p.stat().st_size))}",
        f"  name parts: median / largest       {kb(names[len(names) // 2])} / {kb(names[-1])}",
        f"  map script /carte/carte.js         {kb(output / 'carte' / 'carte.js')}",
        f"  largest other map script           {kb(maps[-2] if len(maps) > 1 else maps[-1])}",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--france", action="store_true", help="the synthetic France (35,648 communes)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, help="working folder (kept; the synthetic data is reused)")
    parser.add_argument("--skip-pagefind", action="store_true")
    parser.add_argument("--nochange", action="store_true",
                        help="only make build with nothing changed, against its floor (and --peer-checkout)")
    parser.add_argument("--peer-checkout", type=Path, help="another checkout (e.g. a worktree of main)")
    args = parser.parse_args()
    if args.nochange:
        work = args.work or Path(tempfile.mkdtemp(prefix="benchmark-nochange-"))
        work.mkdir(parents=True, exist_ok=True)
        return nochange(args, work, prepare_project(work, args.france))
    if not shutil.which("hugo"):
        sys.exit("Hugo manque : installez les paquets Debian de la mesure : "
                 "bash scripts/install_debian_packages.sh benchmark")
    work = args.work or Path(tempfile.mkdtemp(prefix="benchmark-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    project = prepare_project(work, args.france)

    warm = work / "ours-warm"
    trash = work / "to-delete"  # deleted at the end, after the measures (see the cold builds below)
    if warm.exists():
        trash.mkdir(exist_ok=True)
        warm.rename(trash / f"ours-warm-{time.time_ns()}")
    first = measure(ours(project, warm))
    pages = page_texts(warm)
    pelican_folder, hugo_folder = write_peers(work, pages)
    realistic_folder = write_realistic_hugo(work, warm, page_mains(warm))
    print(f"{'France (synthétique)' if args.france else 'Données réelles'} : {len(pages)} pages HTML "
          f"(première construction : {first.wall:.1f} s)", flush=True)

    series = {name: Series() for name in ("ours cold", "bare Pelican cold", "Hugo cold", "Hugo realistic cold",
                                          "ours, news edited", "ours, page edited", "ours, phone edited",
                                          "ours, hours edited", "ours, zone edited", "ours, nothing changed")}
    cold = {
        "ours cold": lambda out: ours(project, out),
        "bare Pelican cold": lambda out: bare_pelican(pelican_folder, out),
        "Hugo cold": lambda out: hugo(hugo_folder, out),
        "Hugo realistic cold": lambda out: hugo(realistic_folder, out),
    }
    cwd = {"bare Pelican cold": pelican_folder}
    cold_outputs = work / "cold-outputs"
    shutil.rmtree(cold_outputs, ignore_errors=True)
    for round_number in range(args.runs):
        names = list(cold)
        names = names[round_number % len(names):] + names[:round_number % len(names)]  # alternated
        for name in names:
            # A new folder each time, all removed at the end: on ext4 without a journal (this machine's
            # disk) the inodes of a tree deleted in the last minutes are skipped one by one when new
            # files are made, which made a build right after « rm -rf » of the last one's 37,000 folders
            # up to ten times slower (perf: recently_deleted in __ext4_new_inode).
            output = cold_outputs / f"{len(series[name].runs)}-{name.replace(' ', '-')}"
            series[name].runs.append(measure(cold[name](output), cwd=cwd.get(name, ROOT)))
        edit_news(project, round_number)
        series["ours, news edited"].runs.append(measure(ours(project, warm)))
        for kind, edit in (("page", edit_page), ("phone", edit_phone), ("hours", edit_hours),
                           ("zone", edit_zone)):
            edit(project, round_number)
            series[f"ours, {kind} edited"].runs.append(measure(ours(project, warm)))
        series["ours, nothing changed"].runs.append(measure(ours(project, warm)))
        print(f"  tour {round_number + 1}/{args.runs} fait", flush=True)

    shutil.rmtree(cold_outputs, ignore_errors=True)
    shutil.rmtree(trash, ignore_errors=True)
    print("\nMédianes (machine partagée : seuls les rapports mesurés côte à côte comptent ; "
          "mémoire : somme des PSS des processus)")
    for name, found in series.items():
        print(line(name, found))
    print("\nRapports")
    print(ratio("construction à froid / Pelican nu, mêmes pages", series["ours cold"], series["bare Pelican cold"]))
    print(ratio("construction à froid / Hugo à froid", series["ours cold"], series["Hugo cold"]))
    print(ratio("après une actualité modifiée / Hugo à froid", series["ours, news edited"], series["Hugo cold"]))
    print(ratio("après un téléphone modifié / Hugo à froid", series["ours, phone edited"], series["Hugo cold"]))
    print(ratio("sans changement / Hugo à froid", series["ours, nothing changed"], series["Hugo cold"]))
    realistic = series["Hugo realistic cold"]
    print(ratio("construction à froid / Hugo réaliste à froid", series["ours cold"], realistic))
    for kind, label in (("news", "une actualité modifiée"), ("page", "une page modifiée"),
                        ("phone", "un téléphone modifié"), ("hours", "des horaires modifiés"),
                        ("zone", "une zone modifiée (cartes redessinées)")):
        print(ratio(f"après {label} / Hugo réaliste", series[f"ours, {kind} edited"], realistic))
    print(ratio("sans changement / Hugo réaliste à froid", series["ours, nothing changed"], realistic))
    print("\nCe que charge un navigateur")
    print("\n".join(sizes(warm)))
    if not args.skip_pagefind:
        found = pagefind_both_ways(warm, work)
        print("\nPagefind, deux façons (médianes de 3, alternées)")
        for name in ("chosen", "with communes"):
            pages_count, size = found[name + " (pages, index MB)"]
            label = "pages cherchées (choisi)" if name == "chosen" else "avec les pages communes"
            print(f"  {label:<26} {pages_count:6d} pages  {size:6.1f} MB d'index  "
                  + line("", Series(found[name])).strip())
    print(f"\nDossier de travail : {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
