"""Oscar's offer utilities, with the range's name escaped in range_anchor.

Oscar's puts the name into the HTML of every incentive and condition text as it is, and the
dashboard prints those texts with |safe (offer and voucher pages): a range named
`<img src=x onerror=...>` ran its script for every member of staff who opened them.
"""

from django.urls import reverse
from django.utils.html import format_html
from oscar.apps.offer.utils import *  # noqa: F403


def range_anchor(product_range):
    return format_html(
        '<a href="{}">{}</a>',
        reverse("dashboard:range-update", kwargs={"pk": product_range.pk}),
        product_range.name,
    )
