def shared_page(request):
    """On a page the cache will share, forms get a placeholder instead of this visitor's CSRF
    token; PageCacheMiddleware puts a token in each response (this overrides Django's built-in
    csrf context processor, which runs first)."""
    if getattr(request, "shared_page", False):
        from shop.perf.pagecache import CSRF_PLACEHOLDER

        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}
