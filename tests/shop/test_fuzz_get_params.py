"""Hostile GET parameters on every storefront and dashboard URL: no answer is a server error
(issue 14; a NUL byte in a filter parameter answered 500).

The parameter names are read from the forms the views bind to the query string (the form_class
of Oscar's dashboard lists, the shop's search and listing forms, the search box every page builds
from the query string), plus the few names views read directly. The values are a fixed corpus;
a URL whose view reads parameters of its own gets every value in every one of its parameters in
len(CORPUS) requests (request k puts value k+i in parameter i), so the run stays short.
"""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import resolve
from django.views.generic.list import MultipleObjectMixin
from django_tables2.views import SingleTableMixin
from oscar.views.generic import ObjectLookupView

from content.dashboard import views as content_dashboard_views
from content.dashboard.forms import SearchForm as ContentSearchForm
from shop.search.forms import SearchForm
from shop.search.listing import ListingSortForm
from shop.search.views.catalogue import CatalogueView
from shop.search.views.search import SearchView
from tests.shop.crawl import build_world, concrete_path, url_patterns

pytestmark = pytest.mark.django_db

# Already percent-encoded: sent as the raw query string, so invalid UTF-8 reaches Django as is.
CORPUS = [
    "%00",
    "x%00y",
    "%C0%AF",
    "%FF%FE",
    "%ED%A0%80",  # a UTF-16 surrogate in UTF-8
    "%zz",
    "%",
    "A" * 10_000,
    "-1",
    "-99999999999999999999999",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "0",
    "2026-13-45",
    "%27%20OR%201%3D1--",
    "1%3BDROP%20TABLE%20catalogue_product",
    "%7B%7B%207*7%20%7D%7D",
    "%7B%25%20debug%20%25%7D",
    "%E2%80%AEmuisnegam",  # right-to-left override
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "..%2F..%2Fetc%2Fpasswd",
    "%20",
    "",
]
# Read from request.GET without a form.
DIRECT_PARAMETERS = {"page", "next", "onderwerp", "gids", "categorie", "product", "format"}
COMMON_PARAMETERS = set(SearchForm.base_fields) | DIRECT_PARAMETERS
# Views that bind a form to the query string in code rather than through form_class.
GET_FORMS = [
    (SearchView, SearchForm),
    (CatalogueView, ListingSortForm),
    (content_dashboard_views.FilteredListView, ContentSearchForm),
]


def binds_query_string(view_class, form_class) -> bool:
    """Whether `form_class` filters a list or a report (bound to request.GET), not an edit form
    (bound to request.POST, its fields never read on a GET)."""
    if form_class is None or not hasattr(form_class, "base_fields"):
        return False
    lists = issubclass(view_class, MultipleObjectMixin | SingleTableMixin)
    return lists or any(word in form_class.__name__ for word in ("Search", "Stats", "Select"))


def get_parameters(view_class) -> set[str]:
    """The GET parameter names `view_class` reads, from its forms."""
    names = set(SearchForm.base_fields)  # the header search box binds request.GET on every page
    form_class = getattr(view_class, "form_class", None)
    if binds_query_string(view_class, form_class):
        names |= set(form_class.base_fields)
    for view, form in GET_FORMS:
        if issubclass(view_class, view):
            names |= set(form.base_fields)
    if issubclass(view_class, MultipleObjectMixin):
        names.add(view_class.page_kwarg)
    if issubclass(view_class, ObjectLookupView):
        names |= {"initial", "q", "page", "page_limit"}  # select2's, read in get_args()
    if issubclass(view_class, SingleTableMixin):
        names |= {"sort", "page", "per_page"}
    return names | DIRECT_PARAMETERS


def test_no_hostile_get_parameter_answers_a_server_error(db):
    User = get_user_model()
    admin_user = User.objects.create_superuser("beheer", "beheer@example.nl", "wachtwoord-1")
    customer = User.objects.create_user("klant", "klant@example.nl", "wachtwoord-2")
    world = build_world(admin_user, customer)
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)

    started, sent, failures, urls = time.monotonic(), 0, {}, 0
    for pattern in url_patterns():
        if pattern.area == "admin" or "logout" in (pattern.name or ""):
            continue
        path = concrete_path(pattern, world)
        view_class = getattr(resolve(path).func, "view_class", None)
        names = sorted(get_parameters(view_class) if view_class else DIRECT_PARAMETERS)
        urls += 1
        # Parameters a view of its own reads get the whole corpus; a page that only has the
        # header search box and the common ones gets two rotations (the box is the same code on
        # every page and gets the whole corpus on the search page).
        own = set(names) - COMMON_PARAMETERS or path == "/search/"
        for k in range(len(CORPUS)) if own else (0, len(CORPUS) // 2):
            query = "&".join(
                f"{name}={CORPUS[(i + k) % len(CORPUS)]}" for i, name in enumerate(names)
            )
            response = client.get(f"{path}?{query}")
            sent += 1
            if response.status_code >= 500:
                failures.setdefault(path, []).append(query[:200])
    print(
        f"\nGET fuzzing: {urls} URLs, {sent} requests, {len(failures)} URLs with answers >= 500, "
        f"{time.monotonic() - started:.0f} s"
    )
    assert failures == {}
