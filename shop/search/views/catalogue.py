from urllib.parse import unquote

from django.contrib import messages
from django.core.paginator import InvalidPage
from django.db import transaction
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from oscar.core.loading import get_model

from shop.catalogue.category_urls import category_url
from shop.search.listing import (
    ListingSortForm,
    cached_listing_ids,
    listing_page,
    shared_listing_page,
)

Category = get_model("catalogue", "Category")


@method_decorator(transaction.non_atomic_requests, name="dispatch")  # reads only
class CatalogueView(ListView):
    """All browsable products, from the database.

    Replaces Oscar's Haystack-backed view: with Haystack's simple backend Oscar 4.2 lists no
    products at all, and the storefront has no search index to keep in step.

    The order and count come from the cached id list of the listing (shop.search.listing), so
    a page costs the same few queries on 20 products or 5,000: the cards of its own products.
    """

    context_object_name = "products"
    template_name = "oscar/catalogue/browse.html"
    paginate_by = 24
    summary = _("Alle producten")

    def get(self, request, *args, **kwargs):
        self.form = ListingSortForm(request.GET or None)
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # The first page, with the message on it and a 404 for the wrong URL (not a redirect
            # with a flash message: this page is shared, shop.cache.pagecache).
            messages.error(request, _("Dat paginanummer bestaat niet."))
            self.kwargs[self.page_kwarg] = 1
            response = super().get(request, *args, **kwargs)
            response.status_code = 404
            return response

    def get_categories(self):
        return None

    def get_listing_scope(self) -> str:
        return "all"

    def get_queryset(self):
        return cached_listing_ids(
            self.get_listing_scope(), self.form.sort_key(), self.get_categories()
        )

    def paginate_queryset(self, queryset, page_size):
        try:
            paginator, page, ids, is_paginated = super().paginate_queryset(queryset, page_size)
        except InvalidPage as exc:
            raise Http404 from exc
        # A shared page (always, but for a view called on its own) takes the cards' cached HTML,
        # as the search page does.
        cards = (
            shared_listing_page if getattr(self.request, "shared_render", False) else listing_page
        )
        page.object_list = cards(ids)
        return paginator, page, page.object_list, is_paginated

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = self.summary
        ctx["form"] = self.form
        return ctx


class ProductCategoryView(CatalogueView):
    """The products of a category and its descendants, from the database."""

    template_name = "oscar/catalogue/category.html"
    enforce_paths = True

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=self.kwargs["pk"])
        if not (self.category.is_public or request.user.is_staff):
            raise Http404()
        expected_path = category_url(self.category)  # one query at any depth (Oscar: per level)
        if self.enforce_paths and unquote(expected_path) != unquote(request.path):
            return HttpResponsePermanentRedirect(expected_path)
        return super().get(request, *args, **kwargs)

    def get_categories(self):
        return self.category.get_descendants_and_self()

    def get_listing_scope(self) -> str:
        return f"category-{self.category.pk}"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["category"] = self.category
        ctx["summary"] = self.category.name
        return ctx
