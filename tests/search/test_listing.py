"""A listing page's product cards get their thumbnail URLs from one cache read for the page
(shop.search.listing.add_card_thumbnails), not from one sorl-thumbnail key-value read per card;
their queryset is built once per process and copied per page (shop.search.listing.card_queryset).
"""

import io
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.test import Client
from oscar.core.loading import get_model
from oscar.core.thumbnails import get_thumbnailer
from PIL import Image
from sorl.thumbnail.kvstores.base import KVStoreBase

from shop.search import indexing, listing
from shop.search.listing import CARD_THUMBNAIL, card_queryset, listing_page
from tests.factories import make_supplement

pytestmark = pytest.mark.django_db

ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")


def png(name: str) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (40, 120, 200)).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name=name)


@pytest.fixture
def pictured():
    """Three supplements with a packshot each and one without."""
    products = []
    for i in range(3):
        product = make_supplement(upc=f"MG-THUMB-{i}", title=f"Magnesiumcitraat foto {i}")
        ProductImage.objects.create(product=product, original=png(f"mg-{i}.png"), display_order=0)
        products.append(product)
    products.append(make_supplement(upc="MG-THUMB-X", title="Magnesiumcitraat zonder foto"))
    caches["fragments"].clear()
    return products


def test_cards_get_the_thumbnail_oscars_tag_makes(pictured):
    page = listing_page([p.pk for p in pictured])

    for product in page:
        image = product.primary_image()
        source = image["original"] if isinstance(image, dict) else image.original  # placeholder
        expected = get_thumbnailer().generate_thumbnail(source, **CARD_THUMBNAIL).url
        assert product.card_thumbnail_url == expected
    assert page[0].card_thumbnail_url != page[3].card_thumbnail_url


def test_a_page_seen_before_reads_no_thumbnail_record_per_card(pictured):
    ids = [p.pk for p in pictured]
    first = [p.card_thumbnail_url for p in listing_page(ids)]

    with mock.patch.object(KVStoreBase, "get", autospec=True) as kvstore_get:
        again = [p.card_thumbnail_url for p in listing_page(ids)]

    assert kvstore_get.call_count == 0
    assert again == first


def test_the_search_page_renders_its_cards_without_a_thumbnail_record_read(pictured):
    indexing.rebuild()
    client = Client()
    client.get("/search/", {"q": "magnesiumcitraat foto"})  # makes the thumbnails once

    with mock.patch.object(KVStoreBase, "get", autospec=True) as kvstore_get:
        html = client.get("/search/", {"q": "magnesiumcitraat foto"}).content.decode()

    assert kvstore_get.call_count == 0
    for product in listing_page([p.pk for p in pictured]):
        assert f'src="{product.card_thumbnail_url}"' in html


def test_a_page_of_cards_does_not_build_the_card_queryset_again(pictured):
    ids = [p.pk for p in pictured]
    listing_page(ids)

    with mock.patch.object(listing, "price_per_day_expression") as built:
        listing_page(ids)
        listing_page(ids[:2])

    built.assert_not_called()


def test_each_page_reads_its_cards_afresh_from_the_one_card_queryset(pictured):
    first, second = pictured[0], pictured[1]
    before = {p.pk: p.price_per_day for p in listing_page([first.pk, second.pk])}
    StockRecord.objects.filter(product=first).update(price="18.00")  # 60 tablets, 1 a day

    after = {p.pk: p.price_per_day for p in listing_page([first.pk, second.pk])}

    assert str(after[first.pk]) == "0.30"
    assert after[first.pk] != before[first.pk]
    assert after[second.pk] == before[second.pk]
    assert [p.pk for p in listing_page([second.pk])] == [second.pk]
    assert str(card_queryset().query) == str(listing._card_queryset.__wrapped__().query)
