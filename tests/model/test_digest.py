"""Digests (model.digest): ``canonical`` writes the JSON of ``plain``'s copy, without making the copy."""

from __future__ import annotations

import dataclasses
import datetime
import json
from pathlib import PurePosixPath

import pytest

from model.digest import canonical, digest, plain


def reference(value) -> bytes:
    return json.dumps(plain(value), sort_keys=True, ensure_ascii=False).encode()


@dataclasses.dataclass(frozen=True)
class Thing:
    name: str
    tags: frozenset
    when: datetime.date
    path: PurePosixPath
    extra: dict = dataclasses.field(default_factory=dict)


@pytest.mark.parametrize("value", [
    {"a", "a!", "a b", '"x', "\\y", "é", "\n", "Z"},
    {1, "a"},
    {(1, 2), (0, 3)},
    {"k": {3, 1}, "j": [None, True, 1.5]},
    {1: 2, "b": 3},
    {datetime.date(2026, 1, 2): "a date as a key"},
    Thing("Équipe « A »", frozenset({"b", "a", "a b"}), datetime.date(2026, 12, 6), PurePosixPath("x/y"),
          {"z": Thing("in", frozenset(), datetime.date(2020, 1, 1), PurePosixPath("."))}),
    [datetime.time(9, 30), datetime.datetime(2026, 1, 1, 8), object],
])
def test_canonical_is_the_json_of_plain(value):
    assert canonical(value) == reference(value)


def test_canonical_is_the_json_of_plain_for_the_whole_data_model(site_data):
    for value in (site_data, *site_data.associations):
        assert canonical(value) == reference(value)
    assert digest(site_data) == digest(site_data)
