"""plugins/pipeline/build.py: ``make build``'s command keeps Pelican's exit status (its success is exercised
by every build of test_incremental.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_a_failed_build_still_exits_with_pelicans_error_status(tmp_path):
    (tmp_path / "data").mkdir()  # no data: the model stops the build, in French
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.build", "--settings", "pelicanconf.py", "--output", str(tmp_path / "out"),
         "-e", f'DATA_ROOT="{tmp_path}"', "--fatal", "errors"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "plugins"),
                                                       "COLUMNS": "250"})
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
    assert "communes.json" in result.stdout + result.stderr and "à la main" in result.stdout + result.stderr
    assert not (tmp_path / "out" / "index.html").exists()
