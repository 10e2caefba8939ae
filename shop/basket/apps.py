import oscar.apps.basket.apps as apps
from django.db.models.signals import m2m_changed, post_delete, post_save


# Forked: Oscar keeps one of two adds of a line at once; its basket page reads 14-16 queries.
class BasketConfig(apps.BasketConfig):
    name = "shop.basket"

    def ready(self):
        super().ready()
        # Imported here: the receivers load models, which need the app registry ready.
        from shop.basket import receivers

        for model_name in ("Basket", "Line", "LineAttribute"):
            model = self.get_model(model_name)
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.expire_basket_after_commit,
                    sender=model,
                    dispatch_uid=f"shop.basket.expire.{model_name}.{id(signal)}",
                )
        m2m_changed.connect(
            receivers.expire_basket_after_commit,
            sender=self.get_model("Basket").vouchers.through,
            dispatch_uid="shop.basket.expire.vouchers",
        )
