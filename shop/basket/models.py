"""Oscar's basket, with its lines read in one query and adds of one line that all count.

Oscar reads a cookie basket, then its lines with their products and stock records, their options
and their products' images; then, per line, the product class (for the stock check) and a
variant's parent with its images, and the basket's vouchers for the offers. Here one query reads
the lines with product, product class, parent and stock record (and, for a cookie basket, the
basket row), and says whether the basket has vouchers and which lines have options, so neither
is asked for when there are none; the images of the products and of their parents are one more.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from oscar.apps.basket.abstract_models import AbstractBasket


class Basket(AbstractBasket):
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
    def open_anonymous(cls, pk):
        """The open basket `pk` without owner (a basket cookie's), read with its lines in one
        query when it has any; None when there is no such basket."""
        lines = (
            cls.lines_query()
            .filter(basket_id=pk, basket__owner=None, basket__status=cls.OPEN)
            .select_related("basket")
        )
        rows = list(lines)
        if not rows:
            return cls.objects.filter(pk=pk, owner=None, status=cls.OPEN).first()
        basket = rows[0].basket
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
        products = [line.product for line in rows if line.product is not None]
        prefetch_related_objects(
            products + [product.parent for product in products if product.parent_id], "images"
        )
        return lines

    def product_quantity(self, product):
        # Oscar sums the product's lines with a query; they have been read already.
        return sum(line.quantity for line in self.all_lines() if line.product_id == product.id)

    def add_product(self, product, quantity=1, options=None):
        """Oscar's add_product with the basket row locked first: Oscar reads the line, adds to
        its quantity and saves it, so of two adds of one line at once only one counted. After
        the lock, its read of the line sees what an earlier add committed."""
        with transaction.atomic():
            if self.id:
                type(self).objects.select_for_update().get(pk=self.pk)
            else:
                self.save()
                self._lines = self.lines.none()  # a new basket: no lines to read
            return super().add_product(product, quantity, options)

    add_product.alters_data = True
    add = add_product


from oscar.apps.basket.models import *  # noqa: E402, F403  (Oscar's models; ours come first)
