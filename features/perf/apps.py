from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from oscar.apps.basket.signals import basket_addition
from oscar.apps.catalogue.signals import product_viewed
from oscar.core.loading import get_model

# Apps whose rows the shared pages show: products, prices and stock, categories, reviews,
# offers and vouchers, guides and FAQs with their links, flatpages, redirects and the site.
SHOWN_APPS = (
    "catalogue",
    "partner",
    "reviews",
    "offer",
    "voucher",
    "content",
    "flatpages",
    "redirects",
    "sites",
)


class PerfConfig(AppConfig):
    """Storefront speed: shared pages with private parts apart, their invalidation, and view
    counts kept off the request path."""

    name = "features.perf"
    label = "perf"
    verbose_name = "Snelheid van de winkel"

    def ready(self):
        # Imported here: these receivers modules load models, which need the app registry ready.
        from oscar.apps.analytics import receivers as analytics_receivers
        from oscar.apps.customer import receivers as customer_receivers

        from features.perf import receivers
        from shop.search.listing import CARD_APPS

        # Oscar writes a ProductRecord row (and a UserProductView row) on every product view and
        # sets a recently-viewed cookie, which would make the page per-visitor. Views are counted
        # by the private endpoint instead (every view, also of a page served from a cache), in
        # the cache, flushed by `manage.py flush_product_views`.
        product_viewed.disconnect(analytics_receivers.receive_product_view)
        product_viewed.disconnect(customer_receivers.receive_product_view)
        # The same for basket additions (a ProductRecord UPDATE on every add-to-basket).
        basket_addition.disconnect(analytics_receivers.receive_basket_addition)
        basket_addition.connect(
            receivers.count_basket_addition, dispatch_uid="features.perf.basket_addition_count"
        )

        for label in SHOWN_APPS:
            for model in apps.get_app_config(label).get_models():
                self.connect(receivers.expire_shared_pages, model, f"pages.{label}")
        for label in CARD_APPS:
            for model in apps.get_app_config(label).get_models():
                self.connect(receivers.expire_product_cards, model, f"cards.{label}")
        # Search pages are shared HTML stored per query: a synonym edit changes what they show,
        # so it makes them stale through the catalogue version, as a product edit does.
        self.connect(receivers.expire_shared_pages, get_model("search", "Synonym"), "pages.search")
        basket = apps.get_app_config("basket")
        for name in receivers.BASKET_MODELS:
            self.connect(receivers.expire_basket_summary, basket.get_model(name), "basket")
        for label, name in receivers.CUSTOMER_MODELS:
            model = get_model(label, name)
            self.connect(receivers.expire_customer_state, model, "customer")

    @staticmethod
    def connect(receiver, model, prefix) -> None:
        """`receiver` on every save and delete of `model` and on changes of its many-to-many
        relations (their through models)."""
        name = model._meta.label_lower
        for signal in (post_save, post_delete):
            signal.connect(
                receiver, sender=model, dispatch_uid=f"features.perf.{prefix}.{name}.{id(signal)}"
            )
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                receiver,
                sender=field.remote_field.through,
                dispatch_uid=f"features.perf.{prefix}.{name}.{field.name}",
            )
