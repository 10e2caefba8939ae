from django.apps import AppConfig, apps

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
