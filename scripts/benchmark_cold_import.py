"""The Lambda's cold import: ``import app`` (functions/app.py) beside its peers, each in a fresh interpreter, as
``python -X importtime`` reports it (the cumulative time of the top-level module), median of several runs; and the
CPU time of the same import (``time.process_time``), which a busy machine disturbs less than the clock.

- app.py with its bytecode cached (``__pycache__`` written by a first run);
- app.py compiled from source: a copy of functions/ (and of the ``vendor/`` folders the Lambda ships) without any
  ``__pycache__``, run with PYTHONDONTWRITEBYTECODE — as in a Lambda package, where the project's own modules come
  without bytecode; installed libraries keep theirs;
- the peers: a bare Chalice app with one route, and ``import chalice`` alone.

Runs are alternated (one of each, then again) so that every figure sees the same machine.

    .venv/bin/python scripts/benchmark_cold_import.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = ROOT / "functions"

BARE_APP = '''from chalice import Chalice

app = Chalice(app_name="bare")


@app.route("/demande", methods=["POST"])
def demande():
    return {"ok": True}
'''


def import_ms(module: str, cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """The cumulative import time of ``module`` in a fresh interpreter, from ``-X importtime``, and its CPU time
    (milliseconds)."""
    code = f"import time; cpu = time.process_time(); import {module}; print((time.process_time() - cpu) * 1000)"
    run = subprocess.run([sys.executable, "-X", "importtime", "-c", code], cwd=cwd, env=env,
                         capture_output=True, text=True, check=True)
    for line in run.stderr.splitlines():
        parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2] == module:   # top level: no indentation before the name
            return int(parts[1]) / 1000, float(run.stdout.split()[-1])
    raise RuntimeError(f"{module} not in the import times:\n{run.stderr[-2000:]}")


def lambda_copy(into: Path) -> Path:
    """functions/ as the Lambda gets it: the project's modules and its vendored folders, no bytecode."""
    copy = into / "functions"
    shutil.copytree(FUNCTIONS, copy, ignore=shutil.ignore_patterns("__pycache__", ".chalice", "*.pyc"))
    return copy


def measure(runs: int) -> dict[str, list[tuple[float, float]]]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    cached_env = {**base, "PYTHONPATH": str(FUNCTIONS / "vendor")}
    figures: dict[str, list[tuple[float, float]]] = {"app.py, bytecode cached": [], "app.py, compiled from source": [],
                                       "bare Chalice route": [], "import chalice": []}
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare"
        bare.mkdir()
        (bare / "app.py").write_text(BARE_APP)
        import_ms("app", FUNCTIONS, cached_env)   # writes the bytecode the cached runs read
        import_ms("app", bare, base)
        for run in range(runs):
            source = lambda_copy(Path(tmp) / f"run-{run}")
            source_env = {**base, "PYTHONPATH": str(source / "vendor"), "PYTHONDONTWRITEBYTECODE": "1"}
            figures["app.py, bytecode cached"].append(import_ms("app", FUNCTIONS, cached_env))
            figures["app.py, compiled from source"].append(import_ms("app", source, source_env))
            figures["bare Chalice route"].append(import_ms("app", bare, base))
            figures["import chalice"].append(import_ms("chalice", bare, base))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    figures = measure(args.runs)
    print(f"cold import, median of {args.runs} fresh interpreters:")
    for column, label in ((0, "python -X importtime"), (1, "CPU time")):
        medians = {name: statistics.median(v[column] for v in values) for name, values in figures.items()}
        chalice_alone, bare = medians["import chalice"], medians["bare Chalice route"]
        print(f" {label}:")
        for name, value in medians.items():
            print(f"  {name:30s} {value:7.1f} ms   {value / chalice_alone:5.2f}× import chalice   "
                  f"{value / bare:5.2f}× bare route")


if __name__ == "__main__":
    main()
