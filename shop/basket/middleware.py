from django.core.signing import BadSignature, Signer
from oscar.apps.basket import middleware
from oscar.core.loading import get_model

Basket = get_model("basket", "Basket")


class BasketMiddleware(middleware.BasketMiddleware):
    """Oscar's basket middleware.

    - A visitor's cookie basket is read with its lines in one query (Basket.
      open_anonymous_with_lines); Oscar reads the basket, then its lines.
    - A view that shows no basket lines (add-to-basket, which redirects) says so with
      `request.basket_lines_shown = False` before it reads the basket: the lines are then read
      without their products' images."""

    def get_cookie_basket(self, cookie_key, request, manager):
        # Oscar's, with the lines read in the same query.
        if cookie_key not in request.COOKIES:
            return None
        try:
            basket_id = Signer().unsign(request.COOKIES[cookie_key])
        except BadSignature:
            basket = None
        else:
            basket = Basket.open_anonymous_with_lines(
                basket_id, line_images=self.line_images_shown(request)
            )
        if basket is None:
            request.cookies_to_delete.append(cookie_key)
        return basket

    def get_basket(self, request):
        basket = super().get_basket(request)
        if not self.line_images_shown(request):
            basket.line_images = False
        return basket

    @staticmethod
    def line_images_shown(request) -> bool:
        return getattr(request, "basket_lines_shown", True) is not False
