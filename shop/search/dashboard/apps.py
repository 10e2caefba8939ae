"""The search section of Oscar's dashboard: the synonyms staff keep (issue 20)."""

from django.urls import path
from oscar.core.application import OscarDashboardConfig
from oscar.core.loading import get_class


class SearchDashboardConfig(OscarDashboardConfig):
    # An Oscar dashboard config, so Oscar's permission decorators (post_process_urls) guard
    # every view and the navigation shows the entry only to those allowed (as the Kennisbank).
    name = "shop.search.dashboard"
    label = "search_dashboard"
    verbose_name = "Zoeken"
    namespace = "search_dashboard"
    default_permissions = ["is_staff"]

    def ready(self):
        staff = get_class("dashboard.permissions", "DashboardPermission").staff
        self.permissions_map = {
            "synonym-list": [*staff, "search.view_synonym"],
            "synonym-create": [*staff, "search.add_synonym"],
            "synonym-update": [*staff, "search.change_synonym"],
            "synonym-delete": [*staff, "search.delete_synonym"],
        }

    def get_urls(self):
        from shop.search.dashboard import views  # the views import models: apps must be loaded

        urls = [
            path("synoniemen/", views.SynonymListView.as_view(), name="synonym-list"),
            path("synoniemen/nieuw/", views.SynonymCreateView.as_view(), name="synonym-create"),
            path("synoniemen/<int:pk>/", views.SynonymUpdateView.as_view(), name="synonym-update"),
            path(
                "synoniemen/<int:pk>/verwijderen/",
                views.SynonymDeleteView.as_view(),
                name="synonym-delete",
            ),
        ]
        return self.post_process_urls(urls)
