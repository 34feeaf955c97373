"""The shape files published for the maps: unchanged, named after their content, written again if lost."""

from __future__ import annotations

import re

from map.shapes import ShapePublisher


def test_published_files_are_the_committed_ones_under_a_content_name(site_data, tmp_path):
    publisher = ShapePublisher(site_data.shapes, tmp_path, "https://www.example.org")
    for code, shape_file in site_data.shapes.files.items():
        path = publisher.path(code)
        assert re.fullmatch(rf"carte/communes-{code}\.[0-9a-f]{{8}}\.json", path)
        assert (tmp_path / path).read_bytes() == shape_file.path.read_bytes()
        assert publisher.url(code) == f"https://www.example.org/{path}"
    assert len({publisher.path(code) for code in site_data.shapes.files}) == 5


def test_a_lost_file_is_written_again(site_data, tmp_path):
    publisher = ShapePublisher(site_data.shapes, tmp_path, "")
    path = tmp_path / publisher.path("33")
    path.unlink()
    assert publisher.url("33").endswith(path.name)
    assert path.is_file()
