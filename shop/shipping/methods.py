from decimal import Decimal

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping import methods
from oscar.apps.shipping.methods import *  # noqa: F403
from oscar.core import prices

from shop.vat import split_gross


class Standard(methods.Base):
    """Postal delivery: € 4,95 including btw, free from € 40 (the basket total incl. btw)."""

    code = "standaard"
    name = _("Standaard")
    charge_incl_tax = Decimal("4.95")
    free_from_incl_tax = Decimal("40.00")

    @property
    def description(self):
        # The same promise as the home page and footer (features.storefront.promises): one setting.
        return _("Bezorging door PostNL in %(days)s werkdagen; gratis vanaf € %(free)s.") % {
            "days": settings.SHOP_DELIVERY_WORKDAYS,
            "free": floatformat(self.free_from_incl_tax, "-2"),
        }

    def calculate(self, basket):
        gross = self.charge_incl_tax
        if basket.total_incl_tax >= self.free_from_incl_tax:
            gross = Decimal("0.00")
        excl_tax, tax = split_gross(gross)
        return prices.Price(currency=basket.currency, excl_tax=excl_tax, tax=tax)


class Pickup(methods.Free):
    """Collect the order at the shop's address."""

    code = "ophalen"
    name = _("Ophalen")
    description = _("Gratis ophalen in onze winkel in Utrecht.")
