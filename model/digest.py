"""Stable digests of model objects: the same data gives the same digest in every process.

What a page or a print kit was made from is remembered as a digest, so only what changed is made
again (plugins/pipeline, kit/manifest.py). Sets are sorted and dataclasses become their fields,
so neither Python's hash seed nor memory addresses change a digest.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from functools import cache
from json.encoder import encode_basestring
from pathlib import PurePath
from typing import TypeAlias

# What ``plain`` makes of a value: data ``json.dumps`` writes as it is.
Json: TypeAlias = "str | int | float | bool | None | list[Json] | dict[str, Json]"


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def plain(value: object) -> Json:
    """``value`` as JSON-ready data: dataclasses as dicts of their fields, sets sorted, dates in ISO."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (set, frozenset)):
        items = [plain(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, PurePath):
        return value.as_posix()
    return str(value)


def _default(value: object) -> Json:
    """What ``plain`` makes of a value JSON's encoder does not know, one level down (the encoder goes on)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: getattr(value, name) for name in _field_names(type(value))}
    if isinstance(value, (set, frozenset)):
        if all(isinstance(item, str) for item in value):  # most sets: a text's JSON is its key, made in C
            return sorted(value, key=encode_basestring)
        return sorted(value, key=_dumps)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, PurePath):
        return value.as_posix()
    return str(value)


_encode = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=_default).encode


def _dumps(value: object) -> str:
    """``json.dumps(plain(value), sort_keys=True, ensure_ascii=False)``, without making ``plain``'s copy first:
    JSON's encoder (in C) walks the value and asks ``_default`` only about what it does not know."""
    try:
        return _encode(value)
    except (TypeError, ValueError):  # a key JSON refuses (a date, a tuple…), or keys of mixed types to sort
        return json.dumps(plain(value), sort_keys=True, ensure_ascii=False)


def canonical(value: object) -> bytes:
    """The bytes a digest is made of."""
    return _dumps(value).encode()


def digest(*values: object) -> str:
    """A short hex digest of ``values`` (model objects, settings, texts)."""
    hasher = hashlib.sha256()
    for value in values:
        hasher.update(canonical(value))
        hasher.update(b"\0")
    return hasher.hexdigest()[:24]
