"""Signal receivers of the edge app: a write purges its pages from the proxy (features.edge.purge)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete

from features.edge.purge import schedule_purge
from features.edge.tags import ALL, stale_tags

# A deleted product or guide takes its links with it (cascade): every page is purged.
WHOLE_OBJECTS = {("catalogue", "Product"), ("content", "Article")}


def purge_stale_pages(sender, instance=None, raw=False, signal=None, **kwargs) -> None:
    """A write to what shared pages show purges the pages it makes stale, once it commits."""
    action = kwargs.get("action", "post_")
    if raw or instance is None or not action.startswith("post_"):
        return
    key = (instance._meta.app_label, instance._meta.object_name)
    if (signal is post_delete and key in WHOLE_OBJECTS) or action == "post_clear":
        schedule_purge([ALL])
        return
    schedule_purge(stale_tags(instance, kwargs.get("pk_set"), kwargs.get("model")))


def make_thumbnails_later(sender, instance=None, raw=False, **kwargs) -> None:
    """A saved product image gets its gallery's thumbnails from a worker once it commits, not
    from the render of the first visitor's product page (connected only with a task queue)."""
    if raw or instance is None or not instance.original:
        return
    # Celery is an optional dependency (the `cluster` extra): this receiver is connected, and
    # the task imported, only when a broker is configured.
    from features.edge.tasks import make_thumbnails

    image_id = instance.pk
    transaction.on_commit(lambda: make_thumbnails.delay(image_id))
