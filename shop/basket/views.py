from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.timezone import now
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from oscar.apps.basket import views
from oscar.core.loading import get_model

from shop.basket import addition, content
from shop.basket.models import LineFull
from shop.basket.vouchers import unusable_voucher_warnings
from shop.cache.pagecache import current_version
from shop.cache.pipeline import one_round_trip
from shop.partner.strategy import for_sale

Option = get_model("catalogue", "Option")
PRODUCT_CACHE_SECONDS = 3600


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class BasketView(views.BasketView):
    """Oscar's basket page.

    - A GET only reads, so it runs without the request transaction and its BEGIN/COMMIT, but
      for a signed-in visitor with a basket cookie: Oscar merges that basket into the
      customer's (several writes). A customer's first basket is one INSERT (get_or_create).
      Every other request is atomic, as with ATOMIC_REQUESTS.
    - The page content (lines, discounts, upsell messages, the dose notice, totals) of an
      anonymous visitor is cached per basket state (shop.basket.content). While it is cached,
      the basket is not read at all."""

    def dispatch(self, request, *args, **kwargs):
        merges = (
            request.user.is_authenticated and settings.OSCAR_BASKET_COOKIE_OPEN in request.COOKIES
        )
        if request.method in ("GET", "HEAD") and not merges:
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        # pylint: disable=attribute-defined-outside-init
        # Units added since the basket was last shown: Oscar's add messages are worded here,
        # with the offers applied (shop.basket.addition).
        self.added_units = addition.added(request)
        self.content_version = content.version(request)
        if self.content_version and not self.added_units:
            html = content.load(self.content_version)
            if html is not None:
                context = {"view": self, "basket_content": mark_safe(html)}
                return TemplateResponse(request, self.template_name, context)
        response = super().get(request, *args, **kwargs)
        if addition.COOKIE in request.COOKIES:
            response.delete_cookie(addition.COOKIE, samesite=settings.SESSION_COOKIE_SAMESITE)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        basket = self.request.basket
        # A voucher that no longer counts is named here (Oscar shows nothing); only a POST
        # removes it (shop.basket.vouchers). Cached content is built from a basket state
        # in which the voucher still counted or was never there, so it is checked here only.
        for warning in unusable_voucher_warnings(basket=basket, user=self.request.user):
            messages.warning(self.request, warning)
        if getattr(self, "added_units", None) and not basket.is_empty:
            addition.offer_messages(self.request, basket, self.added_units)
        version = getattr(self, "content_version", None)
        if version and version.split(":")[0] == str(basket.id) and not basket.is_empty:
            context["basket_content_version"] = version
            context["basket_content_seconds"] = self.content_seconds(basket)
        return context

    def content_seconds(self, basket) -> int:
        """How long the content may be kept: the cache time of pages, or less when one of the
        basket's vouchers (or its offers) starts or ends sooner."""
        seconds = content.cache_seconds()
        moment = now()
        for voucher in basket.vouchers.all():
            dates = [voucher.start_datetime, voucher.end_datetime]
            for offer in voucher.offers.all():
                dates += [offer.start_datetime, offer.end_datetime]
            for date in dates:
                if date is not None and date > moment:
                    seconds = min(seconds, int((date - moment) / timedelta(seconds=1)) + 1)
        return seconds


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class BasketAddView(views.BasketAddView):
    """Oscar's add-to-basket, doing what an add needs and no more.

    - The product is read with what the form and the price need (its product class, and its
      parent's for a variant, stock records, whether it has options; a parent with its public
      variants and their stock records) and kept per catalogue version.
    - One transaction of its own (not the request's), committed asynchronously
      (shop.basket.addition): the basket row is read with a shared lock, with its lines'
      quantities and no more (shop.basket.middleware, Basket.for_add), Oscar's form checks stock,
      the basket's limit and currency against them, and the line is one UPDATE that adds the
      quantity in the database if the stock still allows it, or one INSERT (shop.basket.models):
      adds at once all count, never exceed the stock, and wait for each other only on the same
      line, from its UPDATE to their commit.
    - No offer is applied and no line read: the basket page words Oscar's offer and new-total
      messages (shop.basket.addition); the addition is counted in the cache
      (features.perf.viewcounts), after the commit, like every other receiver of Oscar's
      basket_addition; that count and the basket's stamp removed are one Redis round trip
      (shop.cache.pipeline)."""

    _product_queryset = None

    def get_product_queryset(self):
        # Built once per process: a queryset is only a description until it runs, and each
        # request's get() runs a copy.
        if BasketAddView._product_queryset is None:
            BasketAddView._product_queryset = self.build_product_queryset()
        return BasketAddView._product_queryset

    def build_product_queryset(self):
        return self.product_model.objects.select_related("product_class").annotate(
            has_product_class_options=Exists(
                Option.objects.filter(productclass=OuterRef("product_class"))
            ),
            has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
        )

    def get_product(self, pk):
        """The product to add, as read_product() gives it, kept per catalogue version (any
        write to a product, its stock records or prices makes a new one, features.perf)."""
        key = f"shop:basket-add-product:{current_version()}:{pk}"
        return caches["fragments"].get_or_set(
            key, lambda: self.read_product(pk), PRODUCT_CACHE_SECONDS
        )

    def read_product(self, pk):
        product = get_object_or_404(self.get_product_queryset(), pk=pk)
        if product.is_parent:
            # The variant is chosen among the public children (child_id): read them with their
            # stock records at once (Oscar reads them per variant, and their attributes too).
            children = self.product_model.objects.public().prefetch_related("stockrecords")
            prefetch_related_objects(
                [product],
                Prefetch("children", queryset=children, to_attr="_prefetched_public_children"),
            )
            return product
        prefetch_related_objects([product], "stockrecords")
        if product.is_child:
            # Posted with a variant's own pk (Oscar's forms post the parent's): a variant's class
            # and class options are its parent's.
            prefetch_related_objects(
                [product],
                Prefetch(
                    "parent", queryset=self.product_model.objects.select_related("product_class")
                ),
            )
            product.has_product_class_options = None  # has_options asks the database
        return product

    def post(self, request, *args, **kwargs):
        # pylint: disable=attribute-defined-outside-init
        # The add shows no line: the basket is read locked and without its lines, no offer is
        # applied (shop.basket.middleware.for_add).
        request.basket_lines_shown = False
        request.basket_for_add = True
        self.product = self.get_product(kwargs["pk"])
        if not for_sale(self.product):
            # Oscar adds any product by id, also one whose page answers 404.
            messages.error(request, _("Dit product is niet te koop."))
            return redirect("basket:summary")
        form = None
        try:
            with transaction.atomic():
                addition.asynchronous_commit()
                form = self.get_form()
                added = form.is_valid()
                if added:
                    self.line, self.line_created = request.basket.add_product(
                        form.product, form.cleaned_data["quantity"], form.cleaned_options()
                    )
        except LineFull as full:
            # Adds at once took the room the form saw: refused as the form refuses (rolled back).
            form.add_error(None, str(full))
            added = False
        if not added:
            return self.form_invalid(form)
        # The cache writes from here on (the basket's stamp removed, the addition counted) are
        # sent to Redis together, in one round trip.
        with one_round_trip():
            # Committed (the view's transaction is the outermost one): its summaries are stale.
            addition.expire_after_add(request.basket)
            # Oscar's basket_addition once the basket's row is unlocked: its receivers (the
            # addition counted in the cache, credited to a guide) need no lock, and the adds of
            # one basket wait for each other's lock only as long as the line takes.
            self.add_signal.send(
                sender=self, product=form.product, user=request.user, request=request
            )
        messages.success(request, self.get_success_message(form), extra_tags="safe noicon")
        # Oscar's get_success_url gives a URL: redirect() would first try it as a view name
        # (a reverse() that fails on every add).
        response = HttpResponseRedirect(self.get_success_url())
        addition.remember_addition(request, response, self.line, form.cleaned_data["quantity"])
        return response

    def get_form_kwargs(self):
        # The form only validates here (a failed add redirects): its variant choices need no
        # labels built from each variant's attributes.
        return {**super().get_form_kwargs(), "choice_labels": False}

    def get_success_message(self, form):
        """Oscar's "added to your basket" message: it only depends on the product's title and
        the quantity, so it is kept per catalogue version, product, quantity and language."""
        key = make_template_fragment_key(
            "basket-addition-message",
            [current_version(), form.product.pk, form.cleaned_data["quantity"], get_language()],
        )
        return caches["fragments"].get_or_set(
            key, lambda: super(BasketAddView, self).get_success_message(form), PRODUCT_CACHE_SECONDS
        )
