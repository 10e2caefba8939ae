"""shop.queue: the one retry policy of the queue's tasks, as the tasks run it (eagerly here)."""

from django.db import DatabaseError

from features.edge import tasks as edge_tasks
from shop import queue
from shop.search import tasks as search_tasks


def flaky(failures: int, exception: BaseException):
    """A stand-in that raises `exception` on its first `failures` calls, then succeeds."""
    calls = []

    def run(*args, **kwargs):
        calls.append(args)
        if len(calls) <= failures:
            raise exception

    return run, calls


def test_a_purge_is_tried_again_until_the_proxy_takes_it(monkeypatch):
    run, calls = flaky(2, ConnectionRefusedError())
    monkeypatch.setattr(edge_tasks, "purge_now", run)
    result = edge_tasks.purge_tags.apply(args=[["product-7"]])
    assert result.successful()
    assert len(calls) == 3


def test_indexing_is_tried_again_until_the_database_answers(monkeypatch):
    run, calls = flaky(2, DatabaseError("the server closed the connection"))
    monkeypatch.setattr(search_tasks, "product_index_update", run)
    monkeypatch.setattr(search_tasks, "vocabulary_add", lambda **kwargs: None)
    result = search_tasks.index_products.apply(args=[[7]])
    assert result.successful()
    assert len(calls) == 3


def test_a_task_gives_up_after_the_policys_retries(monkeypatch):
    run, calls = flaky(100, ConnectionRefusedError())
    monkeypatch.setattr(edge_tasks, "purge_now", run)
    result = edge_tasks.purge_tags.apply(args=[["shop"]])
    assert result.failed()
    assert len(calls) == queue.RETRIES + 1


def test_an_error_the_task_cannot_outlive_is_not_retried(monkeypatch):
    run, calls = flaky(100, ValueError("a bug, not an outage"))
    monkeypatch.setattr(edge_tasks, "purge_now", run)
    result = edge_tasks.purge_tags.apply(args=[["shop"]])
    assert result.failed()
    assert len(calls) == 1
