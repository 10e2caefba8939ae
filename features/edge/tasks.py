"""Work off the request path (issue 17), run by the Celery workers (shop.celery).

Every task here is safe to run twice: the queue delivers at least once (acks_late: a worker
killed mid-task leaves its message to be delivered again), so the effect must be idempotent.
"""

from __future__ import annotations

from django.db import DatabaseError
from oscar.core.loading import get_model
from oscar.core.thumbnails import get_thumbnailer

from features.edge.purge import purge_now
from shop.queue import retrying_task

ProductImage = get_model("catalogue", "ProductImage")

# The thumbnails the product page's gallery shows (templates/oscar/catalogue/partials/
# gallery.html), made when an image is saved instead of by the first visitor's render.
GALLERY_THUMBNAILS = (
    {"size": "360x360", "upscale": False},
    {"size": "540x540", "upscale": False},
    {"size": "720x720", "upscale": False},
    {"size": "96x96", "crop": "center"},
)


@retrying_task(OSError)
def purge_tags(tags: list[str]) -> None:
    """Purge the shared pages of `tags` from every proxy (a purge twice is a purge once)."""
    purge_now(tags)


@retrying_task(OSError, DatabaseError)
def make_thumbnails(image_id: int) -> None:
    """The gallery's thumbnails of a product image, stored with the media (the bucket): a
    thumbnail that exists is found (sorl-thumbnail's key store, then the storage), not made
    again."""
    image = ProductImage.objects.filter(pk=image_id).first()
    if image is None or not image.original:
        return
    thumbnailer = get_thumbnailer()
    for options in GALLERY_THUMBNAILS:
        thumbnailer.generate_thumbnail(image.original, **options)
