def shared_page(request):
    """What a storefront template may know of how its page is served.

    - `shared_page`: the page is rendered for every visitor alike (shop.cache.pagecache); its
      private parts come from the private endpoint.
    - `csrf_token`: none in a shared page. Django's built-in csrf processor runs first; this
      one overrides it with the value the `{% csrf_token %}` tag renders as nothing, and
      shop.js gives each form the visitor's token (Django's documented way for pages that
      cannot carry it: the `csrftoken` cookie, set by the private endpoint).
    """
    if getattr(request, "shared_render", False):
        return {"shared_page": True, "csrf_token": "NOTPROVIDED"}
    return {}
