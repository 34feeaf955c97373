"""One ``email`` policy for every message we build (``MAIL_POLICY``) and its twin with SMTP's line endings for
what leaves (``WIRE_POLICY``): the standard ones (``email.policy.default`` and ``email.policy.SMTP``), with the
header work remembered.

The standard package parses a header when it is set and refolds it through its full RFC 5322 parse tree each time
a message is written. Most of our headers are the same from one message to the next (From, the parts'
Content-Type…) or short ASCII lines that need no folding, and that work was half of a form post's time. Here:

- a header set from the same shared text (or the same shared ``Address``: ``Shared``, values of the configuration
  and the routing table) is the same header object, parsed once (header objects are immutable: a message holds a
  reference, never changes it);
- a header object is folded once per output settings (the fold kept on the object, so it lives as long as the
  header), and one whose value is printable ASCII and fits on its line is written whole, as the standard folder
  writes such a line (it splits or encodes only what is too long or not ASCII).

Nothing a household gave (its name, address, or a subject naming it) is remembered beyond its own message: see
``Shared``.

What is written stays byte for byte the standard policies' output (tests/functions/test_mail_policy.py), and a value
with CR or LF is still refused when it is set.
"""

from __future__ import annotations

import re
import secrets
import sys
from collections.abc import Callable
from functools import lru_cache
from email import contentmanager
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.policy import EmailPolicy
from typing import Any, TypeVar

# Enough for the headers shared by every message (From, the associations' addresses, the parts' Content-Type); the
# least recently used go first.
REMEMBERED = 256

_K = TypeVar("_K")
_V = TypeVar("_V")

_parsed: dict[tuple[Any, ...], tuple[str, Any]] = {}
_FOLDS = "_aai_folds"   # a header object's own folds, by output settings (see MailPolicy._remembered)


class Shared:
    """A header value that may be remembered across messages, and so across requests in a warm Lambda: only
    values of the configuration and the routing table (the site's sender, an association's or the network's
    address, the parts' Content-Type), which every message shares. Nothing a household gave — its name, its
    address, a subject naming it — is ever marked: the right to erasure (``FormService.erase``) must reach every
    copy of a household's data, and a memo of this process is one it cannot reach. A value left unmarked costs a
    parse, never a copy: forgetting the mark is safe, so marking is the one way in."""

    __slots__ = ()


class SharedText(Shared, str):
    """A header's text from the configuration or this module (see ``Shared``)."""

    __slots__ = ()


class SharedAddress(Shared, Address):
    """An address from the routing table or the configuration (see ``Shared``; ``messages.shared_address``)."""


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


class _Registry(HeaderRegistry):
    """The standard registry makes a new header class each time it is asked for one (for every header set, and
    again to learn how many of it a message may hold): here each name's class is made once."""

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        found = self._classes.get(name)
        if found is None:
            found = self._classes[name] = super().__getitem__(name)
        return found


class MailPolicy(EmailPolicy):
    """``EmailPolicy`` with the parsed and folded headers remembered (see the module's docstring)."""

    def header_store_parse(self, name: str, value: Any) -> tuple[str, Any]:
        if type(value) is SharedText:
            key: tuple[Any, ...] = (self.header_factory, name, str(value))
        elif type(value) is SharedAddress:
            key = (self.header_factory, name, "address", value.display_name, value.username, value.domain)
        else:   # anything else (a household's name or address among them) is parsed for its message alone
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
        if type(value) is Folded:   # already folded as the standard folder folds it (``put``): written as it is
            text = f"{name}: {self.linesep.join(value.split(chr(10)))}{self.linesep}"
            return text.encode("utf8" if self.utf8 else "ascii", "surrogateescape") if binary else text
        if not isinstance(value, BaseHeader):   # a header read from a parsed message: kept as it came
            return fold(name, value)
        # Kept on the header object itself: a shared header's folds live as long as it is remembered, a
        # household's go with its message (header objects are str subclasses with attributes of their own).
        folds: dict[tuple[Any, ...], Any] | None = value.__dict__.get(_FOLDS)
        if folds is None:
            folds = value.__dict__[_FOLDS] = {}
        key = (binary, self.linesep, self.max_line_length, self.utf8, self.cte_type)
        found = folds.get(key)
        if found is not None:
            return found
        line = _whole_line(value, self.max_line_length or sys.maxsize)
        if line is None:
            folded = fold(name, value)
        else:
            folded = (line + self.linesep).encode("ascii") if binary else line + self.linesep
        folds[key] = folded
        return folded


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


MAIL_POLICY = MailPolicy(header_factory=_Registry())
WIRE_POLICY = MAIL_POLICY.clone(linesep="\r\n")


# --- Messages written as the standard package reads them back ------------------------------------------------------
#
# Setting a header parses it into an object (its name's class, its value's parse tree) that is folded again when the
# message is written; a message read from bytes holds each header's folded text instead, and parses it only when
# somebody asks for it. The builders below make our messages that way: each header's text is the standard
# folder's (worked out directly for a short ASCII line, by the standard policy otherwise, remembered above), each
# body encoded as ``set_content`` encodes it, the parts laid out as ``set_content`` + ``add_alternative`` lay them
# out. The message reads the same (``msg["To"].addresses``, ``get_body``…) and writes the same bytes as one built by
# the standard calls (tests/functions/test_mail_policy.py compares them), with no header parsed on the way.

# Headers whose short printable ASCII value the standard folder writes unchanged: text without structure, and the
# structured ones in the one form the standard writes them back (a message id of dot-atoms, a date as
# ``email.utils.format_datetime`` writes it, the MIME version 1.0).
_VERBATIM = frozenset({"subject", "x-aai-reference", "auto-submitted"})
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_MSGID = re.compile(rf"<{_ATEXT}(?:\.{_ATEXT})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*>")


@lru_cache(maxsize=64)   # the messages of one post (and of a tick) are dated the same second: checked once
def _is_formatted_date(text: str) -> bool:
    from email.utils import format_datetime, parsedate_to_datetime
    try:
        return format_datetime(parsedate_to_datetime(text)) == text
    except (TypeError, ValueError, IndexError):
        return False


_STRUCTURED: dict[str, Callable[[str], bool]] = {
    "message-id": lambda text: _MSGID.fullmatch(text) is not None,
    "date": lambda text: _is_formatted_date(text),
    "mime-version": lambda text: text == "1.0",
}
_SPECIALS = frozenset('()<>@,:;.\\"[]')   # RFC 5322's: a display name holding one is quoted
# A display name of plain words and an address of the usual characters: written « Name <address> » unchanged.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?: [A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                            r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")


_TEXTS = (str, SharedText)
_ADDRESSES = (Address, SharedAddress)


class Folded(str):
    """A header's text as the standard folder writes it (lines joined by ``\n``, without the name): read like any
    header's text (``msg[name]`` parses it when asked), written as it is."""


def header_text_of(name: str, value: Any) -> Any:
    """A short printable ASCII value the standard folder would write unchanged: its text, which a message read from
    bytes would hold (``Folded``, parsed only if somebody reads it). Anything else (accents, a long line, a display
    name to quote, a value of unusual shape): the parsed header ``msg[name] = value`` stores, parsed once per value.
    A value with CR or LF is refused (ValueError), as the standard policy refuses it."""
    line = _plain_line(name, value)
    if line is not None:
        return Folded(line)
    return MAIL_POLICY.header_store_parse(name, value)[1]   # parsed once per value, refuses CR and LF


def _plain_line(name: str, value: Any) -> str | None:
    if type(value) in _TEXTS:
        kind = name.lower()
        if kind not in _VERBATIM and not (kind in _STRUCTURED and _STRUCTURED[kind](value)):
            return None
        text = str(value)
    elif type(value) in _ADDRESSES and name.lower() in ("from", "to", "reply-to", "cc"):
        if not _PLAIN_ADDRESS.fullmatch(value.addr_spec) or \
                (value.display_name and not _PLAIN_NAME.fullmatch(value.display_name)):
            return None
        text = str(value)
    else:
        return None
    limit = MAIL_POLICY.max_line_length or sys.maxsize   # longer: the standard folder's choices are its own
    if text and text.isascii() and text.isprintable() and "=?" not in text and "  " not in text \
            and text == text.strip() and len(name) + 2 + len(text) <= limit:
        return text
    return None


def put(msg: EmailMessage, name: str, value: Any) -> None:
    """``msg[name] = value`` (without its check that a header such as Subject is set once: the builders set each
    once), kept as text when it can be (see ``header_text_of``)."""
    msg.set_raw(name, header_text_of(name, value))


# The standard's choice of a body's encoding (7bit, 8bit, quoted-printable or base64, whichever suits the text),
# called directly: the same function ``set_content`` calls, so the same bytes.
_encode_text: Callable[[str, str, Any, EmailPolicy], tuple[str, str]] = getattr(contentmanager, "_encode_text")


def _text_part(text: str, subtype: str, with_version: bool) -> EmailMessage:
    part = EmailMessage(policy=MAIL_POLICY)
    cte, payload = _encode_text(text, "utf-8", None, MAIL_POLICY)
    put(part, "Content-Type", SharedText(f'text/{subtype}; charset="utf-8"'))   # parsed once: writers read it
    put(part, "Content-Transfer-Encoding", SharedText(cte))
    if with_version:   # add_alternative's part is an EmailMessage of its own: set_content gives it one
        put(part, "MIME-Version", "1.0")
    part.set_payload(payload)
    return part


def set_alternative(msg: EmailMessage, text: str, html: str) -> None:
    """``msg.set_content(text)``, ``msg.add_alternative(html, subtype="html")`` and ``set_boundary(msg)``, as they
    leave the message, headers kept as text: MIME-Version, then the multipart Content-Type with our boundary."""
    if msg.get_payload() is not None or any(k.lower().startswith("content-") for k in msg.keys()):
        raise ValueError("the message already has a body")
    parts = [_text_part(text, "plain", False), _text_part(html, "html", True)]
    payloads = [str(part.get_payload()) for part in parts]
    while any(_boundary[0] in payload for payload in payloads):
        _boundary[0] = _new_boundary()
    if "MIME-Version" not in msg:
        put(msg, "MIME-Version", "1.0")
    put(msg, "Content-Type", SharedText(f'multipart/alternative; boundary="{_boundary[0]}"'))
    for part in parts:
        msg.attach(part)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def wire_bytes(msg: EmailMessage) -> bytes:
    """``msg.as_bytes(policy=WIRE_POLICY)``, written directly for the shape ``set_alternative`` lays out (headers,
    then two text parts of ASCII payload under our boundary): the standard generator's output without its general
    machinery (it copies the policy, reads each part's headers and splits each body line by line). Any other
    message — a single part, an 8bit body, anything set by other means — is written by the standard generator."""
    parts = msg.get_payload()
    boundary = _boundary[0]
    if not isinstance(parts, list) or len(parts) != 2 or msg.preamble is not None or msg.epilogue is not None \
            or not all(_simple_part(part) for part in parts) or msg.get_boundary() != boundary:
        return msg.as_bytes(policy=WIRE_POLICY)
    nl = WIRE_POLICY.linesep
    out = [_head(msg), f"--{boundary}{nl}".encode("ascii")]
    for index, part in enumerate(parts):
        if index:
            out.append(f"{nl}--{boundary}{nl}".encode("ascii"))
        out.append(_head(part))
        out.append(_LINE_BREAK.sub(nl, part.get_payload()).encode("ascii"))
    out.append(f"{nl}--{boundary}--{nl}".encode("ascii"))
    return b"".join(out)


def _simple_part(part: Any) -> bool:
    payload = part.get_payload() if isinstance(part, EmailMessage) else None
    return isinstance(payload, str) and payload.isascii() and part.preamble is None and part.epilogue is None \
        and type(part) is EmailMessage


def _head(msg: EmailMessage) -> bytes:
    return b"".join(WIRE_POLICY.fold_binary(name, value) for name, value in msg.raw_items()) \
        + WIRE_POLICY.linesep.encode("ascii")
