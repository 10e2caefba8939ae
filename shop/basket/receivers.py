"""The basket's cached summaries are made stale when it changes (features.perf.receivers), right at
the write. A request for the same basket that reads it before the write commits would store the
old state under the new stamp: the stamp is moved once more when the write commits (a write
outside a transaction has committed when the signal is sent: the first move is enough)."""

from django.db import transaction

from shop.cache.pagecache import expire_basket


def expire_basket_after_commit(sender, instance=None, raw=False, **kwargs):
    if raw or not kwargs.get("action", "post_").startswith("post_"):
        return
    if not transaction.get_connection().in_atomic_block:
        # Autocommit: the write has committed already, and features.perf.receivers made the
        # basket's summaries stale right after it.
        return
    basket_id = basket_to_expire(instance)
    if basket_id is None:
        return
    transaction.on_commit(lambda: expire_basket(basket_id))


def basket_to_expire(instance):
    """The id of the basket that a written basket, line or line attribute (or a basket whose
    vouchers changed) belongs to; None for any other row."""
    meta = getattr(instance, "_meta", None)
    if meta is None:
        return None
    if meta.model_name == "lineattribute":
        return instance.line.basket_id
    if meta.model_name == "line":
        if _in_add(meta.get_field("basket").get_cached_value(instance, None)):
            return None
        return instance.basket_id
    if meta.model_name == "basket":
        return None if _in_add(instance) else instance.pk
    return None


def _in_add(basket) -> bool:
    """A basket an add is writing (shop.basket.views.BasketAddView): the add makes its
    summaries stale itself, once, after it committed (shop.basket.addition.expire_after_add)."""
    return getattr(basket, "locked_for_add", False)
