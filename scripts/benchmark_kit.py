"""Times the generation of the whole communication kit and reports the PDF sizes.

Usage: .venv/bin/python scripts/benchmark_kit.py [--jobs 2] [--output /tmp/kit-benchmark]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kit.build import build_kit  # noqa: E402

logger = logging.getLogger(__name__)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    output = args.output or Path(tempfile.mkdtemp(prefix="kit-benchmark-"))
    started = time.perf_counter()
    report = build_kit(ROOT, output, jobs=args.jobs)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
