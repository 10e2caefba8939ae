from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from features.seo.sitemaps import SITEMAPS
from features.seo.views import robots_txt

# A database that cannot be reached answers a 503 page in the shop's frame, anything else the 500
# page (shop.errors).
handler500 = "shop.errors.server_error"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("robots.txt", robots_txt, name="robots-txt"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("dashboard/kennisbank/", include("content.dashboard.urls")),
    path("dashboard/zoeken/", include("shop.search.dashboard.urls")),
    path("kennisbank/", include("content.urls")),
    path("dashboard/winkel/", include("features.storefront.dashboard.urls")),
    path("", include("features.storefront.urls")),
    path("", include("shop.urls_shop")),
    path("", include("shop.mollie.urls")),  # issue 18: Mollie's start, return, webhook, refund
    path("", include(apps.get_app_config("oscar").urls[0])),
]

# Issue 17: the health endpoint the load balancer probes (optional: the `cluster` extra).
if settings.SHOP_HEALTH_CHECK:
    urlpatterns.insert(0, path("gezondheid/", include("features.edge.health")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
