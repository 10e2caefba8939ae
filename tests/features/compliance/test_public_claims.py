"""The demo shop shows no error-level health-claim finding on any public page.

Loads the demo as `manage.py load_demo` does, walks every public URL (the sitemap's sections plus
the pages the sitemap leaves out: home, form comparison, search, basket, offers) and runs the
claim checker (content.claims) over each page's visible text: every element's text, header, nav
and footer included; only <script>, <style> and <template> are left out, which a visitor never
reads as text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from content.claims import ERROR, check_text, scan_site
from features.legal.pages import PAGES

pytestmark = pytest.mark.django_db

# Elements whose text starts a new line, so sentences of different elements never merge.
BLOCKS = {
    "p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "header", "footer", "nav", "br", "dt", "dd", "blockquote", "summary", "details", "button",
    "label", "option", "figcaption", "caption", "main", "aside", "ul", "ol", "form", "legend",
    "title", "table", "thead", "tbody", "hr",
}  # fmt: skip
HIDDEN = {"script", "style", "template", "noscript"}


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            # HTML collapses white space: a line break in the source is no break in the text.
            self.parts.append(re.sub(r"\s+", " ", data))


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def test_visible_text_keeps_elements_apart_and_leaves_scripts_out():
    text = visible_text(
        "<p>Magnesium draagt bij tot een normale\n  <a href='#'>psychologische</a> functie.</p>"
        "<p>Geneest alles</p><script>var x = 'geneest';</script>"
    )
    assert text.splitlines() == [
        "Magnesium draagt bij tot een normale psychologische functie.",
        "Geneest alles",
    ]


def public_urls(client) -> list[str]:
    def locs(url):
        xml = client.get(url).content.decode()
        return [re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>(.*?)</loc>", xml)]

    urls = ["/", "/magnesiumvormen/", "/search/?q=magnesium", "/basket/", "/offers/"]
    for section in locs("/sitemap.xml"):
        urls += locs(section)
    urls += [page.url for page in PAGES]  # the legal flatpages (linked from every footer)
    return list(dict.fromkeys(urls))


def walk(client) -> dict[str, list]:
    """Error-level findings per public URL (only URLs with findings)."""
    found = {}
    for url in public_urls(client):
        response = client.get(url, follow=True)  # "/" redirects to the catalogue
        assert response.status_code == 200, url
        errors = [
            f
            for f in check_text(visible_text(response.content.decode()), source=url)
            if f.severity == ERROR
        ]
        if errors:
            found[url] = errors
    return found


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """`manage.py load_demo`, run once for this module's tests, inside a transaction rolled back
    after the last one, as Django's TestCase.setUpTestData does: each test runs (and undoes its
    changes) in a savepoint of its own within it. Its packshots: a media root of the module."""
    media_root = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield media_root
        transaction.set_rollback(True)


@pytest.fixture
def demo_shop(demo_loaded, db, settings):
    settings.MEDIA_ROOT = demo_loaded
    cache.clear()  # no fragment or thumbnail record of an earlier test's pages


def test_every_public_page_of_the_demo_has_no_error_level_claim(client, demo_shop):
    urls = public_urls(client)
    # The walk covers the whole demo: 17 products, the categories, the guide, FAQs, legal pages.
    assert len([u for u in urls if "/catalogue/" in u]) >= 17 + 5
    assert "/kennisbank/magnesium-mentale-gezondheid/" in urls
    assert "/herroepingsrecht/" in urls and "/kennisbank/veelgestelde-vragen/" in urls
    found = walk(client)
    report = "\n".join(f"{url}: {f.rule}: {f.sentence}" for url, fs in found.items() for f in fs)
    assert not found, report


def test_the_walk_would_catch_a_claim_on_a_product_page(client, demo_shop):
    from oscar.apps.catalogue.models import Product

    product = Product.objects.get(upc="MG-CIT-150")
    product.description = "Magnesium geneest slapeloosheid en helpt tegen angst."
    product.save()
    found = walk(client)
    assert product.get_absolute_url() in found


def test_the_staff_claims_report_of_the_demo_has_no_errors(demo_shop):
    assert [f for f in scan_site() if f.severity == ERROR] == []
