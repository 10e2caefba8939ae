from django.utils.functional import SimpleLazyObject


def shared_page(request):
    """`page_version` keys fragment caches ({% cache … product.pk page_version %}) to the
    catalogue version, so a price or text change shows at once.

    Forms get a placeholder instead of this visitor's CSRF token, so a page or fragment holding a
    form can be cached for everyone; PageCacheMiddleware puts this visitor's token in each
    response (this overrides Django's built-in csrf context processor, which runs first)."""
    from shop.perf.pagecache import CSRF_PLACEHOLDER, current_version

    context = {"page_version": SimpleLazyObject(current_version)}
    if getattr(request, "csrf_placeholder", False):
        context["csrf_token"] = CSRF_PLACEHOLDER
    return context
