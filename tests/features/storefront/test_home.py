"""The home page at / (issue 19): content-led, its promises from where they are configured,
edited by staff in the dashboard, and a shared page like the other storefront pages."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.apps.catalogue.models import ProductCategory
from oscar.test.factories import UserFactory

from content.models import Topic
from features.storefront.models import GuideCount, HomePage
from shop.shipping.methods import Standard
from tests.factories import ArticleFactory, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    cache.clear()
    sleep = create_from_breadcrumbs("Magnesium > Ontspanning & slaap")
    create_from_breadcrumbs("Magnesium > Sport")
    product = make_product(title="Magnesium Bisglycinaat", price="19.95", stock=5)
    ProductCategory.objects.create(product=product, category=sleep)
    other = make_product(title="Losse vitamine", price="5.00", stock=5)  # in no category
    topic = Topic.objects.create(name="Slaap", slug="slaap")
    newest = ArticleFactory(title="Nieuwste gids", body="woord " * 900)
    read = ArticleFactory(title="Veelgelezen gids")
    newest.topics.add(topic)
    GuideCount.objects.create(article=read, day=read.published_at.date(), views=40)
    yield {"product": product, "other": other, "newest": newest, "read": read}
    cache.clear()


def test_home_shows_the_shop_needs_forms_guides_products_and_promises(client, catalogue):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert HomePage._meta.get_field("tagline").default in html
    assert "Ontspanning &amp; slaap" in html and "Sport" in html  # by need
    assert reverse("shop:form-comparison") in html  # by form
    assert "Nieuwste gids" in html and "5 min lezen" in html  # 900 words + lead
    assert "Meest gelezen" in html and "Veelgelezen gids" in html
    assert "Magnesium Bisglycinaat" in html
    assert "Losse vitamine" not in html  # none featured: the newest of the collection
    assert "Gratis verzending</strong> vanaf €&nbsp;40" in html
    assert "9% btw" in html and "14 dagen bedenktijd" in html
    # Main menu: the categories and the Kennisbank's topics side by side.
    assert 'href="/kennisbank/?onderwerp=slaap">Slaap</a>' in html
    assert reverse("catalogue:index") != "/"


def test_promises_follow_the_settings_they_come_from(client, catalogue, settings, monkeypatch):
    settings.SHOP_WITHDRAWAL_DAYS = 30
    settings.SHOP_DELIVERY_WORKDAYS = "2-3"
    monkeypatch.setattr(Standard, "free_from_incl_tax", Standard.free_from_incl_tax + 10)
    html = client.get("/").content.decode()
    assert "30 dagen bedenktijd" in html and "Herroepingsrecht (30 dagen)" in html  # footer too
    assert "Bezorgd in 2-3 werkdagen" in html
    assert "vanaf €&nbsp;50" in html and "vanaf €&nbsp;40" not in html
    assert "in 2-3 werkdagen; gratis vanaf € 50." in str(Standard().description)


def test_the_footer_names_the_payment_methods_the_shop_takes(client, catalogue, settings):
    settings.MOLLIE_API_KEY = ""
    html = client.get("/").content.decode()
    assert "Betalen per bankoverschrijving ·" in html and "iDEAL" not in html
    settings.MOLLIE_API_KEY = "test_" + "x" * 30
    settings.MOLLIE_METHODS = ["ideal", "bancontact"]
    cache.clear()  # the shared page was stored with the first footer
    html = client.get("/").content.decode()
    assert "Betalen met iDEAL, Bancontact of per bankoverschrijving ·" in html
    assert "creditcard" not in html.lower()


def test_staff_edit_the_home_page_in_the_dashboard_and_it_shows_at_once(
    catalogue, settings, django_capture_on_commit_callbacks
):
    settings.SHOP_PAGE_CACHE_SECONDS = 600  # the shared page is stored: the edit must expire it
    visitor = Client()
    assert "Magnesium Bisglycinaat" in visitor.get("/").content.decode()
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_homepage"))
    staff = Client()
    staff.force_login(editor)
    url = reverse("storefront_dashboard:homepage-update")
    assert staff.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            url,
            {
                "tagline": "Alles over magnesium, en de juiste vorm voor jou.",
                "intro": "",
                "guides_title": "Lezen",
                "products_title": "Onze keuze",
                "featured_products": [catalogue["other"].pk],
            },
        )
    assert response.status_code == 302
    html = visitor.get("/").content.decode()
    assert "Alles over magnesium, en de juiste vorm voor jou." in html
    assert "Onze keuze" in html and "Losse vitamine" in html
    assert "Magnesium Bisglycinaat" not in html


def test_staff_without_the_permission_cannot_edit_the_home_page(catalogue):
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    response = staff.get(reverse("storefront_dashboard:homepage-update"))
    assert response.status_code in (302, 403)
    assert not HomePage.objects.exists()


def test_dashboard_home_wears_the_shop_name_and_links_the_kennisbank_editor(catalogue):
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = staff.get(reverse("dashboard:index")).content.decode()
    assert "shop/css/dashboard.css" in html
    assert "<title>Beheer | Magnesiumwinkel" in " ".join(html.split())
    assert f'href="{reverse("content_dashboard:kennisbank-article-list")}"' in html
    assert reverse("storefront_dashboard:guide-revenue") in html
