"""The indexes shop 0006 adds for the listings (found with bench/explain.py on catalogue L): they
exist with the columns and order the listing queries need, and the planner can serve the
listing's own SQL from them (so a change to the listing's order or filter that the index no
longer fits fails here, not silently in production)."""

import pytest
from django.db import connection
from django.db.models import Index
from django.test.utils import CaptureQueriesContext
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.apps.catalogue.models import ProductCategory

from shop.search.listing import listing_ids
from tests.factories import make_supplement

pytestmark = pytest.mark.django_db

POPULAR = "shop_product_browse_popular"
CATEGORY_PRODUCT = "shop_productcategory_category_product"


def _index(table: str, name: str) -> dict:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    assert name in constraints, f"index {name} missing on {table}"
    return constraints[name]


def _predicate(name: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_expr(i.indpred, i.indrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = %s",
            [name],
        )
        return cursor.fetchone()[0]


def _plan_without_seq_scans(sql: str) -> str:
    """The plan of `sql` when Seq Scans and Sorts are ruled out as long as anything else can
    answer (the test tables are tiny, and with a few rows any other index plus a sort costs the
    same; on catalogue L the planner picks these indexes by itself, see
    bench/results/explain.md). A Sort left in the plan means no index gives the listing order."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def _listing_sql(categories=None) -> str:
    with CaptureQueriesContext(connection) as ctx:
        listing_ids(categories)
    (sql,) = [q["sql"] for q in ctx.captured_queries]
    return sql


def test_popular_listing_index_exists_with_the_listing_order_and_filter():
    index = _index("catalogue_product", POPULAR)
    assert index["index"] and index["type"] == Index.suffix and not index["unique"]  # btree
    assert index["columns"] == ["rating", "title", "id"]
    assert index["orders"] == ["DESC", "ASC", "ASC"]
    # Product.objects.browsable(): public parents and standalone products only.
    assert _predicate(POPULAR) == "(is_public AND (parent_id IS NULL))"


def test_category_product_index_exists_category_first():
    index = _index("catalogue_productcategory", CATEGORY_PRODUCT)
    assert index["index"] and index["type"] == Index.suffix and not index["unique"]  # btree
    assert index["columns"] == ["category_id", "product_id"]
    assert _predicate(CATEGORY_PRODUCT) is None


def test_home_listing_is_read_in_index_order_without_a_sort():
    make_supplement(upc="MG-IDX-1")
    make_supplement(upc="MG-IDX-2")
    plan = _plan_without_seq_scans(_listing_sql())
    assert f"Index Only Scan using {POPULAR} on catalogue_product" in plan, plan
    assert "Sort" not in plan, plan


def test_collection_listing_reads_products_and_category_links_from_the_indexes():
    category = create_from_breadcrumbs("Magnesium > Slaap")
    for i in range(2):
        ProductCategory.objects.create(
            product=make_supplement(upc=f"MG-IDX-C{i}"), category=category
        )
    plan = _plan_without_seq_scans(_listing_sql(category.get_descendants_and_self()))
    assert f"using {POPULAR} on catalogue_product" in plan, plan
    assert f"using {CATEGORY_PRODUCT} on catalogue_productcategory" in plan, plan
