"""What an add to basket does besides the line itself, and what it leaves for the basket page.

The add (shop.basket.views.BasketAddView) applies no offer: Oscar applies them all before and
after the add only to word its messages (the offers the add gained or lost, the new total). The
add instead remembers what it added in a signed cookie, and the basket page, which applies the
offers anyway, words Oscar's messages from it (offer_messages): the offers with the added units
taken out again against the offers now, and the new total.

Its transaction commits asynchronously (asynchronous_commit): a basket line is not an order.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.signing import BadSignature
from django.db import connection
from oscar.core.loading import get_class

from shop.cache.pagecache import expire_basket

Applicator = get_class("offer.applicator", "Applicator")
BasketMessageGenerator = get_class("basket.utils", "BasketMessageGenerator")
OfferApplications = get_class("offer.results", "OfferApplications")

COOKIE = "shop_basket_added"
COOKIE_SALT = "shop.basket.addition"
COOKIE_SECONDS = 3600
MAX_LINES = 50  # a cookie stays small; more lines than this are not worded


def asynchronous_commit() -> None:
    """This transaction commits without waiting for its WAL to reach the disk (PostgreSQL's
    `synchronous_commit = off`, for this transaction only): a crash of the database server may
    lose the last few hundred milliseconds of such commits, never corrupt anything; orders and
    payments keep the server's setting. Nothing on other databases."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def expire_after_add(basket) -> None:
    """After the add committed: the stored summaries of the basket are stale (the line's
    UPDATE sends no signal, features.perf.receivers). A basket the add created has none."""
    if not getattr(basket, "created_by_add", False):
        expire_basket(basket.id)


def added(request) -> dict[str, int]:
    """Units per line reference added since the basket page last showed the basket."""
    try:
        value = request.get_signed_cookie(COOKIE, default="", salt=COOKIE_SALT)
    except BadSignature:
        return {}
    out = {}
    for item in value.split("|") if value else []:
        reference, _sep, quantity = item.rpartition(":")
        if reference and quantity.isdigit():
            out[reference] = int(quantity)
    return out


def remember_addition(request, response, line, quantity: int) -> None:
    """Note on `response` that `quantity` units of `line` were added (the basket page words
    Oscar's messages from it)."""
    units = added(request)
    if line.line_reference not in units and len(units) >= MAX_LINES:
        return
    units[line.line_reference] = units.get(line.line_reference, 0) + quantity
    response.set_signed_cookie(
        COOKIE,
        "|".join(f"{reference}:{n}" for reference, n in units.items()),
        salt=COOKIE_SALT,
        max_age=COOKIE_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite=settings.SESSION_COOKIE_SAMESITE,
    )


def offer_messages(request, basket, units: dict[str, int]) -> None:
    """Oscar's messages after an add (BasketMessageGenerator: offers lost and gained, the new
    total), worked out on the basket page: `basket` has its offers applied; they are applied
    once more with the added `units` taken out, then again as they are."""
    offers_after = basket.applied_offers()
    lines = list(basket.all_lines())
    changed = [(line, units[line.line_reference]) for line in lines if line.line_reference in units]
    for line, n in changed:
        line.quantity = max(0, line.quantity - n)
    _apply_offers(request, basket, lines)
    offers_before = basket.applied_offers()
    for line, n in changed:
        line.quantity += n
    _apply_offers(request, basket, lines)
    generator = BasketMessageGenerator()
    for level, text in generator.get_messages(
        basket, offers_before, offers_after, include_buttons=False
    ):
        messages.add_message(request, level, text, extra_tags="safe noicon")


def _apply_offers(request, basket, lines) -> None:
    # Oscar's reset_offer_applications() drops the lines to read them again; these are in memory.
    basket.offer_applications = OfferApplications()
    for line in lines:
        line.clear_discount()
    Applicator().apply(basket, request.user, request)
