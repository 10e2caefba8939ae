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
    """Cache invalidation: any write to what a shared page shows makes every stored page stale."""
    if raw or sender._meta.app_label not in SHOWN_APPS:
        return
    if kwargs.get("action", "post_")[:5] != "post_":
        return  # m2m_changed: only after the rows changed
    from shop.perf.pagecache import expire_all

    expire_all()


def count_product_view(sender, product, **kwargs) -> None:
    from shop.perf.viewcounts import count_view

    count_view(product_id=product.pk)
