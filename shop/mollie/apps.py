from django.apps import AppConfig


class MollieConfig(AppConfig):
    """Payments through Mollie's hosted checkout: iDEAL, cards, Bancontact (issue 18)."""

    name = "shop.mollie"
    label = "mollie"
    verbose_name = "Mollie-betalingen"
    default_auto_field = "django.db.models.BigAutoField"
