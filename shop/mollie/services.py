"""Every write and every call to Mollie's API (through its official client, mollie-api-python).

The flow (Saleor's shape): the order is placed first, with its stock allocated and the status
"Wacht op betaling"; then one Mollie payment is created for it, outside the placement's locks;
the customer pays on Mollie's hosted checkout. Mollie's state is the truth: the webhook and the
return page both fetch the payment from Mollie and hand it to `payment_apply`, which changes
the order once, under a row lock, whatever order the calls arrive in.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils.translation import gettext as _
from mollie.api.client import Client
from mollie.api.error import Error as MollieError
from oscar.apps.order.utils import OrderDispatcher
from oscar.core.loading import get_model

from shop.mollie.models import FAILED_STATUSES, MollieEvent, MolliePayment

ConditionalOffer = get_model("offer", "ConditionalOffer")
PaymentEventType = get_model("order", "PaymentEventType")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
Voucher = get_model("voucher", "Voucher")
VoucherApplication = get_model("voucher", "VoucherApplication")

logger = logging.getLogger(__name__)

METHOD_PREFIX = "mollie-"
LOCALE = "nl_NL"


class MollieUnavailable(Exception):
    """Mollie could not be reached or answered with an error; nothing was changed here."""


class RefundRefused(Exception):
    """A refund that cannot be made (amount too high, payment not paid); the message is Dutch."""


# --- Configuration -------------------------------------------------------------------------------


def mollie_enabled() -> bool:
    """Whether the shop takes payments through Mollie (an API key is configured)."""
    return bool(settings.MOLLIE_API_KEY)


def api_mode() -> str:
    """'live' for a live_ key, 'test' for a test_ key: which payments Mollie makes real."""
    return "live" if settings.MOLLIE_API_KEY.startswith("live_") else "test"


def mollie_client() -> Client:
    """The official client with the shop's key, timeouts and (in tests) endpoint."""
    client = Client(
        api_endpoint=settings.MOLLIE_API_ENDPOINT,
        timeout=tuple(settings.MOLLIE_TIMEOUT),
        retry=1,
    )
    client.set_api_key(settings.MOLLIE_API_KEY)
    return client


def method_code(mollie_method: str) -> str:
    """The checkout's code for a Mollie method ('ideal' → 'mollie-ideal')."""
    return METHOD_PREFIX + mollie_method


def is_mollie_code(code: str | None) -> bool:
    """Whether a checkout payment-method code is one of Mollie's."""
    return bool(code) and code.startswith(METHOD_PREFIX) and mollie_enabled()


# --- Methods -------------------------------------------------------------------------------------


def payment_methods() -> list[dict] | None:
    """Mollie's enabled methods the shop offers, with Dutch names: [{'id', 'description'}];
    None when Mollie cannot be asked (the checkout then offers bank transfer only).

    Kept briefly in the shared cache, per key mode: every process and every checkout sees the
    same list, and a test key's methods are never shown under a live key.
    """
    if not mollie_enabled():
        return []
    key = f"mollie:methods:{api_mode()}:{LOCALE}"
    methods = cache.get(key)
    if methods is not None:
        return methods
    try:
        listed = mollie_client().methods.list(locale=LOCALE)
        methods = [
            {"id": method.id, "description": method.description}
            for method in listed
            if method.id in settings.MOLLIE_METHODS
        ]
    except MollieError as exc:
        logger.warning("Mollie methods unavailable: %s", exc)
        return None
    cache.set(key, methods, settings.MOLLIE_METHODS_CACHE_SECONDS)
    return methods


# --- Placing and paying --------------------------------------------------------------------------


def order_add_mollie_source(*, order_number: str, code: str, name: str, currency: str) -> Source:
    """The (unsaved) payment source of an order to be paid through Mollie: nothing allocated
    until Mollie says it is paid."""
    source_type, _created = SourceType.objects.get_or_create(code=code, defaults={"name": name})
    return Source(source_type=source_type, currency=currency, amount_allocated=0, reference="")


def mollie_method_of(order) -> str | None:
    """The Mollie method an order was placed for ('ideal'), or None for other orders."""
    for source in order.sources.all():
        if source.source_type.code.startswith(METHOD_PREFIX):
            return source.source_type.code.removeprefix(METHOD_PREFIX)
    return None


def mollie_amount(amount: Decimal) -> str:
    """Mollie's amount string: euro with exactly two decimals ('19.95')."""
    return f"{amount.quantize(Decimal('0.01')):.2f}"


def payment_start(*, order, redirect_url: str, webhook_url: str) -> MolliePayment:
    """The order's one Mollie payment, created at Mollie if it is not yet.

    Two requests for the same order (a double click, two tabs) share the database row (one per
    order) and so its idempotency key: Mollie answers both with the same payment. The amount is
    the order's total, never anything the browser sent. Must not run inside a transaction that
    holds the order's stock locks: it waits for Mollie.
    """
    method = mollie_method_of(order)
    if method is None:
        raise ValueError(f"Order {order.number} is not paid through Mollie")
    payment, _created = MolliePayment.objects.get_or_create(
        order=order, defaults={"method": method}
    )
    if payment.mollie_id:
        return payment
    data = {
        "amount": {"currency": order.currency, "value": mollie_amount(order.total_incl_tax)},
        "description": _("Bestelling %(number)s bij %(shop)s")
        % {"number": order.number, "shop": settings.OSCAR_SHOP_NAME},
        "redirectUrl": redirect_url,
        "webhookUrl": webhook_url,
        "method": method,
        "locale": LOCALE,
        "metadata": {"order_number": order.number},
    }
    try:
        remote = mollie_client().payments.create(data, idempotency_key=str(payment.idempotency_key))
    except MollieError as exc:
        logger.warning("Mollie payment for order %s not created: %s", order.number, exc)
        raise MollieUnavailable(str(exc)) from exc
    # A concurrent request got the same payment from Mollie (same key); the first to save wins.
    MolliePayment.objects.filter(pk=payment.pk, mollie_id__isnull=True).update(
        mollie_id=remote.id,
        checkout_url=remote.checkout_url or "",
        status=remote.status,
        mode=remote.mode or "",
    )
    payment.refresh_from_db()
    if payment.mollie_id == remote.id and not payment.events.exists():
        MollieEvent.objects.create(
            payment=payment, source="checkout", status=remote.status, message="Aangemaakt"
        )
    return payment


def payment_fetch(*, payment: MolliePayment):
    """Mollie's current view of a payment (its status is the truth, not any request's body)."""
    try:
        return mollie_client().payments.get(payment.mollie_id)
    except MollieError as exc:
        logger.warning("Mollie payment %s not fetched: %s", payment.mollie_id, exc)
        raise MollieUnavailable(str(exc)) from exc


def payment_sync(*, payment: MolliePayment, source: str) -> MolliePayment:
    """Fetch the payment from Mollie and apply its state to the order (webhook, return page)."""
    remote = payment_fetch(payment=payment)
    return payment_apply(payment_id=payment.pk, remote=remote, source=source)


def payment_apply(*, payment_id: int, remote, source: str) -> MolliePayment:
    """Apply Mollie's state of a payment to its order, once.

    Under a lock on the payment row, so a webhook and the return page arriving together act one
    after the other; only an order still waiting for payment changes, so a repeated, late or
    out-of-order call changes nothing twice. Money that arrives for a cancelled order is flagged
    for staff, never dropped.
    """
    with transaction.atomic():
        payment = (
            MolliePayment.objects.select_for_update().select_related("order").get(pk=payment_id)
        )
        order = payment.order
        status = remote.status
        refunded = _amount(remote.amount_refunded)
        if status != payment.status:
            MollieEvent.objects.create(payment=payment, source=source, status=status)
        payment.status = status
        if remote.mode:
            payment.mode = remote.mode
        if status == MolliePayment.Status.PAID:
            if order.status == settings.ORDER_STATUS_AWAITING_PAYMENT:
                _order_mark_paid(order=order, remote=remote)
            elif order.status == settings.ORDER_STATUS_CANCELLED and not payment.needs_attention:
                payment.needs_attention = True
                payment.attention_reason = _(
                    "Betaling %(id)s is binnengekomen nadat de bestelling was geannuleerd: "
                    "terugbetalen of de bestelling alsnog leveren."
                ) % {"id": remote.id}
                order.notes.create(message=payment.attention_reason, note_type="Mollie")
                MollieEvent.objects.create(
                    payment=payment, source=source, status=status, message=payment.attention_reason
                )
        elif status in FAILED_STATUSES:
            if order.status == settings.ORDER_STATUS_AWAITING_PAYMENT:
                _order_cancel(order=order)
        payment.amount_refunded = max(payment.amount_refunded, refunded)
        payment.save()
    return payment


def _amount(value: dict | None) -> Decimal:
    return Decimal(value["value"]) if value else Decimal("0")


def _order_mark_paid(*, order, remote) -> None:
    amount = _amount(remote.amount)
    order.set_status(settings.ORDER_STATUS_PAID)
    source = _mollie_source(order)
    source.allocate(amount, reference=remote.id)
    source.debit(amount, reference=remote.id)
    event_type, _created = PaymentEventType.objects.get_or_create(name=settings.ORDER_STATUS_PAID)
    order.payment_events.create(event_type=event_type, amount=amount, reference=remote.id)
    order_send_confirmation(order=order)


def _order_cancel(*, order) -> None:
    for line in order.lines.select_related("stockrecord"):
        line.cancel_allocation(line.quantity)
    _order_release_discounts(order=order)
    order.set_status(settings.ORDER_STATUS_CANCELLED)


def _order_release_discounts(*, order) -> None:
    """Undo what placing the unpaid `order` recorded on its vouchers and offers (Oscar's
    record_usage and record_discount), so that a payment that failed does not use up a
    single-use voucher or an offer's limits: the customer retries with them (called once, under
    the payment's lock, as the order leaves "Wacht op betaling")."""
    for discount in order.discounts.all():
        ConditionalOffer.objects.filter(pk=discount.offer_id).update(
            num_applications=Greatest(F("num_applications") - discount.frequency, 0),
            num_orders=Greatest(F("num_orders") - 1, 0),
            total_discount=F("total_discount") - discount.amount,
        )
        if discount.voucher_id:
            Voucher.objects.filter(pk=discount.voucher_id).update(
                total_discount=F("total_discount") - discount.amount
            )
    for voucher_id in VoucherApplication.objects.filter(order=order).values_list(
        "voucher_id", flat=True
    ):
        Voucher.objects.filter(pk=voucher_id).update(num_orders=Greatest(F("num_orders") - 1, 0))
    VoucherApplication.objects.filter(order=order).delete()


def _mollie_source(order) -> Source:
    return next(
        s
        for s in order.sources.select_related("source_type")
        if s.source_type.code.startswith(METHOD_PREFIX)
    )


def order_send_confirmation(*, order) -> None:
    """Oscar's order confirmation, sent when the payment is in (through the outbox, in this
    transaction: the status change that guards it commits with it, so it goes once)."""
    if order.is_anonymous:
        path = reverse(
            "customer:anon-order",
            kwargs={"order_number": order.number, "hash": order.verification_hash()},
        )
    else:
        path = reverse("customer:order", kwargs={"order_number": order.number})
    ctx = {
        "user": order.user or AnonymousUser(),
        "order": order,
        "lines": order.lines.all(),
        "status_path": path,
    }
    OrderDispatcher(logger=logger).send_order_placed_email_for_user(order, ctx)


def basket_restore_for_retry(*, payment: MolliePayment, basket) -> bool:
    """Put the lines of a cancelled order back into the customer's (empty) basket, once, so the
    customer can pay again; False if there was nothing to do."""
    order = payment.order
    if payment.basket_restored or order.status != settings.ORDER_STATUS_CANCELLED:
        return False
    if not basket.is_empty:
        return False
    with transaction.atomic():
        claimed = MolliePayment.objects.filter(pk=payment.pk, basket_restored=False).update(
            basket_restored=True
        )
        if not claimed:
            return False
        if basket.id is None:
            basket.save()
        for line in order.lines.select_related("product"):
            if line.product is not None and line.product.is_public:
                basket.add_product(line.product, line.quantity)
        # The order's vouchers too (their use was undone when it was cancelled), when they can
        # still be used; the basket page names any that cannot, as for every voucher.
        voucher_ids = {d.voucher_id for d in order.discounts.all() if d.voucher_id}
        for voucher in Voucher.objects.filter(pk__in=voucher_ids):
            if voucher.is_active():
                basket.vouchers.add(voucher)
    payment.basket_restored = True
    return True


# --- Refunds -------------------------------------------------------------------------------------


def refundable_amount(*, payment: MolliePayment) -> Decimal:
    """What may still be refunded of a paid payment, by the shop's records."""
    if payment.status != MolliePayment.Status.PAID:
        return Decimal("0.00")
    source = _mollie_source(payment.order)
    return max(source.amount_debited - source.amount_refunded, Decimal("0.00"))


def payment_refund(*, payment: MolliePayment, amount: Decimal, idempotency_key: str, user) -> str:
    """Refund `amount` of a paid payment through Mollie's refunds API and record it as an Oscar
    payment event and a refund on the payment source; returns Mollie's refund id.

    The form's idempotency key makes a resubmitted form one refund at Mollie, and the refund id
    is recorded once.
    """
    order = payment.order
    remaining = refundable_amount(payment=payment)
    if amount <= 0 or amount > remaining:
        raise RefundRefused(
            _("Je kunt hoogstens € %(max)s terugbetalen.")
            % {"max": f"{remaining:.2f}".replace(".", ",")}
        )
    try:
        remote = mollie_client().payments.get(payment.mollie_id)
        if remote.amount_remaining and amount > _amount(remote.amount_remaining):
            raise RefundRefused(
                _("Mollie kan hoogstens € %(max)s terugbetalen.")
                % {"max": remote.amount_remaining["value"].replace(".", ",")}
            )
        refund = remote.refunds.create(
            {
                "amount": {"currency": order.currency, "value": mollie_amount(amount)},
                "description": _("Terugbetaling bestelling %(number)s") % {"number": order.number},
            },
            idempotency_key=idempotency_key,
        )
    except MollieError as exc:
        logger.warning("Mollie refund of %s refused or failed: %s", payment.mollie_id, exc)
        raise MollieUnavailable(str(exc)) from exc
    with transaction.atomic():
        payment = MolliePayment.objects.select_for_update().get(pk=payment.pk)
        event_type, _created = PaymentEventType.objects.get_or_create(name="Terugbetaald")
        if not order.payment_events.filter(event_type=event_type, reference=refund.id).exists():
            refunded = _amount(refund.amount)
            _mollie_source(order).refund(refunded, reference=refund.id)
            order.payment_events.create(event_type=event_type, amount=refunded, reference=refund.id)
            payment.amount_refunded += refunded
            payment.save(update_fields=["amount_refunded", "updated_at"])
            MollieEvent.objects.create(
                payment=payment,
                source="dashboard",
                status="refund",
                message=_("€ %(amount)s terugbetaald door %(user)s (%(id)s)")
                % {
                    "amount": f"{refunded:.2f}".replace(".", ","),
                    "user": user.get_username(),
                    "id": refund.id,
                },
            )
    return refund.id
