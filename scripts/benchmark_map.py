"""Report what the map costs: page weight of /carte/ (and of the small maps) and generation time.

Builds the site into a temporary folder with the real settings, then adds up the HTML and
every script and stylesheet the page links (uncompressed and gzipped, as served).

Usage::

    python scripts/benchmark_map.py [--runs 5]
"""

from __future__ import annotations

import argparse
import gzip
import logging
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

from map.plugin import MapMaker  # noqa: E402
from model import load_site  # noqa: E402

logger = logging.getLogger("benchmark_map")

ASSET = re.compile(r'<script\b[^>]*\bsrc="([^"]+)"|<link rel="stylesheet" href="([^"]+)"')


def weight(data: bytes) -> tuple[int, int]:
    return len(data), len(gzip.compress(data, compresslevel=6, mtime=0))


def page_weight(output: Path, page: str) -> list[tuple[str, int, int]]:
    """(file, bytes, gzipped bytes) for the page and each script and stylesheet it links."""
    html = (output / page).read_bytes()
    rows = [(page, *weight(html))]
    for pair in ASSET.findall(html.decode("utf-8")):
        link = "".join(pair).split("?")[0].lstrip("/")
        rows.append((link, *weight((output / link).read_bytes())))
    return rows


def print_weight(title: str, rows: list[tuple[str, int, int]]) -> None:
    print(f"\n{title}")
    for name, raw, packed in rows:
        print(f"  {name:<62} {raw / 1024:8.1f} KiB {packed / 1024:7.1f} KiB gz")
    print(f"  {'total (HTML + JS + CSS)':<62} {sum(r[1] for r in rows) / 1024:8.1f} KiB "
          f"{sum(r[2] for r in rows) / 1024:7.1f} KiB gz")


def time_maps(runs: int) -> None:
    site = load_site(ROOT)
    scratch = tempfile.mkdtemp(prefix="map-benchmark-")  # each map writes its script beside its page
    maker = MapMaker({"SITE_DATA": site, "SITEURL": "", "TILES_URL": "", "OUTPUT_PATH": scratch})
    jobs = {
        "/carte/ (every AI, clustered)": lambda: maker.region(),
        "5 département maps": lambda: [maker.departement(d, site.associations_in(d.code))
                                       for d in site.reference.departements.values()],
        f"{len(site.associations)} AI maps": lambda: [maker.association(a) for a in site.associations],
    }
    print(f"\nMap generation (median of {runs} runs)")
    for label, job in jobs.items():
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            job()
            times.append(time.perf_counter() - started)
        print(f"  {label:<40} {statistics.median(times) * 1000:8.1f} ms")
    parts = maker.region()
    print(f"  script of /carte/ (carte/carte.js): {len(parts.script.encode()) / 1024:.1f} KiB, "
          f"{len(gzip.compress(parts.script.encode(), mtime=0)) / 1024:.1f} KiB gz")


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "output"
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "pelican", "-s", "pelicanconf.py", "-o", str(output)],
                                cwd=ROOT, capture_output=True, text=True)
        if result.returncode:
            logger.error("Build failed:\n%s", result.stdout + result.stderr)
            return 1
        logger.info("Whole site built in %.1f s", time.perf_counter() - started)
        site = load_site(ROOT)
        print_weight("/carte/", page_weight(output, "carte/index.html"))
        index = output / "trouver/communes.json"
        print(f"  + finder index, fetched on first use: {index.stat().st_size / 1024:.1f} KiB, "
              f"{weight(index.read_bytes())[1] / 1024:.1f} KiB gz (shared with /trouver/)")
        print_weight("An AI page (one office)", page_weight(output, site.associations[0].url + "index.html"))
        gironde = site.reference.departements["33"]
        print_weight("A département page (Gironde)", page_weight(output, gironde.url + "index.html"))
    time_maps(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
