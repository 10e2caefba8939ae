"""The title-and-names index of the product documents on the stored column `head` (shop 0009)
instead of the expression shop_head(document) (migration 0003).

`_bounded` (shop.search.engine) reads "the shortest documents that match in their title or
names" from this GIN index or, when nearly every short document matches ("magnesium" on
catalogue XL), by walking shop_psd_length and testing each document's names. As an expression
that test copied each document's A and B lexemes (ts_filter in a PL/pgSQL function, declared
COST 100 so the planner knew it was dear): on catalogue XL "magnesium" walked 3,776 documents
in 11-12 ms, where testing the stored column takes about 6 (the walk alone about 3).
PostgreSQL keeps the column in step with `document` (a stored generated column), so the
function is dropped. Its words get the statistics target the document has (migration 0004),
and are gathered at once.
PostgreSQL only (see shop.search.operations).
"""

from django.db import migrations

TABLE = "shop_productsearchdocument"
TARGET = 1000
FUNCTION = """
CREATE OR REPLACE FUNCTION shop_head(tsvector) RETURNS tsvector
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 100
    AS $$ BEGIN RETURN ts_filter($1, '{a,b}'::"char"[]); END $$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS shop_psd_head_gin")
    schema_editor.execute("DROP FUNCTION IF EXISTS shop_head(tsvector)")
    schema_editor.execute(f"CREATE INDEX shop_psd_head_gin ON {TABLE} USING gin (head)")
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN head SET STATISTICS {TARGET}")
    schema_editor.execute(f"ANALYZE {TABLE}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS shop_psd_head_gin")
    schema_editor.execute(FUNCTION)
    schema_editor.execute(
        f"CREATE INDEX shop_psd_head_gin ON {TABLE} USING gin (shop_head(document))"
    )
    schema_editor.execute(f"ALTER INDEX shop_psd_head_gin ALTER COLUMN 1 SET STATISTICS {TARGET}")
    schema_editor.execute(f"ANALYZE {TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_document_statistics"),
        ("shop", "0009_search_document_head"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
