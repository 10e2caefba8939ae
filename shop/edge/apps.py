from django.apps import AppConfig, apps
from django.db.models.signals import post_save


class EdgeConfig(AppConfig):
    """Several app servers behind an HTTP cache (issue 17): cache tags on shared pages, purges
    by tag on every write, the task queue's app and the health endpoint."""

    name = "shop.edge"
    label = "edge"
    verbose_name = "Proxy en taken"

    def ready(self):
        from django.conf import settings

        from shop.edge import receivers
        from shop.perf.apps import PerfConfig
        from shop.perf.receivers import SHOWN_APPS

        # The same writes that replace shop.perf's catalogue version.
        for label in SHOWN_APPS:
            for model in apps.get_app_config(label).get_models():
                PerfConfig.connect(receivers.purge_stale_pages, model, f"edge.{label}")
        if settings.CELERY_BROKER_URL:
            # Celery is optional (the `cluster` extra): its app is loaded only when configured,
            # so that tasks sent from this process go to the configured broker.
            import shop.celery  # noqa: F401

            post_save.connect(
                receivers.make_thumbnails_later,
                sender=apps.get_model("catalogue", "ProductImage"),
                dispatch_uid="edge.thumbnails",
            )
