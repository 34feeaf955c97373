"""A tiny data folder built in tmp_path for each test, from the real reference and settings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEST_DATA = Path(__file__).parent / "test_data"


@pytest.fixture
def data_root(tmp_path) -> Path:
    """A project root whose data/ holds the real reference, its shapes and one valid association."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ("communes.json", "settings.yaml", "services.yaml"):
        shutil.copy(ROOT / "data" / name, data / name)
    shutil.copy(TEST_DATA / "associations.yaml", data / "associations.yaml")
    shutil.copytree(ROOT / "data" / "shapes", data / "shapes")
    (tmp_path / "content").mkdir()
    return tmp_path
