"""The health endpoint of one app server (django-health-check), probed by the load balancer
(cluster/shop.vcl): 200 when this server reaches the database, the cache, the media storage and,
with a task queue, its broker; 500 otherwise, and the proxy sends it no traffic."""

from __future__ import annotations

from django.conf import settings
from django.urls import path
from health_check.views import HealthCheckView


def checks() -> list:
    found: list = ["health_check.Database", "health_check.Cache", "health_check.Storage"]
    if settings.CELERY_BROKER_URL.startswith("amqp"):
        found.append(
            ("health_check.contrib.rabbitmq.backends.RabbitMQHealthCheck", {"namespace": "CELERY"})
        )
    return found


urlpatterns = [path("", HealthCheckView.as_view(checks=checks()), name="health")]
