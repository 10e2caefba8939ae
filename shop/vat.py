"""Dutch btw on consumer prices that are entered including tax."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from shop.cosmetics import is_cosmetic

CENT = Decimal("0.01")
# Cosmetics are not food: the standard rate, not the reduced rate of table I.
STANDARD_RATE = Decimal("0.21")


def vat_rate() -> Decimal:
    """The btw rate that consumer prices include (9% for food supplements)."""
    return Decimal(settings.SHOP_VAT_RATE)


def vat_rate_for(product) -> Decimal:
    """The btw rate of `product`: 21% for a cosmetic, else the food rate (vat_rate())."""
    if product is not None and is_cosmetic(product):
        return STANDARD_RATE
    return vat_rate()


def split_gross(gross: Decimal, rate: Decimal | None = None) -> tuple[Decimal, Decimal]:
    """Split a price including btw into (excl. btw, btw) so that the two add up to `gross` exactly."""
    rate = vat_rate() if rate is None else rate
    gross = Decimal(gross)
    tax = (gross * rate / (1 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)
    return gross - tax, tax
