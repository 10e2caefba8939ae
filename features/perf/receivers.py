"""Signal receivers of the perf app, connected per model in PerfConfig.ready()."""

from __future__ import annotations

from features.perf.viewcounts import count_basket_addition as count_addition
from shop.basket.receivers import basket_to_expire
from shop.cache.pagecache import expire_all, expire_basket, expire_stamp
from shop.search.listing import cards_changed_by, expire_cards

BASKET_MODELS = ("Basket", "Line", "LineAttribute")


def expire_shared_pages(sender, raw=False, **kwargs) -> None:
    """A write to what shared pages show makes every stored page stale."""
    if raw or not kwargs.get("action", "post_").startswith("post_"):
        return  # m2m_changed: only once the rows changed
    expire_all()


def expire_product_cards(sender, instance=None, raw=False, **kwargs) -> None:
    """A write to what product cards show makes the cards it changes stale (all of them when
    it cannot tell which): shop.search.listing."""
    if raw or not kwargs.get("action", "post_").startswith("post_"):
        return
    expire_cards(None if instance is None else cards_changed_by(instance))


def expire_basket_summary(sender, instance=None, raw=False, **kwargs) -> None:
    """A write to a basket, its lines or vouchers makes its stored header summary stale."""
    if raw or not kwargs.get("action", "post_").startswith("post_"):
        return
    basket_id = basket_to_expire(instance)
    if basket_id is not None:
        expire_basket(basket_id)


# What the private parts keep of a customer (features.perf.views.customer_state), and how each
# model names the customer.
CUSTOMER_MODELS = {
    ("basket", "Basket"): "owner_id",
    ("wishlists", "WishList"): "owner_id",
    ("wishlists", "Line"): "wishlist.owner_id",
    ("customer", "ProductAlert"): "user_id",
}


def expire_customer_state(sender, instance=None, raw=False, **kwargs) -> None:
    """A write to a customer's basket, wishlists or stock alerts makes what the private parts
    keep of that customer stale."""
    if raw or instance is None or not kwargs.get("action", "post_").startswith("post_"):
        return
    path = CUSTOMER_MODELS.get((instance._meta.app_label, instance._meta.object_name))
    if path is None:
        return
    owner = instance
    for name in path.split("."):
        owner = getattr(owner, name, None)
    if owner is not None:
        expire_stamp("customer", owner)


def count_basket_addition(sender, product, user=None, raw=False, **kwargs) -> None:
    """Oscar's receiver writes ProductRecord (and a signed-in customer's UserRecord) on every
    addition; both counts are kept in the cache instead, flushed with the views."""
    if raw:
        return
    signed_in = user is not None and user.is_authenticated
    count_addition(product_id=product.pk, user_id=user.pk if signed_in else None)
