"""Report what the map costs, side by side with the map it replaced (offices only): page weight,
third-party requests, Lighthouse mobile performance and build time.

Builds this tree and a reference commit (``--base``, by default where this branch left ``main``)
into temporary folders, serves each on 127.0.0.1 and, in headless Chromium:

- adds up, gzipped as served, everything /carte/, a département page and an AI page load
  (HTML, scripts, styles, fonts, images, the shape files), with every tile request aborted;
- counts the requests that leave the machine, with the tiles of data/settings.yaml and with
  ``AAI_TILES_URL=off`` (no tiles at all);
- runs Lighthouse (npm ``lighthouse``, mobile emulation, performance only) on the tiles-off build, served
  gzipped as the published site is, on the pages above and a commune page.

Also times the whole build (median of ``--runs``); the maps' share of an edit is in benchmark_scale.py
(« une zone modifiée »). Prints figures, checks nothing.

Usage::

    .venv/bin/python scripts/benchmark_map.py [--base REF] [--runs 3] [--no-lighthouse]

Lighthouse is installed on first use with npm into ~/.cache/aai-benchmark/lighthouse (12.2.3:
the last release for Node 20) and drives Debian's Chromium (CHROME_PATH=/usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from model import load_site

from benchmarking import serve_folder

ROOT = Path(__file__).resolve().parent.parent

logger = logging.getLogger("benchmark_map")

CHROMIUM = "/usr/bin/chromium"
LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_DIR = Path(os.environ.get("AAI_LIGHTHOUSE_DIR", Path.home() / ".cache" / "aai-benchmark" / "lighthouse"))
TILE_HOST = "tile.openstreetmap.org"


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def build(root: Path, output: Path, tiles: str | None = None) -> float:
    """Build the site at ``root`` into ``output`` as `make build` does; seconds taken."""
    # The tree's own plugins first, as `make build` puts them: the venv's editable install may point at another
    # checkout, whose map code would otherwise build this tree's pages.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "plugins"), str(root)])}
    if tiles is not None:
        env["AAI_TILES_URL"] = tiles
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pelican", "--settings", "pelicanconf.py", "--output",
                             str(output), "--delete-output-directory", "--quiet"],
                            cwd=root, env=env, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"build of {root} failed:\n{result.stdout}{result.stderr}")
    return time.perf_counter() - started


def export(ref: str, folder: Path) -> Path:
    """The tree of a commit, unpacked into ``folder`` (``git archive``)."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / "base.tar"
    subprocess.run(["git", "archive", "--format=tar", "-o", str(archive), ref], cwd=ROOT, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(folder / "tree", filter="data")
    return folder / "tree"


def load(browser, base: str, path: str) -> dict:
    """Open a page with tiles aborted; what it loaded (bytes, gzipped) and what left the machine."""
    context = browser.new_context(locale="fr-FR")
    outside: list[str] = []
    loaded: dict[str, bytes] = {}

    def route(r):
        if r.request.url.startswith(base):
            return r.continue_()
        outside.append(r.request.url)
        return r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("requestfinished", lambda request: loaded.__setitem__(request.url, _body(request)))
    page.goto(base + path, wait_until="networkidle")
    page.wait_for_function("!window.aaiMaps || Object.values(window.aaiMaps).every(m => !('territory' in m) "
                           "|| m.territory.ready)", timeout=60_000)
    page.wait_for_timeout(300)
    context.close()
    bodies = [b for u, b in loaded.items() if u.startswith(base)]
    return {"files": len(bodies), "raw": sum(len(b) for b in bodies), "gzip": sum(gz(b) for b in bodies),
            "shapes": sum(gz(b) for u, b in loaded.items() if "/carte/communes-" in u),
            "outside": outside}


def _body(request) -> bytes:
    response = request.response()
    try:
        return response.body() if response else b""
    except Exception:  # a redirect or an aborted request has no body
        return b""


def lighthouse(url: str) -> dict:
    """Lighthouse's mobile performance score and main metrics for one page."""
    binary = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "init", "-y"], cwd=LIGHTHOUSE_DIR, check=True, capture_output=True)
        subprocess.run(["npm", "i", "-E", f"lighthouse@{LIGHTHOUSE_VERSION}", "--no-audit", "--no-fund"],
                       cwd=LIGHTHOUSE_DIR, check=True, capture_output=True)
    result = subprocess.run([str(binary), url, "--only-categories=performance", "--output=json",
                             "--output-path=stdout", "--quiet", "--chrome-flags=--headless=new --no-sandbox"],
                            env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True,
                            timeout=300)
    report = json.loads(result.stdout)
    audits = report["audits"]
    return {"score": round(report["categories"]["performance"]["score"] * 100),
            "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
            "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
            "tbt": audits["total-blocking-time"]["numericValue"],
            "cls": audits["cumulative-layout-shift"]["numericValue"]}


def ratio(new: float, old: float) -> str:
    return f"× {new / old:.2f}" if old else "—"


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=None, help="commit to compare with (default: merge-base with main)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()
    base_ref = args.base or subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=ROOT, check=True,
                                           capture_output=True, text=True).stdout.strip()
    site = load_site(ROOT)
    ai = site.association("ai-libournais") or site.associations[0]
    pages = {"/carte/": "/carte/", "département (Gironde)": "/" + site.reference.departements["33"].url,
             f"AI ({ai.id})": "/" + ai.url}
    commune = site.reference.communes["33394"]  # Saint-Émilion: a commune page, the site's most common kind
    lighthouse_pages = {**pages, f"commune ({commune.name})": "/" + commune.url}

    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        trees = {"before": export(base_ref, folder / "base"), "now": ROOT}
        times: dict[str, list[float]] = {name: [] for name in trees}
        for run in range(args.runs):  # alternated, so that the machine's load weighs on both alike
            for name, tree in trees.items():
                times[name].append(build(tree, folder / f"{name}-{run}"))
        print(f"\nWhole build, median of {args.runs} (before = {base_ref[:10]}, offices only)")
        before, now = statistics.median(times["before"]), statistics.median(times["now"])
        print(f"  before {before:6.1f} s   now {now:6.1f} s   added {now - before:+.1f} s ({ratio(now, before)})")

        outputs = {name: folder / f"{name}-0" for name in trees}
        tiles_off = {}
        for name, tree in trees.items():
            tiles_off[name] = folder / f"{name}-off"
            build(tree, tiles_off[name], tiles="off")

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            print("\nEverything a page loads, gzipped, with every tile request aborted")
            print(f"  {'page':<28} {'before':>10} {'now':>10} {'ratio':>7} {'of which shapes':>16} {'files':>6}")
            for label, path in pages.items():
                row = {}
                for name in trees:
                    with serve_folder(outputs[name]) as base:
                        row[name] = load(browser, base, path)
                print(f"  {label:<28} {row['before']['gzip'] / 1024:7.1f} KiB {row['now']['gzip'] / 1024:7.1f} KiB "
                      f"{ratio(row['now']['gzip'], row['before']['gzip']):>7} {row['now']['shapes'] / 1024:12.1f} KiB "
                      f"{row['now']['files']:>6}")
            print("\nRequests leaving the machine (all aborted here)")
            for label, path in pages.items():
                counts = []
                for name, output in (("now, tiles on", outputs["now"]), ("now, tiles off", tiles_off["now"])):
                    with serve_folder(output) as base:
                        outside = load(browser, base, path)["outside"]
                    hosts = sorted({u.split("/")[2] for u in outside})
                    counts.append(f"{name}: {len(outside)} {hosts if hosts else ''}")
                print(f"  {label:<28} " + "   ".join(counts))
            browser.close()

        if not args.no_lighthouse:
            print("\nLighthouse, mobile, performance (tiles off)")
            print(f"  {'page':<28} {'score':>11} {'FCP s':>11} {'LCP s':>11} {'TBT ms':>13} {'CLS':>11}")
            for label, path in lighthouse_pages.items():
                scores = {}
                for name in trees:
                    with serve_folder(tiles_off[name], compress=True) as base:
                        scores[name] = lighthouse(base + path)
                b, n = scores["before"], scores["now"]
                print(f"  {label:<28} {b['score']:>4} → {n['score']:<4} {b['fcp']:>4.1f} → {n['fcp']:<4.1f} "
                      f"{b['lcp']:>4.1f} → {n['lcp']:<4.1f} {b['tbt']:>5.0f} → {n['tbt']:<5.0f} "
                      f"{b['cls']:.2f} → {n['cls']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
