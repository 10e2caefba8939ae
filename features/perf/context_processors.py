from django.utils.functional import SimpleLazyObject
from oscar.apps.communication.notifications import context_processors as oscar_processors


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


def notifications(request):
    """Oscar's count of the signed-in customer's unread notifications, counted only when a
    template shows it: Oscar's nav_accounts.html does, the storefront's layout does not, so a
    customer's basket, checkout and account pages no longer count what they never show."""
    if getattr(request, "user", None) and request.user.is_authenticated:
        count = SimpleLazyObject(
            lambda: oscar_processors.notifications(request)["num_unread_notifications"]
        )
        return {"num_unread_notifications": count}
    return {}
