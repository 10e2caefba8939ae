"""Oscar's basket, with its lines read in one query and adds of one line that all count.

Oscar reads a cookie basket, then its lines with their products and stock records, their options
and their products' images; then, per line, the product class (for the stock check) and a
variant's parent with its images, and the basket's vouchers for the offers. Here one query reads
the lines with product, product class, parent and stock record (and, for a cookie basket, the
basket row), and says whether the basket has vouchers and which lines have options, so neither
is asked for when there are none; the images of the products and of their parents are one more,
left out where no line is shown (the add-to-basket, shop.basket.views.BasketAddView).

An add (shop.basket.views.BasketAddView) reads no line and applies no offer: the basket row is
read locked, the quantities of its lines once for the form's checks (stock, the basket's limit,
its currency), then the line is one UPDATE or one INSERT (add_product).
"""

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Prefetch, prefetch_related_objects
from django.utils.timezone import now
from oscar.apps.basket.abstract_models import AbstractBasket


class Basket(AbstractBasket):
    # Whether the lines' product images are read with the lines (the pages that show them).
    line_images = True
    # Set by the basket middleware for an add (read locked, no line read): see add_product.
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
                self._quantities = list(
                    self.lines.order_by("pk").values_list(
                        "line_reference", "product_id", "quantity", "price_currency"
                    )
                )
        return self._quantities

    def add_product(self, product, quantity=1, options=None):
        """Oscar's add_product with the basket row locked first: Oscar reads the line, adds to
        its quantity and saves it, so of two adds of one line at once only one counted.

        In the add view the basket was read locked (shop.basket.middleware, `locked_for_add`)
        and its line quantities once, for the form's checks: the line is then one UPDATE of
        its quantity, or one INSERT, and nothing is read again. Offers are not applied."""
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
        if not self.id:
            self.save()
            self.created_by_add = True
        if current is not None:
            # One statement; the quantity is added in the database (the row lock is the
            # basket's, held since it was read).
            self.lines.filter(line_reference=reference).update(
                quantity=F("quantity") + quantity, date_updated=now()
            )
            line = self.lines.model(
                basket=self,
                line_reference=reference,
                product=product,
                stockrecord=stock_info.stockrecord,
                quantity=current + quantity,
            )
            created = False
        else:
            prices = {
                "price_excl_tax": stock_info.price.excl_tax,
                "price_currency": stock_info.price.currency,
                "tax_code": stock_info.price.tax_code,
            }
            if stock_info.price.is_tax_known:
                prices["price_incl_tax"] = stock_info.price.incl_tax
            line = self.lines.create(
                line_reference=reference,
                product=product,
                stockrecord=stock_info.stockrecord,
                quantity=max(0, quantity),
                **prices,
            )
            for option in options:
                line.attributes.create(option=option["option"], value=option["value"])
            created = True
        self._quantities = None
        self.reset_offer_applications()
        return line, created

    add_product.alters_data = True
    add = add_product


from oscar.apps.basket.models import *  # noqa: E402, F403  (Oscar's models; ours come first)
