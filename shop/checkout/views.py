from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from oscar.apps.checkout import views
from oscar.apps.checkout.exceptions import FailedPreCondition, PassedSkipCondition
from oscar.apps.checkout.views import *  # noqa: F403
from oscar.apps.payment.exceptions import UnableToTakePayment
from oscar.core.loading import get_model

from shop.basket.vouchers import basket_remove_unusable_vouchers, unusable_voucher_warnings
from shop.checkout.forms import DemoCardForm, PaymentMethodForm
from shop.checkout.services import (
    BANK_TRANSFER_CODE,
    DEMO_CARD_CODE,
    BasketAlreadySubmitted,
    BasketBeingProcessed,
    StockShortage,
    bank_transfer_instructions,
    basket_lock_for_placement,
    demo_card_is_approved,
    order_lines_mark_paid,
    stock_lock_and_check,
)

Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

PAYMENT_METHOD_NAMES = dict(PaymentMethodForm.CHOICES)


class PaymentMethodView(views.PaymentMethodView):
    # Oscar skips this step; the shop asks for bank transfer or the demo card here.
    template_name = "oscar/checkout/payment_method.html"

    def get(self, request, *args, **kwargs):
        form = PaymentMethodForm(initial={"method": self.checkout_session.payment_method()})
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = PaymentMethodForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        self.checkout_session.pay_by(form.cleaned_data["method"])
        return self.get_success_response()


class PaymentDetailsView(views.PaymentDetailsView):
    """Oscar's payment/preview/place-order view with the two payment methods and a locked,
    idempotent order placement (see shop.checkout.services)."""

    pre_conditions = views.PaymentDetailsView.pre_conditions + ["check_payment_method_is_chosen"]

    def check_payment_method_is_chosen(self, request):
        try:
            self.skip_unless_payment_is_required(request)
        except PassedSkipCondition:
            # Nothing to pay (a free order): there is no payment method to choose.
            return
        if self.checkout_session.payment_method() not in PAYMENT_METHOD_NAMES:
            raise FailedPreCondition(
                url=reverse("checkout:payment-method"),
                message=_("Kies eerst hoe je wilt betalen."),
            )

    def dispatch(self, request, *args, **kwargs):
        # A repeated "place order" after the first one went through finds a fresh, empty basket;
        # show the order that was placed instead of an "empty basket" error.
        if (
            request.method == "POST"
            and request.POST.get("action") == "place_order"
            and "checkout_order_id" in request.session
            and request.basket.is_empty
        ):
            messages.info(request, _("Deze bestelling is al geplaatst."))
            return redirect("checkout:thank-you")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not self.preview and self.checkout_session.payment_method() == BANK_TRANSFER_CODE:
            # Nothing to enter for a bank transfer: straight on to the order preview.
            return redirect("checkout:preview")
        if self.preview:
            for warning in unusable_voucher_warnings(basket=request.basket, user=request.user):
                messages.warning(request, warning)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        method = self.checkout_session.payment_method()
        ctx["payment_method_code"] = method
        ctx["payment_method_name"] = PAYMENT_METHOD_NAMES.get(method, "")
        if method == DEMO_CARD_CODE and "card_form" not in ctx:
            ctx["card_form"] = DemoCardForm()
        return ctx

    def handle_payment_details_submission(self, request):
        if self.checkout_session.payment_method() != DEMO_CARD_CODE:
            return self.render_preview(request)
        card_form = DemoCardForm(request.POST)
        if not card_form.is_valid():
            return self.render_payment_details(request, card_form=card_form)
        return self.render_preview(request, card_form=card_form)

    def handle_place_order_submission(self, request):
        # A voucher that became unusable is removed first, and the preview shown again with the
        # new total: Oscar would refuse the order with a generic error, again and again.
        removed = basket_remove_unusable_vouchers(basket=request.basket, user=request.user)
        if removed:
            for message in removed:
                messages.warning(request, message)
            return redirect("checkout:preview")
        if self.checkout_session.payment_method() != DEMO_CARD_CODE:
            return self.submit(**self.build_submission())
        card_form = DemoCardForm(request.POST)
        if not card_form.is_valid():
            return self.render_payment_details(request, card_form=card_form)
        return self.submit(**self.build_submission(payment_kwargs={"card_form": card_form}))

    def submit(self, user, basket, *args, **kwargs):
        # Availability check and allocation become one locked step: the basket row and its
        # stock records stay locked until the order (or nothing) is committed.
        with transaction.atomic():
            try:
                basket_lock_for_placement(basket=basket)
                stock_lock_and_check(basket=basket)
            except BasketAlreadySubmitted as exc:
                return self.show_existing_order(exc.order)
            except BasketBeingProcessed:
                messages.error(
                    self.request,
                    _("Je bestelling wordt al verwerkt. Wacht even en bekijk je e-mail."),
                )
                return redirect("basket:summary")
            except StockShortage as exc:
                messages.error(self.request, str(exc))
                return redirect("basket:summary")
            return super().submit(user, basket, *args, **kwargs)

    def show_existing_order(self, order):
        if order is None:
            messages.error(self.request, _("Deze winkelmand is al afgerekend."))
            return redirect("basket:summary")
        self.request.session["checkout_order_id"] = order.id
        messages.info(
            self.request,
            _("Bestelling %(number)s is al geplaatst; er is geen tweede bestelling gemaakt.")
            % {"number": order.number},
        )
        return redirect("checkout:thank-you")

    def handle_payment(self, order_number, total, **kwargs):
        method = self.checkout_session.payment_method()
        if not total.incl_tax:
            return
        if method == BANK_TRANSFER_CODE:
            source_type, _created = SourceType.objects.get_or_create(
                code=BANK_TRANSFER_CODE, defaults={"name": "Bankoverschrijving"}
            )
            # Nothing is allocated until staff see the transfer arrive and mark the order paid.
            self.add_payment_source(
                Source(
                    source_type=source_type,
                    currency=total.currency,
                    amount_allocated=0,
                    reference=str(order_number),
                )
            )
            return
        if method == DEMO_CARD_CODE:
            number = kwargs["card_form"].cleaned_data["number"]
            if not demo_card_is_approved(number=number):
                raise UnableToTakePayment(
                    _(
                        "De demo-betaalkaart is geweigerd; er is niets afgeschreven. Gebruik "
                        "4242 4242 4242 4242 of kies Bankoverschrijving."
                    )
                )
            source_type, _created = SourceType.objects.get_or_create(
                code=DEMO_CARD_CODE, defaults={"name": "Demo-betaalkaart"}
            )
            # Only the last four digits are kept, as a real gateway's receipt would.
            reference = f"kaart eindigend op {number[-4:]}"
            self.add_payment_source(
                Source(
                    source_type=source_type,
                    currency=total.currency,
                    amount_allocated=total.incl_tax,
                    amount_debited=total.incl_tax,
                    reference=reference,
                )
            )
            self.add_payment_event(settings.ORDER_STATUS_PAID, total.incl_tax, reference)
            return
        raise UnableToTakePayment(_("Kies eerst hoe je wilt betalen."))

    def get_initial_order_status(self, basket):
        if self.checkout_session.payment_method() == DEMO_CARD_CODE:
            return settings.ORDER_STATUS_PAID
        return settings.ORDER_STATUS_AWAITING_PAYMENT

    def handle_order_placement(self, *args, **kwargs):
        # A savepoint, so a failure halfway (Oscar catches it and shows the preview again)
        # leaves no half-written order behind inside the request's transaction.
        with transaction.atomic():
            return super().handle_order_placement(*args, **kwargs)

    def place_order(self, *args, **kwargs):
        order = super().place_order(*args, **kwargs)
        if order.status == settings.ORDER_STATUS_PAID:
            order_lines_mark_paid(order=order, status=settings.ORDER_STATUS_PAID)
        return order

    def get_message_context(self, order):
        ctx = super().get_message_context(order)
        ctx["bank_transfer"] = bank_transfer_instructions(order=order)
        return ctx


class ThankYouView(views.ThankYouView):
    # Adds the bank-transfer instructions (amount, IBAN, reference) to Oscar's page.
    def get_context_data(self, *args, **kwargs):
        ctx = super().get_context_data(*args, **kwargs)
        ctx["bank_transfer"] = bank_transfer_instructions(order=ctx["order"])
        return ctx
