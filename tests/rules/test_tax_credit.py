from decimal import Decimal

from rules.tax_credit import OFFICIAL_PAGE, after_tax_credit


def test_half_of_the_price_to_the_cent():
    assert after_tax_credit(23) == Decimal("11.50")
    assert after_tax_credit(Decimal("24.8")) == Decimal("12.40")
    assert after_tax_credit(22.75) == Decimal("11.38")   # 11.375, half up: what is shown is « environ »


def test_the_official_page_is_the_states_own_site():
    assert OFFICIAL_PAGE.startswith("https://www.service-public.fr/")
