from django.conf import settings
from django.core.signing import BadSignature, Signer
from oscar.apps.basket import middleware
from oscar.core.loading import get_model

Basket = get_model("basket", "Basket")


def shows_lines(request) -> bool:
    """Whether this request shows the basket's lines, so reads their images with them: every
    request but one whose view says it does not (`basket_lines_shown = False`, the add)."""
    return getattr(request, "basket_lines_shown", True)


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
        basket = super().get_basket(request)
        basket.line_images = shows_lines(request)
        return basket

    def get_cookie_basket(self, cookie_key, request, manager):
        # Oscar's, with the basket's lines read in the same query (Basket.open_anonymous).
        if cookie_key not in request.COOKIES:
            return None
        try:
            basket = Basket.open_anonymous(
                int(Signer().unsign(request.COOKIES[cookie_key])), line_images=shows_lines(request)
            )
        except (BadSignature, ValueError):
            basket = None
        if basket is None:
            request.cookies_to_delete.append(cookie_key)
        return basket
