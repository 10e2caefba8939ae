"""The title-and-names index of the product documents (shop_psd_head_gin, migration shop 0008)
on a function that tells the planner what it costs per row.

`_bounded` (shop.search.engine) reads "the shortest documents that match in their title or
names" either by walking shop_psd_length in length order, testing each document's A and B part,
or from this GIN index and sorting what it finds. The expression was ts_filter(document,
'{a,b}'), which PostgreSQL costs as one operator, but which copies the document's A and B
lexemes for every row it tests (2-3 µs each on this machine, fifty times an operator's cost).
The planner therefore walked the length index through thousands of documents whose names do
not match ("magnesium en mentaal welzijn" on catalogue L: 2,514 rows tested, 7.5 ms) where the
index and a sort of its 1,000 rows took 0.6 ms.

shop_head() is the same ts_filter, declared with COST 100 (PL/pgSQL, so it is not inlined and
the cost stays with it): the length walk is still chosen when nearly every short document
matches in its names, and the index otherwise. The statistics of the new index expression are
gathered at once (ANALYZE), or the planner would guess until autovacuum's next analyze.
PostgreSQL only (see shop.search.operations).
"""

from django.db import migrations

TABLE = "shop_productsearchdocument"
FUNCTION = """
CREATE OR REPLACE FUNCTION shop_head(tsvector) RETURNS tsvector
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 100
    AS $$ BEGIN RETURN ts_filter($1, '{a,b}'::"char"[]); END $$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute("DROP INDEX IF EXISTS shop_psd_head_gin")
    schema_editor.execute(
        f"CREATE INDEX shop_psd_head_gin ON {TABLE} USING gin (shop_head(document))"
    )
    schema_editor.execute(f"ANALYZE {TABLE}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS shop_psd_head_gin")
    schema_editor.execute(
        f"CREATE INDEX shop_psd_head_gin ON {TABLE} "
        "USING gin (ts_filter(document, '{a,b}'::\"char\"[]))"
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS shop_head(tsvector)")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_default_synonyms"),
        ("shop", "0008_search_bounded_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
