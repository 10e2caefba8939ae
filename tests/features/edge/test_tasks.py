"""The tasks (features.edge.tasks, shop.search.tasks) do their work once however often they run, and the
writes that need them send them when a task queue is configured."""

import io
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from oscar.core.loading import get_model
from PIL import Image

from features.edge import tasks
from shop.search import indexing
from shop.search import tasks as search_tasks
from tests.factories import make_supplement

pytestmark = pytest.mark.django_db

ProductImage = get_model("catalogue", "ProductImage")


def png(size=(800, 600)) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 120, 200)).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="magnesium.png")


def documents(product) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM shop_productsearchdocument WHERE product_id = %s", [product.pk]
        )
        return cursor.fetchone()[0]


def test_indexing_a_product_twice_writes_its_document_once():
    product = make_supplement(upc="MG-TASK-1")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM shop_productsearchdocument WHERE product_id = %s", [product.pk])
    search_tasks.index_products([product.pk])
    search_tasks.index_products([product.pk])
    assert documents(product) == 1


def test_a_product_write_queues_its_indexing_when_there_is_a_task_queue(settings):
    settings.CELERY_BROKER_URL = "amqp://queue.invalid//"
    product = make_supplement(upc="MG-TASK-2")
    with mock.patch.object(search_tasks.index_products, "apply_async") as queued:
        indexing.schedule_products([product.pk])
        indexing._flush()
    queued.assert_called_once()
    assert product.pk in queued.call_args.kwargs["args"][0]


def test_a_product_write_is_indexed_in_the_request_without_a_task_queue(settings):
    settings.CELERY_BROKER_URL = ""
    product = make_supplement(upc="MG-TASK-3")
    with mock.patch.object(search_tasks.index_products, "apply_async") as queued:
        indexing.schedule_products([product.pk])
        indexing._flush()
    queued.assert_not_called()
    assert documents(product) == 1


def test_the_gallery_thumbnails_are_made_once_and_stored_with_the_media():
    product = make_supplement(upc="MG-TASK-4")
    image = ProductImage.objects.create(product=product, original=png(), display_order=0)
    tasks.make_thumbnails(image.pk)
    files = _files("cache")
    tasks.make_thumbnails(image.pk)  # delivered again
    assert _files("cache") == files
    assert len(files) == len(tasks.GALLERY_THUMBNAILS)


def _files(top: str) -> list[str]:
    directories, files = default_storage.listdir(top)
    found = [f"{top}/{name}" for name in files]
    for directory in directories:
        found += _files(f"{top}/{directory}")
    return sorted(found)
