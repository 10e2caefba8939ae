"""Stored search documents: products (shop.ProductSearchDocument) and the documents other apps
register (shop.search.providers: the Kennisbank's guides and FAQs).

Each function is one bulk SQL statement for any number of ids (None: all rows), so indexing a
whole catalogue costs what indexing one product does, plus the rows. The SQL is the single
definition of what a product document holds (a provider's, of its own); shop.search.engine only
reads the stored columns.

PostgreSQL only: on SQLite (the demo default) the search falls back to substring matching and
these functions do nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from django.conf import settings
from django.db import connection as default_connection
from django.db import transaction
from oscar.core.loading import get_model

from shop.catalogue.facts import MAGNESIUM_FORM_ATTRIBUTE
from shop.models import ProductSearchDocument
from shop.search import providers, text
from shop.search.models import SearchWord

AttributeOption = get_model("catalogue", "AttributeOption")
Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")

# Attribute texts that help a customer find a product ("poeder", "vegan", an ingredient) but
# weigh least: they are in the document with the description (weight C).
EXTRA_TEXT_ATTRIBUTES = ("dosage_form", "ingredients", "usage")


# The text search configuration and the unaccent every document is built with. A query must be
# parsed with the same two (shop.search.engine imports them), or its words would not meet the
# documents' stems. shop_unaccent is unaccent() made IMMUTABLE (migration shop 0002).
CONFIG = "dutch"
UNACCENT = "shop_unaccent"


def tsv(expression: str, weight: str) -> str:
    """The SQL of a weighted Dutch, unaccented tsvector of `expression` (a document's part)."""
    return (
        f"setweight(to_tsvector('{CONFIG}'::regconfig, {UNACCENT}(COALESCE({expression}, ''))), "
        f"'{weight}')"
    )


# Parents and standalone products; a child's own rows (pack size, stock) are not searched.
_PRODUCT_SQL = f"""
WITH gone AS (
    DELETE FROM shop_productsearchdocument d
    USING catalogue_product p
    WHERE d.product_id = p.id AND p.parent_id IS NOT NULL
      AND (%(all)s OR p.id = ANY(%(ids)s))
)
INSERT INTO shop_productsearchdocument
    (product_id, document, title, price, in_stock, updated_at)
SELECT p.id,
       {tsv("p.title", "A")} || {tsv("named.text", "B")}
           || {tsv("p.description || ' ' || COALESCE(extra.text, '')", "C")},
       lower({UNACCENT}(COALESCE(p.title, ''))),
       COALESCE(
           (SELECT s.price FROM partner_stockrecord s
            WHERE s.product_id = p.id AND s.price IS NOT NULL ORDER BY s.id LIMIT 1),
           (SELECT min(s.price) FROM partner_stockrecord s
            JOIN catalogue_product c ON c.id = s.product_id AND c.is_public
            WHERE c.parent_id = p.id)
       ),
       EXISTS (SELECT 1 FROM partner_stockrecord s
               WHERE s.product_id = p.id AND s.num_in_stock > COALESCE(s.num_allocated, 0))
       OR EXISTS (SELECT 1 FROM partner_stockrecord s
                  JOIN catalogue_product c ON c.id = s.product_id AND c.is_public
                  WHERE c.parent_id = p.id
                    AND s.num_in_stock > COALESCE(s.num_allocated, 0)),
       now()
FROM catalogue_product p
LEFT JOIN LATERAL (
    -- What the product is (its magnesium forms) and what it is for (its public categories
    -- and their public ancestors: "Magnesium > Ontspanning & slaap").
    SELECT string_agg(names.name, ' ') AS text FROM (
        SELECT o.option AS name
        FROM catalogue_productattributevalue v
        JOIN catalogue_productattribute a ON a.id = v.attribute_id AND a.code = %(form)s
        LEFT JOIN catalogue_productattributevalue_value_multi_option m
            ON m.productattributevalue_id = v.id
        JOIN catalogue_attributeoption o
            ON o.id = m.attributeoption_id OR o.id = v.value_option_id
        WHERE v.product_id = p.id
        UNION
        SELECT ancestor.name
        FROM catalogue_productcategory pc
        JOIN catalogue_category c ON c.id = pc.category_id AND c.is_public
        JOIN catalogue_category ancestor
            ON ancestor.is_public AND c.path LIKE ancestor.path || '%%'
        WHERE pc.product_id = p.id
    ) names
) named ON TRUE
LEFT JOIN LATERAL (
    SELECT string_agg(
        CASE WHEN a.type = 'boolean' THEN CASE WHEN v.value_boolean THEN a.name END
             ELSE COALESCE(o.option, v.value_text) END,
        ' ') AS text
    FROM catalogue_productattributevalue v
    JOIN catalogue_productattribute a ON a.id = v.attribute_id
    LEFT JOIN catalogue_attributeoption o ON o.id = v.value_option_id
    WHERE v.product_id = p.id AND (a.code = ANY(%(extra)s) OR a.type = 'boolean')
) extra ON TRUE
WHERE p.parent_id IS NULL AND (%(all)s OR p.id = ANY(%(ids)s))
ON CONFLICT (product_id) DO UPDATE
    SET document = EXCLUDED.document, title = EXCLUDED.title, price = EXCLUDED.price,
        in_stock = EXCLUDED.in_stock, updated_at = EXCLUDED.updated_at
"""


def run_document_sql(sql: str, ids: Iterable[int] | None, connection, **params) -> None:
    """Run an indexing statement for these ids (None: all rows; PostgreSQL only).

    The statement takes `%(all)s` (every row) and `%(ids)s` (an array) and the other `params`.
    """
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return
    ids = None if ids is None else sorted({int(i) for i in ids})
    if ids == []:
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, {"all": ids is None, "ids": ids or [], **params})


def product_index_update(*, product_ids: Iterable[int] | None, connection=None) -> None:
    """(Re)compute the search documents of these products (children: of nobody); None = all."""
    ids = product_ids
    if ids is not None:
        # A child's edit (its title, its attributes) changes what its parent is found by.
        ids = set(ids)
        ids |= set(
            Product.objects.filter(pk__in=ids, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
    run_document_sql(
        _PRODUCT_SQL,
        ids,
        connection,
        form=MAGNESIUM_FORM_ATTRIBUTE,
        extra=list(EXTRA_TEXT_ATTRIBUTES),
    )


def document_index_update(*, kind: str, ids: Iterable[int] | None, connection=None) -> None:
    """(Re)compute the stored search documents of these rows of a registered kind; None = all."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return
    ids = None if ids is None else sorted({int(i) for i in ids})
    providers.get(kind).index(ids=ids, connection=connection)
    if ids is not None:
        vocabulary_add(documents={kind: ids}, connection=connection)


# --- Vocabulary: the words a mistyped query word is corrected against ----------------------

VOCABULARY_MIN_LENGTH = 3
VOCABULARY_MAX_LENGTH = 40


def _vocabulary_texts(*, using: str, product_ids=None, documents=None, everything=False):
    """The texts whose words make the vocabulary: what the search shows (public products with
    their forms, attribute texts and categories; the published rows of each provider).
    `documents` maps a provider's kind to ids."""
    if everything or product_ids:
        products = Product.objects.using(using).filter(parent__isnull=True, is_public=True)
        values = ProductAttributeValue.objects.using(using).filter(
            product__parent__isnull=True, product__is_public=True, value_text__isnull=False
        )
        if not everything:
            products = products.filter(pk__in=product_ids)
            values = values.filter(product__in=product_ids)
        for title, description in products.values_list("title", "description").iterator():
            yield title
            yield description or ""
        yield from values.values_list("value_text", flat=True).iterator()
        if everything:
            yield from AttributeOption.objects.using(using).values_list("option", flat=True)
            yield from (
                Category.objects.using(using).filter(is_public=True).values_list("name", flat=True)
            )
    documents = documents or {}
    for provider in providers.providers():
        ids = documents.get(provider.kind)
        if everything or ids:
            rows = provider.published().using(using)
            if not everything:
                rows = rows.filter(pk__in=ids)
            yield from provider.vocabulary_texts(rows)


def _vocabulary_words(texts) -> set[str]:
    found: set[str] = set()
    for value in texts:
        for word in text.words(value or ""):
            if VOCABULARY_MIN_LENGTH <= len(word) <= VOCABULARY_MAX_LENGTH and not word.isdigit():
                found.add(word)
    return found


def vocabulary_add(*, product_ids=None, documents=None, connection=None) -> None:
    """Add the words of these products and documents ({kind: ids}) to the vocabulary (PostgreSQL only:
    nothing else corrects typos). Words are never removed here: a word whose only product went
    offline stays until the next rebuild, and a correction to it merely finds nothing."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return
    words = _vocabulary_words(
        _vocabulary_texts(using=connection.alias, product_ids=product_ids, documents=documents)
    )
    SearchWord.objects.using(connection.alias).bulk_create(
        [SearchWord(word=w) for w in sorted(words)], ignore_conflicts=True, batch_size=1000
    )


def vocabulary_rebuild(*, connection=None) -> None:
    """The whole vocabulary anew (rebuild_search_index)."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return
    if SearchWord._meta.db_table not in connection.introspection.table_names():
        return  # an earlier migration (shop 0005) rebuilding the documents before this app's
    words = _vocabulary_words(_vocabulary_texts(using=connection.alias, everything=True))
    SearchWord.objects.using(connection.alias).all().delete()
    SearchWord.objects.using(connection.alias).bulk_create(
        [SearchWord(word=w) for w in sorted(words)], ignore_conflicts=True, batch_size=1000
    )


def rebuild(*, connection=None) -> None:
    """Every product document and every provider's, e.g. after a bulk import that skipped
    signals."""
    product_index_update(product_ids=None, connection=connection)
    for provider in providers.providers():
        document_index_update(kind=provider.kind, ids=None, connection=connection)
    vocabulary_rebuild(connection=connection)
    connection = connection or default_connection
    if connection.vendor == "postgresql":
        tables = [ProductSearchDocument._meta.db_table]
        tables += [provider.model._meta.db_table for provider in providers.providers()]
        with connection.cursor() as cursor:
            # Fresh statistics, or the planner may test every document instead of reading
            # the GIN index (ANALYZE, unlike VACUUM, may run inside a transaction).
            cursor.execute(f"ANALYZE {', '.join(connection.ops.quote_name(t) for t in tables)}")


# --- Deferred product indexing -------------------------------------------------------------

logger = logging.getLogger(__name__)

_pending = threading.local()


def schedule_products(product_ids: Iterable[int]) -> None:
    """Index these products once the current transaction commits (at once without one).

    One Oscar dashboard save fires a dozen signals for one product (the product, each attribute
    value, each category); they all land in one set, indexed by one statement after the commit
    (the first callback takes the whole set, the others find it empty). A rolled-back
    transaction leaves its ids behind: the next commit re-indexes them too, which is harmless
    (the SQL reads the committed rows). Every call registers its own callback, so a write
    after a rollback is never left waiting for one that was discarded. With a task queue
    (CELERY_BROKER_URL) the statement runs in a worker instead (shop.search.tasks.index_products).
    """
    if default_connection.vendor != "postgresql":
        return
    ids = getattr(_pending, "ids", None)
    if ids is None:
        ids = _pending.ids = set()
    ids.update(int(i) for i in product_ids if i is not None)
    transaction.on_commit(_flush)


def _flush() -> None:
    ids = getattr(_pending, "ids", None)
    if not ids:
        return
    _pending.ids = set()
    if settings.CELERY_BROKER_URL:
        # Celery is an optional dependency (the `cluster` extra): imported only when configured.
        from shop.search.tasks import index_products

        try:
            index_products.apply_async(args=[sorted(ids)])
            return
        except Exception:  # noqa: BLE001 - a queue that is down must not fail the write
            logger.warning("Indexing of products %s not queued; done here", ids, exc_info=True)
    product_index_update(product_ids=ids)
    vocabulary_add(product_ids=ids)
