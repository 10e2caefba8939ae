"""Price and stock on the search document (the facets read them), then fill every document.

The fill runs the live indexer SQL (shop.search.indexing), so it must be the last migration
of the document's columns: a later column needs its own migration that fills again.
"""

from django.db import migrations, models


def fill(apps, schema_editor):
    from shop.search.indexing import rebuild

    rebuild(connection=schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0004_product_search_document"),
        ("partner", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="productsearchdocument",
            name="in_stock",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="productsearchdocument",
            name="price",
            field=models.DecimalField(decimal_places=2, max_digits=12, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
