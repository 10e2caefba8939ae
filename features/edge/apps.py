from django.apps import AppConfig, apps
from django.conf import settings
from django.db.models.signals import post_save
from oscar.core.loading import get_model

from features.perf.apps import SHOWN_APPS, PerfConfig


class EdgeConfig(AppConfig):
    """Several app servers behind an HTTP cache (issue 17): cache tags on shared pages, purges
    by tag on every write and the health endpoint (the task queue's app: shop.celery)."""

    name = "features.edge"
    label = "edge"
    verbose_name = "Proxy en taken"

    def ready(self):
        # Imported here: the receivers load models, which need the app registry ready.
        from features.edge import receivers

        # The same writes that replace features.perf's catalogue version.
        for label in SHOWN_APPS:
            for model in apps.get_app_config(label).get_models():
                PerfConfig.connect(receivers.purge_stale_pages, model, f"edge.{label}")
        if settings.CELERY_BROKER_URL:
            # With a task queue, a saved product image's gallery thumbnails are made by a worker.
            post_save.connect(
                receivers.make_thumbnails_later,
                sender=get_model("catalogue", "ProductImage"),
                dispatch_uid="edge.thumbnails",
            )
