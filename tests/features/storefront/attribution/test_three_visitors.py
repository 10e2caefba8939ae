"""Guide → sale attribution end to end, through every middleware and Oscar's real checkout:
three visitors (guide A → add → order; guide B → add, no order; no guide → order), then the
report's exact counts and revenue, its CSV, and the dashboard order page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from oscar.apps.basket.models import Line
from oscar.apps.order.models import Order
from oscar.test.factories import UserFactory

from content import services as content_services
from features.storefront import attribution, report
from features.storefront.models import GuideAddition, OrderGuide
from features.storefront.services import guide_counts_flush
from tests.factories import ArticleFactory, checkout_to_preview, make_product, place_order

pytestmark = pytest.mark.django_db

SHIPPING = Decimal("4.95")  # Standard delivery below the free-shipping threshold


@pytest.fixture
def shop(countries):
    products = {
        "A": make_product(title="Magnesium Bisglycinaat", price="19.95", stock=10),
        "B": make_product(title="Magnesium Citraat", price="12.50", stock=10),
        "C": make_product(title="Vitamine D3", price="8.00", stock=10),
    }
    guides = {
        "A": ArticleFactory(title="Magnesium en slaap", slug="magnesium-en-slaap"),
        "B": ArticleFactory(title="Magnesium bij sport", slug="magnesium-bij-sport"),
    }
    for key in "AB":
        content_services.article_link_products(article=guides[key], products=[products[key]])
    return products, guides


def read_guide(client, guide):
    """A guide page and the private-parts request shop.js sends for it."""
    html = client.get(guide.get_absolute_url()).content.decode()
    private = html.split('name="shop-private" content="', 1)[1].split('"', 1)[0]
    assert private == f"{reverse('shop:private')}?gids={guide.pk}"
    assert client.get(private).status_code == 200
    return html


def add(client, product, referer):
    response = client.post(
        reverse("basket:add", kwargs={"pk": product.pk}),
        {"quantity": 1},
        HTTP_REFERER=f"http://testserver{referer}",
    )
    assert response.status_code == 302
    return response


def test_three_visitors_give_the_report_its_exact_counts_and_revenue(shop):
    products, guides = shop
    today = timezone.localdate()

    # 1: reads guide A, follows its product link, adds the product there, orders.
    first = Client()
    html = read_guide(first, guides["A"])
    product_link = f"{products['A'].get_absolute_url()}?gids={guides['A'].pk}"
    assert f'href="{product_link}"' in html  # the card's link says which guide it came from
    assert first.get(product_link).status_code == 200
    add(first, products["A"], product_link)
    checkout_to_preview(first, email="een@example.nl")
    assert place_order(first).status_code == 302

    # 2: reads guide B, adds from the guide's own product card, leaves without ordering.
    second = Client()
    read_guide(second, guides["B"])
    add(second, products["B"], guides["B"].get_absolute_url())

    # 3: no guide: straight to a product, adds and orders.
    third = Client()
    assert third.get(products["C"].get_absolute_url()).status_code == 200
    add(third, products["C"], products["C"].get_absolute_url())
    checkout_to_preview(third, email="drie@example.nl")
    assert place_order(third).status_code == 302

    assert Order.objects.count() == 2
    assert guide_counts_flush() == 3  # 2 views + 1 click
    rows = report.guide_revenue(start=today, end=today)
    table = [(r.title, r.views, r.clicks, r.baskets, r.orders, r.revenue) for r in rows]
    print("\n" + "\n".join(str(row) for row in table))
    assert table == [
        ("Magnesium en slaap", 1, 1, 1, 1, Decimal("19.95") + SHIPPING),
        ("Magnesium bij sport", 1, 0, 1, 0, Decimal("0.00")),
    ]
    total = report.totals(rows)
    assert (total.orders, total.revenue) == (1, Decimal("24.90"))
    # The third visitor's order follows no guide.
    third_order = Order.objects.get(guest_email="drie@example.nl")
    assert not OrderGuide.objects.filter(order=third_order).exists()
    assert GuideAddition.objects.count() == 2


def test_report_page_and_csv_show_the_counts_and_the_rule(shop):
    products, guides = shop
    visitor = Client()
    read_guide(visitor, guides["A"])
    add(visitor, products["A"], guides["A"].get_absolute_url())
    checkout_to_preview(visitor, email="een@example.nl")
    place_order(visitor)
    guide_counts_flush()

    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("storefront_dashboard:guide-revenue")
    page = staff.get(url).content.decode()
    assert "Magnesium en slaap" in page and "24,90" in page
    assert "laatst gelezen gids vóór de toevoeging" in page
    csv = staff.get(url, {"formaat": "csv", "sorteer": "revenue"})
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines() == [
        "gids;weergaven;klikken naar producten;winkelmanden;bestellingen;omzet incl. btw",
        "Magnesium en slaap;1;0;1;1;24,90",
    ]
    order = Order.objects.get()
    detail = staff.get(reverse("dashboard:order-detail", kwargs={"number": order.number}))
    assert "Gids vóór de bestelling" in detail.content.decode()
    assert "Magnesium en slaap" in detail.content.decode()


def test_report_refuses_a_reversed_period_with_a_message(db):
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = staff.get(
        reverse("storefront_dashboard:guide-revenue"), {"van": "2026-02-01", "tot": "2026-01-01"}
    )
    assert response.status_code == 200
    assert "De begindatum ligt na de einddatum." in response.content.decode()
    junk = staff.get(
        reverse("storefront_dashboard:guide-revenue"), {"van": "morgen", "sorteer": "x"}
    )
    assert junk.status_code == 200


def test_a_guide_view_and_a_click_write_nothing_to_the_database(shop):
    products, guides = shop
    client = Client()
    client.get(guides["A"].get_absolute_url())
    client.get(products["A"].get_absolute_url())  # its thumbnails are made once, not per view
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"{reverse('shop:private')}?gids={guides['A'].pk}")
        client.get(f"{products['A'].get_absolute_url()}?gids={guides['A'].pk}")
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].split()[0] in ("INSERT", "UPDATE")]
    assert writes == []
    assert guide_counts_flush() == 2


def test_a_guide_read_by_a_basket_holder_is_credited_to_a_later_addition_elsewhere(shop):
    """Rule 2: a visitor who already holds a basket reads guide B, then adds a product found
    through search (no guide in the Referer): the addition follows guide B."""
    products, guides = shop
    client = Client()
    add(client, products["C"], products["C"].get_absolute_url())  # a basket, no guide
    read_guide(client, guides["B"])
    add(client, products["A"], "/search/?q=magnesium")
    credited = GuideAddition.objects.get()
    assert (credited.article, credited.product) == (guides["B"], products["A"])


def test_a_new_visitors_first_addition_looks_up_no_guide_for_its_new_basket(shop, monkeypatch):
    """The basket a first addition makes cannot have read a guide: nothing is looked up for it
    (a Referer naming a guide still credits it); the next addition to it is looked up."""
    products, guides = shop
    looked_up = []
    remembered = attribution.remembered

    def recording(*, basket_id, user_id):
        looked_up.append((basket_id, user_id))
        return remembered(basket_id=basket_id, user_id=user_id)

    monkeypatch.setattr(attribution, "remembered", recording)
    client = Client()
    add(client, products["C"], "/search/?q=vitamine")
    assert looked_up == [(None, None)]
    add(client, products["B"], "/search/?q=magnesium")
    assert looked_up[1] == (Line.objects.get(product=products["C"]).basket_id, None)
    stranger = Client()
    add(stranger, products["A"], guides["A"].get_absolute_url())
    assert GuideAddition.objects.get().article == guides["A"]
    assert len(looked_up) == 2  # the Referer named the guide


def test_a_customer_s_addition_follows_the_guide_they_read_last(shop):
    """Rule 2 for a signed-in customer: guide A credited to an addition, then guide B read; the
    next addition found elsewhere follows guide B, the last guide read, not A, the last one
    credited to their basket."""
    products, guides = shop
    client = Client()
    client.force_login(UserFactory())
    read_guide(client, guides["A"])
    add(client, products["A"], "/search/?q=slaap")
    read_guide(client, guides["B"])
    add(client, products["C"], "/search/?q=vitamine")
    credited = [(row.article, row.product) for row in GuideAddition.objects.order_by("pk")]
    assert credited == [(guides["A"], products["A"]), (guides["B"], products["C"])]
