"""Adds to one basket at the same moment: every unit counts, no add waits for another, and an
add never lands in a basket whose order is being placed.

Real PostgreSQL row locks, so these run with transaction=True and real threads, each with its
own test Client and its own database connection.
"""

import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.test import Client
from oscar.core.loading import get_model

from shop.checkout.services import basket_lock_for_placement
from tests.factories import make_product

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")

WAIT = 10  # seconds: far longer than an add takes when nothing holds it up


def _add(client, product, quantity=1):
    return client.post(f"/basket/add/{product.pk}/", {"quantity": quantity})


def _cookie_client(cookie: str) -> Client:
    client = Client()
    client.cookies["oscar_open_basket"] = cookie
    return client


def _in_thread(target) -> tuple[threading.Thread, list, list]:
    """Run `target` in a thread of its own (and its own connection); its result and errors."""
    results, errors = [], []

    def run():
        try:
            results.append(target())
        except Exception as exc:  # noqa: BLE001  (reported by the assertions)
            errors.append(repr(exc))
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, results, errors


def _simultaneous_first_adds(product, n: int = 8) -> tuple[list, list]:
    """`n` clients sharing one basket (which holds another product) add `product` at the same
    moment; each add's (status, message texts), and the errors raised in the threads."""
    first_product = make_product(title="Magnesium eerst", price="10.00", stock=1000)
    first = Client()
    assert _add(first, first_product).status_code == 302
    cookie = first.cookies["oscar_open_basket"].value
    clients = [_cookie_client(cookie) for _ in range(n)]
    barrier = threading.Barrier(n)

    def post(client):
        barrier.wait(timeout=30)
        response = _add(client, product)
        return response.status_code, [str(m) for m in get_messages(response.wsgi_request)]

    runs = [_in_thread(lambda c=c: post(c)) for c in clients]
    for thread, _results, _errors in runs:
        thread.join(timeout=60)
    errors = [e for _t, _r, errors in runs for e in errors]
    return [r for _t, results, _e in runs for r in results], errors


@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_adds_of_a_product_make_one_line_with_every_unit():
    """Eight adds of a product the basket does not hold yet, at once: each finds no line to
    raise and inserts one; one insert wins, the others add their unit to it."""
    product = make_product(title="Magnesium tegelijk nieuw", price="10.00", stock=1000)
    results, errors = _simultaneous_first_adds(product)

    assert errors == []
    assert [status for status, _messages in results] == [302] * 8
    assert [line.quantity for line in Line.objects.filter(product=product)] == [8]
    assert Basket.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_adds_of_a_product_never_put_more_in_the_basket_than_is_in_stock():
    """Eight first adds of a product with 5 in stock, at once: the line that wins the insert
    takes the others' units while there is stock, and the rest are refused with Oscar's stock
    message (the form saw an empty line for each of them)."""
    product = make_product(title="Magnesium, nog vijf", price="10.00", stock=5)
    results, errors = _simultaneous_first_adds(product)

    assert errors == []
    assert [status for status, _messages in results] == [302] * 8
    assert [line.quantity for line in Line.objects.filter(product=product)] == [5]
    refused = [texts for _status, texts in results if any("maximaal 5" in t for t in texts)]
    assert len(refused) == 3, results


@pytest.mark.django_db(transaction=True)
def test_an_add_does_not_wait_for_another_add_to_the_same_basket():
    """While one add of a new line has not committed yet, an add of another product to the same
    basket goes through: adds of one basket wait for each other only on the same line."""
    held = make_product(title="Magnesium vastgehouden", price="10.00", stock=1000)
    other = make_product(title="Magnesium ander", price="10.00", stock=1000)
    first = Client()
    assert _add(first, other).status_code == 302
    cookie = first.cookies["oscar_open_basket"].value
    inside, release = threading.Event(), threading.Event()

    def hold(sender, instance, created, **kwargs):
        # The held add's new line, written inside its transaction: it stops there until released.
        if instance.product_id == held.pk and threading.current_thread().name == "held":
            inside.set()
            release.wait(timeout=WAIT * 2)

    post_save.connect(hold, sender=Line, dispatch_uid="test-hold-add")
    try:
        holder = threading.Thread(
            target=lambda: (_add(_cookie_client(cookie), held), connection.close()), name="held"
        )
        holder.start()
        assert inside.wait(timeout=WAIT)
        adder, results, errors = _in_thread(lambda: _add(_cookie_client(cookie), other).status_code)
        adder.join(timeout=WAIT)
        done_while_held = not adder.is_alive()
        release.set()
        adder.join(timeout=WAIT)
        holder.join(timeout=WAIT)
    finally:
        release.set()
        post_save.disconnect(dispatch_uid="test-hold-add", sender=Line)

    assert (errors, results) == ([], [302])
    assert done_while_held, "the add waited for another add of the same basket to commit"
    quantities = {line.product_id: line.quantity for line in Line.objects.all()}
    assert quantities == {other.pk: 2, held.pk: 1}


@pytest.mark.django_db(transaction=True)
def test_an_add_during_placement_waits_and_never_lands_in_the_submitted_basket():
    """An order is being placed for the basket (its row locked, shop.checkout.services) while an
    add of one more unit arrives: the add waits, then finds the basket submitted and puts the
    unit in a new basket; the order's basket keeps the lines it was placed with."""
    product = make_product(title="Magnesium bestelling", price="10.00", stock=1000)
    first = Client()
    assert _add(first, product).status_code == 302
    cookie = first.cookies["oscar_open_basket"].value
    basket = Basket.objects.get()
    locked, release = threading.Event(), threading.Event()

    def place():
        with transaction.atomic():
            placing = basket_lock_for_placement(basket=basket)
            locked.set()
            release.wait(timeout=WAIT)
            placing.submit()

    placement, _results, placement_errors = _in_thread(place)
    assert locked.wait(timeout=WAIT)
    adder, results, errors = _in_thread(lambda: _add(_cookie_client(cookie), product).status_code)
    adder.join(timeout=1)
    waited = adder.is_alive()
    release.set()
    placement.join(timeout=WAIT)
    adder.join(timeout=WAIT)

    assert (placement_errors, errors, results) == ([], [], [302])
    assert waited, "the add did not wait for the placement holding the basket"
    basket.refresh_from_db()
    assert basket.status == Basket.SUBMITTED
    assert [line.quantity for line in basket.lines.all()] == [1]
    new = Basket.objects.exclude(pk=basket.pk).get()
    assert (new.status, [line.quantity for line in new.lines.all()]) == (Basket.OPEN, [1])
