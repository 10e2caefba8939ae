"""Oscar's basket, with its lines read in one query and adds of one line that all count.

Oscar reads a cookie basket, then its lines with their products and stock records, their options
and their products' images; then, per line, the product class (for the stock check) and a
variant's parent with its images, and the basket's vouchers for the offers. Here one query reads
the lines with product, product class, parent and stock record (and, for a cookie basket, the
basket row), and says whether the basket has vouchers and which lines have options, so neither
is asked for when there are none; the images of the products and of their parents are one more,
left out where no line is shown (the add-to-basket, shop.basket.views.BasketAddView).

After an add Oscar drops the lines it has read and reads them again to apply the offers once
more (BasketMessageGenerator): when the add changed the quantity of a line already read, that
line is updated in memory instead, so the re-application needs no second read.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from oscar.apps.basket.abstract_models import AbstractBasket


class Basket(AbstractBasket):
    # Whether the lines' product images are read with the lines (the pages that show them).
    line_images = True
    # Set by add_product when the lines in memory are what the database holds after the add:
    # the next reset_offer_applications() (Oscar's re-application of the offers) keeps them.
    _lines_current = False

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
        # Oscar sums the product's lines with a query; they have been read already.
        return sum(line.quantity for line in self.all_lines() if line.product_id == product.id)

    def add_product(self, product, quantity=1, options=None):
        """Oscar's add_product with the basket row locked first: Oscar reads the line, adds to
        its quantity and saves it, so of two adds of one line at once only one counted. After
        the lock, its read of the line sees what an earlier add committed."""
        lines_before = self._lines
        with transaction.atomic():
            if self.id:
                type(self).objects.select_for_update().get(pk=self.pk)
            else:
                self.save()
                self._lines = lines_before = self.lines.none()  # a new basket: no lines to read
                # nor vouchers: the offers' look-up of them needs no query
                prefetch_related_objects(
                    [self], Prefetch("vouchers", queryset=self.vouchers.model.objects.none())
                )
            line, created = super().add_product(product, quantity, options)
        self._keep_lines(lines_before, line, created)
        return line, created

    def _keep_lines(self, lines_before, line, created) -> None:
        """After an add: the lines read before it, with the added line's new quantity, when it
        was one of them (Oscar has dropped them and would read them all again); else they are
        read again when next asked for."""
        kept = None
        if not created and lines_before is not None:
            # Read already (all_lines evaluates them), so this asks nothing.
            kept = next((row for row in lines_before if row.pk == line.pk), None)
        if kept is None:
            self._lines, self._lines_current = None, False
            return
        kept.quantity, kept.date_updated = line.quantity, line.date_updated
        self._lines, self._lines_current = lines_before, True

    def reset_offer_applications(self):
        # Oscar drops the lines so that they are read again without discounts; right after an
        # add that kept them up to date (_keep_lines), their discounts are cleared instead.
        lines, current = self._lines, self._lines_current
        super().reset_offer_applications()
        self._lines_current = False
        if current and lines is not None:
            for line in lines:
                line.clear_discount()
            self._lines = lines

    add_product.alters_data = True
    add = add_product


from oscar.apps.basket.models import *  # noqa: E402, F403  (Oscar's models; ours come first)
