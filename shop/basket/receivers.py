"""The basket's cached summaries are made stale when it changes (shop.perf.receivers), right at
the write. A request for the same basket that reads it before the write commits would store the
old state under the new stamp: the stamp is moved once more when the write commits."""

from django.db import transaction


def expire_basket_after_commit(sender, instance=None, raw=False, **kwargs):
    if raw or not kwargs.get("action", "post_").startswith("post_"):
        return
    basket_id = _basket_id(instance)
    if basket_id is None:
        return
    from shop.perf.pagecache import expire_basket

    # In autocommit (no transaction) this runs at once, after the row is written.
    transaction.on_commit(lambda: expire_basket(basket_id))


def _basket_id(instance):
    meta = getattr(instance, "_meta", None)
    if meta is None:
        return None
    if meta.model_name == "basket":
        return instance.pk
    if meta.model_name == "line":
        return instance.basket_id
    if meta.model_name == "lineattribute":
        return getattr(instance.line, "basket_id", None)
    return None
