# Stored Dutch search documents for guides and FAQs (filled by shop 0004 and the services).

import django.contrib.postgres.search
from django.db import migrations

from shop.search.operations import gin_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0032_category_exclude_from_menu_category_long_description"),
        ("content", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="faq",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        # GIN indexes on PostgreSQL only, outside the migration state (see the helper).
        gin_indexes(
            ("content_article_search_gin", "content_article", "search_document"),
            ("content_faq_search_gin", "content_faq", "search_document"),
        ),
    ]
