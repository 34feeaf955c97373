"""Page benchmark (not a test): Lighthouse mobile scores, CLS and page weight for every page type.

Builds the site, serves it on a free local port and, for each page type, prints
- Lighthouse's mobile scores (performance, accessibility, best practices, SEO) and its CLS;
- the page's weight as loaded by Chromium at 390 px: HTML, everything together, request count.

With ``--before REF`` the same figures are measured for a git revision built side by side in the
same run (e.g. the commit before the pictograms), and the weights are given as ratios.

Usage::

    python scripts/benchmark_pages.py                      # current tree
    python scripts/benchmark_pages.py --before 8af0f55     # and a revision, side by side
    python scripts/benchmark_pages.py --no-lighthouse      # weights only (fast)

Lighthouse 12.2.3 (the last to run on Node 20) is installed on first use into ``var/tools/``.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarking import serve_folder

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "var" / "tools"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_VERSION = "12.2.3"
CHROMIUM = "/usr/bin/chromium"

# One page of each type: (label, path).
PAGE_TYPES = [
    ("accueil", ""),
    ("trouver", "trouver/"),
    ("département", "departement/33-gironde/"),
    ("commune, 2 AI", "commune/33394-saint-emilion/"),
    ("commune, sans AI", "commune/47003-agnac/"),
    ("association", "association/ai-libournais/"),
    ("liste des AI", "association/"),
    ("services", "services/"),
    ("demande", "association/ai-libournais/demande/"),
    ("rappel AAI", "rappel/"),
    ("merci", "merci/"),
    ("actualités", "actualites/"),
    ("article", "actualites/foire-internationale-de-bordeaux-2026/"),
    ("page", "charte-qualite/"),
    ("recherche", "recherche/"),
    ("carte", "carte/"),
    ("404", "404.html"),
]


def build(source: Path, output: Path) -> None:
    subprocess.run([sys.executable, "-m", "pelican", "--settings", "pelicanconf.py", "--output", str(output),
                    "--delete-output-directory", "--quiet"], cwd=source, check=True, capture_output=True)


@contextlib.contextmanager
def revision(ref: str):
    """A throw-away checkout of ``ref`` (git worktree), removed afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(path), ref], cwd=ROOT, check=True,
                       capture_output=True)
        try:
            yield path
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=ROOT, check=False,
                           capture_output=True)


def weights(base: str) -> dict[str, tuple[int, int, int, int]]:
    """{label: (HTML bytes, HTML gzip bytes, all bytes, requests)} as Chromium loads each page."""
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        for label, path in PAGE_TYPES:
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                          else route.abort())
            page = context.new_page()
            sizes: list[int] = []
            page.on("requestfinished", lambda request: sizes.append(len(request.response().body())))
            response = page.goto(f"{base}/{path}")
            page.wait_for_load_state("networkidle")
            html = response.body()
            found[label] = (len(html), len(gzip.compress(html)), sum(sizes), len(sizes))
            context.close()
        browser.close()
    return found


def ensure_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund", "--silent",
                        "-E", f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)


def lighthouse(url: str) -> dict[str, float]:
    """Mobile scores (0–100) and CLS of one page, Lighthouse's default mobile emulation."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                        "--only-categories=performance,accessibility,best-practices,seo",
                        "--form-factor=mobile", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                       check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True)
        data = json.loads(report.read_text("utf-8"))
    scores = {key: round(category["score"] * 100) for key, category in data["categories"].items()}
    scores["cls"] = data["audits"]["cumulative-layout-shift"]["numericValue"]
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", metavar="REF", help="a git revision to measure side by side")
    parser.add_argument("--no-lighthouse", action="store_true", help="page weights only")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        trees = {"now": ROOT}
        if args.before:
            trees["before"] = stack.enter_context(revision(args.before))
        urls = {}
        for name, tree in trees.items():
            output = Path(tmp) / name
            build(tree, output)
            urls[name] = stack.enter_context(serve_folder(output))

        measured = {name: weights(url) for name, url in urls.items()}
        print("Page weight at 390 px (uncompressed unless said; all = HTML + CSS + JS + fonts + data)")
        header = f"{'page type':<18} {'HTML':>9} {'gzip':>8} {'all':>9} {'req':>4}"
        print(header + ("   before: HTML / all   ratio all" if args.before else ""))
        for label, _ in PAGE_TYPES:
            html, gz, total, count = measured["now"][label]
            line = f"{label:<18} {html / 1024:8.1f}K {gz / 1024:7.1f}K {total / 1024:8.1f}K {count:4d}"
            if args.before:
                b_html, _, b_total, _ = measured["before"][label]
                line += f"   {b_html / 1024:6.1f}K / {b_total / 1024:6.1f}K   {total / b_total:5.2f}×"
            print(line)

        if not args.no_lighthouse:
            ensure_lighthouse()
            print(f"\nLighthouse {LIGHTHOUSE_VERSION}, mobile (score / 100; CLS)")
            print(f"{'page type':<18} {'perf':>5} {'a11y':>5} {'b.p.':>5} {'SEO':>5} {'CLS':>7}")
            for label, path in PAGE_TYPES:
                s = lighthouse(f"{urls['now']}/{path}")
                print(f"{label:<18} {s['performance']:5d} {s['accessibility']:5d} {s['best-practices']:5d} "
                      f"{s['seo']:5d} {s['cls']:7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
