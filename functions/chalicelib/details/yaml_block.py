"""One association's block of ``data/associations.yaml``, edited in place.

The file is AAI's editors' work: its header comments explain every field, its blocks are laid out by hand.
Decap and Sveltia rewrite such a file whole on save and drop its comments; here ruamel.yaml (a round-trip parser)
reads it, the fields of one block change, and only that block's lines are spliced back into the original text:
every byte outside the block is the original byte, whatever ruamel would have made of it.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedSeq

# What an association may change itself; its id, name, office commune, position and zone stay with AAI's editors.
TEXT_FIELDS = ("address", "phone", "email", "contact", "hours", "website")
OPTIONAL_FIELDS = ("website", "hourly_price")   # an empty value removes the line
EDITABLE = (*TEXT_FIELDS, "hourly_price", "services")


class BlockNotFound(LookupError):
    """No block of the file has this id (the association left the network, or the id is wrong)."""


def _yaml() -> YAML:
    from ruamel.yaml import YAML   # imported here: the functions' other pages never pay for it
    yaml = YAML()   # round-trip: comments, quotes, flow lists and key order are kept
    yaml.preserve_quotes = True
    yaml.width = 4096   # never fold a long line of hours
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _blocks(document: Any) -> CommentedSeq:
    from ruamel.yaml.comments import CommentedSeq
    blocks = document.get("associations") if hasattr(document, "get") else None
    if not isinstance(blocks, CommentedSeq):
        raise BlockNotFound("the file has no « associations: » list")
    return blocks


def _span(blocks: CommentedSeq, index: int, line_count: int) -> tuple[int, int]:
    """The lines (0-based, end excluded) of the ``index``-th block: from its « - id: » to the next one's."""
    start = blocks.lc.item(index)[0]
    end = blocks.lc.item(index + 1)[0] if index + 1 < len(blocks) else line_count
    return start, end


def _index_of(blocks: CommentedSeq, ident: str) -> int:
    for index, block in enumerate(blocks):
        if hasattr(block, "get") and block.get("id") == ident:
            return index
    raise BlockNotFound(ident)


def current(text: str, ident: str) -> dict[str, str | list[str]]:
    """The block's editable fields as the form shows them (prices with a comma, services as a list of ids)."""
    blocks = _blocks(_yaml().load(text))
    block = blocks[_index_of(blocks, ident)]
    values: dict[str, str | list[str]] = {name: str(block.get(name, "") or "") for name in TEXT_FIELDS}
    price = block.get("hourly_price")
    values["hourly_price"] = "" if price is None else format(Decimal(str(price)).normalize(), "f").replace(".", ",")
    values["services"] = [str(s) for s in block.get("services") or []]
    return values


def _price(value: str) -> int | float | str:
    """« 22,50 » or « 22.5 » → 22.5 (as YAML writes it); a text that is not a number stays text, for the model
    to refuse with its own message."""
    cleaned = value.replace("€", "").replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return value
    if not number.is_finite():
        return value
    return int(number) if number == number.to_integral_value() else float(number)


def edit(text: str, ident: str, changes: Mapping[str, Any], editable: tuple[str, ...] = EDITABLE) -> str:
    """``text`` with the block ``ident``'s fields set to ``changes`` (names from ``editable``; others are
    ignored); lines outside that block are returned exactly as they were. ``editable=("verified",)``: the date
    the association confirmed its details (« oui, tout est juste »), and nothing else."""
    yaml = _yaml()
    document = yaml.load(text)
    blocks = _blocks(document)
    index = _index_of(blocks, ident)
    block = blocks[index]
    original_lines = text.splitlines(keepends=True)
    start, end = _span(blocks, index, len(original_lines))
    for name, value in changes.items():
        if name not in editable:
            continue
        if isinstance(value, datetime.date):   # « verified »: written as YAML writes a date, 2026-12-06
            block[name] = value
            continue
        if name == "services":
            services = block.get("services")
            if isinstance(services, list):
                # the file's order is the editors' (the page lists services in it): a form's order is its own
                kept = [s for s in services if s in value] + [s for s in value if s not in services]
                del services[:]
                services.extend(kept)   # the same list object: its flow style « [a, b] » is kept
            else:
                block["services"] = list(value)
            continue
        value = value.strip()
        if not value and name in OPTIONAL_FIELDS:
            block.pop(name, None)
        elif name == "hourly_price":
            block[name] = _price(value)
        else:
            block[name] = value
    out = io.StringIO()
    yaml.dump(document, out)
    new_lines = out.getvalue().splitlines(keepends=True)
    new_start, new_end = _span(_blocks(yaml.load(out.getvalue())), index, len(new_lines))
    return "".join(original_lines[:start] + new_lines[new_start:new_end] + original_lines[end:])


def block_lines(text: str, ident: str) -> range:
    """The lines (1-based) of the block ``ident``: the model's messages about them are the association's."""
    blocks = _blocks(_yaml().load(text))
    start, end = _span(blocks, _index_of(blocks, ident), len(text.splitlines()))
    return range(start + 1, end + 1)


def field_lines(text: str, ident: str) -> dict[int, str]:
    """Line number (1-based) → field name of the block ``ident``: puts the model's messages beside their field."""
    blocks = _blocks(_yaml().load(text))
    block = blocks[_index_of(blocks, ident)]
    return {block.lc.key(name)[0] + 1: str(name) for name in block}
