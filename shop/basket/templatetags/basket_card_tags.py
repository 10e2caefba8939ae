from django import template
from oscar.templatetags.basket_tags import basket_form

register = template.Library()

# The session key under which Oscar keeps a refused add-to-basket post for the product's form.
POST_DATA_KEY = "add_to_basket_form_post_data_%s"


@register.simple_tag
def card_basket_form(request, product) -> str:
    """The fields of a product card's add-to-basket form: Oscar's `basket_form request product
    'single'` rendered with `as_p`.

    The cards only show the form for a product without options that is not a parent, and for
    each of those the unbound form is the same (a hidden quantity of 1), so it is rendered once
    per request and reused by the page's other cards: rendering it took a quarter of a card's
    time. A form Oscar fills with a refused post of this visitor is rendered for its card."""
    if product.is_parent or product.has_options or POST_DATA_KEY % product.pk in request.session:
        return basket_form(request, product, "single").as_p()
    if not hasattr(request, "_card_basket_form"):
        request._card_basket_form = basket_form(request, product, "single").as_p()
    return request._card_basket_form
