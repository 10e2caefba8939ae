"""The shop app's own tables: the stored search document of each searchable product."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class ProductSearchDocument(models.Model):
    """What the storefront search matches a product on, computed once per write.

    Written only by shop.search.indexing (bulk SQL), never by forms. Computing the Dutch
    vectors of long descriptions at query time cost seconds per search on 5,000 products; a
    stored, GIN-indexed document costs milliseconds. Parents and standalone products only:
    children are not browsable, their parent is what the search shows.

    On PostgreSQL `document` has a GIN index and `title` a trigram GIN index (created by SQL in
    migration 0004, not in Meta: SQLite cannot build them and would replay them on every
    table rebuild).
    """

    product = models.OneToOneField(
        "catalogue.Product",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    # title (A), magnesium forms + category names incl. ancestors (B), description and other
    # attribute texts (C); unaccented, `dutch` configuration.
    document = SearchVectorField()
    # The unaccented, lower-case title, for typo-tolerant trigram matching ("magnesuim").
    title = models.TextField(blank=True)
    # What the price and stock facets filter and count on, as the product card shows them: the
    # product's own price incl. btw or its cheapest public child's, and whether it (or a public
    # child) can be bought now. Stored so a facet over thousands of hits reads one row each.
    price = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    in_stock = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "zoekdocument"
        verbose_name_plural = "zoekdocumenten"

    def __str__(self) -> str:
        return self.title
