"""Oscar's basket, with its lines read in one query and adds of one line that all count.

Oscar reads a cookie basket, then its lines with their products and stock records, their options
and their products' images; then, per line, the product class (for the stock check) and a
variant's parent with its images, and the basket's vouchers for the offers. Here one query reads
the lines with product, product class, parent and stock record (and, for a cookie basket, the
basket row), and says whether the basket has vouchers and which lines have options, so neither
is asked for when there are none; the images of the products and of their parents are one more,
left out where no line is shown (the add-to-basket, shop.basket.views.BasketAddView).

An add (shop.basket.views.BasketAddView) reads no line and applies no offer: the basket row is
read with a shared lock (for_add), the quantities of its lines once for the form's checks (stock,
the basket's limit, its currency), then the line is one UPDATE of its quantity in the database or
one INSERT (add_product). Adds of one basket so wait for each other only on the same line, and
only from its UPDATE to their commit.
"""

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Prefetch, prefetch_related_objects
from django.utils.timezone import now
from oscar.apps.basket.abstract_models import AbstractBasket

# What an add's checks read of each line (Basket.quantities).
QUANTITY_FIELDS = ("line_reference", "product_id", "quantity", "price_currency")


class LineFull(Exception):
    """An add found no room left in the line (adds at once took the last of the stock): the
    message says how many can be bought."""


class Basket(AbstractBasket):
    # Whether the lines' product images are read with the lines (the pages that show them).
    line_images = True
    # Set by the basket middleware for an add (read with for_add, no line read): see add_product.
    locked_for_add = False
    created_by_add = False
    _quantities = None

    def all_lines(self):
        # Oscar's lines, read at once with what the stock check, the offers and the basket page
        # ask of them.
        if self.id is not None and self._lines is None:
            self._lines = self._with_related(self.lines_query().filter(basket=self))
        return super().all_lines()

    @classmethod
    def lines_query(cls):
        """Lines with product, product class, parent and stock record, whether each has options
        and whether its basket has vouchers."""
        line_model = cls.lines.rel.related_model
        return (
            line_model.objects.select_related(
                "product__product_class", "product__parent__product_class", "stockrecord"
            )
            .annotate(
                has_options=Exists(
                    line_model.attributes.rel.related_model.objects.filter(line=OuterRef("pk"))
                ),
                basket_has_vouchers=Exists(
                    cls.vouchers.through.objects.filter(basket_id=OuterRef("basket_id"))
                ),
            )
            .order_by("pk")
        )

    _open_with_quantities_query = None

    @classmethod
    def _open_with_quantities(cls):
        """Open baskets as rows of their fields, their lines' QUANTITY_FIELDS and the line's pk
        (one row per line, or one of NULLs), in basket order: built once per process (each add
        filters a copy), its joins are most of what building it costs. The lines are put in order
        by for_add: an ORDER BY through the join is compiled anew on every add (two fifths of the
        query's compiling, which the add pays in every request), a sort of a few rows costs
        nothing. The baskets stay ordered in SQL: their row locks are taken in that order."""
        if cls._open_with_quantities_query is None:
            fields = [field.attname for field in cls._meta.concrete_fields]
            cls._open_with_quantities_query = (
                cls.objects.filter(status=cls.OPEN)
                .order_by("pk")
                .values_list(*fields, *(f"lines__{name}" for name in QUANTITY_FIELDS), "lines__pk")
            )
        return cls._open_with_quantities_query

    @classmethod
    def for_add(cls, **filters) -> list:
        """The open baskets matching `filters` with their lines' quantities (quantities()), read
        in one query with a shared row lock on each basket (FOR KEY SHARE) until the transaction
        ends: adds to a basket take it together, while placing its order (FOR UPDATE,
        shop.checkout.services), merging or deleting it waits for them, and an add that waited
        finds it no longer open.

        Django's select_for_update() says only FOR UPDATE and FOR NO KEY UPDATE, which would make
        the adds of one basket wait for each other: the ORM's own SQL gets the lock clause."""
        fields = [field.attname for field in cls._meta.concrete_fields]
        rows = cls._open_with_quantities().filter(**filters)
        if connection.vendor == "postgresql":
            sql, params = rows.query.sql_with_params()
            table = connection.ops.quote_name(cls._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"{sql} FOR KEY SHARE OF {table}", params)
                rows = cursor.fetchall()
        # else SQLite (development), which has no row locks: its writes take turns.
        baskets = {}
        lines = []
        for row in rows:
            basket = baskets.get(row[0])
            if basket is None:
                basket = baskets[row[0]] = cls.from_db(connection.alias, fields, row[: len(fields)])
                basket._quantities = []
            if row[-1] is not None:  # a basket without lines has one row, of NULLs
                lines.append((row[-1], basket, tuple(row[len(fields) : -1])))
        for _pk, basket, quantities in sorted(lines, key=lambda line: line[0]):
            basket._quantities.append(quantities)
        return list(baskets.values())

    @classmethod
    def open_anonymous(cls, pk, *, line_images=True):
        """The open basket `pk` without owner (a basket cookie's), read with its lines in one
        query when it has any; None when there is no such basket."""
        lines = (
            cls.lines_query()
            .filter(basket_id=pk, basket__owner=None, basket__status=cls.OPEN)
            .select_related("basket")
        )
        rows = list(lines)
        if not rows:
            basket = cls.objects.filter(pk=pk, owner=None, status=cls.OPEN).first()
        else:
            basket = rows[0].basket
        if basket is not None:
            basket.line_images = line_images
            if rows:
                basket._lines = basket._with_related(lines)
        return basket

    def _with_related(self, lines):
        """`lines` (this basket's) read now, with their options, the basket's vouchers and the
        images of the products and their parents (a variant without images shows its
        parent's); an empty Prefetch says there are none without asking."""
        rows = list(lines)
        if not rows:
            return lines
        for line in rows:
            line.basket = self
        prefetch_related_objects([line for line in rows if line.has_options], "attributes")
        prefetch_related_objects(
            [line for line in rows if not line.has_options],
            Prefetch("attributes", queryset=rows[0].attributes.model.objects.none()),
        )
        if not rows[0].basket_has_vouchers:
            prefetch_related_objects(
                [self], Prefetch("vouchers", queryset=self.vouchers.model.objects.none())
            )
        if self.line_images:
            products = [line.product for line in rows if line.product is not None]
            prefetch_related_objects(
                products + [product.parent for product in products if product.parent_id],
                "images",
            )
        return lines

    def product_quantity(self, product):
        # Oscar sums the product's lines with a query; they have been read already (or, in an
        # add, their quantities have: quantities()).
        if self._lines is None and self.locked_for_add:
            return sum(q for _ref, pid, q, _cur in self.quantities() if pid == product.id)
        return sum(line.quantity for line in self.all_lines() if line.product_id == product.id)

    @property
    def num_items(self):
        if self._lines is None and self.locked_for_add:
            return sum(q for _ref, _pid, q, _cur in self.quantities())
        return super().num_items

    @property
    def currency(self):
        if self._lines is None and self.locked_for_add:
            return next((cur for *_rest, cur in self.quantities()), None)
        return super().currency

    def quantities(self) -> list[tuple[str, int, int, str]]:
        """(line reference, product id, quantity, currency) of each line, read once (the add's
        checks need no more of them)."""
        if self._quantities is None:
            if self.id is None:
                self._quantities = []
            else:
                self._quantities = list(self.lines.order_by("pk").values_list(*QUANTITY_FIELDS))
        return self._quantities

    def add_product(self, product, quantity=1, options=None):
        """Oscar's add_product, with adds of one line at once that all count: Oscar reads the
        line, adds to its quantity and saves it, so of two adds at once only one counted.

        In the add view the basket was read with for_add (shop.basket.middleware, `locked_for_add`)
        and its line quantities once, for the form's checks: the quantity is then added in the
        database (one UPDATE), or the line is one INSERT, and nothing is read again. Offers are
        not applied. Elsewhere the basket row is locked first, and Oscar's add runs."""
        if not self.locked_for_add:
            with transaction.atomic():
                if self.id:
                    type(self).objects.select_for_update().get(pk=self.pk)
                return super().add_product(product, quantity, options)
        options = options or []
        stock_info = self.get_stock_info(product, options)
        if not stock_info.price.exists or stock_info.stockrecord is None:
            # Oscar's add_product raises for these (the form refused them already).
            return super().add_product(product, quantity, options)
        reference = self._create_line_reference(product, stock_info.stockrecord, options)
        current = next((q for ref, _pid, q, _cur in self.quantities() if ref == reference), None)
        line = self.lines.model(
            basket=self,
            line_reference=reference,
            product=product,
            stockrecord=stock_info.stockrecord,
            quantity=(current or 0) + quantity,
        )
        # The most this line may hold: the form checked the stock against the quantities read,
        # and adds at once may have raised the line since; the UPDATE checks it again.
        available = getattr(stock_info.availability, "num_available", None)
        most = None
        if available is not None:
            most = available - (self.product_quantity(product) - (current or 0))
        if not self.id:
            self.save()
            self.created_by_add = True
            self._insert_line(line, stock_info, options)
            created = True
        elif current is not None and self._raise_line(reference, quantity, most):
            created = False
        else:
            # No line was read, or it was removed since (in another tab), or adds at once left no
            # room for this one. An add of the same line at once may insert it first: then this
            # one raises that line's quantity instead, if there is room.
            try:
                with transaction.atomic():
                    self._insert_line(line, stock_info, options)
                created = True
            except IntegrityError:
                if not self._raise_line(reference, quantity, most):
                    if most is None or not self.lines.filter(line_reference=reference).exists():
                        raise  # not a line without room: the INSERT failed for another reason
                    raise LineFull(
                        stock_info.availability.is_purchase_permitted(most + 1)[1]
                    ) from None
                created = False
        self._quantities = None
        self.reset_offer_applications()
        return line, created

    def _raise_line(self, reference: str, quantity: int, most: int | None) -> bool:
        """Add `quantity` to the line `reference` in the database (one statement, which holds that
        line's row until the commit), if it then holds no more than `most` (None: no limit);
        False when there is no such line or no room."""
        bounds = {} if most is None else {"quantity__lte": most - quantity}
        line_model = type(self).lines.rel.related_model
        lines = line_model.objects.filter(basket_id=self.pk, line_reference=reference, **bounds)
        return lines.update(quantity=F("quantity") + quantity, date_updated=now()) > 0

    def _insert_line(self, line, stock_info, options) -> None:
        """Write the new `line` with the stock record's price and its options (rows of its own)."""
        line.quantity = max(0, line.quantity)
        line.price_excl_tax = stock_info.price.excl_tax
        line.price_currency = stock_info.price.currency
        line.tax_code = stock_info.price.tax_code
        if stock_info.price.is_tax_known:
            line.price_incl_tax = stock_info.price.incl_tax
        line.save(force_insert=True)
        for option in options:
            line.attributes.create(option=option["option"], value=option["value"])

    add_product.alters_data = True
    add = add_product


from oscar.apps.basket.models import *  # noqa: E402, F403  (Oscar's models; ours come first)
