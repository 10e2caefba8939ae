"""Stored search documents: products (shop.ProductSearchDocument), guides and FAQs.

Each function is one bulk SQL statement for any number of ids (None: all rows), so indexing a
whole catalogue costs what indexing one product does, plus the rows. The SQL is the single
definition of what a document holds; shop.search.engine only reads the stored columns.

PostgreSQL only: on SQLite (the demo default) the search falls back to substring matching and
these functions do nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from django.db import connection as default_connection
from django.db import transaction

MAGNESIUM_FORM_ATTRIBUTE = "magnesium_form"
# Attribute texts that help a customer find a product ("poeder", "vegan", an ingredient) but
# weigh least: they are in the document with the description (weight C).
EXTRA_TEXT_ATTRIBUTES = ("dosage_form", "ingredients")


def _tsv(expression: str, weight: str) -> str:
    return (
        f"setweight(to_tsvector('dutch'::regconfig, shop_unaccent(COALESCE({expression}, ''))), "
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
       {_tsv("p.title", "A")} || {_tsv("named.text", "B")}
           || {_tsv("p.description || ' ' || COALESCE(extra.text, '')", "C")},
       lower(shop_unaccent(COALESCE(p.title, ''))),
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

_ARTICLE_SQL = f"""
UPDATE content_article SET search_document =
    {_tsv("title", "A")} || {_tsv("keywords::text", "B")}
    || {_tsv("lead || ' ' || body", "C")}
WHERE %(all)s OR id = ANY(%(ids)s)
"""

_FAQ_SQL = f"""
UPDATE content_faq SET search_document = {_tsv("question", "A")} || {_tsv("answer", "C")}
WHERE %(all)s OR id = ANY(%(ids)s)
"""


def _run(sql: str, ids: Iterable[int] | None, connection, **params) -> None:
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
        from oscar.apps.catalogue.models import Product

        ids = set(ids)
        ids |= set(
            Product.objects.filter(pk__in=ids, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
    _run(
        _PRODUCT_SQL,
        ids,
        connection,
        form=MAGNESIUM_FORM_ATTRIBUTE,
        extra=list(EXTRA_TEXT_ATTRIBUTES),
    )


def article_index_update(*, article_ids: Iterable[int] | None, connection=None) -> None:
    """(Re)compute the stored search documents of these guides; None = all."""
    _run(_ARTICLE_SQL, article_ids, connection)


def faq_index_update(*, faq_ids: Iterable[int] | None, connection=None) -> None:
    """(Re)compute the stored search documents of these FAQs; None = all."""
    _run(_FAQ_SQL, faq_ids, connection)


def rebuild(*, connection=None) -> None:
    """Every product, guide and FAQ document, e.g. after a bulk import that skipped signals."""
    product_index_update(product_ids=None, connection=connection)
    article_index_update(article_ids=None, connection=connection)
    faq_index_update(faq_ids=None, connection=connection)
    connection = connection or default_connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Fresh statistics, or the planner may test every document instead of reading
            # the GIN index (ANALYZE, unlike VACUUM, may run inside a transaction).
            cursor.execute("ANALYZE shop_productsearchdocument, content_article, content_faq")


# --- Deferred product indexing -------------------------------------------------------------

_pending = threading.local()


def schedule_products(product_ids: Iterable[int]) -> None:
    """Index these products once the current transaction commits (at once without one).

    One Oscar dashboard save fires a dozen signals for one product (the product, each attribute
    value, each category); they all land in one set, indexed by one statement after the commit
    (the first callback takes the whole set, the others find it empty). A rolled-back
    transaction leaves its ids behind: the next commit re-indexes them too, which is harmless
    (the SQL reads the committed rows). Every call registers its own callback, so a write
    after a rollback is never left waiting for one that was discarded.
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
    product_index_update(product_ids=ids)
