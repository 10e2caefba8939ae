"""Oscar's basket, read once per request with everything the offers, the shipping check, the
price and the page read from its lines, and add_product working on those lines.

Oscar reads a cookie basket, then its lines with their products and stock records, then per
line the product class (shipping check) and option values, a COUNT for `is_empty`, the vouchers
on every offer application, one query per image path, and after an add all the lines again.
Here:
- one query reads the lines with product, product class, parent and stock record, and says
  whether the basket has vouchers and which lines have options, so neither is asked for when
  there are none; a cookie basket comes with its lines in that same query
  (open_anonymous_with_lines, shop.basket.middleware);
- the images of the lines' products and of their parents are read in one query, and only when
  the request shows the lines (not for add-to-basket);
- add_product finds the line among the lines in memory and keeps them up to date, so the offers
  applied after an add need no second read; a new visitor's basket is known to be empty.
"""

from collections import defaultdict
from contextlib import contextmanager, nullcontext

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Value, prefetch_related_objects
from django.db.models.functions import Greatest
from django.db.models.signals import post_save
from oscar.apps.basket.abstract_models import AbstractBasket
from oscar.core.loading import get_class

from shop.perf.compiled import Compiled

OfferApplications = get_class("offer.results", "OfferApplications")


def asynchronous_commit() -> None:
    """This transaction commits without waiting for its WAL to reach the disk (PostgreSQL)."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


@contextmanager
def short_transaction():
    """A transaction that commits without waiting for the disk; inside a transaction, a
    savepoint of it (the outer transaction commits as it does)."""
    outermost = not transaction.get_connection().in_atomic_block
    with transaction.atomic():
        if outermost:
            asynchronous_commit()
        yield


class Basket(AbstractBasket):
    # Set by add_product: the lines in memory are what the database holds (add_product changed
    # both), so the next reset_offer_applications() clears their discounts instead of reading
    # them again. Anything else that changes lines (the basket formset, merges) is not known to
    # the basket, so every other reset reads the lines afresh, as Oscar does.
    _lines_match_database = False
    _no_lines = None
    # Set by add_product on a basket it creates: no request has shown it, so there is no
    # cached summary or content of it to make stale when it or its lines are written.
    created_now = False

    # The lines' product images (for the basket page and checkout) are read with the lines,
    # unless the request shows no lines (shop.basket.middleware).
    line_images = True

    def all_lines(self):
        if self.id is None:
            # Oscar returns a fresh none() each time, and each is compiled when iterated.
            if self._no_lines is None:
                self._no_lines = _known_empty_queryset(self.lines.model.objects.none())
            return self._no_lines
        if self._lines is None:
            self._lines = self._read_lines()
        return self._lines

    @classmethod
    def _line_query(cls):
        """The lines' query for any basket, built once per process (a queryset is only a
        description until it runs; each basket filters a copy): the lines with product, product
        class, parent and stock record, whether each has options and whether the basket has
        vouchers."""
        if "_line_query_built" not in cls.__dict__:
            line_model = cls.lines.rel.related_model
            attribute_model = line_model.attributes.rel.related_model
            vouchers_through = cls.vouchers.through
            cls._line_query_built = (
                line_model.objects.select_related(
                    "product__product_class", "product__parent__product_class", "stockrecord"
                )
                .annotate(
                    has_options=Exists(attribute_model.objects.filter(line=OuterRef("pk"))),
                    basket_has_vouchers=Exists(
                        vouchers_through.objects.filter(basket_id=OuterRef("basket_id"))
                    ),
                )
                .order_by("pk")
            )
        return cls.__dict__["_line_query_built"]

    # The two reads of a basket's lines, compiled to SQL once per process (shop.perf.compiled):
    # Django's compile of this six-table query took longer than PostgreSQL takes to run it.
    _lines_of = Compiled(lambda basket_id: Basket._line_query().filter(basket_id=basket_id))
    _open_anonymous_lines = Compiled(
        lambda basket_id: (
            Basket._line_query()
            .filter(basket_id=basket_id, basket__owner=None, basket__status=Basket.OPEN)
            .select_related("basket")
        )
    )

    def _read_lines(self):
        return self._keep_lines(self._lines_of(self.pk))

    def _keep_lines(self, lines):
        """Evaluate `lines` (this basket's) now, so num_lines/is_empty count them without a
        COUNT, and mark what the query said is not there: options, vouchers."""
        rows = list(lines)
        for line in rows:
            line.basket = self
        with_options = [line for line in rows if line.has_options]
        if with_options:
            prefetch_related_objects(with_options, "attributes")
        _known_empty([line for line in rows if not line.has_options], "attributes")
        if rows and not rows[0].basket_has_vouchers:
            _known_empty([self], "vouchers")
        if rows and self.line_images:
            _prefetch_images([line.product for line in rows])
        return lines

    @classmethod
    def open_anonymous_with_lines(cls, pk, line_images=True):
        """The open basket `pk` without owner (a basket cookie's), read with its lines in one
        query when it has any (else the basket alone); None when there is no such basket."""
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            return None
        lines = cls._open_anonymous_lines(pk)
        rows = list(lines)
        if rows:
            basket = rows[0].basket
        else:
            basket = cls.objects.filter(pk=pk, owner=None, status=cls.OPEN).first()
            if basket is None:
                return None
        basket.line_images = line_images
        basket._lines = basket._keep_lines(lines)
        return basket

    def _loaded_lines(self):
        """This request's lines when they have been read (None when not)."""
        if self._lines is None or self._lines._result_cache is None:
            return None
        return self._lines._result_cache

    def product_quantity(self, product):
        """Oscar sums the product's lines with a query; the lines are in memory already."""
        if self.id is None:
            return 0
        return sum(line.quantity for line in self.all_lines() if line.product_id == product.id)

    def add_product(self, product, quantity=1, options=None):
        """Oscar's add_product with short writes that commit without waiting for the disk: a
        basket line is not worth an fsync, and on a database crash at most the last fraction of
        a second of additions could be lost, never half of one (orders and payments commit
        synchronously as ever).
        - A new visitor's basket row and its line: one transaction.
        - A new line (with its options): one transaction.
        - More of a line the basket has: one UPDATE, its own transaction (BEGIN, SET LOCAL and
          COMMIT would cost three round trips, more than the fsync they save).
        Called inside a larger transaction (e.g. merging baskets at login) it is part of that."""
        if not self.id or self._loaded_lines() is None:
            try:
                with short_transaction():
                    return self._add_product(product, quantity, options)
            finally:
                self.created_now = False  # later writes may follow a page that showed it
        return self._add_product(product, quantity, options)

    def _add_product(self, product, quantity=1, options=None):
        """Oscar's add_product, finding the line among the lines in memory instead of asking
        the database (get_or_create), and keeping those lines up to date instead of reading
        them again for the offers that are applied next."""
        if not self.id:
            # A new visitor's basket: saved now, with no lines and no vouchers to read; nothing
            # of it can be cached yet (shop.basket.receivers.basket_to_expire).
            self.created_now = True
            self.save()
            self._lines = _known_empty_queryset(self.lines.order_by(self._meta.pk.name))
            _known_empty([self], "vouchers")
        lines = self._loaded_lines()
        if lines is None:
            return super().add_product(product, quantity, options)
        options = options or []
        price_currency = self.currency
        stock_info = self.get_stock_info(product, options)
        if not stock_info.price.exists:
            raise ValueError(f"Strategy hasn't found a price for product {product}")
        if price_currency and stock_info.price.currency != price_currency:
            raise ValueError(
                "Basket lines must all have the same currency. Proposed line has currency "
                f"{stock_info.price.currency}, while basket has currency {price_currency}"
            )
        if stock_info.stockrecord is None:
            raise ValueError(
                "Basket lines must all have stock records. Strategy hasn't found any stock "
                f"record for product {product}"
            )
        line_ref = self._create_line_reference(product, stock_info.stockrecord, options)
        defaults = {
            "quantity": max(0, quantity),
            "price_excl_tax": stock_info.price.excl_tax,
            "price_currency": stock_info.price.currency,
            "tax_code": stock_info.price.tax_code,
        }
        if stock_info.price.is_tax_known:
            defaults["price_incl_tax"] = stock_info.price.incl_tax

        line = next((line for line in lines if line.line_reference == line_ref), None)
        created = line is None
        if created:
            # Its own transaction, unless add_product or the caller opened one already.
            in_transaction = transaction.get_connection().in_atomic_block
            with nullcontext() if in_transaction else short_transaction():
                try:
                    # What get_or_create does once its SELECT found nothing: the unique
                    # (basket, line_reference) still settles a concurrent add of the same line.
                    with transaction.atomic(using=self._state.db):
                        line = self.lines.create(
                            line_reference=line_ref,
                            product=product,
                            stockrecord=stock_info.stockrecord,
                            **defaults,
                        )
                except IntegrityError:
                    created = False
                    line = self.lines.select_related("stockrecord").get(line_reference=line_ref)
                    line.product = product
                else:
                    for option in options:
                        line.attributes.create(option=option["option"], value=option["value"])
                    if not options:
                        _known_empty([line], "attributes")
        if not created:
            # Added in the database (quantity = quantity + n), not read-modify-write: two adds
            # of the same line at once both count (Oscar's line.save() kept only the last).
            updated = (
                type(line)
                .objects.filter(pk=line.pk)
                .update(quantity=Greatest(F("quantity") + quantity, Value(0)))
            )
            if not updated:
                # The line went since it was read (removed in another tab): add it anew.
                lines.remove(line)
                return self._add_product(product, quantity, options)
            line.quantity = max(0, line.quantity + quantity)
            # An update() sends no post_save: make the basket's cached summary and content stale
            # as a saved line would (shop.perf.receivers, shop.basket.receivers).
            post_save.send(sender=type(line), instance=line, created=False, update_fields=None)
        if all(line is not other for other in lines):
            lines.append(line)
            lines.sort(key=lambda other: other.pk)
        self.offer_applications = OfferApplications()
        for other in lines:
            other.clear_discount()
        self._lines_match_database = True
        return line, created

    add_product.alters_data = True
    add = add_product

    def reset_offer_applications(self):
        if self._lines_match_database and self._loaded_lines() is not None:
            self._lines_match_database = False
            self.offer_applications = OfferApplications()
            for line in self._loaded_lines():
                line.clear_discount()
            return
        self._lines_match_database = False
        super().reset_offer_applications()


def _prefetch_images(products):
    """The images of `products` and of their parents (a variant without images of its own shows
    its parent's, Product.get_all_images) in one query: prefetch_related takes one per path."""
    owners = products + [product.parent for product in products if product.parent_id]
    image_model = type(products[0]).images.rel.related_model
    by_product = defaultdict(list)
    for image in image_model.objects.filter(product_id__in={owner.pk for owner in owners}):
        by_product[image.product_id].append(image)
    _mark_read(owners, "images", lambda owner: by_product[owner.pk])


def _known_empty_queryset(queryset):
    """`queryset` marked as read and empty, without a query (as prefetch_related leaves it)."""
    return _read_as(queryset, [])


def _read_as(queryset, rows):
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    return queryset


def _mark_read(instances, name, rows_of):
    """Fill Django's prefetch cache of the related rows `name` of each instance with
    `rows_of(instance)`, as prefetch_related does after its query: the related managers drop this
    cache themselves when rows are added or removed through them (line.attributes.create,
    basket.vouchers.add)."""
    for instance in instances:
        queryset = getattr(instance, name).get_queryset()  # builds the query, does not run it
        cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
        cache[name] = _read_as(queryset, rows_of(instance))


def _known_empty(instances, name):
    """Mark the related rows `name` of `instances` as read and empty (see _mark_read)."""
    _mark_read(instances, name, lambda instance: [])


from oscar.apps.basket.models import *  # noqa: E402, F403  (Oscar's models; ours come first)
