import oscar.apps.search.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class SearchConfig(apps.SearchConfig):
    name = "shop.search"

    def ready(self):
        # One database search over products, guides and FAQs instead of Haystack's
        # product-only FacetedSearchView; the URL (search:search) stays Oscar's.
        self.search_view = get_class("search.views.search", "SearchView")
        self.suggest_view = get_class("search.views.suggest", "suggest")

    def get_urls(self):
        # Oscar's search URL plus the search-as-you-type suggestions (shared JSON).
        urls = [
            path("", self.search_view.as_view(), name="search"),
            path("suggesties/", self.suggest_view, name="suggest"),
        ]
        return self.post_process_urls(urls)
