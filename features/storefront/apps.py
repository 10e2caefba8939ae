from django.apps import AppConfig
from oscar.apps.basket.signals import basket_addition
from oscar.apps.order.signals import order_placed


class StorefrontConfig(AppConfig):
    """The home page and guide → sale attribution: features that span the catalogue and the
    Kennisbank, so they sit above both (content and Oscar's apps never import this app)."""

    name = "features.storefront"
    label = "storefront"
    verbose_name = "Winkel en Kennisbank"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: the receivers load models, which need the app registry that is ready
        # only now (Django's own pattern for receivers).
        from features.storefront import receivers

        basket_addition.connect(receivers.credit_basket_addition, dispatch_uid="storefront-add")
        order_placed.connect(receivers.credit_order, dispatch_uid="storefront-order")
