"""The Mollie panel of the dashboard's order page."""

from __future__ import annotations

from django import template

from shop.mollie import services
from shop.mollie.forms import RefundForm
from shop.mollie.models import MolliePayment

register = template.Library()


@register.inclusion_tag("mollie/dashboard_panel.html", takes_context=True)
def mollie_panel(context, order) -> dict:
    """Payment id, mode, status, history and the refund form of an order paid through Mollie."""
    payment = MolliePayment.objects.filter(order=order).prefetch_related("events").first()
    refundable = services.refundable_amount(payment=payment) if payment else None
    return {
        "order": order,
        "payment": payment,
        "refundable": refundable,
        "form": RefundForm(refundable=refundable) if refundable else None,
        "csrf_token": context.get("csrf_token"),
    }
