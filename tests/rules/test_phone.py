"""One phone rule for the data, the forms, storage and erasure."""

import pytest

from rules.phone import display_phone, parse_phone


@pytest.mark.parametrize("raw, e164, display", [
    ("05 36 49 12 34", "+33536491234", "05 36 49 12 34"),
    ("0536491234", "+33536491234", "05 36 49 12 34"),
    ("+33 5 36 49 12 34", "+33536491234", "05 36 49 12 34"),
    ("0033612345678", "+33612345678", "06 12 34 56 78"),
    ("06.12.34.56.78", "+33612345678", "06 12 34 56 78"),
    ("0692 12 34 56", "+262692123456", "0692 12 34 56"),      # La Réunion, dialled from mainland France
    ("+262 692 12 34 56", "+262692123456", "0692 12 34 56"),
    ("0262 12 34 56", "+262262123456", "0262 12 34 56"),      # La Réunion, a fixed line
])
def test_a_french_number_is_parsed_once(raw, e164, display):
    phone = parse_phone(raw)
    assert (phone.e164, phone.display, str(phone), phone.tel) == (e164, display, display, f"tel:{e164}")


@pytest.mark.parametrize("raw", ["+44 20 7946 0958", "+1 202 555 0143", "12", "05 36 49", "", "x" * 40, None])
def test_foreign_or_broken_numbers_are_refused(raw):
    assert parse_phone(raw) is None


@pytest.mark.parametrize("raw, mobile", [
    ("06 12 34 56 78", True), ("07 81 23 45 67", True), ("0692 12 34 56", True),   # an overseas mobile too
    ("05 36 49 12 34", False), ("0262 12 34 56", False), ("09 70 12 34 56", False),
])
def test_sms_is_allowed_when_the_line_is_a_mobile(raw, mobile):
    assert parse_phone(raw).mobile is mobile


def test_a_stored_number_is_shown_the_french_way():
    assert display_phone("+33536491234") == "05 36 49 12 34"
    assert display_phone("not a number") == "not a number"
