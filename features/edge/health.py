"""The health endpoint of one app server (django-health-check), probed by the load balancer
(cluster/shop.vcl): 200 when this server reaches the database, the cache, the media storage and,
with a task queue, its broker; 500 otherwise, and the proxy sends it no traffic.

The checks run one after the other in the request's own thread (django-health-check runs each
in a thread of its own by default): a new thread has none of the thread's connections, so every
probe built a new boto3 S3 client (about 250 ms of CPU, loading botocore's service models) and a
new database connection. At a probe a second per app server that was a quarter of a core each,
taken from the pages the servers and the proxy serve."""

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


class ShopHealthCheckView(HealthCheckView):
    use_threading = False


urlpatterns = [path("", ShopHealthCheckView.as_view(checks=checks()), name="health")]
