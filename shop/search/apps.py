import oscar.apps.search.apps as apps


class SearchConfig(apps.SearchConfig):
    name = "shop.search"

    def ready(self):
        # One database search over products, guides and FAQs instead of Haystack's
        # product-only FacetedSearchView; the URL (search:search) stays Oscar's.
        from shop.search.views.search import SearchView

        self.search_view = SearchView
