"""Checks for phone numbers and e-mail addresses, with the fix spelled out in French."""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email


def normalize_phone(raw: str) -> tuple[str, str] | None:
    """``(display, e164)`` for a valid French number, e.g. ``("05 36 49 10 01", "+33536491001")``."""
    try:
        number = phonenumbers.parse(raw, "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number) or phonenumbers.region_code_for_number(number) != "FR":
        return None
    return (phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL),
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def normalize_email(raw: str) -> str | None:
    """The normalised address, or None; no DNS look-up (the build must work offline)."""
    try:
        return validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


PHONE_FIX = "écrivez un numéro français à 10 chiffres, par exemple 05 36 49 12 34"
EMAIL_FIX = "écrivez une adresse complète, par exemple contact@association.example.org"
