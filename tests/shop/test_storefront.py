"""The storefront's catalogue pages: collection listing, product page prices, Dutch formatting."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.apps.catalogue.models import ProductCategory
from oscar.test.factories import create_product

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


def euro(amount: str) -> str:
    return f"€{NBSP}{amount}"


def test_collection_page_lists_every_magnesium_product(client):
    collection = create_from_breadcrumbs("Magnesium")
    child = create_from_breadcrumbs("Magnesium > Ontspanning & slaap")
    other = create_from_breadcrumbs("Aanvullend")
    in_collection = [
        create_product(title=f"Magnesium {i}", price=Decimal("9.95")) for i in range(30)
    ]
    for i, product in enumerate(in_collection):
        ProductCategory.objects.create(product=product, category=child if i % 2 else collection)
    outsider = create_product(title="Vitamine D3", price=Decimal("8.95"))
    ProductCategory.objects.create(product=outsider, category=other)

    titles = []
    url = collection.get_absolute_url()
    while url:
        response = client.get(url)
        assert response.status_code == 200
        titles += [p.title for p in response.context["products"]]
        page = response.context["page_obj"]
        url = (
            f"{collection.get_absolute_url()}?page={page.next_page_number()}"
            if page.has_next()
            else None
        )

    assert sorted(titles) == sorted(p.title for p in in_collection)


def test_listing_skips_non_public_products(client):
    collection = create_from_breadcrumbs("Magnesium")
    hidden = create_product(title="Verborgen", price=Decimal("5.00"))
    hidden.is_public = False
    hidden.save()
    ProductCategory.objects.create(product=hidden, category=collection)
    response = client.get(collection.get_absolute_url())
    assert "Verborgen" not in response.content.decode()


@pytest.mark.parametrize("entered", ["19.95", "0.99", "7.00", "42.50", "1234.56"])
def test_product_page_shows_price_including_btw_exactly_as_entered(client, entered):
    product = create_product(title="Magnesiumcitraat", price=Decimal(entered))
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    whole, cents = entered.split(".")
    if len(whole) > 3:
        whole = f"{whole[:-3]}.{whole[-3:]}"
    assert euro(f"{whole},{cents}") in response.content.decode()


def test_price_and_btw_are_derived_from_the_gross_price(rf):
    from shop.partner.strategy import Selector

    product = create_product(price=Decimal("19.95"))
    info = Selector().strategy().fetch_for_product(product)
    assert info.price.incl_tax == Decimal("19.95")
    assert info.price.tax == Decimal("1.65")  # 19.95 × 9/109 = 1.647…
    assert info.price.excl_tax == Decimal("18.30")


def test_category_sorting_by_price(client):
    collection = create_from_breadcrumbs("Magnesium")
    for title, price in [("Duur", "30.00"), ("Goedkoop", "5.00"), ("Midden", "15.00")]:
        ProductCategory.objects.create(
            product=create_product(title=title, price=Decimal(price)), category=collection
        )
    response = client.get(collection.get_absolute_url(), {"sort_by": "prijs-oplopend"})
    assert [p.title for p in response.context["products"]] == ["Goedkoop", "Midden", "Duur"]
    response = client.get(collection.get_absolute_url(), {"sort_by": "onzin"})
    assert response.status_code == 200


def test_invalid_page_number_shows_the_first_page_with_a_message(client):
    collection = create_from_breadcrumbs("Magnesium")
    ProductCategory.objects.create(product=create_product(title="Enige"), category=collection)
    response = client.get(collection.get_absolute_url(), {"page": "999"})
    assert response.status_code == 404
    assert "Dat paginanummer bestaat niet." in response.content.decode()
    assert [p.title for p in response.context["products"]] == ["Enige"]


def test_home_is_the_shops_own_page_and_the_product_list_stays_at_catalogue(client):
    # Issue 19: "/" is the content-led home page, no longer a redirect to Oscar's product list.
    response = client.get("/")
    assert response.status_code == 200
    assert response.resolver_match.view_name == "storefront:home"
    assert client.get(reverse("catalogue:index")).status_code == 200


def test_storefront_speaks_dutch(client):
    response = client.get(reverse("basket:summary"))
    assert response.status_code == 200
    assert 'lang="nl"' in response.content.decode()
    assert "Winkelmand" in response.content.decode()


def test_unknown_page_answers_404_in_dutch(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'lang="nl"' in body
    assert "Page not found" not in body
    assert "Pagina niet gevonden" in body


def test_server_error_page_is_dutch():
    from django.template.loader import render_to_string

    body = render_to_string("500.html")
    assert "Er ging iets mis" in body
    assert 'lang="nl"' in body
