"""The shop's URLconf (and so its handler500) plus views and a middleware that fail the way a
database outage fails a request, for tests/shop/test_errors.py."""

from django.db import IntegrityError, InterfaceError, OperationalError
from django.db.transaction import TransactionManagementError, non_atomic_requests
from django.http import HttpResponse
from django.urls import path

from shop import urls as shop_urls

handler500 = shop_urls.handler500


# Not atomic (ATOMIC_REQUESTS): the tests run without database access, and so show the page is
# rendered without it.


def raises(exc_type, message):
    @non_atomic_requests
    def view(request):
        raise exc_type(message)

    return view


@non_atomic_requests
def lost_connection_then_broken_transaction(request):
    # What Oscar's checkout does when the connection goes mid-placement: it catches the error
    # and restores the basket, which the broken transaction refuses.
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        raise TransactionManagementError("An error occurred in the current transaction.")  # noqa: B904 (chained implicitly, as Django raises it)


@non_atomic_requests
def ok(request):
    return HttpResponse("ok")


class FailingCommitMiddleware:
    """Fails on the way out of the view, as a session save or a commit does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path == "/_fault/after-view/":
            raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
        return response


urlpatterns = [
    path(
        "_fault/operational/",
        raises(OperationalError, 'connection failed: password=secret host="db.internal"'),
    ),
    path("_fault/interface/", raises(InterfaceError, "connection already closed")),
    path("_fault/broken-transaction/", lost_connection_then_broken_transaction),
    path("_fault/integrity/", raises(IntegrityError, "duplicate key value")),
    path("_fault/transaction/", raises(TransactionManagementError, "atomic block misuse")),
    path("_fault/value/", raises(ValueError, "a bug")),
    path("_fault/after-view/", ok),
    *shop_urls.urlpatterns,
]
