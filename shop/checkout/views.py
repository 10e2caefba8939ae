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

from shop.basket.middleware import cookie_basket_id
from shop.basket.vouchers import basket_remove_unusable_vouchers, unusable_voucher_warnings
from shop.checkout.forms import PaymentMethodForm
from shop.checkout.services import (
    BANK_TRANSFER_CODE,
    BANK_TRANSFER_NAME,
    BasketAlreadySubmitted,
    BasketBeingProcessed,
    StockShortage,
    bank_transfer_instructions,
    basket_lock_for_placement,
    order_of_repeated_submit,
    stock_lock_and_check,
)
from shop.mollie import services as mollie
from shop.mollie.models import MolliePayment

Order = get_model("order", "Order")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")


class PaymentMethodView(views.PaymentMethodView):
    # Oscar skips this step; the shop asks for bank transfer or one of Mollie's methods here.
    template_name = "oscar/checkout/payment_method.html"

    def get(self, request, *args, **kwargs):
        form = PaymentMethodForm(
            choices=self.method_choices(),
            initial={"method": self.checkout_session.payment_method()},
        )
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        choices = self.method_choices()
        form = PaymentMethodForm(request.POST, choices=choices)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        code = form.cleaned_data["method"]
        self.checkout_session.pay_by(code)
        self.checkout_session._set("payment", "method_name", str(dict(choices)[code]))
        return self.get_success_response()

    def method_choices(self) -> list[tuple[str, str]]:
        """Mollie's methods (iDEAL first, as Mollie lists them), then bank transfer, which is
        always there; when Mollie cannot be asked, the page says so."""
        methods = mollie.payment_methods()
        if methods is None:
            self.mollie_unavailable = True
            methods = []
        self.mollie_offered = bool(methods)
        choices = [(mollie.method_code(m["id"]), m["description"]) for m in methods]
        return [*choices, (BANK_TRANSFER_CODE, str(BANK_TRANSFER_NAME))]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["mollie_unavailable"] = getattr(self, "mollie_unavailable", False)
        ctx["mollie_offered"] = getattr(self, "mollie_offered", False)
        return ctx


class PaymentDetailsView(views.PaymentDetailsView):
    """Oscar's payment/preview/place-order view with bank transfer and Mollie, and a locked,
    idempotent order placement (see shop.checkout.services)."""

    pre_conditions = views.PaymentDetailsView.pre_conditions + ["check_payment_method_is_chosen"]

    def check_payment_method_is_chosen(self, request):
        try:
            self.skip_unless_payment_is_required(request)
        except PassedSkipCondition:
            # Nothing to pay (a free order): there is no payment method to choose.
            return
        method = self.checkout_session.payment_method()
        if method != BANK_TRANSFER_CODE and not mollie.is_mollie_code(method):
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
            and request.basket.is_empty
        ):
            order = order_of_repeated_submit(
                order_id=request.session.get("checkout_order_id"),
                basket_id=cookie_basket_id(request),
                user=request.user,
            )
            if order is not None:
                request.session["checkout_order_id"] = order.id
                if self.waits_for_mollie(order):
                    # The second click of a double click: on to the same payment, not a second.
                    return redirect("mollie:start", order_number=order.number)
                messages.info(request, _("Deze bestelling is al geplaatst."))
                return redirect("checkout:thank-you")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not self.preview:
            # Nothing to enter here (Mollie asks on its own page): straight on to the preview.
            return redirect("checkout:preview")
        for warning in unusable_voucher_warnings(basket=request.basket, user=request.user):
            messages.warning(request, warning)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        method = self.checkout_session.payment_method()
        ctx["payment_method_code"] = method
        ctx["payment_method_is_mollie"] = mollie.is_mollie_code(method)
        ctx["payment_method_name"] = self.checkout_session._get("payment", "method_name", "")
        return ctx

    def handle_payment_details_submission(self, request):
        return self.render_preview(request)

    def handle_place_order_submission(self, request):
        # A voucher that became unusable is removed first, and the preview shown again with the
        # new total: Oscar would refuse the order with a generic error, again and again.
        removed = basket_remove_unusable_vouchers(basket=request.basket, user=request.user)
        if removed:
            for message in removed:
                messages.warning(request, message)
            return redirect("checkout:preview")
        return self.submit(**self.build_submission())

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
        if self.waits_for_mollie(order):
            return redirect("mollie:start", order_number=order.number)
        messages.info(
            self.request,
            _("Bestelling %(number)s is al geplaatst; er is geen tweede bestelling gemaakt.")
            % {"number": order.number},
        )
        return redirect("checkout:thank-you")

    @staticmethod
    def waits_for_mollie(order) -> bool:
        return (
            order.status == settings.ORDER_STATUS_AWAITING_PAYMENT
            and mollie.mollie_method_of(order) is not None
        )

    def handle_payment(self, order_number, total, **kwargs):
        method = self.checkout_session.payment_method()
        if not total.incl_tax:
            return
        if method == BANK_TRANSFER_CODE:
            source_type, _created = SourceType.objects.get_or_create(
                code=BANK_TRANSFER_CODE, defaults={"name": str(BANK_TRANSFER_NAME)}
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
        if mollie.is_mollie_code(method):
            # The order is placed waiting for payment; the Mollie payment is made after the
            # placement has committed (shop.mollie.views.payment_start), outside its locks.
            self.add_payment_source(
                mollie.order_add_mollie_source(
                    order_number=order_number,
                    code=method,
                    name=self.checkout_session._get("payment", "method_name", method),
                    currency=total.currency,
                )
            )
            return
        raise UnableToTakePayment(_("Kies eerst hoe je wilt betalen."))

    def handle_order_placement(self, *args, **kwargs):
        # A savepoint, so a failure halfway (Oscar catches it and shows the preview again)
        # leaves no half-written order behind inside the request's transaction.
        with transaction.atomic():
            return super().handle_order_placement(*args, **kwargs)

    def handle_successful_order(self, order):
        if not self.waits_for_mollie(order):
            return super().handle_successful_order(order)
        # Paid through Mollie: the confirmation goes when Mollie says it is paid, and the
        # checkout session (address, shipping, method) stays for a retry after a failed payment.
        self.request.session["checkout_order_id"] = order.id
        response = redirect("mollie:start", order_number=order.number)
        self.send_signal(self.request, response, order)
        return response

    def get_message_context(self, order):
        ctx = super().get_message_context(order)
        ctx["bank_transfer"] = bank_transfer_instructions(order=order)
        return ctx


class ThankYouView(views.ThankYouView):
    # Adds the bank-transfer instructions (amount, IBAN, reference) or the Mollie payment's
    # state to Oscar's page.
    def get_context_data(self, *args, **kwargs):
        ctx = super().get_context_data(*args, **kwargs)
        ctx["bank_transfer"] = bank_transfer_instructions(order=ctx["order"])
        ctx["mollie_payment"] = MolliePayment.objects.filter(order=ctx["order"]).first()
        return ctx
