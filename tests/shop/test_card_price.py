"""A product card shows, and a listing sorts by, the price the product page shows: the pricing
strategy's (shop.partner.strategy), also where a product has more than one stock record or a
parent has a variant that is not for sale."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from oscar.apps.catalogue.models import Product, ProductClass

from shop.partner.models import Partner, StockRecord
from shop.search.listing import listing_ids, listing_queryset
from tests.factories import make_product

pytestmark = pytest.mark.django_db

PRICE_RE = re.compile(r'class="price_color[^"]*">\s*(?:vanaf\s*)?(€\s*[\d.,]+)')
CARD_RE = re.compile(r'<article class="product_pod.*?</article>', re.DOTALL)


def add_stockrecord(product, price: str, partner: str = "Tweede leverancier") -> StockRecord:
    partner, _ = Partner.objects.get_or_create(name=partner)
    return StockRecord.objects.create(
        product=product,
        partner=partner,
        partner_sku=f"{product.upc}-{partner.pk}",
        price=Decimal(price),
        num_in_stock=5,
    )


def make_parent(*, upc: str, title: str, children: dict[str, tuple[str, bool]]) -> Product:
    """A public parent with variants {title: (price, is_public)}."""
    product_class, _ = ProductClass.objects.get_or_create(name="Testproduct")
    parent = Product.objects.create(
        upc=upc, title=title, structure=Product.PARENT, product_class=product_class, is_public=True
    )
    for n, (child_title, (price, is_public)) in enumerate(children.items()):
        child = Product.objects.create(
            upc=f"{upc}-{n}",
            title=child_title,
            structure=Product.CHILD,
            parent=parent,
            is_public=is_public,
        )
        add_stockrecord(child, price, partner="Magnesiumwinkel")
    return parent


@pytest.fixture
def catalogue(db):
    cache.clear()
    plain = make_product(upc="CARD-1", title="Gewoon product", price="12.00")
    two_records = make_product(upc="CARD-2", title="Twee voorraden", price="30.00")
    add_stockrecord(two_records, "5.00")  # a second record; the strategy sells from the first
    hidden_variant = make_parent(
        upc="CARD-3",
        title="Ouder met verborgen variant",
        children={"Grote pot": ("20.00", True), "Proefpot": ("4.00", False)},
    )
    variants = make_parent(
        upc="CARD-4",
        title="Ouder met varianten",
        children={"60 stuks": ("25.00", True), "30 stuks": ("15.00", True)},
    )
    return {
        "plain": plain,
        "two_records": two_records,
        "hidden_variant": hidden_variant,
        "variants": variants,
    }


def page_price(client, product) -> str:
    html = client.get(product.get_absolute_url()).content.decode()
    return PRICE_RE.search(html).group(1).replace("\xa0", " ")


def card_prices(client) -> dict[str, str]:
    html = client.get(reverse("catalogue:index")).content.decode()
    cards = {}
    for card in CARD_RE.findall(html):
        title = re.search(r'title="([^"]+)"', card).group(1)
        cards[title] = PRICE_RE.search(card).group(1).replace("\xa0", " ")
    return cards


def test_each_card_shows_the_price_of_its_product_page(client, catalogue):
    cards = card_prices(client)

    assert cards == {p.title: page_price(client, p) for p in catalogue.values()}
    assert cards["Twee voorraden"] == "€ 30,00"
    assert cards["Ouder met verborgen variant"] == "€ 20,00"
    assert cards["Ouder met varianten"] == "€ 15,00"


def test_the_listing_price_is_the_price_the_card_shows(client, catalogue):
    listed = {p.title: p.listing_price for p in listing_queryset()}

    assert listed == {
        "Gewoon product": Decimal("12.00"),
        "Twee voorraden": Decimal("30.00"),
        "Ouder met verborgen variant": Decimal("20.00"),
        "Ouder met varianten": Decimal("15.00"),
    }


def test_sorting_by_price_follows_the_prices_on_the_cards(catalogue):
    ids = listing_ids(ordering=("listing_price", "title", "pk"))

    assert [Product.objects.get(pk=pk).title for pk in ids] == [
        "Gewoon product",
        "Ouder met varianten",
        "Ouder met verborgen variant",
        "Twee voorraden",
    ]
