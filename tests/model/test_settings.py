"""Site settings: the map's tiles are an optional background."""

from __future__ import annotations

import pytest

from model import DataError, load_site


def rewrite_tiles(root, block: str) -> None:
    path = root / "data" / "settings.yaml"
    text = path.read_text("utf-8")
    start = text.index("\ntiles:")
    path.write_text(text[:start] + "\n" + block, "utf-8")


def test_tiles_without_url_mean_no_tiles(data_root):
    rewrite_tiles(data_root, "tiles:\n  attribution: ''\n")
    assert load_site(data_root).settings.tiles_url == ""


def test_a_tile_server_needs_its_attribution(data_root):
    rewrite_tiles(data_root, "tiles:\n  url: https://tile.openstreetmap.org/{z}/{x}/{y}.png\n")
    with pytest.raises(DataError) as caught:
        load_site(data_root)
    (problem,) = [str(p) for p in caught.value.problems]
    assert problem.startswith("data/settings.yaml:")
    assert "le fond de carte « tiles » a une adresse mais pas d'« attribution »" in problem


def test_the_real_settings_name_a_tile_server_with_its_credit(site_data):
    assert site_data.settings.tiles_url.startswith("https://")
    assert "OpenStreetMap" in site_data.settings.tiles_attribution
