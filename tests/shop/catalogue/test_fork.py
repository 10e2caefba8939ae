"""The catalogue fork: Oscar finds our product view where it expects it, the models stay Oscar's."""

from django.apps import apps
from django.urls import resolve
from oscar.apps.catalogue.models import Product as OscarProduct
from oscar.core.loading import get_class, get_model

from shop.catalogue.views import ProductDetailView


def test_get_class_returns_our_product_view():
    assert get_class("catalogue.views", "ProductDetailView") is ProductDetailView


def test_the_product_url_is_served_by_our_view():
    match = resolve("/catalogue/magnesium-citraat_12/")
    assert match.func.view_class is ProductDetailView


def test_the_fork_keeps_oscars_models_and_migrations(settings):
    config = apps.get_app_config("catalogue")
    assert config.name == "shop.catalogue"
    assert get_model("catalogue", "Product") is OscarProduct
    assert settings.MIGRATION_MODULES["catalogue"] == "oscar.apps.catalogue.migrations"
