"""Stored, GIN-indexed search documents replace the query-time expression indexes of 0002.

Drops 0002's expression indexes (nothing queries those expressions any more, and every write
paid for them). 0005 fills the documents: the indexer's SQL writes columns added there.
"""

import importlib


import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from shop.search.operations import gin_indexes


def drop_expression_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in importlib.import_module("shop.migrations.0002_search_indexes").INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def restore_expression_indexes(apps, schema_editor):
    importlib.import_module("shop.migrations.0002_search_indexes").create(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0032_category_exclude_from_menu_category_long_description"),
        ("content", "0002_search_document"),
        ("shop", "0003_legal_pages"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProductSearchDocument",
            fields=[
                (
                    "product",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="catalogue.product",
                    ),
                ),
                ("document", django.contrib.postgres.search.SearchVectorField()),
                ("title", models.TextField(blank=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "zoekdocument",
                "verbose_name_plural": "zoekdocumenten",
            },
        ),
        gin_indexes(
            ("shop_psd_document_gin", "shop_productsearchdocument", "document"),
            ("shop_psd_title_trgm", "shop_productsearchdocument", "title gin_trgm_ops"),
        ),
        migrations.RunPython(drop_expression_indexes, restore_expression_indexes),
    ]
