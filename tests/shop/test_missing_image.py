"""A product whose image file is gone from the media storage (a restore without media, a bucket
glitch) still shows its page: the gallery leaves out the sizes it cannot know, never a 500."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from oscar.core.loading import get_model
from PIL import Image

from tests.factories import make_supplement

pytestmark = pytest.mark.django_db

ProductImage = get_model("catalogue", "ProductImage")


def png() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (40, 120, 200)).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="weg.png")


@pytest.mark.parametrize("images", [1, 2])
def test_a_product_page_whose_image_files_are_gone_still_answers(client, images):
    product = make_supplement(upc=f"MG-GONE-{images}")
    for order in range(images):
        image = ProductImage.objects.create(product=product, original=png(), display_order=order)
        default_storage.delete(image.original.name)
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    assert 'class="gallery__main"' in response.content.decode()
