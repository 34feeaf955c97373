"""The tax credit for services à la personne (article 199 sexdecies of the Code général des impôts), as the site
explains it to households: half of what they pay comes back, or is never advanced with the « avance immédiate ».

Written once here so that every page (and, later, a message) that quotes a price after the credit computes it the
same way."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

RATE = Decimal("0.5")          # 50 % of the sums paid
YEARLY_CAP = 12000             # euros of expenses a year, in the general case
# The State's page on the credit (conditions, caps, the « avance immédiate »): a plain link, nothing loaded from it.
OFFICIAL_PAGE = "https://www.service-public.fr/particuliers/vosdroits/F12"


def after_tax_credit(price: Decimal | float) -> Decimal:
    """What an hour really costs once the credit is counted, to the cent: 23 → 11.50."""
    return (Decimal(str(price)) * (1 - RATE)).quantize(Decimal("0.01"), ROUND_HALF_UP)
