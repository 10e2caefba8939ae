from django.conf import settings
from django.core.signing import BadSignature, Signer
from oscar.apps.basket import middleware
from oscar.core.loading import get_model

Basket = get_model("basket", "Basket")


def cookie_basket_id(request) -> int | None:
    """The id of the basket a guest's signed basket cookie names (open or not), or None."""
    value = request.COOKIES.get(settings.OSCAR_BASKET_COOKIE_OPEN)
    if value is None:
        return None
    try:
        return int(Signer().unsign(value))
    except (BadSignature, ValueError):
        return None


def shows_lines(request) -> bool:
    """Whether this request shows the basket's lines, so reads their images with them: every
    request but one whose view says it does not (`basket_lines_shown = False`, the add)."""
    return getattr(request, "basket_lines_shown", True)


def for_add(request) -> bool:
    """Whether this request only adds to the basket (`basket_for_add = True`, the add view, in
    its transaction): the basket is read with a shared lock (Basket.for_add), without its lines,
    and no offer is applied."""
    return getattr(request, "basket_for_add", False)


class BasketMiddleware(middleware.BasketMiddleware):
    def __call__(self, request):
        response = super().__call__(request)
        # Oscar sets the basket cookie without SameSite; it gets the session cookie's (Lax), and
        # Secure from OSCAR_BASKET_COOKIE_SECURE (on outside DEBUG, shop.settings).
        cookie = response.cookies.get(settings.OSCAR_BASKET_COOKIE_OPEN)
        if cookie is not None and cookie.value:
            cookie["samesite"] = settings.SESSION_COOKIE_SAMESITE
        return response

    def get_basket(self, request):
        if for_add(request) and request._basket_cache is None:
            basket = self.locked_basket(request)
            if basket is not None:
                request._basket_cache = basket
                return basket
        basket = super().get_basket(request)
        basket.line_images = shows_lines(request)
        return basket

    def locked_basket(self, request):
        """The open basket of an add with its lines' quantities, read in one query with the
        shared lock of Basket.for_add until the add's transaction ends; a new visitor's is a new,
        unsaved basket. None where Oscar's get_basket decides: a customer without a basket, or with several, or with a cookie basket
        to merge in; a cookie that names no open basket."""
        cookie_key = self.get_cookie_key(request)
        if request.user.is_authenticated:
            if cookie_key in request.COOKIES:
                return None
            found = Basket.for_add(owner=request.user)
            if len(found) != 1:
                return None
            basket = found[0]
            basket.owner = request.user
        elif cookie_key not in request.COOKIES:
            basket = Basket()
        else:
            pk = cookie_basket_id(request)
            if pk is None:
                return None
            found = Basket.for_add(pk=pk, owner=None)
            if not found:
                return None
            basket = found[0]
        basket.locked_for_add = True
        return basket

    def apply_offers_to_basket(self, request, basket):
        # The add applies none: they are applied where the basket is shown.
        if not for_add(request):
            super().apply_offers_to_basket(request, basket)

    def get_cookie_basket(self, cookie_key, request, manager):
        # Oscar's, with the basket's lines read in the same query (Basket.open_anonymous).
        if cookie_key not in request.COOKIES:
            return None
        pk = cookie_basket_id(request)
        basket = None if pk is None else Basket.open_anonymous(pk, line_images=shows_lines(request))
        if basket is None:
            request.cookies_to_delete.append(cookie_key)
        return basket
