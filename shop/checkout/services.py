"""Order placement safety: one locked step for "is it still there?" and "take it".

Oscar checks availability when the customer opens the checkout and allocates stock later,
without a lock in between, so two customers can buy the last unit (django-oscar #1811, #2102,
#4524) and one basket can be submitted twice (#4246, #3768). The functions here run inside the
order-placement transaction and hold their row locks until it commits.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_model

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")


class BasketAlreadySubmitted(Exception):
    """The basket has already become an order (a repeated or concurrent submit)."""

    def __init__(self, order):
        super().__init__(f"Basket already submitted as order {getattr(order, 'number', '?')}")
        self.order = order


class BasketBeingProcessed(Exception):
    """The basket is frozen by another, unfinished payment attempt."""


class StockShortage(UnableToPlaceOrder):
    """A product in the basket sold out between the basket and "place order"."""


# How long after an order a signed-in customer's repeated "place order" on an empty basket is
# taken for the same click (a double click, a reload of the post).
REPEAT_WINDOW = timedelta(minutes=2)


def order_of_repeated_submit(*, order_id, basket_id, user):
    """The order a repeated "place order" (which found an empty basket) refers to, or None.

    Three ways, first match wins: the order the session recorded (`order_id`); the order the
    guest's basket cookie's basket became (`basket_id`: a second post of a double click that
    read the session before the first stored the order, and the basket after it was
    submitted); a signed-in customer's order placed within REPEAT_WINDOW.
    """
    if order_id is not None:
        return Order.objects.filter(pk=order_id).first()
    if basket_id is not None:
        return Order.objects.filter(basket_id=basket_id).order_by("pk").first()
    if user.is_authenticated:
        recent = Order.objects.filter(user=user, date_placed__gte=timezone.now() - REPEAT_WINDOW)
        return recent.order_by("-date_placed", "-pk").first()
    return None


def basket_lock_for_placement(*, basket):
    """Lock the basket row and make sure it is still open; return the fresh row.

    A second submit of the same basket waits here until the first one commits, then sees the
    basket as submitted instead of placing a second order.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("basket_lock_for_placement must run inside transaction.atomic()")
    locked = Basket._default_manager.select_for_update().get(pk=basket.pk)
    if locked.status == locked.SUBMITTED:
        raise BasketAlreadySubmitted(locked.order_set.order_by("pk").first())
    if locked.status == locked.FROZEN:
        raise BasketBeingProcessed()
    return locked


def stock_lock_and_check(*, basket) -> None:
    """Lock the basket's stock records (by pk, so concurrent buyers cannot deadlock) and check
    that every line can still be allocated; raise StockShortage naming the product if not."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("stock_lock_and_check must run inside transaction.atomic()")
    wanted: dict[int, int] = defaultdict(int)
    titles: dict[int, str] = {}
    for line in basket.all_lines():
        if line.stockrecord_id is None:
            raise StockShortage(
                _("'%(title)s' is niet meer te koop. Haal het uit je winkelmand om verder te gaan.")
                % {"title": line.product.get_title()}
            )
        if not line.product.get_product_class().track_stock:
            continue
        wanted[line.stockrecord_id] += line.quantity
        titles[line.stockrecord_id] = line.product.get_title()
    records = StockRecord.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    shortages = []
    for record in records:
        free = (record.num_in_stock or 0) - (record.num_allocated or 0)
        if wanted[record.pk] > free:
            shortages.append((titles[record.pk], max(free, 0)))
    missing = set(wanted) - {record.pk for record in records}
    shortages += [(titles[pk], 0) for pk in sorted(missing)]
    if shortages:
        raise StockShortage(" ".join(_shortage_message(title, free) for title, free in shortages))


def _shortage_message(title: str, free: int) -> str:
    if free <= 0:
        return _(
            "'%(title)s' is net uitverkocht. Je bestelling is niet geplaatst; haal het product "
            "uit je winkelmand om verder te gaan."
        ) % {"title": title}
    return _(
        "Van '%(title)s' zijn er nog maar %(free)d op voorraad. Je bestelling is niet "
        "geplaatst; pas het aantal in je winkelmand aan."
    ) % {"title": title, "free": free}


def bank_transfer_instructions(*, order) -> dict | None:
    """What the customer needs to pay an order by bank transfer, or None if paid otherwise."""
    if order.status != settings.ORDER_STATUS_AWAITING_PAYMENT:
        return None
    if not any(s.source_type.code == BANK_TRANSFER_CODE for s in order.sources.all()):
        return None
    return {
        "amount": order.total_incl_tax,
        "currency": order.currency,
        "iban": settings.SHOP_IBAN,
        "account_holder": settings.SHOP_ACCOUNT_HOLDER,
        "reference": order.number,
    }


# The checkout's payment-method code of a bank transfer, and the name its payment source has
# (Mollie's methods are shop.mollie.services.method_code()).
BANK_TRANSFER_CODE = "bankoverschrijving"
BANK_TRANSFER_NAME = gettext_lazy("Bankoverschrijving")
