"""The shape files published for the maps: unchanged, named after their content, written again if lost."""

from __future__ import annotations

import os
import re

from map.shapes import ShapePublisher
from pipeline.files import OutputFiles


def test_published_files_are_the_committed_ones_under_a_content_name(site_data, tmp_path):
    publisher = ShapePublisher(site_data.shapes, OutputFiles(tmp_path), "https://www.example.org")
    for code, shape_file in site_data.shapes.files.items():
        path = publisher.path(code)
        assert re.fullmatch(rf"carte/communes-{code}\.[0-9a-f]{{8}}\.json", path)
        assert (tmp_path / path).read_bytes() == shape_file.path.read_bytes()
        assert publisher.url(code) == f"https://www.example.org/{path}"
    assert len({publisher.path(code) for code in site_data.shapes.files}) == 5


def test_the_next_build_keeps_an_unchanged_file_and_writes_a_lost_one_again(site_data, tmp_path):
    first = tmp_path / ShapePublisher(site_data.shapes, OutputFiles(tmp_path), "").path("33")
    kept = tmp_path / ShapePublisher(site_data.shapes, OutputFiles(tmp_path), "").path("24")
    os.utime(kept, (1_000_000, 1_000_000))
    first.unlink()
    files = OutputFiles(tmp_path)
    publisher = ShapePublisher(site_data.shapes, files, "")
    assert publisher.url("33").endswith(first.name) and first.is_file()
    publisher.path("24")
    assert kept.stat().st_mtime == 1_000_000
    assert files.changed == {first.relative_to(tmp_path).as_posix()}
