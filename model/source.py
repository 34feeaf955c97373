"""YAML reading that remembers line numbers, so every message can point at a line."""

from __future__ import annotations

import datetime
import difflib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

import yaml

from .errors import Collector


class LineDict(dict[Any, Any]):
    """A mapping that knows the line of each of its keys (1-based)."""

    line: int = 0
    lines: dict[Any, int]

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class LineList(list[Any]):
    """A sequence that knows the line of each of its items (1-based)."""

    line: int = 0
    lines: list[int]

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


class _Loader(yaml.SafeLoader):
    """SafeLoader whose mappings and sequences carry line numbers."""

    duplicate_keys: list[tuple[int, Any]]   # (line, key)
    bad_keys: list[int]


if TYPE_CHECKING:   # CSafeLoader has SafeLoader's interface; a PyYAML built without libyaml has only the latter
    _FastBase = yaml.SafeLoader
else:
    _FastBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FastLoader(_FastBase):
    """The same, with libyaml's parser when PyYAML has it: several times faster on a large file. A file it
    refuses is read again by ``_Loader``, whose error messages ``_explain`` translates."""

    duplicate_keys: list[tuple[int, Any]]
    bad_keys: list[int]


_AnyLoader = _Loader | _FastLoader


def _construct_mapping(loader: _AnyLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            loader.bad_keys.append(key_node.start_mark.line + 1)   # e.g. "? [a]": not a field name
            continue
        if key in data:
            loader.duplicate_keys.append((key_node.start_mark.line + 1, key))
        data[key] = loader.construct_object(value_node, deep=True)
        data.lines[key] = key_node.start_mark.line + 1
    return data


def _construct_sequence(loader: _AnyLoader, node: yaml.SequenceNode) -> LineList:
    data = LineList(loader.construct_object(child, deep=True) for child in node.value)
    data.line = node.start_mark.line + 1
    data.lines = [child.start_mark.line + 1 for child in node.value]
    return data


class ImpossibleDate(str):
    """A value written like a date that the calendar does not have (``2026-02-30``): kept as its text, so that the
    field's check says which date is wrong instead of the parser stopping with a traceback."""


def _construct_timestamp(loader: _AnyLoader, node: yaml.ScalarNode) -> datetime.date | ImpossibleDate:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return ImpossibleDate(node.value)


for _loader in (_Loader, _FastLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def read_yaml(path: Path, collector: Collector) -> Any:
    """Parse a YAML file; a syntax error becomes a French problem and ``None``."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        collector.error(0, "ce fichier est introuvable ; il est nécessaire à la construction du site.")
        return None
    except UnicodeDecodeError as exc:
        line = text_line_of_offset(path.read_bytes(), exc.start)
        collector.error(line, "ce fichier n'est pas enregistré en UTF-8 ; "
                              "réenregistrez-le en UTF-8 dans votre éditeur.")
        return None
    try:
        parsed = _parse(_FastLoader, text)
    except yaml.YAMLError:
        parsed = None  # read again below, for the message
    try:
        if parsed is None:
            parsed = _parse(_Loader, text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        collector.error(line, f"erreur de syntaxe YAML ({_explain(exc)}). Vérifiez l'indentation "
                              "(des espaces, pas de tabulation), les deux-points après chaque nom de champ "
                              "et les guillemets autour des textes qui contiennent « : » ou « # ».")
        return None
    except yaml.YAMLError as exc:
        collector.error(0, f"erreur de syntaxe YAML ({exc}).")
        return None
    data, duplicate_keys, bad_keys = parsed
    for line, key in duplicate_keys:
        collector.error(line, f"le champ « {key} » est écrit deux fois dans le même bloc ; "
                              "gardez-en un seul.")
    for line in bad_keys:
        collector.error(line, "nom de champ invalide : écrivez un nom simple suivi de deux-points, "
                              "par exemple « name: ».")
    if data is None:
        collector.error(1, "le fichier est vide : il doit contenir les données décrites en commentaire "
                           "en tête du fichier (reprenez la dernière version qui fonctionnait).")
    return data


def _parse(loader_class: type[_AnyLoader], text: str) -> tuple[Any, list[tuple[int, Any]], list[int]]:
    """(data, duplicate keys, invalid keys) of a YAML text."""
    loader = loader_class(text)
    loader.duplicate_keys = []
    loader.bad_keys = []
    try:
        return loader.get_single_data(), loader.duplicate_keys, loader.bad_keys
    finally:
        loader.dispose()


def _explain(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    known = {
        "found character '\\t' that cannot start any token": "tabulation interdite",
        "mapping values are not allowed here": "deux-points inattendu",
        "could not find expected ':'": "deux-points manquant",
        "found undefined alias": "alias inconnu",
    }
    for english, french in known.items():
        if problem.startswith(english):
            return french
    return problem or "structure invalide"


def text_line_of_offset(raw: bytes, offset: int) -> int:
    return raw[:offset].count(b"\n") + 1


# --- field checks shared by every YAML file -------------------------------------------------

# A field's expected type, or its possible types (the first names it in messages).
Kind = type | tuple[type, ...]

TYPE_NAMES: dict[type, str] = {
    str: "un texte",
    int: "un nombre entier",
    float: "un nombre",
    bool: "true (oui) ou false (non)",
    list: "une liste",
    dict: "un bloc de champs",
    datetime.date: "une date au format AAAA-MM-JJ",
}


def type_name(kind: Kind) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return TYPE_NAMES.get(kinds[0], kinds[0].__name__)


def is_of(value: Any, kind: Kind) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool):
        return bool in kinds
    if float in kinds and isinstance(value, int):
        return True
    if datetime.date in kinds and isinstance(value, datetime.datetime):
        return False
    return isinstance(value, kinds)


def check_fields(block: LineDict, what: str, required: Mapping[str, Kind], optional: Mapping[str, Kind],
                 collector: Collector) -> dict[str, Any]:
    """Check presence, type and spelling of a block's fields; return the valid ones."""
    valid: dict[str, Any] = {}
    known = {**required, **optional}
    for key in block:
        if key not in known:
            guess = difflib.get_close_matches(str(key), known, n=1)
            hint = f" Vouliez-vous dire « {guess[0]} » ?" if guess else \
                f" Champs possibles : {', '.join(known)}."
            collector.error(block.line_of(key), f"{what} contient un champ inconnu « {key} ».{hint}")
    for key, kind in known.items():
        value = block.get(key)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            if key in required:
                collector.error(block.line, f"{what} n'a pas de champ « {key} » "
                                            f"(obligatoire : {type_name(kind)}).")
            continue
        if not is_of(value, kind):
            hint = ""
            kinds = kind if isinstance(kind, tuple) else (kind,)
            if str in kinds and isinstance(value, (int, float)):
                hint = (" Mettez la valeur entre guillemets, par exemple \"33063\" ou \"05 36 49 12 34\" : "
                        "sans guillemets, YAML lit certains nombres de travers (un 0 en tête, par exemple).")
            elif isinstance(block.get(key), ImpossibleDate):   # (strip() made it a plain str)
                hint = " Cette date n'existe pas dans le calendrier : vérifiez le jour et le mois."
            elif float in kinds and isinstance(value, str):
                hint = (" Écrivez le nombre seul, sans unité ni guillemets, avec un point pour les décimales : "
                        "par exemple 22.5.")
            collector.error(block.line_of(key), f"{what} : le champ « {key} » doit être "
                                                f"{type_name(kind)}, pas « {value} ».{hint}")
            continue
        valid[key] = value
    return valid


def describe(block: Any, kind: str, key: str = "id") -> str:
    """« l'association « ai-x » » or « l'entrée ligne 12 » when there is no id yet."""
    ident = block.get(key) if isinstance(block, dict) else None
    return f"{kind} « {ident} »" if isinstance(ident, str) and ident else kind
