"""Times the generation of the whole communication kit and reports the PDF sizes, then what
``make run`` does after an edit: the kit again with one association's phone changed (only that kit
is rendered) and with nothing changed, as ratios against the full run.

Usage: .venv/bin/python scripts/benchmark_kit.py [--jobs 2] [--output /tmp/kit-benchmark]
"""

from __future__ import annotations

import argparse
import logging
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from kit.build import build_kit

ROOT = Path(__file__).resolve().parent.parent

logger = logging.getLogger(__name__)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    output = args.output or Path(tempfile.mkdtemp(prefix="kit-benchmark-"))
    project = Path(tempfile.mkdtemp(prefix="kit-benchmark-project-"))  # data edited here, not in the repo
    shutil.copytree(ROOT / "data", project / "data")
    shutil.copytree(ROOT / "theme" / "static" / "fonts", project / "theme" / "static" / "fonts")
    if output.exists():
        shutil.rmtree(output)
    started = time.perf_counter()
    report = build_kit(project, output, jobs=args.jobs)
    elapsed = time.perf_counter() - started
    associations = {k: v for k, v in report.items() if k}
    pdfs = [(f"{ai}/{name}", size) for ai, files in associations.items()
            for name, size in files.items() if name.endswith(".pdf")]
    zips = [size for files in associations.values() for name, size in files.items()
            if name.endswith(".zip")]
    sizes = [size for _, size in pdfs]
    smallest, largest = min(pdfs, key=lambda p: p[1]), max(pdfs, key=lambda p: p[1])
    print(f"Associations : {len(associations)} — processus : {args.jobs}")
    print(f"Durée totale : {elapsed:.1f} s ({elapsed / len(associations):.2f} s par association, "
          f"{elapsed / len(pdfs) * 1000:.0f} ms par PDF)")
    print(f"PDF : {len(pdfs)} fichiers, total {sum(sizes) / 1e6:.2f} Mo, "
          f"min {smallest[1] / 1e3:.1f} Ko ({smallest[0]}), max {largest[1] / 1e3:.1f} Ko ({largest[0]})")
    print(f"ZIP : {len(zips)} fichiers, total {sum(zips) / 1e6:.2f} Mo, max {max(zips) / 1e3:.0f} Ko")
    print(f"Charte graphique : {report[''][next(iter(report['']))] / 1e3:.1f} Ko — sortie : {output}")

    started = time.perf_counter()
    unchanged = build_kit(project, output, jobs=args.jobs)
    nothing = time.perf_counter() - started
    data = project / "data" / "associations.yaml"
    text = data.read_text("utf-8")
    phone = re.search(r"phone: (05 36 49 \d\d )(\d\d)", text)
    data.write_text(text[:phone.start(2)] + f"{(int(phone[2]) + 1) % 100:02d}" + text[phone.end(2):], "utf-8")
    started = time.perf_counter()
    one = build_kit(project, output, jobs=args.jobs)
    single = time.perf_counter() - started
    print(f"Après modification du téléphone d'une association : {len(one.rendered)} kit refait en "
          f"{single:.1f} s, soit {single / elapsed:.1%} du temps complet (× {elapsed / single:.0f} plus rapide)")
    print(f"Sans modification : {len(unchanged.rendered)} kit refait, {nothing:.2f} s "
          f"({nothing / elapsed:.1%} du temps complet)")
    shutil.rmtree(project)
    return 0


if __name__ == "__main__":
    sys.exit(main())
