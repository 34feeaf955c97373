"""Issue 26, the real price: an optional hourly price, exact to the cent, and the « avance immédiate »; the half
after the 50 % tax credit is computed by the model from rules/tax_credit.py. (Refusals: broken_cases.py.)"""

from __future__ import annotations

from decimal import Decimal

import pytest

from model import load_site
from tests.model.broken_cases import VALID


def loaded(data_root, lines: str):
    text = VALID.replace("charter_signed: 2025-03-14", "charter_signed: 2025-03-14\n" + lines)
    (data_root / "data" / "associations.yaml").write_text(text, "utf-8")
    (association,) = load_site(data_root).associations
    return association


@pytest.mark.parametrize(("written", "price", "half"), [
    ("23", "23", "11.50"), ("22.5", "22.5", "11.25"), ("20", "20", "10.00"), ("24.75", "24.75", "12.38"),
    ("100", "100", "50.00"),
])
def test_price_and_its_half_to_the_cent(data_root, written, price, half):
    association = loaded(data_root, f"    hourly_price: {written}")
    assert association.hourly_price == Decimal(price)
    assert association.price_after_tax_credit == Decimal(half)
    assert str(association.price_after_tax_credit) == half


def test_no_price_is_none_and_nothing_is_computed(data_root):
    (association,) = load_site(data_root).associations
    assert association.hourly_price is None and association.price_after_tax_credit is None
    assert association.immediate_advance is False


def test_the_avance_immediate_is_a_yes_or_no(data_root):
    assert loaded(data_root, "    immediate_advance: true").immediate_advance is True
    assert loaded(data_root, "    immediate_advance: false").immediate_advance is False
