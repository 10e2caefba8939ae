"""The storefront's part of Oscar's dashboard: the home page's texts and the guide → sale report."""

from django.urls import path
from oscar.core.application import OscarDashboardConfig
from oscar.core.loading import get_class


class StorefrontDashboardConfig(OscarDashboardConfig):
    # An Oscar dashboard config, so Oscar's permission decorators guard each view and the
    # navigation shows an entry only to those allowed to open it (content.dashboard does the same).
    name = "features.storefront.dashboard"
    label = "storefront_dashboard"
    verbose_name = "Winkel"
    namespace = "storefront_dashboard"
    default_auto_field = "django.db.models.BigAutoField"
    default_permissions = ["is_staff"]

    def ready(self):
        staff = get_class("dashboard.permissions", "DashboardPermission").staff
        self.permissions_map = {
            "homepage-update": [*staff, "storefront.change_homepage"],
            # Revenue per guide: for those who may see orders.
            "guide-revenue": [*staff, "order.view_order"],
        }

    def get_urls(self):
        # Imported here: the views import models, which need the app registry ready.
        from features.storefront.dashboard import views

        urls = [
            path("homepage/", views.HomePageUpdateView.as_view(), name="homepage-update"),
            path("kennisbank-omzet/", views.GuideRevenueView.as_view(), name="guide-revenue"),
        ]
        return self.post_process_urls(urls)
