from django.apps import AppConfig
from oscar.apps.catalogue.apps import CatalogueConfig as OscarCatalogueConfig


class PerfConfig(AppConfig):
    """Storefront speed: the shared-page cache, its invalidation, and view counts kept off the
    request path."""

    name = "shop.perf"
    label = "perf"
    verbose_name = "Snelheid van de winkel"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from oscar.apps.analytics import receivers as analytics_receivers
        from oscar.apps.basket.signals import basket_addition
        from oscar.apps.catalogue.signals import product_viewed
        from oscar.apps.customer import receivers as customer_receivers

        from shop.perf import receivers

        # Oscar writes a ProductRecord row (and a UserProductView row) on every product view and
        # sets a recently-viewed cookie, which makes the page per-visitor. We count views in the
        # cache instead (flushed by `manage.py flush_product_views`) and show no history.
        product_viewed.disconnect(analytics_receivers.receive_product_view)
        product_viewed.disconnect(customer_receivers.receive_product_view)
        product_viewed.connect(receivers.count_product_view, dispatch_uid="shop.perf.view_count")
        # The same for basket additions (a ProductRecord UPDATE on every add-to-basket).
        basket_addition.disconnect(analytics_receivers.receive_basket_addition)
        basket_addition.connect(
            receivers.count_basket_addition, dispatch_uid="shop.perf.basket_addition_count"
        )

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(
                receivers.expire_shared_pages,
                dispatch_uid=f"shop.perf.expire.{id(signal)}",
            )


class CatalogueConfig(OscarCatalogueConfig):
    """Oscar's catalogue app (its models, migrations and URLs unchanged) with the product page's
    reads batched (shop.perf.views.ProductDetailView). Only the view changes, so the app is not
    forked: `name` stays "oscar.apps.catalogue"."""

    def ready(self):
        super().ready()
        from shop.perf.views import ProductDetailView

        self.detail_view = ProductDetailView
