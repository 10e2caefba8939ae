"""The title and names part of each product's search document as a stored generated column
(`head`), so the search tests and indexes a column rather than an expression that copies the
document's A and B lexemes for every row (search 0005 moves the GIN index onto it). PostgreSQL
fills it for the existing rows when the column is added."""

import django.contrib.postgres.search
import shop.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('shop', '0008_search_bounded_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='productsearchdocument',
            name='head',
            field=models.GeneratedField(db_persist=True, expression=shop.models.NamesPart('document'), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
    ]
