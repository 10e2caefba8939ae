"""The bench harness without wrk: its catalogue builder on a tiny catalogue, and its table."""

import pytest
from django.apps import apps
from oscar.apps.catalogue.models import AttributeOptionGroup, Category, Product, ProductClass

from bench import catalogue, report
from shop.partner.models import Partner

WRK_OUTPUT = """Running 15s test @ http://127.0.0.1:8201/catalogue/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.10ms    3.20ms  80.00ms   90.00%
  Latency Distribution
     50%   11.50ms
     75%   13.00ms
     90%   15.00ms
     99%    1.20s
  14000 requests in 15.00s, 200.00MB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 2
Requests/sec:    933.33
Transfer/sec:     13.33MB
"""


def test_plans_are_the_same_for_the_same_seed_and_differ_for_another():
    crumbs = catalogue.category_plan(catalogue.demo_breadcrumbs(), 50)
    first = catalogue.product_plan(n=30, breadcrumbs=crumbs)

    assert first == catalogue.product_plan(n=30, breadcrumbs=crumbs)
    assert first != catalogue.product_plan(n=30, breadcrumbs=crumbs, seed=1)
    assert len(crumbs) == len(set(crumbs)) == 50
    assert {p["category"] for p in first} <= set(catalogue.leaves(crumbs))


@pytest.mark.django_db
def test_builder_makes_the_totals_asked_for_with_guides_linked_to_the_bench_product():
    result = catalogue.build_ours(products=40, categories=10, guides=4, faqs=8)

    assert result["products"] == 40
    assert result["categories"] == 10
    assert (result["guides"], result["faqs"]) == (4, 8)
    bench_product = Product.objects.get(upc=catalogue.BENCH_UPC)
    article_model = apps.get_model("content", "Article")
    assert article_model.objects.published().filter(products=bench_product).exists()
    generated = Product.objects.filter(upc__startswith="BENCH-")
    assert generated.count() == 40 - 18
    assert all(p.stockrecords.count() == 1 and p.images.count() == 1 for p in generated)
    magnesium = generated.filter(categories__name="Sport & herstel").first()
    assert magnesium.attr.elemental_mg in (100, 120, 150, 200, 250)


@pytest.mark.django_db
def test_spec_loads_into_oscars_own_models_and_dumps_back_identical():
    catalogue.build_ours(products=25, categories=8, guides=1, faqs=5)
    spec = catalogue.dump_spec()
    # Empty the catalogue the way a fresh stock Oscar database is empty.
    Product.objects.all().delete()
    Category.objects.all().delete()
    ProductClass.objects.all().delete()
    AttributeOptionGroup.objects.all().delete()
    Partner.objects.all().delete()

    catalogue.load_spec(spec)

    assert catalogue.dump_spec() == spec
    assert len(spec["products"]) == 25 + 3  # 3 child products of the demo's parent


def _catalogue_result():
    run = report.parse_wrk(WRK_OUTPUT)
    slow = dict(run, rps=93.333, p50=150.0, p99=210.0, timeouts=0, non2xx=0)
    sql = {"cold": 30, "warm": 22, "writes": 1}
    return {
        "counts": {"ours": {"products": 40}},
        "shops": {
            "ours": {
                "load": {
                    "anon": {"product": dict(run, bytes=14_900, status=200)},
                    "cookie": {"basket_add": dict(run, status=302, units_added=40)},
                },
                "queries": {
                    "anon": {
                        "product": {
                            "cold": 9,
                            "warm": 9,
                            "writes": 0,
                            "repeated": [
                                [3, "catalogue_productattribute"],
                                [2, "partner_stockrecord"],
                            ],
                        }
                    }
                },
            },
            "stock": {
                "load": {
                    "anon": {"product": dict(slow, bytes=30_270, status=200)},
                    "cookie": {"basket_add": dict(slow, status=302, units_added=14_010)},
                },
                "queries": {"anon": {"product": sql}},
            },
        },
    }


def test_wrk_output_is_parsed_into_rate_percentiles_and_failures():
    run = report.parse_wrk(WRK_OUTPUT)

    assert run["rps"] == 933.33
    assert (run["p50"], run["p99"]) == (11.5, 1200.0)
    assert (run["requests"], run["timeouts"], run["non2xx"]) == (14000, 3, 2)


def test_table_puts_ours_and_stock_side_by_side_with_the_ratio():
    text = report.table(_catalogue_result())
    product_row = next(line for line in text.splitlines() if line.startswith("| product |"))
    guide_row = next(line for line in text.splitlines() if line.startswith("| guide ¹ |"))

    cells = [c.strip() for c in product_row.strip("|").split("|")]
    assert cells == [
        "product",
        "anonymous",
        "933",
        "93.3",
        "10.0×",
        "11.5 / 1,200 (3 timeouts) (2 failed)",
        "150 / 210",
        "9",
        "22 (cold 30, 1 write)",
        "14.9",
        "30.3",
    ]
    # No guide page in stock Oscar: its product page stands in, ours is missing here.
    assert "| – | 93.3 | – |" in guide_row


def test_report_checks_the_issue_targets_on_catalogue_l():
    results = {
        "meta": {
            "started": "2026-11-25 09:00 UTC",
            "host": "test",
            "cpus": 2,
            "wrk": "wrk -t2 -c16 -d15s --latency URL",
            "gunicorn": "-w 2 -k sync",
        },
        "catalogues": {"L": _catalogue_result()},
    }

    text = report.report(results)

    assert "## Catalogue L: 40 products" in text
    assert "- ✗ product, anonymous: ≥ 850 req/s, p99 ≤ 30 ms: 933 req/s, p99 1,200 ms" in text
    assert "- ✓ product, anonymous: ≤ 12 SQL queries: 9" in text
    assert "- product, anonymous: 3× catalogue_productattribute, 2× partner_stockrecord" in text
    # A refused add also answers 302: the units that landed in the basket are checked.
    assert "- ✗ ours, basket cookie: 14,000 requests, 40 units added" in text
    assert "- ✓ stock, basket cookie: 14,000 requests, 14,010 units added" in text
