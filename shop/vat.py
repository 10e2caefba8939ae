"""Dutch btw on consumer prices that are entered including tax."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

CENT = Decimal("0.01")


def vat_rate() -> Decimal:
    """The btw rate that consumer prices include (9% for food supplements)."""
    return Decimal(settings.SHOP_VAT_RATE)


def split_gross(gross: Decimal, rate: Decimal | None = None) -> tuple[Decimal, Decimal]:
    """Split a price including btw into (excl. btw, btw) so that the two add up to `gross` exactly."""
    rate = vat_rate() if rate is None else rate
    gross = Decimal(gross)
    tax = (gross * rate / (1 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)
    return gross - tax, tax
