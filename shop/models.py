"""The shop app's own tables: the stored search document of each searchable product."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class ProductSearchDocument(models.Model):
    """What the storefront search matches a product on, computed once per write.

    Written only by shop.search.indexing (bulk SQL), never by forms. Computing the Dutch
    vectors of long descriptions at query time cost seconds per search on 5,000 products; a
    stored, GIN-indexed document costs milliseconds. Parents and standalone products only:
    children are not browsable, their parent is what the search shows.
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
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "zoekdocument"
        verbose_name_plural = "zoekdocumenten"
        indexes = [
            GinIndex(fields=["document"], name="shop_psd_document_gin"),
            GinIndex(OpClass("title", name="gin_trgm_ops"), name="shop_psd_title_trgm"),
        ]

    def __str__(self) -> str:
        return self.title
