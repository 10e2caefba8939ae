from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
    pre_save,
)
from oscar.core.loading import get_model


class ShopConfig(AppConfig):
    """The project's own app: demo data, the label-facts guard, the search documents' upkeep and
    shared template tags."""

    name = "shop"
    verbose_name = "Magnesiumwinkel"

    def ready(self):
        # Imported here: the receivers load models, which need the app registry ready.
        from shop import receivers

        pre_save.connect(
            receivers.guard_label_facts,
            sender=get_model("catalogue", "Product"),
            dispatch_uid="shop.guard_label_facts",
        )
        pre_delete.connect(
            receivers.guard_label_fact_removal,
            sender=get_model("catalogue", "ProductAttributeValue"),
            dispatch_uid="shop.guard_label_fact_removal",
        )
        for model_name in ("ProductAttribute", "AttributeOption"):
            pre_delete.connect(
                receivers.guard_label_fact_definition,
                sender=get_model("catalogue", model_name),
                dispatch_uid=f"shop.guard_label_fact_definition.{model_name}",
            )
        self._connect_search_index(receivers)
        post_migrate.connect(receivers.sync_site, sender=self, dispatch_uid="shop.sync_site")
        if settings.CELERY_BROKER_URL:
            # Celery is optional (the `cluster` extra): its app is loaded only when configured,
            # so that tasks sent from this process go to the configured broker.
            import shop.celery  # noqa: F401

    @staticmethod
    def _connect_search_index(receivers):
        """Keep shop.ProductSearchDocument in step with every write to what it is built from."""
        product = get_model("catalogue", "Product")
        value = get_model("catalogue", "ProductAttributeValue")
        for signal in (post_save, post_delete):
            for sender, receiver in [
                (product, receivers.reindex_product),
                (get_model("catalogue", "ProductCategory"), receivers.reindex_owner_product),
                (value, receivers.reindex_owner_product),
                (get_model("catalogue", "Category"), receivers.reindex_category_products),
                (get_model("catalogue", "AttributeOption"), receivers.reindex_option_products),
                # Price and stock (Oscar sends post_save for its allocation updates too).
                (get_model("partner", "StockRecord"), receivers.reindex_owner_product),
            ]:
                signal.connect(
                    receiver,
                    sender=sender,
                    dispatch_uid=f"shop.search.{signal is post_save}.{sender.__name__}",
                )
        m2m_changed.connect(
            receivers.reindex_multi_option_products,
            sender=value.value_multi_option.through,
            dispatch_uid="shop.search.multi_option",
        )
        m2m_changed.connect(
            receivers.reindex_product_categories,
            sender=product.categories.through,
            dispatch_uid="shop.search.product_categories",
        )
