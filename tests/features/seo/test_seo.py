"""JSON-LD, sitemap, robots.txt and 301s for renamed products and guides."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.contrib.sites.models import Site
from django.utils import timezone
from oscar.apps.catalogue.models import Category, Product

from content import services
from content.models import Article
from features.seo.sitemaps import ProductSitemap
from shop.demo import load_catalogue
from shop.receivers import sync_site

pytestmark = pytest.mark.django_db

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def jsonld_blocks(html: str) -> list[dict]:
    blocks = []
    for text in JSONLD.findall(html):
        data = json.loads(text)
        blocks += data if isinstance(data, list) else [data]
    return blocks


def of_type(html: str, kind: str) -> dict:
    found = [b for b in jsonld_blocks(html) if b["@type"] == kind]
    assert len(found) == 1, f"expected one {kind} block"
    return found[0]


def visible_price(html: str) -> str:
    match = re.search(r'<p class="price_color">\s*(.*?)\s*</p>', html, re.S)
    return match.group(1)


def test_every_demo_product_offer_equals_the_visible_price_and_availability(client):
    load_catalogue()
    products = list(Product.objects.browsable())
    assert len(products) == 18
    for product in products:
        html = client.get(product.get_absolute_url()).content.decode()
        data = of_type(html, "Product")
        offer = data["offers"]
        for key in ("name", "url", "brand", "sku", "image", "description"):
            assert data[key], (product.upc, key)
        for key in ("price", "priceCurrency", "availability", "url"):
            assert offer[key], (product.upc, key)
        assert offer["priceCurrency"] == "EUR"
        # The page renders Oscar's currency filter: "€ 22,95" (no-break space after €).
        shown = visible_price(html).replace("\xa0", " ")
        assert shown == f"€ {offer['price'].replace('.', ',')}", product.upc
        # A parent's own page says "available" (Oscar's class for a parent with a child in stock).
        state = re.search(
            r'<p class="(?:availability )?(instock|outofstock|available|unavailable)'
            r'(?: availability)?">',
            html,
        )
        in_stock = state.group(1) in ("instock", "available")
        assert offer["availability"].endswith("InStock") == in_stock, product.upc


def test_product_offer_reports_out_of_stock_when_the_page_does(client):
    load_catalogue()
    product = Product.objects.get(upc="MG-THR-144")
    product.stockrecords.update(num_in_stock=0)
    html = client.get(product.get_absolute_url()).content.decode()
    assert of_type(html, "Product")["offers"]["availability"] == "https://schema.org/OutOfStock"
    assert re.search(r'<p class="(?:availability )?outofstock(?: availability)?">', html)


def _guide(**extra):
    article = services.article_create(
        slug="beter-slapen",
        title="Beter slapen met magnesium",
        lead="Zo helpt magnesium je 's avonds tot rust te komen.",
        body="## Nachtrust\n\nTekst.",
        author="Redactie",
        keywords=["slapen"],
        **extra,
    )
    services.article_publish(article=article)
    services.faq_create(
        question="Wanneer neem ik magnesium in?",
        answer="Een uur **voor** het slapengaan.",
        article=article,
        status="published",
    )
    return article


def test_guide_page_has_article_breadcrumbs_and_faqpage(client):
    article = _guide()
    html = client.get(article.get_absolute_url()).content.decode()
    data = of_type(html, "Article")
    for key in ("headline", "author", "datePublished", "dateModified", "url", "publisher"):
        assert data[key]
    assert data["author"]["name"] == "Redactie"
    crumbs = of_type(html, "BreadcrumbList")["itemListElement"]
    assert crumbs[-1]["name"] == article.title and crumbs[-1]["item"].endswith(
        article.get_absolute_url()
    )
    faq = of_type(html, "FAQPage")["mainEntity"][0]
    assert faq["name"] == "Wanneer neem ik magnesium in?"
    assert faq["acceptedAnswer"]["text"] == "Een uur voor het slapengaan."


def test_category_and_faq_pages_have_breadcrumbs(client):
    load_catalogue()
    _guide()
    category = Category.objects.get(slug="capsules")
    html = client.get(category.get_absolute_url()).content.decode()
    names = [i["name"] for i in of_type(html, "BreadcrumbList")["itemListElement"]]
    assert names == ["Home", "Magnesium", "Capsules"]
    html = client.get("/kennisbank/veelgestelde-vragen/").content.decode()
    assert of_type(html, "BreadcrumbList")
    assert of_type(html, "FAQPage")["mainEntity"]


def _locs(client, url):
    return re.findall(r"<loc>(.*?)</loc>", client.get(url).content.decode())


def test_sitemap_lists_exactly_public_products_categories_and_published_guides(client):
    load_catalogue()
    live = _guide()
    services.article_create(slug="concept", title="Concept")
    later = services.article_create(slug="later", title="Later")
    services.article_publish(article=later, published_at=timezone.now() + timedelta(days=1))
    hidden = Product.objects.get(upc="MG-OXI-250")
    Product.objects.filter(pk=hidden.pk).update(is_public=False)
    hidden_category = Category.objects.get(slug="poeder-en-vloeibaar")
    hidden_category.is_public = False
    hidden_category.save()

    sections = _locs(client, "/sitemap.xml")
    assert [s.rsplit("/", 1)[1] for s in sections] == [
        "sitemap-producten.xml",
        "sitemap-categorieen.xml",
        "sitemap-gidsen.xml",
        "sitemap-paginas.xml",
    ]
    path = lambda url: re.sub(r"^https?://[^/]+", "", url)  # noqa: E731
    products = {path(u) for u in _locs(client, "/sitemap-producten.xml")}
    assert products == {p.get_absolute_url() for p in Product.objects.browsable()}
    assert hidden.get_absolute_url() not in products and len(products) == 17
    categories = {path(u) for u in _locs(client, "/sitemap-categorieen.xml")}
    assert categories == {c.get_absolute_url() for c in Category.objects.browsable()}
    assert hidden_category.get_absolute_url() not in categories
    guides = {path(u) for u in _locs(client, "/sitemap-gidsen.xml")}
    assert guides == {live.get_absolute_url()}
    assert "<lastmod>" in client.get("/sitemap-producten.xml").content.decode()


def test_a_large_catalogue_s_product_sitemap_is_split_into_pages_the_index_lists(
    client, monkeypatch
):
    # One file for 50,000 products was 8.9 MB and took 10 s to render cold (make scale-xl):
    # products are listed PRODUCT_SITEMAP_LIMIT at a time, each page in the index (?p=N).
    load_catalogue()
    limit = ProductSitemap.limit
    assert 1_000 <= limit <= 10_000
    monkeypatch.setattr(ProductSitemap, "limit", 10)  # the demo catalogue has 18 products
    sections = _locs(client, "/sitemap.xml")
    pages = [s.rsplit("/", 1)[1] for s in sections if "sitemap-producten" in s]
    assert pages == ["sitemap-producten.xml", "sitemap-producten.xml?p=2"]
    path = lambda url: re.sub(r"^https?://[^/]+", "", url)  # noqa: E731
    first = {path(u) for u in _locs(client, "/sitemap-producten.xml")}
    second = {path(u) for u in _locs(client, "/sitemap-producten.xml?p=2")}
    every = {p.get_absolute_url() for p in Product.objects.browsable()}
    assert len(first) == 10 and len(second) == len(every) - 10 and not first & second
    assert first | second == every


def test_sitemap_links_carry_the_shops_domain_not_example_com(client, settings):
    load_catalogue()
    # `migrate` (here: the test database's) wrote the configured domain into the Site row.
    domain = settings.SHOP_SITE_DOMAIN
    assert domain != "example.com"
    assert Site.objects.get_current().domain == domain
    for url in _locs(client, "/sitemap.xml") + _locs(client, "/sitemap-producten.xml"):
        assert url.startswith(f"http://{domain}/"), url

    # A new domain (DJANGO_SITE_DOMAIN) reaches the row at the next migrate.
    settings.SHOP_SITE_DOMAIN = "shop.example.nl"
    try:
        sync_site(sender=None)
        assert _locs(client, "/sitemap.xml")[0].startswith("http://shop.example.nl/")
        assert Site.objects.get_current().name == settings.OSCAR_SHOP_NAME
    finally:
        Site.objects.clear_cache()  # the row rolls back with the test; its cached copy must go


def test_robots_txt_disallows_basket_checkout_account_and_dashboard(client):
    text = client.get("/robots.txt").content.decode()
    for prefix in ("/basket/", "/checkout/", "/accounts/", "/dashboard/"):
        assert f"Disallow: {prefix}" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_old_product_slug_redirects_301_to_the_new_url(client):
    load_catalogue()
    product = Product.objects.get(upc="MG-TAU-125")
    old_url = product.get_absolute_url()
    product.slug = "magnesium-tauraat-nieuw"
    product.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == product.get_absolute_url() != old_url
    assert client.get(response["Location"]).status_code == 200


def test_old_guide_slug_redirects_301_to_the_new_url_without_chains(client):
    article = _guide()
    first = article.get_absolute_url()
    services.article_update(article=article, slug="slapen-met-magnesium")
    second = article.get_absolute_url()
    services.article_update(article=article, slug="magnesium-en-slaap")
    third = Article.objects.get(pk=article.pk).get_absolute_url()
    for old in (first, second):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == third
    assert client.get(third).status_code == 200
