"""The form comparison page is built from catalogue data: adding a product changes it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from content.models import Article, ArticleProduct
from tests.factories import make_supplement

pytestmark = pytest.mark.django_db

URL = "/magnesiumvormen/"


def test_url_is_named():
    assert reverse("shop:form-comparison") == URL


def test_page_lists_forms_with_products_share_and_prices(client):
    make_supplement(
        upc="MAL-1",
        title="Malaat Een",
        mg=150,
        forms=("malaat",),
        price="19.95",
        units_per_dose=2,
        units_per_pack=120,
    )
    html = client.get(URL).content.decode()
    assert "Welke magnesiumvorm past bij mij?" in html
    assert "Magnesiummalaat" in html
    assert "11,6–15,5%" in html  # elemental share from magnesium-facts.json
    assert "Malaat Een" in html
    assert "150 mg (40% RI)" in html
    assert "€\xa00,33" in html  # 19.95 / 60 days
    assert "€\xa00,22" in html  # 19.95 × 100 / (60 × 150)
    assert "Magnesiumtauraat" not in html  # no tauraat products yet


def test_adding_a_product_changes_the_page_without_any_template_edit(client):
    make_supplement(upc="MAL-1", title="Malaat Een", mg=150, forms=("malaat",))
    before = client.get(URL).content.decode()
    make_supplement(
        upc="TAU-1",
        title="Tauraat Twee",
        mg=125,
        forms=("tauraat",),
        price="24.95",
        units_per_dose=2,
        units_per_pack=90,
    )
    after = client.get(URL).content.decode()
    assert "Tauraat Twee" not in before and "Tauraat Twee" in after
    assert "Magnesiumtauraat" in after
    assert "8–9%" in after
    assert "€\xa00,55" in after  # 24.95 / 45 days


def test_hidden_products_are_not_compared(client):
    make_supplement(upc="MAL-H", title="Verborgen Malaat", forms=("malaat",), is_public=False)
    assert "Verborgen Malaat" not in client.get(URL).content.decode()


def test_guides_linked_to_the_form_say_what_it_is_chosen_for_without_claims(client):
    product = make_supplement(upc="MAL-1", mg=150, forms=("malaat",))
    article = Article.objects.create(
        title="Vormen kiezen",
        slug="vormen-kiezen",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
        body="Sporters kiezen vaak malaat voor de smaak en de prijs.\n\n"
        "Malaat wordt aanbevolen bij migraine.",
    )
    ArticleProduct.objects.create(article=article, product=product)
    html = client.get(URL).content.decode()
    assert "Sporters kiezen vaak malaat voor de smaak en de prijs." in html
    assert "migraine" not in html  # a medicinal claim never reaches the page


def test_each_form_shows_its_cheapest_products_per_day_and_how_many_there_are(client):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from features.comparison.table import FORM_PRODUCTS

    def cold():
        cache.clear()  # no menu or fragment from before
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(URL).content.decode()
        return len(ctx.captured_queries), html

    for i in range(3):
        make_supplement(upc=f"CIT-{i}", title=f"Citraat {i:02d}", forms=("citraat",))
    client.get(URL)  # discarded: the process's own memos
    few, _ = cold()
    extra = FORM_PRODUCTS + 2
    for i in range(extra):
        # Price per day 0.25 + i/100: the two dearest are left out.
        make_supplement(
            upc=f"MAL-{i}",
            title=f"Malaat {i:02d}",
            forms=("malaat",),
            price=f"{15 + 0.6 * i:.2f}",
            units_per_pack=60,
        )
    many, html = cold()

    assert few == many  # a catalogue of 50,000 magnesium products answered a 503 before
    shown = [i for i in range(extra) if f"Malaat {i:02d}<" in html]
    assert shown == list(range(FORM_PRODUCTS))
    assert "Meer producten met magnesiummalaat" in html
    assert "?q=magnesium+malaat" in html


def test_a_parent_costs_the_same_queries_whatever_its_number_of_variants(client):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from oscar.apps.catalogue.models import Product
    from oscar.apps.partner.models import StockRecord

    from shop import demo

    def cold():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    demo.load_catalogue()
    parent = Product.objects.get(structure=Product.PARENT)
    variant = parent.children.order_by("pk").first()
    stock = variant.stockrecords.get()
    client.get(URL)  # discarded: the process's own memos
    before = cold()
    for i in range(3):
        child = Product(parent=parent, structure=Product.CHILD, upc=f"VAR-{i}", title=f"{i}")
        child.attr.units_per_pack = 30 + i
        child.save()
        StockRecord.objects.create(
            product=child,
            partner=stock.partner,
            partner_sku=f"VAR-{i}",
            price=stock.price,
            num_in_stock=5,
        )

    assert cold() == before  # 6 more queries per variant before
