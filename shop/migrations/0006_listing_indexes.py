"""Two indexes for the product listings' default order (home and collection pages).

Found with `python -m bench.explain` on catalogue L (5,000 products; figures in bench/EXPLAIN.md).
Both tables are Oscar's (its catalogue app is not forked), so the indexes are created here by SQL
rather than in a model's Meta. Both statements are valid on SQLite too.

1. shop_product_browse_popular: the listing reads the ids of every browsable product
   (`is_public AND parent_id IS NULL`, Product.objects.browsable()) in the order
   `rating DESC, title, id` (ListingSortForm.ORDERINGS["populair"]). Without it: a Seq Scan of
   catalogue_product and a Sort of all 5,000 rows. This partial index holds exactly those rows in
   that order with every column the query reads, so PostgreSQL answers with an Index Only Scan
   and no Sort. Keep it in step with that ordering; tests/perf/test_indexes.py checks the plan.

2. shop_productcategory_category_product: the collection's ids are those products whose
   category is in the category's subtree. Oscar's index on category_id alone needs a heap visit
   per row, so the planner read all 5,018 product-category rows (Seq Scan) and hashed them; with
   (category_id, product_id) it reads only the subtree's rows from the index (Index Only Scan).

Index Only Scans rely on the visibility map that VACUUM (autovacuum, in production) maintains;
on a freshly bulk-loaded table that was never vacuumed the planner keeps the Seq Scans.
"""

from django.db import migrations

POPULAR = "shop_product_browse_popular"
CATEGORY_PRODUCT = "shop_productcategory_category_product"


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0005_search_document_price_stock"),
        ("catalogue", "0032_category_exclude_from_menu_category_long_description"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {POPULAR} ON catalogue_product "
            "(rating DESC, title, id) WHERE is_public AND parent_id IS NULL",
            reverse_sql=f"DROP INDEX IF EXISTS {POPULAR}",
        ),
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {CATEGORY_PRODUCT} ON catalogue_productcategory "
            "(category_id, product_id)",
            reverse_sql=f"DROP INDEX IF EXISTS {CATEGORY_PRODUCT}",
        ),
    ]
