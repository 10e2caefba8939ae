"""Two indexes that let the search page pick the hits worth ranking without ranking them all
(shop.search.engine._bounded; issues 20 and 17: "magnesium" matches every product of catalogue
XL, and ranking 50,000 stored documents cost 50 ms of SQL before the page did anything else).

1. shop_psd_length: the stored documents by their number of words (`length(document)`, the
   length ts_rank normalises by). A broad query reads the shortest matching documents from it and
   stops after the first few hundred; a narrow one is answered from the GIN index as before.
2. shop_psd_head_gin: the title and name part of each document (weights A and B:
   `ts_filter(document, '{a,b}')`), so "the hits that match in their title or names" is a GIN
   lookup and not a test of every document.

Expression indexes on the stored column: no new column, and the indexer writes nothing more. The
GIN one is PostgreSQL only (shop.search.operations.gin_indexes); the btree one too, as the
search that reads it (SQLite has no tsvector).
"""

from django.db import migrations

from shop.search.operations import gin_indexes


def length_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS shop_psd_length ON shop_productsearchdocument "
            "(length(document), product_id)"
        )


def drop_length_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS shop_psd_length")


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0007_legal_pages_2026"),
    ]

    operations = [
        migrations.RunPython(length_index, drop_length_index),
        gin_indexes(
            (
                "shop_psd_head_gin",
                "shop_productsearchdocument",
                "ts_filter(document, '{a,b}'::\"char\"[])",
            ),
        ),
    ]
