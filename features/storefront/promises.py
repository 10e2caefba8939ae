"""The service promises the storefront shows (home, footer), read from where each one is set:
the free-shipping threshold from the Standard shipping method that charges it, the btw rate from
shop.vat, delivery time, withdrawal period and the payment methods from settings. Nothing here
repeats a number."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from shop.mollie.services import mollie_enabled
from shop.shipping.methods import Standard
from shop.vat import vat_rate


@dataclass(frozen=True)
class ServicePromises:
    free_shipping_from: Decimal
    vat_percent: int
    delivery_workdays: str
    withdrawal_days: int
    payment_methods: str


# Mollie's method ids (settings.MOLLIE_METHODS) as a Dutch customer knows them.
PAYMENT_METHOD_NAMES = {"ideal": "iDEAL", "creditcard": "creditcard", "bancontact": "Bancontact"}


def payment_methods_text() -> str:
    """'met iDEAL, creditcard of per bankoverschrijving', or only bank transfer without Mollie.
    From the settings, never from Mollie's API: the footer is shared HTML."""
    if not mollie_enabled():
        return "per bankoverschrijving"
    names = [PAYMENT_METHOD_NAMES.get(code, code) for code in settings.MOLLIE_METHODS]
    return "met " + ", ".join(names) + " of per bankoverschrijving"


def service_promises() -> ServicePromises:
    """The shop's promises as configured now (no database read)."""
    return ServicePromises(
        free_shipping_from=Standard.free_from_incl_tax,
        vat_percent=int(vat_rate() * 100),
        delivery_workdays=settings.SHOP_DELIVERY_WORKDAYS,
        withdrawal_days=settings.SHOP_WITHDRAWAL_DAYS,
        payment_methods=payment_methods_text(),
    )
