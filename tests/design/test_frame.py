"""The storefront frame: landmarks, header, footer links, own assets only, Dutch wording."""

import re
from decimal import Decimal

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from oscar.test.factories import create_product

from features.legal.pages import PAGES, legal_pages_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def product_page(client):
    product = create_product(title="Magnesiumcitraat", price=Decimal("9.95"), num_in_stock=10)
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_frame_has_landmarks_skip_link_and_labelled_search(product_page):
    assert '<a class="skip-link" href="#main">' in product_page
    assert '<main id="main"' in product_page
    assert "<header" in product_page and "<footer" in product_page
    assert '<label class="sr-only" for="site-search-q">' in product_page
    assert 'href="/kennisbank/"' in product_page


def test_storefront_loads_no_cdn_no_bootstrap_and_no_blocking_script(product_page):
    # Scripts, styles and images come from this host (canonical/og links may be absolute).
    for attribute in ('src="http', "src='http", 'src="//'):
        assert attribute not in product_page
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', product_page) == [
        "/static/shop/css/shop.css"
    ]
    assert "googleapis" not in product_page and "googletagmanager" not in product_page
    assert "bootstrap" not in product_page
    assert "oscar/css/styles.css" not in product_page
    assert 'shop/js/shop.js" defer' in product_page


def test_footer_links_every_legal_page(product_page):
    for page in PAGES:
        assert f'href="{page.url}"' in product_page


def test_english_leftovers_are_translated(product_page):
    for english in ("Add to basket", "Product Description", "Product Information", "UPC"):
        assert english not in product_page
    assert "In winkelmand" in product_page


def test_dashboard_keeps_oscars_own_assets(admin_client):
    html = admin_client.get("/dashboard/").content.decode()
    assert "oscar/css/dashboard.css" in html
    assert "shop/css/shop.css" not in html


def test_legal_pages_are_published_once_and_render_in_the_frame(client):
    FlatPage.objects.all().delete()
    first = legal_pages_publish()
    again = legal_pages_publish()
    assert [p.pk for p in first] == [p.pk for p in again]
    assert FlatPage.objects.count() == len(PAGES) == 5
    response = client.get("/herroepingsrecht/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "14 dagen" in html and '<div class="prose">' in html


def test_publishing_keeps_text_staff_edited(client):
    FlatPage.objects.all().delete()
    legal_pages_publish()
    page = FlatPage.objects.get(url="/privacy/")
    page.content = "<p>Eigen tekst</p>"
    page.save()
    legal_pages_publish(site=Site.objects.get_current())
    assert FlatPage.objects.get(url="/privacy/").content == "<p>Eigen tekst</p>"


def test_legal_pages_migration_left_them_in_place():
    # The data migration runs when the test database is built.
    assert set(FlatPage.objects.values_list("url", flat=True)) >= {p.url for p in PAGES}
