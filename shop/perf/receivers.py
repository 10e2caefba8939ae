"""Signal receivers of the perf app, connected in PerfConfig.ready()."""

from __future__ import annotations

# Apps whose rows the shared pages show: products, prices and stock, categories, reviews,
# guides and FAQs with their links, flatpages and redirects.
SHOWN_APPS = frozenset(
    {
        "catalogue",
        "partner",
        "reviews",
        "offer",
        "voucher",
        "content",
        "flatpages",
        "redirects",
        "sites",
    }
)


def expire_shared_pages(sender, raw=False, **kwargs) -> None:
    """Cache invalidation: a write to what shared pages show makes every stored page stale; a
    write to a basket makes that basket's stored header summary stale."""
    if raw or not kwargs.get("action", "post_").startswith("post_"):
        return  # m2m_changed: only once the rows changed
    app_label = sender._meta.app_label
    if app_label == "basket":
        _expire_basket_summary(kwargs.get("instance"))
    elif app_label in SHOWN_APPS:
        from shop.perf.pagecache import expire_all

        expire_all()


def _expire_basket_summary(instance) -> None:
    from shop.basket.receivers import basket_to_expire
    from shop.perf.pagecache import expire_basket

    basket_id = basket_to_expire(instance)
    if basket_id is not None:
        expire_basket(basket_id)


def count_product_view(sender, product, **kwargs) -> None:
    from shop.perf.viewcounts import count_view

    count_view(product_id=product.pk)


def count_basket_addition(sender, product, user=None, raw=False, **kwargs) -> None:
    """Oscar's receiver writes ProductRecord (and UserRecord) on every addition; the product's
    count is kept in the cache instead (flushed with the views), a signed-in customer's own
    record is still written at once, as Oscar does."""
    if raw:
        return
    from oscar.apps.analytics.receivers import UserRecord, _update_counter

    from shop.perf.viewcounts import count_basket_addition as count

    count(product_id=product.pk)
    if user is not None and user.is_authenticated:
        _update_counter(UserRecord, "num_basket_additions", {"user": user})
