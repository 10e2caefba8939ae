"""A guide's stored search document is kept in its row, not in the TOAST table (PostgreSQL).

A guide's row holds its body and its search document (about 1.6 kB on catalogue XL). Past
PostgreSQL's 2 kB row threshold both were stored out of line, so the search page fetched every
matching guide's document from the TOAST table once per use (the match, the rank and each word's
test: five fetches per guide), 17 of the 18 ms its guides statement took on XL. With storage MAIN,
PostgreSQL moves the body out first and keeps the document in the row (compressed if it must):
5.5 ms. The existing documents are rewritten so that they are stored so too.
"""

from django.db import migrations


def keep_in_row(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE content_article ALTER COLUMN search_document SET STORAGE MAIN"
    )
    # A new value (the same lexemes) is stored anew, with the column's new storage.
    schema_editor.execute(
        "UPDATE content_article SET search_document = search_document || ''::tsvector "
        "WHERE search_document IS NOT NULL"
    )


def default_storage(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE content_article ALTER COLUMN search_document SET STORAGE EXTENDED"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0002_search_document"),
    ]

    operations = [
        migrations.RunPython(keep_in_row, default_storage),
    ]
