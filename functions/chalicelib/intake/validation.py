"""Field rules with French messages: every value is checked before it is stored or mailed."""

from __future__ import annotations

import datetime
import re
import unicodedata

from rules import email_address, phone
from rules.phone import Phone

# Invisible characters a name may carry by accident (copy-paste): removed silently.
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Characters that reorder or hide text: refused, they serve only to deceive the reader.
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


HTML_TAG = re.compile(r"<[/!?a-zA-Z]")   # how HTML starts a tag: "a < b" and "<3" stay allowed
NAME = re.compile(r"[^\W\d_](?:[^\W\d_]|[ '’.,()&/-])*")


class FieldError(ValueError):
    """A value is not acceptable; the message is shown to the visitor as is."""


def clean_text(value: str, max_len: int, multiline: bool = False) -> str:
    """Normalise a free-text value; refuse control characters and deceptive Unicode."""
    if "\x00" in value:
        raise FieldError("Ce champ contient un caractère nul, qui n'est pas accepté.")
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = unicodedata.normalize("NFC", value.translate(ZERO_WIDTH))
    for char in value:
        if char in BIDI:
            raise FieldError("Ce champ contient un caractère de contrôle du sens d'écriture, qui n'est pas accepté.")
        if char in "\r\n\u2028\u2029" and not multiline:
            raise FieldError("Ce champ doit tenir sur une seule ligne.")
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn") and char not in "\n\t":
            raise FieldError("Ce champ contient un caractère invisible ou de contrôle, qui n'est pas accepté.")
    value = value.replace("\t", " ")
    value = "\n".join(" ".join(line.split()) for line in value.strip().split("\n")) if multiline \
        else " ".join(value.split())
    if HTML_TAG.search(value):
        raise FieldError("Ce champ ne peut pas contenir de balises HTML (du texte entre < et >).")
    if len(value) > max_len:
        raise FieldError(f"Ce champ est trop long : {max_len} caractères au plus (vous en avez saisi {len(value)}).")
    return value


def clean_name(value: str, max_len: int) -> str:
    """A person's name: letters, spaces, hyphens, apostrophes and a little punctuation."""
    value = clean_text(value, max_len)
    if not NAME.fullmatch(value):
        raise FieldError("Le nom ne peut contenir que des lettres, des espaces, des tirets et des apostrophes.")
    return value


def clean_phone(value: str) -> Phone:
    """A French number (overseas included), parsed once: E.164 is stored, the display form is shown."""
    number = phone.parse_phone(value)
    if number is None:
        raise FieldError(f"Indiquez un numéro de téléphone français valide, par exemple {phone.EXAMPLE}.")
    return number


def clean_email(value: str) -> str:
    """An address we can send to; only ASCII local parts so it fits every mail header."""
    address = email_address.normalize_email(value)
    if address is None:
        raise FieldError(f"Indiquez une adresse e-mail valide, par exemple {email_address.EXAMPLE}.")
    return address


ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
FRENCH_DAY = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


def read_day(value: str) -> datetime.date:
    """A day as a date field sends it (``2026-12-01``) or as a person types it where the browser shows a plain
    text box instead of a calendar (``01/12/2026``, what a French browser shows in a date field): both are
    accepted, and the hint and the message speak of what the person sees, jj/mm/aaaa."""
    value = (value or "").strip()
    iso, french = ISO_DAY.fullmatch(value), FRENCH_DAY.fullmatch(value)
    found = iso or french
    if found is None:
        raise FieldError("Indiquez une date réelle au format jj/mm/aaaa, par exemple 01/12/2026.")
    year, month, day = (found[1], found[2], found[3]) if iso else (found[3], found[2], found[1])
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise FieldError("Cette date n'existe pas dans le calendrier : indiquez une date réelle.") from None


def clean_date(value: str, today: datetime.date) -> datetime.date:
    day = read_day(value)
    if day < today:
        raise FieldError("La date de début ne peut pas être déjà passée.")
    if day > today + datetime.timedelta(days=731):
        raise FieldError("La date de début doit se situer dans les deux ans à venir.")
    return day


def clean_number(value: str, low: int, high: int) -> int | float:
    match = re.fullmatch(r"(\d{1,4})(?:[.,](\d{1,2}))?", value.strip())
    if not match:
        raise FieldError(f"Indiquez un nombre d'heures entre {low} et {high}, par exemple 4.")
    number = float(f"{match[1]}.{match[2] or 0}")
    if not low <= number <= high:
        raise FieldError(f"Indiquez un nombre d'heures entre {low} et {high}.")
    return int(number) if number.is_integer() else number
