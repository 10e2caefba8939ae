import oscar.apps.search.apps as apps
from django.urls import path


class SearchConfig(apps.SearchConfig):
    name = "shop.search"

    def ready(self):
        # One database search over products, guides and FAQs instead of Haystack's
        # product-only FacetedSearchView; the URL (search:search) stays Oscar's.
        from shop.perf import receivers
        from shop.perf.apps import PerfConfig
        from shop.search.models import Synonym
        from shop.search.views.search import SearchView

        self.search_view = SearchView
        # Search pages are shared HTML stored per query: a synonym edit changes what they
        # show, so it makes them stale through the catalogue version, as a product edit does.
        PerfConfig.connect(receivers.expire_shared_pages, Synonym, "pages.search")

    def get_urls(self):
        # Oscar's search URL plus the search-as-you-type suggestions (shared JSON).
        from shop.search.views.suggest import suggest

        urls = [
            path("", self.search_view.as_view(), name="search"),
            path("suggesties/", suggest, name="suggest"),
        ]
        return self.post_process_urls(urls)
