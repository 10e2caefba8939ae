"""The basket page's warnings for lines the checkout would refuse (issue 14)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _
from oscar.core.loading import get_class

Unavailable = get_class("partner.availability", "Unavailable")

register = template.Library()


@register.simple_tag
def refused_line_warnings(basket) -> list[str]:
    """One warning per line that can no longer be bought as it stands (sold out, or less stock
    left than its quantity), in the words Oscar's checkout refuses it with
    (CheckoutSessionMixin.check_basket_is_valid). Oscar's basket page warns of an Unavailable
    line (taken offline) itself (Line.get_warning), so that one is not named twice."""
    warnings = []
    for line in basket.all_lines():
        availability = line.purchase_info.availability
        if isinstance(availability, Unavailable):
            continue
        permitted, reason = availability.is_purchase_permitted(line.quantity)
        if not permitted:
            warnings.append(
                _(
                    "'%(title)s' is no longer available to buy (%(reason)s). "
                    "Please adjust your basket to continue"
                )
                % {"title": line.product.get_title(), "reason": reason}
            )
    return warnings
