from django.apps import AppConfig


class ShopConfig(AppConfig):
    """The project's own app: demo data, supplement facts and shared template tags."""

    name = "shop"
    verbose_name = "Magnesiumwinkel"
