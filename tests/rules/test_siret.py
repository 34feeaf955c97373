"""The SIRET rule (rules/siret.py), shared by the site build and the functions: 14 digits, Luhn, La Poste's
exception, French messages."""

from __future__ import annotations

import pytest

from rules import siret


@pytest.mark.parametrize("typed, digits", [
    ("732 829 320 00074", "73282932000074"),
    ("73282932000074", "73282932000074"),
    ("732.829.320.00074", "73282932000074"),
    ("552\u00a0100\u00a0554\u00a000013", "55210055400013"),
    ("356 000 000 12346", "35600000012346"),   # La Poste: digits adding up to a multiple of 5, not Luhn
])
def test_valid_numbers_are_kept_as_14_digits(typed, digits):
    assert siret.clean(typed) == digits


@pytest.mark.parametrize("typed, message", [
    ("732 829 320 00075", siret.INVALID_CHECKSUM),
    ("356 000 000 12345", siret.INVALID_CHECKSUM),
    ("7328293200007", siret.INVALID_FORMAT),
    ("732829320000740", siret.INVALID_FORMAT),
    ("73282932OOOO74", siret.INVALID_FORMAT),
    ("", siret.INVALID_FORMAT),
])
def test_wrong_numbers_are_refused_in_french(typed, message):
    with pytest.raises(ValueError) as refused:
        siret.clean(typed)
    assert str(refused.value) == message and "SIRET" in message


def test_luhn_and_display():
    assert siret.luhn_ok("73282932000074") and not siret.luhn_ok("73282932000075")
    assert siret.display("73282932000074") == "732 829 320 00074"
