"""A write purges the pages it makes stale from the proxy, once it commits (features.edge.purge)."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.contrib.flatpages.models import FlatPage

from content.models import ArticleProduct
from features.edge import purge
from features.edge.tasks import purge_tags
from tests.factories import ArticleFactory, make_supplement

pytestmark = pytest.mark.django_db


@pytest.fixture
def purged(settings, monkeypatch):
    """The tags of every purge sent (at once: no task queue)."""
    settings.SHOP_PROXY_PURGE_URLS = ["http://proxy.invalid/"]
    settings.CELERY_BROKER_URL = ""
    sent: list[set[str]] = []
    monkeypatch.setattr(purge, "purge_now", lambda tags: sent.append(set(tags)))
    return sent


def forget_setup(purged) -> None:
    """The test's set-up writes never committed (the test's transaction): their tags wait for
    the next commit; the tests look at one write's tags alone."""
    purged.clear()
    purge._pending.tags = set()


@pytest.fixture
def product_in_a_guide(purged):
    """A product and a guide that links it, with the set-up's purges forgotten."""
    product = make_supplement(upc="MG-PURGE-1")
    guide = ArticleFactory()
    ArticleProduct.objects.create(article=guide, product=product)
    forget_setup(purged)
    return product, guide


def test_a_product_edit_purges_its_page_listings_and_guides_once_committed(
    purged, product_in_a_guide, django_capture_on_commit_callbacks
):
    product, guide = product_in_a_guide
    with django_capture_on_commit_callbacks(execute=True):
        product.title = "Magnesium nieuw"
        product.save()
        assert purged == []  # nothing before the commit
    assert len(purged) == 1  # one purge for every signal of the save
    assert {f"product-{product.pk}", "listing", f"guide-{guide.pk}"} <= purged[0]
    assert "shop" not in purged[0]


def test_a_guide_edit_purges_its_page_and_its_products(
    purged, product_in_a_guide, django_capture_on_commit_callbacks
):
    product, guide = product_in_a_guide
    with django_capture_on_commit_callbacks(execute=True):
        guide.title = "Nieuwe titel"
        guide.save()
    assert {f"guide-{guide.pk}", f"product-{product.pk}", "kennisbank"} <= purged[0]


def test_a_write_elsewhere_purges_every_shared_page(purged, django_capture_on_commit_callbacks):
    forget_setup(purged)
    with django_capture_on_commit_callbacks(execute=True):
        FlatPage.objects.create(url="/over-ons/", title="Over ons", content="x")
    assert purged == [{"shop"}]


def test_nothing_is_sent_without_a_proxy(settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.SHOP_PROXY_PURGE_URLS = []
    sent = []
    monkeypatch.setattr(purge, "purge_now", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        make_supplement(upc="MG-PURGE-3")
    assert sent == []


def test_with_a_queue_the_purge_is_a_task_sent_twice(settings, monkeypatch):
    settings.SHOP_PROXY_PURGE_URLS = ["http://proxy.invalid/"]
    settings.CELERY_BROKER_URL = "amqp://guest:guest@127.0.0.1:1//"
    settings.SHOP_PROXY_REPURGE_SECONDS = 2
    queued = []
    monkeypatch.setattr(
        purge_tags, "apply_async", lambda args, **options: queued.append((args, options))
    )
    purge.send_purge(["product-1"])
    assert queued == [([["product-1"]], {}), ([["product-1"]], {"countdown": 2})]


def test_a_purge_is_a_purge_request_with_the_tags(settings):
    received = []

    class Proxy(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 - the HTTP method's name
            received.append((self.path, self.headers["xkey-purge"]))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Proxy)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    settings.SHOP_PROXY_PURGE_URLS = [f"http://127.0.0.1:{server.server_port}/"]
    try:
        purge.purge_now(["listing", "product-7"])
    finally:
        thread.join(5)
        server.server_close()
    assert received == [("/", "listing product-7")]


def test_a_proxy_that_refuses_makes_the_task_retry(settings):
    """A refused purge raises OSError, which the task retries (tests/shop/test_queue.py)."""
    settings.SHOP_PROXY_PURGE_URLS = ["http://127.0.0.1:1/"]
    with pytest.raises(OSError):
        purge.purge_now(["shop"])
