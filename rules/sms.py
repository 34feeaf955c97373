"""SMS text rules, written once (the functions send SMS; the site may one day show the same count): which
characters fit the GSM 03.38 alphabet, how many segments a text costs, and how to keep a French text in GSM-7.

An SMS in GSM-7 carries 160 characters (153 per segment once split); one character outside GSM-7 — « ê », « â »,
« ô », « œ », a typographic apostrophe — switches the whole text to UCS-2: 70 characters (67 per segment). Every
segment is billed, so a text that needs « ê » costs two or three times as much. French letters partly belong to
the basic set (é è à ù ì ò Ç É are in it); ``to_gsm7`` replaces the others by their nearest GSM-7 letter.
"""

from __future__ import annotations

import math
import unicodedata

# GSM 03.38 basic character set (one septet each); ESC (0x1B) left out: it introduces the extension table.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
# The extension table: each costs two septets (ESC + the character).
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

SINGLE_GSM7, MULTI_GSM7 = 160, 153     # septets in one SMS / per segment of a long one (the rest is the UDH)
SINGLE_UCS2, MULTI_UCS2 = 70, 67       # UTF-16 code units, likewise

# Letters and signs outside GSM-7 that French texts use, with the GSM-7 text closest to them.
NEIGHBOURS = {
    "ê": "e", "ë": "e", "â": "a", "î": "i", "ï": "i", "ô": "o", "û": "u", "ÿ": "y",
    "ç": "c", "Ê": "E", "Ë": "E", "È": "E", "À": "A", "Â": "A", "Î": "I", "Ï": "I", "Ô": "O", "Û": "U",
    "Ù": "U", "Ÿ": "Y", "œ": "oe", "Œ": "OE",
    "\u2019": "'", "\u2018": "'", "«": "\"", "»": "\"", "\u201c": "\"", "\u201d": "\"",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2013": "-", "\u2014": "-", "\u2026": "...",
}


def is_gsm7(text: str) -> bool:
    """True when the whole text can travel in the GSM 03.38 alphabet (basic set and extension table)."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def length(text: str) -> int:
    """The text's size in its encoding's units: septets for GSM-7 (an extension character counts two), UTF-16
    code units for UCS-2 (an emoji counts two)."""
    if is_gsm7(text):
        return sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
    return len(text.encode("utf-16-le")) // 2


def segments(text: str) -> int:
    """How many SMS the operator bills for ``text`` (0 for an empty text)."""
    size = length(text)
    if size == 0:
        return 0
    single, multi = (SINGLE_GSM7, MULTI_GSM7) if is_gsm7(text) else (SINGLE_UCS2, MULTI_UCS2)
    return 1 if size <= single else math.ceil(size / multi)


def to_gsm7(text: str) -> str:
    """The text with every French letter or sign outside GSM-7 replaced by its GSM-7 neighbour (« ê » → « e »,
    « ’ » → « ' »), the letters GSM-7 has (é, è, à, ù, É) kept: a text that would need UCS-2 for one « ê »
    stays in one GSM-7 segment. Anything else outside GSM-7 loses its accent (NFD) or becomes « ? »."""
    out = []
    for ch in text:
        if ch in GSM7_BASIC or ch in GSM7_EXTENSION:
            out.append(ch)
        elif ch in NEIGHBOURS:
            out.append(NEIGHBOURS[ch])
        else:
            base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
            out.append(base if base and is_gsm7(base) else "?")
    return "".join(out)
