"""Mollie's three entry points (start, return, webhook) and the dashboard's refund.

None of them runs in the request's transaction (ATOMIC_REQUESTS): each waits for Mollie, and
does so holding no lock; the writes open their own short transactions (shop.mollie.services).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from oscar.apps.checkout.utils import CheckoutSessionData
from oscar.core.loading import get_model

from shop.mollie import services
from shop.mollie.forms import RefundForm
from shop.mollie.models import FAILED_STATUSES, MolliePayment

Order = get_model("order", "Order")

FAILED_MESSAGES = {
    MolliePayment.Status.FAILED: gettext_lazy("Je betaling is mislukt."),
    MolliePayment.Status.CANCELED: gettext_lazy("Je hebt de betaling geannuleerd."),
    MolliePayment.Status.EXPIRED: gettext_lazy("Je betaling is verlopen."),
}


@transaction.non_atomic_requests
@require_GET
def payment_start(request, order_number):
    """After "place order": create (or find) the order's one Mollie payment and send the
    customer on to Mollie's hosted checkout. Only the session that placed the order gets here."""
    order = get_object_or_404(Order, number=order_number)
    if request.session.get("checkout_order_id") != order.id or not services.is_mollie_code(
        services.METHOD_PREFIX + (services.mollie_method_of(order) or "")
    ):
        raise Http404
    if order.status != settings.ORDER_STATUS_AWAITING_PAYMENT:
        return redirect(_return_url(order))
    try:
        payment = services.payment_start(
            order=order,
            redirect_url=request.build_absolute_uri(_return_url(order)),
            webhook_url=request.build_absolute_uri(reverse("mollie:webhook")),
        )
    except services.MollieUnavailable:
        return _unavailable(request, order)
    if payment.status == MolliePayment.Status.OPEN and payment.checkout_url:
        # A page, not a 302: see the template (the storefront's CSP form-action 'self').
        return render(
            request,
            "mollie/redirect.html",
            {"order": order, "checkout_url": payment.checkout_url},
        )
    return redirect(_return_url(order))


@transaction.non_atomic_requests
@require_GET
def payment_return(request, order_number, hash):
    """Where Mollie sends the customer back: the state is asked from Mollie, never read from the
    URL. Paid: the thank-you page. Failed, cancelled, expired: the order is cancelled and its
    lines wait in the basket to be paid again. Otherwise: a page that says we are waiting."""
    order = get_object_or_404(Order, number=order_number)
    if not order.check_verification_hash(hash):
        raise Http404
    payment = MolliePayment.objects.filter(order=order, mollie_id__isnull=False).first()
    if payment is None:
        raise Http404
    try:
        payment = services.payment_sync(payment=payment, source="return")
    except services.MollieUnavailable:
        return _unavailable(request, order, payment=payment)
    order.refresh_from_db()
    if order.status in (settings.ORDER_STATUS_PAID, settings.ORDER_STATUS_SHIPPED):
        CheckoutSessionData(request).flush()
        request.session["checkout_order_id"] = order.id
        return redirect("checkout:thank-you")
    if payment.status in FAILED_STATUSES or order.status == settings.ORDER_STATUS_CANCELLED:
        restored = services.basket_restore_for_retry(payment=payment, basket=request.basket)
        text = str(FAILED_MESSAGES.get(payment.status, _("Je betaling is niet gelukt.")))
        text += " " + _("Bestelling %(number)s is geannuleerd; er is niets afgeschreven.") % {
            "number": order.number
        }
        if restored or not request.basket.is_empty:
            text += " " + _(
                "Je winkelmand staat klaar: reken opnieuw af om het nog eens te proberen."
            )
        messages.warning(request, text)
        return redirect("basket:summary")
    return render(
        request,
        "mollie/payment_status.html",
        {"order": order, "payment": payment, "return_url": _return_url(order)},
    )


@csrf_exempt
@transaction.non_atomic_requests
@require_POST
def webhook(request):
    """Mollie's call that a payment changed: the body carries only its id, the state is fetched
    from Mollie. Unknown ids get the same empty 200 as known ones, so the answer tells a caller
    nothing; when Mollie cannot be asked, a 503 makes Mollie try again later."""
    mollie_id = request.POST.get("id", "")
    payment = MolliePayment.objects.by_mollie_id(mollie_id).first() if mollie_id else None
    if payment is not None:
        try:
            services.payment_sync(payment=payment, source="webhook")
        except services.MollieUnavailable:
            return HttpResponse(status=503, headers={"Retry-After": "60"})
    return HttpResponse(status=200)


def _order_staff(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm("order.change_order")


@transaction.non_atomic_requests
@require_POST
@user_passes_test(_order_staff, login_url=reverse_lazy("dashboard:login"))
def payment_refund(request, number):
    """Staff refund part or all of a paid Mollie payment from the order's dashboard page."""
    order = get_object_or_404(Order, number=number)
    payment = get_object_or_404(MolliePayment, order=order, mollie_id__isnull=False)
    form = RefundForm(request.POST, refundable=services.refundable_amount(payment=payment))
    detail = reverse("dashboard:order-detail", kwargs={"number": order.number})
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(detail)
    try:
        refund_id = services.payment_refund(
            payment=payment,
            amount=form.cleaned_data["amount"],
            idempotency_key=str(form.cleaned_data["idempotency_key"]),
            user=request.user,
        )
    except services.RefundRefused as exc:
        messages.error(request, str(exc))
    except services.MollieUnavailable:
        messages.error(
            request, _("Mollie heeft de terugbetaling niet uitgevoerd; probeer het later opnieuw.")
        )
    else:
        messages.success(
            request,
            _("€ %(amount)s terugbetaald via Mollie (%(id)s).")
            % {"amount": f"{form.cleaned_data['amount']:.2f}".replace(".", ","), "id": refund_id},
        )
    return redirect(detail)


def _return_url(order) -> str:
    return reverse(
        "mollie:return",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )


def _unavailable(request, order, payment=None):
    response = render(
        request,
        "mollie/payment_status.html",
        {
            "order": order,
            "payment": payment,
            "unavailable": True,
            "return_url": _return_url(order),
            # No payment yet: trying again means creating it again (same idempotency key).
            "retry_url": reverse("mollie:start", kwargs={"order_number": order.number})
            if payment is None
            else _return_url(order),
        },
        status=503,
    )
    response["Retry-After"] = "60"
    return response
