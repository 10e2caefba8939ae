"""The error handler of the shop's URLconf (handler500): a database that cannot be reached answers
a 503 page in the shop's frame, every other failure Django's 500 page (templates/500.html)."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.context_processors import i18n
from django.template.loader import render_to_string
from django.views import defaults
from oscar.core.context_processors import metadata

# DB-API: OperationalError is an error of the database's operation (server down or restarting,
# connection lost, deadlock, timeout), not of the query; InterfaceError a connection that is
# closed. Both pass: the next request reconnects (CONN_HEALTH_CHECKS), so the visitor is asked to
# come back shortly.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10


def server_error(request):
    """Django's handler500. It is called inside the `except` of the exception that failed the
    request (in a view, a middleware or the request's commit), so `sys.exc_info()` names it."""
    if caused_by_database_unavailable(sys.exc_info()[1]):
        return database_unavailable(request)
    return defaults.server_error(request)


def caused_by_database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc`, or an exception it was raised from or while handling, is one of
    DATABASE_UNAVAILABLE: code that catches the lost connection and queries again (Oscar's
    checkout restores the basket) fails with the broken transaction's TransactionManagementError."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DATABASE_UNAVAILABLE):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def database_unavailable(request) -> HttpResponse:
    """The 503 page, rendered from a plain context with the two context processors that need no
    database: the others read the session, the user and the basket from the one that failed."""
    context = {"request": request, **i18n(request), **metadata(request)}
    response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Neither the browser nor a proxy may keep the outage page in place of the real one.
    response["Cache-Control"] = "no-store"
    return response
