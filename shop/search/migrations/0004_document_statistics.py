"""Finer statistics of the product documents' words, so the planner knows a rare word is rare.

ANALYZE keeps the most common words of a tsvector column with their frequencies and treats every
word not on that list as half as frequent as the rarest one listed. With the default statistics
target (100) the list stopped at words in 2% of the documents, so each unlisted word was
guessed at 1%, and a question's alternatives ORed together ("doet", "geheugen" with its
synonyms "concentratie", "focus", "hersenen", compounds) at several percent. On catalogue XL
"wat doet magnesium voor je geheugen" was estimated at 1,733 of 50,000 documents, so
_bounded (shop.search.engine) walked shop_psd_length for the 501 shortest and tested all
50,000 (none matches: 75-84 ms) where the GIN index answers in 0.2 ms. At 1,000 the list goes down to
words in 0.25% of the documents (ANALYZE then reads up to 300,000 rows: 0.3 s on XL). The same
for the title-and-names index (shop_psd_head_gin, whose expression has statistics of its own).
PostgreSQL only (see shop.search.operations).
"""

from django.db import migrations

TABLE = "shop_productsearchdocument"
TARGET = 1000


def set_target(target: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN document SET STATISTICS {target}")
        schema_editor.execute(
            f"ALTER INDEX shop_psd_head_gin ALTER COLUMN 1 SET STATISTICS {target}"
        )
        schema_editor.execute(f"ANALYZE {TABLE}")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_head_index_costed"),
    ]

    operations = [migrations.RunPython(set_target(TARGET), set_target(-1))]
