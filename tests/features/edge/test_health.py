"""The health endpoint the proxy probes (features.edge.health): 200 when the database, cache and
storage answer, 500 when one does not, so the proxy sends that server no traffic."""

import json
import threading

import pytest
from django.core.files.storage import FileSystemStorage
from django.test import RequestFactory

from features.edge import health

pytestmark = pytest.mark.django_db(transaction=True)


def probe():
    view = health.urlpatterns[0].callback  # the endpoint as the proxy reaches it
    response = view(RequestFactory().get("/gezondheid/", HTTP_ACCEPT="application/json"))
    return response.status_code, json.loads(response.content)


def test_a_healthy_server_answers_200(settings):
    settings.CELERY_BROKER_URL = ""
    status, checks = probe()
    assert status == 200
    assert set(checks.values()) == {"OK"}
    assert len(checks) == 3  # database, cache, storage (no broker configured)


def test_a_server_whose_storage_fails_answers_500(settings, monkeypatch):
    settings.CELERY_BROKER_URL = ""

    def refuse(self, name, content, max_length=None):
        raise OSError("bucket unreachable")

    monkeypatch.setattr(FileSystemStorage, "save", refuse)
    status, checks = probe()
    assert status == 500
    assert sum(value != "OK" for value in checks.values()) == 1


def test_with_a_broker_its_connection_is_checked(settings):
    settings.CELERY_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"
    assert any("RabbitMQ" in str(check) for check in health.checks())


def test_checks_run_in_the_probe_s_own_thread(settings, monkeypatch):
    """A check run in a thread of its own starts without the request thread's connections: an
    S3 storage then builds a new boto3 client on every probe (about 250 ms of CPU, once a second
    on each app server, measured on the cluster), and the database is connected anew."""
    settings.CELERY_BROKER_URL = ""
    threads = []
    save = FileSystemStorage.save

    def recording(self, *args, **kwargs):
        threads.append(threading.get_ident())
        return save(self, *args, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", recording)
    probe()
    probe()
    assert threads == [threading.get_ident()] * 2
