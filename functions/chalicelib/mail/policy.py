"""One ``email`` policy for every message we build (``MAIL_POLICY``) and its twin with SMTP's line endings for
what leaves (``WIRE_POLICY``): the standard ones (``email.policy.default`` and ``email.policy.SMTP``), with the
header work remembered.

The standard package parses a header when it is set and refolds it through its full RFC 5322 parse tree each time
a message is written. Most of our headers are the same from one message to the next (From, the parts'
Content-Type…) or short ASCII lines that need no folding, and that work was half of a form post's time. Here:

- a header set from the same text (or the same ``Address``) is the same header object, parsed once (header
  objects are immutable: a message holds a reference, never changes it);
- a header object is folded once per output settings, and one whose value is printable ASCII and fits on its line
  is written whole, as the standard folder writes such a line (it splits or encodes only what is too long or not
  ASCII).

What is written stays byte for byte the standard policies' output (tests/functions/test_mail_policy.py), and a value
with CR or LF is still refused when it is set.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Callable
from email.headerregistry import Address, BaseHeader
from email.message import EmailMessage
from email.policy import EmailPolicy
from typing import Any, TypeVar

# Enough for the headers shared by every message and a few messages' own; the least recently used go first.
REMEMBERED = 256

_K = TypeVar("_K")
_V = TypeVar("_V")

_parsed: dict[tuple[Any, ...], tuple[str, Any]] = {}
_folded: dict[tuple[Any, ...], tuple[BaseHeader, Any]] = {}


def _recall(memo: dict[_K, _V], key: _K) -> _V | None:
    found = memo.pop(key, None)
    if found is not None:
        memo[key] = found   # most recently used last
    return found


def _keep(memo: dict[_K, _V], key: _K, value: _V) -> _V:
    if len(memo) >= REMEMBERED:
        del memo[next(iter(memo))]
    memo[key] = value
    return value


def _whole_line(header: BaseHeader, maxlen: int) -> str | None:
    """``Name: value`` when the standard folder would write it unchanged: a non-empty value of printable ASCII
    (nothing to encode) that fits on the line (nothing to fold). None otherwise, or if this Python's header
    has no parse tree to read (the standard folder then does the work)."""
    tree = getattr(header, "_parse_tree", None)   # what the standard folder writes, before any folding
    if tree is None:
        return None
    text = str(tree)
    if text and text.isascii() and text.isprintable() and len(header.name) + 2 + len(text) <= maxlen:
        return f"{header.name}: {text}"
    return None


class MailPolicy(EmailPolicy):
    """``EmailPolicy`` with the parsed and folded headers remembered (see the module's docstring)."""

    def header_store_parse(self, name: str, value: Any) -> tuple[str, Any]:
        if type(value) is str:
            key: tuple[Any, ...] = (self.header_factory, name, value)
        elif type(value) is Address:
            key = (self.header_factory, name, "address", value.display_name, value.username, value.domain)
        else:
            return super().header_store_parse(name, value)
        found = _recall(_parsed, key)
        if found is None:   # a refused value (CR, LF) raises here, every time: it is never remembered
            found = _keep(_parsed, key, super().header_store_parse(name, value))
        return found

    def fold(self, name: str, value: Any) -> str:
        return self._remembered(name, value, super().fold, binary=False)   # type: ignore[no-any-return]

    def fold_binary(self, name: str, value: Any) -> bytes:
        return self._remembered(name, value, super().fold_binary, binary=True)   # type: ignore[no-any-return]

    def _remembered(self, name: str, value: Any, fold: Callable[[str, Any], Any], binary: bool) -> Any:
        if not isinstance(value, BaseHeader):   # a header read from a parsed message: kept as it came
            return fold(name, value)
        key = (id(value), binary, self.linesep, self.max_line_length, self.utf8, self.cte_type)
        found = _recall(_folded, key)
        if found is not None and found[0] is value:   # the entry keeps its header alive: its id is not reused
            return found[1]
        line = _whole_line(value, self.max_line_length or sys.maxsize)
        if line is None:
            folded = fold(name, value)
        else:
            folded = (line + self.linesep).encode("ascii") if binary else line + self.linesep
        return _keep(_folded, key, (value, folded))[1]


def _new_boundary() -> str:
    """The standard generator's form (``===============`` and 19 digits and ``==``), drawn unpredictably."""
    return "=" * 15 + f"{secrets.randbelow(sys.maxsize):019d}" + "=="


_boundary = [_new_boundary()]


def set_boundary(msg: EmailMessage) -> None:
    """One boundary for the messages of this process, drawn again whenever a part's content holds it (the check the
    standard generator makes with a regular expression compiled for each message): its Content-Type header is then
    the same from message to message, parsed and folded once. Unpredictable, so nobody can type it in advance; a
    visitor who read it in an acknowledgement and types it makes the next message draw another."""
    payloads = [str(part.get_payload()) for part in msg.iter_parts()]
    while any(_boundary[0] in payload for payload in payloads):
        _boundary[0] = _new_boundary()
    msg.set_boundary(_boundary[0])


MAIL_POLICY = MailPolicy()
WIRE_POLICY = MAIL_POLICY.clone(linesep="\r\n")
