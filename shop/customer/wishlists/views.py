from oscar.apps.customer.wishlists import views
from oscar.apps.customer.wishlists.views import *  # noqa: F403

from shop.customer.confirm import ConfirmByPost


class WishListAddProduct(ConfirmByPost, views.WishListAddProduct):
    # Oscar adds on GET (its product page offers the other wish lists as links).
    confirm_question = "Product aan je verlanglijst toevoegen?"
    confirm_button = "Toevoegen"


class WishListMoveProductToAnotherWishList(
    ConfirmByPost, views.WishListMoveProductToAnotherWishList
):
    # Oscar moves the line on GET (its wish list page offers the move as links).
    confirm_question = "Product naar de andere verlanglijst verplaatsen?"
    confirm_button = "Verplaatsen"

    def post(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
