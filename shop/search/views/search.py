"""The storefront's one search page: products (with facets), guides and FAQs.

Guides and FAQs come from the registered document providers (shop.search.providers), each in
the context under its group name ("guides", "faqs").

Replaces Oscar's Haystack FacetedSearchView at the same URL (`search:search`), so the header
search box needs no change. The number of queries is fixed: it does not grow with the hits.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import InvalidPage, Paginator
from django.db import transaction
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.http import QueryDict
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from shop.catalogue.facts import price_per_day_expression
from shop.partner.strategy import shown_price
from shop.search import engine, providers
from shop.search.forms import SearchForm
from shop.search.listing import listing_page, shared_listing_page

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")

# The products a search page ranks, pages through and counts facets over at most. A query that
# matches more ("magnesium": every product) shows these, the best first, and says "meer dan 500":
# ranking, counting and bucketing 50,000 hits (catalogue XL) cost more than the page's budget
# (each hit read, ranked, sent to the facet queries and bucketed), and 500 is 21 pages, more than
# a customer pages through (engine.filter_products(limit=…)).
MAX_HITS = 500


def in_stock():
    """Whether the product, or for a parent one of its public children, can be bought now."""
    available = StockRecord.objects.filter(num_in_stock__gt=Coalesce(F("num_allocated"), Value(0)))
    # Two EXISTS, not one with an OR inside: each uses its index, where the OR made PostgreSQL
    # join every matched product with every stock record (1 s for 2,500 hits).
    return Exists(available.filter(product=OuterRef("pk"))) | Exists(
        available.filter(product__parent=OuterRef("pk"), product__is_public=True)
    )


def stored_price_and_stock() -> bool:
    """Price and stock from the stored search documents (PostgreSQL; kept current by
    shop.search.indexing), or computed per product (the SQLite demo has no documents)."""
    return engine.is_postgresql()


@dataclass
class FacetItem:
    value: str
    label: str
    count: int
    selected: bool
    url: str


class ProductFilters:
    """The product facets of a search form, applied to a Product queryset one by one."""

    DIMENSIONS = ("vorm", "doel", "prijs", "op_voorraad")

    def __init__(self, form: SearchForm):
        self.form = form

    def apply(self, queryset: QuerySet, *, skip: str | None = None) -> QuerySet:
        form = self.form
        stored = stored_price_and_stock()
        forms_ = form.value("vorm")
        if forms_ and skip != "vorm":
            queryset = queryset.filter(
                Exists(
                    ProductAttributeValue.objects.filter(
                        product=OuterRef("pk"), attribute__code=engine.MAGNESIUM_FORM_ATTRIBUTE
                    ).filter(
                        Q(value_multi_option__option__in=forms_)
                        | Q(value_option__option__in=forms_)
                    )
                )
            )
        purposes = form.value("doel")
        if purposes and skip != "doel":
            queryset = queryset.filter(
                Exists(
                    ProductCategory.objects.filter(
                        product=OuterRef("pk"), category__slug__in=purposes
                    )
                )
            )
        price_range = form.price_range
        if price_range and skip != "prijs":
            low, high = price_range
            price = "search_document__price" if stored else "search_price"
            if not stored:
                queryset = queryset.alias(search_price=shown_price())
            if low is not None:
                queryset = queryset.filter(**{f"{price}__gte": low})
            if high is not None:
                queryset = queryset.filter(**{f"{price}__lt": high})
        if form.value("op_voorraad") and skip != "op_voorraad":
            queryset = (
                queryset.filter(search_document__in_stock=True)
                if stored
                else queryset.filter(in_stock())
            )
        return queryset


@method_decorator(transaction.non_atomic_requests, name="dispatch")  # reads only
class SearchView(TemplateView):
    """Products, guides and FAQs matching `q`, in separate groups; facets on the products."""

    template_name = "oscar/search/results.html"

    ORDERINGS = {
        SearchForm.RELEVANCE: (F("relevance").desc(), "title", "pk"),
        SearchForm.PRICE_LOW: (F("listing_price").asc(nulls_last=True), "title", "pk"),
        SearchForm.PRICE_HIGH: (F("listing_price").desc(nulls_last=True), "title", "pk"),
        SearchForm.PRICE_PER_DAY: (F("price_per_day").asc(nulls_last=True), "title", "pk"),
    }

    # On PostgreSQL the price sorts read the stored document price (the price facet's), not
    # the listing annotations computed for every hit.
    STORED_ORDERINGS = {
        SearchForm.PRICE_LOW: (
            F("search_document__price").asc(nulls_last=True),
            "title",
            "pk",
        ),
        SearchForm.PRICE_HIGH: (
            F("search_document__price").desc(nulls_last=True),
            "title",
            "pk",
        ),
    }

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET)
        if not self.form.is_valid():
            # Never a 500 for a hand-edited URL: drop what does not fit, keep the rest.
            messages.warning(request, _("Een deel van je zoekopdracht kon niet worden gebruikt."))
        context = self.search()
        if context is None:
            # The first page, with the message on it and a 404 for the wrong URL (not a redirect
            # with a flash message: this page is shared, shop.cache.pagecache).
            messages.error(request, _("Dat paginanummer bestaat niet."))
            context = self.search(page_number=1)
            response = self.render_to_response(self.get_context_data(**context))
            response.status_code = 404
            return response
        return self.render_to_response(self.get_context_data(**context))

    def search(self, page_number=None) -> dict | None:
        form = self.form
        query = engine.parse(form.query)
        filters = ProductFilters(form)
        stored = stored_price_and_stock()
        # The text search runs once (twice with filters): it yields the ids of the hits in
        # display order; the count, the page and the facets then work on those ids, so no
        # query recomputes the search (each did, on 5,000 products that was 30 ms apiece).
        # Unfiltered, the same query reads the hits' stored price and stock for the facets.
        with_facts = stored and not self._filtered
        # The statements whose plan depends on the words (engine.planned_with_values); the cards
        # below are the listing pages' statements and keep their prepared plans.
        with engine.planned_with_values():
            hit_rows = self._hits(query, filters, with_facts)
            relaxed = False
            if not hit_rows and not self._filtered and query.relaxed():
                # Nothing matches every word ("malaat sprot"): the hits of all words but one.
                query, relaxed = query.relaxed(), True
                hit_rows = self._hits(query, filters, with_facts)
            # One row more than shown: the text matches more than MAX_HITS products.
            capped = len(hit_rows) > MAX_HITS
            hit_rows = hit_rows[:MAX_HITS]
            hit_ids = [row[0] for row in hit_rows] if with_facts else hit_rows
            matched_ids, facets_capped = hit_ids, capped
            if self._filtered:  # the facets count what the text matches, whatever the filters
                matched_ids = list(
                    self._best(
                        engine.filter_products(Product.objects.browsable(), query, limit=MAX_HITS)
                    )
                )
                facets_capped = len(matched_ids) > MAX_HITS
                matched_ids = matched_ids[:MAX_HITS]
        paginator = Paginator(hit_ids, settings.OSCAR_PRODUCTS_PER_PAGE)
        try:
            page = paginator.page(page_number or self.request.GET.get("page") or 1)
        except InvalidPage:
            return None
        # A shared page (always, but for a view called on its own) takes the cards' cached HTML.
        cards = (
            shared_listing_page if getattr(self.request, "shared_render", False) else listing_page
        )
        page.object_list = cards(page.object_list)
        with engine.planned_with_values():
            documents = self._documents(query, relaxed=relaxed)
            facets = self.facets(matched_ids, filters, hit_facts=hit_rows if with_facts else None)
        has_results = bool(paginator.count or any(documents.values()))
        return {
            "query": form.query,
            "search_form": form,
            "paginator": paginator,
            "page": page,
            "page_obj": page,
            "products": page.object_list,
            **documents,
            "facets": facets,
            "has_results": has_results,
            "relaxed": relaxed,
            # More hits than shown, or facets counted over the MAX_HITS best text matches only:
            # the template says so.
            "capped": capped,
            "facets_capped": facets_capped,
            "max_hits": MAX_HITS,
            "active_filters": self._filtered,
            **({} if has_results or self._filtered else self.no_results(query)),
        }

    def _hits(self, query, filters, with_facts: bool) -> list:
        """The hit ids in display order (rows of id, stored price and stock `with_facts`): the
        MAX_HITS best, and one more when there are more."""
        form = self.form
        ordering = self.ORDERINGS[form.sort]
        if stored_price_and_stock() and form.sort in self.STORED_ORDERINGS:
            ordering = self.STORED_ORDERINGS[form.sort]
        base = Product.objects.browsable()
        if form.sort == SearchForm.PRICE_PER_DAY:  # computed by the database, as the cards show it
            base = base.annotate(price_per_day=price_per_day_expression())
        hits = engine.filter_products(filters.apply(base), query, limit=MAX_HITS)
        fields = ("pk", "search_document__price", "search_document__in_stock")[
            : 3 if with_facts else 1
        ]
        if form.sort == SearchForm.RELEVANCE:
            rows = list(hits.order_by(*ordering).values_list(*fields)[: MAX_HITS + 1])
        else:
            # The best hits in the order asked for: the cheapest of the MAX_HITS best when the text
            # matches more (the page says so), never the cheapest of whatever matched. The one
            # after the best, which tells there are more, goes last (not shown).
            best = Window(RowNumber(), order_by=self.ORDERINGS[SearchForm.RELEVANCE])
            found = list(
                hits.annotate(best=best)
                .filter(best__lte=MAX_HITS + 1)
                .order_by(*ordering)
                .values_list(*fields, "best")
            )
            rows = [row[:-1] for row in found if row[-1] <= MAX_HITS]
            rows += [row[:-1] for row in found if row[-1] > MAX_HITS]
        return rows if with_facts else [row[0] for row in rows]

    def _best(self, hits: QuerySet) -> QuerySet:
        """The ids of the MAX_HITS best of these ranked hits, and one more when there are more."""
        return hits.order_by(*self.ORDERINGS[SearchForm.RELEVANCE]).values_list("pk", flat=True)[
            : MAX_HITS + 1
        ]

    @staticmethod
    def _documents(query, *, relaxed: bool) -> dict[str, list]:
        """Each registered provider's hits (guides, FAQs), by its group name."""
        groups = {}
        for provider in providers.providers():
            if not provider.limit:
                continue
            hits = provider.results(query)
            if not hits and provider.relax_when_empty and query.relaxed() and not relaxed:
                hits = provider.results(query.relaxed())
            groups[provider.group] = hits
        return groups

    def no_results(self, query) -> dict:
        """Never a dead end: the nearest spelling that has results, the categories and the
        form comparison."""
        suggestion = query.suggestion if query.suggestion != query.text.lower() else ""
        return {
            "suggestion": suggestion,
            "suggestion_url": f"{self.request.path}?{urlencode({'q': suggestion})}"
            if suggestion
            else "",
            "browse_categories": _browse_categories(),
        }

    @property
    def _filtered(self) -> bool:
        return any(self.form.value(name) for name in ProductFilters.DIMENSIONS)

    # --- facets --------------------------------------------------------------------------

    def _url(self, **changes) -> str:
        params: QueryDict = self.request.GET.copy()
        params.pop("page", None)
        for key, value in changes.items():
            if isinstance(value, list):
                params.setlist(key, value)
            elif value in (None, ""):
                params.pop(key, None)
            else:
                params[key] = value
        return f"{self.request.path}?{params.urlencode()}"

    def _toggle(self, name: str, value: str) -> str:
        current = list(self.form.value(name))
        current = [v for v in current if v != value] if value in current else [*current, value]
        return self._url(**{name: current})

    def facets(self, matched_ids: list[int], filters: ProductFilters, hit_facts=None) -> dict:
        form = self.form
        stored = stored_price_and_stock()
        matched = engine.with_ids(Product.objects.all(), matched_ids)

        def ids(dim: str) -> QuerySet:
            """The ids of the products facet `dim` counts: the hits the other facets keep."""
            return filters.apply(matched, skip=dim).values("pk")

        def counted(queryset: QuerySet, dim: str) -> QuerySet:
            """`queryset` (rows with a product_id) narrowed to the products facet `dim` counts."""
            if any(form.value(other) for other in filters.DIMENSIONS if other != dim):
                return queryset.filter(product__in=ids(dim))
            # No other facet narrows it: all the hits, their ids sent to the facet's own table
            # (a subquery through the product table read every hit's index entry: 10-15 ms for
            # 2,500 hits).
            return engine.with_ids(queryset, matched_ids, field="product_id")

        selected_forms = form.value("vorm")
        form_rows = (
            counted(
                ProductAttributeValue.objects.filter(
                    attribute__code=engine.MAGNESIUM_FORM_ATTRIBUTE,
                    value_multi_option__isnull=False,
                ),
                "vorm",
            )
            .values(value=F("value_multi_option__option"))
            .annotate(count=Count("product", distinct=True))
            .order_by("value")
        )
        form_items = [
            FacetItem(
                r["value"],
                r["value"],
                r["count"],
                r["value"] in selected_forms,
                self._toggle("vorm", r["value"]),
            )
            for r in form_rows
        ]

        selected_purposes = form.value("doel")
        purpose_rows = (
            # Leaf categories ("Capsules", "Aanvullend"; no purposes: those were health claims).
            counted(
                ProductCategory.objects.filter(category__numchild=0, category__is_public=True),
                "doel",
            )
            .values(value=F("category__slug"), label=F("category__name"))
            .annotate(count=Count("product", distinct=True))
            .order_by("label")
        )
        purpose_items = [
            FacetItem(
                r["value"],
                r["label"],
                r["count"],
                r["value"] in selected_purposes,
                self._toggle("doel", r["value"]),
            )
            for r in purpose_rows
        ]

        # One price per hit, bucketed here: as conditional aggregates PostgreSQL evaluated the
        # price subqueries once per bucket (50 ms on 2,500 hits instead of 10).
        prices = dict.fromkeys(SearchForm.PRICE_RANGES, 0)
        # No ORDER BY: the counts need none (Product's default order sorted every hit).
        priced = Product.objects.filter(pk__in=ids("prijs")).order_by()
        stocked = None
        if stored and not form.value("prijs") and not form.value("op_voorraad"):
            # Neither facet filters: both count the same products, from one read of their
            # stored documents (unfiltered: read with the hits themselves).
            rows = (
                hit_facts
                if hit_facts is not None
                else list(priced.values_list("search_document__price", "search_document__in_stock"))
            )
            # Rows end in price and stock: the hits' (id, price, in stock) or the documents'.
            priced = [row[-2] for row in rows]
            stocked = sum(1 for row in rows if row[-1])
        elif stored:
            priced = priced.values_list("search_document__price", flat=True)
        else:
            priced = priced.annotate(price=shown_price()).values_list("price", flat=True)
        for price in priced:
            for key, (_label, low, high) in SearchForm.PRICE_RANGES.items():
                if price is not None and (low is None or price >= low):
                    if high is None or price < high:
                        prices[key] += 1
        selected_price = form.value("prijs")
        price_items = [
            FacetItem(
                key,
                str(label),
                prices[key],
                key == selected_price,
                self._url(prijs="" if key == selected_price else key),
            )
            for key, (label, _low, _high) in SearchForm.PRICE_RANGES.items()
            if prices[key] or key == selected_price
        ]

        if stocked is None:
            stocked = Product.objects.filter(pk__in=ids("op_voorraad"))
            stocked = (
                stocked.filter(search_document__in_stock=True)
                if stored
                else stocked.filter(in_stock())
            ).count()
        selected_stock = bool(form.value("op_voorraad"))
        stock_item = FacetItem(
            "1",
            str(_("Op voorraad")),
            stocked,
            selected_stock,
            self._url(op_voorraad="" if selected_stock else "1"),
        )
        return {
            "forms": form_items,
            "purposes": purpose_items,
            "prices": price_items,
            "stock": [stock_item],
            "clear_url": self._url(vorm=[], doel=[], prijs="", op_voorraad=""),
        }


def _browse_categories() -> list[dict]:
    """The public top two levels of the category tree with their links, in one query: each
    child's URL is built from its parent's slug (Oscar's `get_full_slug(parent_slug=…)`) instead
    of a parent lookup per category."""
    links, slugs = [], {}
    for category in Category.objects.filter(is_public=True, depth__lte=2).order_by("path"):
        # None for a root, or for a child of a hidden parent (Oscar then looks the parent up).
        parent_slug = slugs.get(category.path[: -category.steplen])
        slugs[category.path] = category.get_full_slug(parent_slug=parent_slug)
        links.append({"name": category.name, "url": category._get_absolute_url(parent_slug)})
    return links
