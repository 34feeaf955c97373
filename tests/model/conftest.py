"""A tiny data folder built in tmp_path for each test, from the real reference and settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from support_data import make_data_root

ROOT = Path(__file__).resolve().parents[2]
TEST_DATA = Path(__file__).parent / "test_data"


@pytest.fixture
def data_root(tmp_path) -> Path:
    """A project root whose data/ holds the real reference, its shapes and one valid association."""
    return make_data_root(tmp_path, TEST_DATA / "associations.yaml")
