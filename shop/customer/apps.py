import oscar.apps.customer.apps as apps
from django.conf import settings
from django.db.models.signals import post_delete, post_save


class CustomerConfig(apps.CustomerConfig):
    name = "shop.customer"

    def ready(self):
        super().ready()
        from shop.customer.auth_backends import forget_user  # the user model needs the registry

        for signal in (post_save, post_delete):
            signal.connect(
                forget_user,
                sender=settings.AUTH_USER_MODEL,
                dispatch_uid=f"shop.customer.forget_user.{id(signal)}",
            )
