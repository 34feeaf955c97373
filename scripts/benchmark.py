"""Build benchmark (not a test): cold, warm and one-edit rebuild times, page count and sizes.

Usage: ``python scripts/benchmark.py`` from the repository root. Prints figures only;
no threshold is asserted here, they go into the issue notes.
"""

from __future__ import annotations

import gzip
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(output: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pelican", "--settings", "pelicanconf.py", "--output",
                    str(output), "--quiet"], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def size(path: Path) -> str:
    raw = path.read_bytes()
    return f"{len(raw) / 1024:.1f} KB ({len(gzip.compress(raw)) / 1024:.1f} KB gzip)"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "output"
        subprocess.run([sys.executable, "-c", "import sys"], check=True)  # warm the disk cache a bit
        cold = build(output)
        warm = [build(output) for _ in range(2)]
        article = next(iter(sorted((ROOT / "content" / "actualites").glob("*.md"))), None)
        edit = None
        if article is not None:
            original = article.read_text("utf-8")
            try:
                article.write_text(original + "\n<!-- benchmark edit -->\n", "utf-8")
                edit = build(output)
            finally:
                article.write_text(original, "utf-8")
        pages = list(output.rglob("*.html"))
        communes = sorted((output / "commune").glob("*/index.html"), key=lambda p: p.stat().st_size)
        total = sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
        print(f"cold build:            {cold:.2f} s")
        print(f"warm build:            {statistics.mean(warm):.2f} s (mean of {len(warm)})")
        if edit is not None:
            print(f"rebuild after 1 edit:  {edit:.2f} s ({article.relative_to(ROOT)})")
        print(f"HTML pages:            {len(pages)} (commune pages: {len(communes)})")
        print(f"largest commune page:  {size(communes[-1])} — {communes[-1].parent.name}")
        print(f"median commune page:   {size(communes[len(communes) // 2])}")
        print(f"finder JSON index:     {size(output / 'trouver' / 'communes.json')}")
        print(f"home page:             {size(output / 'index.html')}")
        print(f"whole output:          {total / 1024 / 1024:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
