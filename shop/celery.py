"""The task queue (issue 17): Celery on the broker of CELERY_BROKER_URL (RabbitMQ or Redis).

    .venv/bin/celery -A shop.celery worker --concurrency 2     # with the shop's environment

Settings come from shop.settings (CELERY_*): late acknowledgement, so a worker killed mid-task
leaves its message to be delivered again; every task is idempotent (features.edge.tasks).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

app = Celery("shop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
