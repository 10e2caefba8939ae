from django.apps import AppConfig


class ShopConfig(AppConfig):
    """The project's own app: demo data, supplement facts and shared template tags."""

    name = "shop"
    verbose_name = "Magnesiumwinkel"

    def ready(self):
        from django.db.models.signals import pre_save
        from oscar.core.loading import get_model

        from shop.receivers import guard_label_facts

        pre_save.connect(
            guard_label_facts,
            sender=get_model("catalogue", "Product"),
            dispatch_uid="shop.guard_label_facts",
        )
