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


@pytest.mark.django_db
def test_prepare_makes_the_customer_once_who_can_log_in_with_oscars_form(client):
    from django.contrib.auth import get_user_model

    catalogue.prepare_for_load()
    catalogue.prepare_for_load()

    users = get_user_model().objects.filter(email=catalogue.BENCH_CUSTOMER_EMAIL)
    assert users.count() == 1
    response = client.post(
        "/accounts/login/",
        {
            "login-username": catalogue.BENCH_CUSTOMER_EMAIL,
            "login-password": catalogue.BENCH_CUSTOMER_PASSWORD,
            "login_submit": "Log In",
        },
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(users.get().pk)


def _catalogue_result():
    run = report.parse_wrk(WRK_OUTPUT)
    slow = dict(run, rps=93.333, p50=150.0, p99=210.0, timeouts=0, non2xx=0)
    fast = dict(run, rps=3_000.0, p50=4.0, p99=12.0, timeouts=0, non2xx=0, errors=0)
    sql = {"cold": 30, "warm": 22, "writes": 1}
    return {
        "counts": {"ours": {"products": 40}},
        "shops": {
            "ours": {
                "load": {
                    "anon": {
                        "product": dict(run, bytes=14_900, status=200),
                        "private": dict(fast, bytes=120, status=200),
                    },
                    "cookie": {"basket_add": dict(run, status=302, units_added=40)},
                    "customer": {
                        "product": dict(fast, bytes=14_900, status=200),
                        "private": dict(fast, rps=480.0, bytes=2_100, status=200),
                        "basket_add": dict(fast, rps=600.0, status=302, units_added=45_000),
                    },
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
                        },
                        "private": {"cold": 0, "warm": 0, "writes": 0},
                    },
                    "customer": {
                        "product": {"cold": 10, "warm": 0, "writes": 0},
                        "private": {"cold": 5, "warm": 4, "writes": 0},
                    },
                },
            },
            "stock": {
                "load": {
                    "anon": {"product": dict(slow, bytes=30_270, status=200)},
                    "cookie": {"basket_add": dict(slow, status=302, units_added=14_010)},
                    "customer": {
                        "product": dict(slow, rps=50.0, bytes=31_000, status=200),
                        "basket_add": dict(slow, rps=100.0, status=302, units_added=1_000),
                    },
                },
                "queries": {"anon": {"product": sql}, "customer": {"product": sql}},
            },
        },
    }


def _cells(text: str, starts: str) -> list[str]:
    row = next(line for line in text.splitlines() if line.startswith(starts))
    return [c.strip() for c in row.strip("|").split("|")]


def test_wrk_output_is_parsed_into_rate_percentiles_and_failures():
    run = report.parse_wrk(WRK_OUTPUT)

    assert run["rps"] == 933.33
    assert (run["p50"], run["p99"]) == (11.5, 1200.0)
    assert (run["requests"], run["timeouts"], run["non2xx"]) == (14000, 3, 2)


def test_table_puts_ours_and_stock_side_by_side_with_the_ratio():
    text = report.table(_catalogue_result())
    guide_row = next(line for line in text.splitlines() if line.startswith("| guide ¹ |"))

    assert _cells(text, "| product | anonymous |") == [
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


def test_table_has_a_row_per_page_and_visitor_kind_with_the_kinds_of_a_page_together():
    text = report.table(_catalogue_result())
    labels = [_cells(line, "|")[:2] for line in text.splitlines()[2:]]

    assert labels[:3] == [
        ["product", "anonymous"],
        ["product", "customer"],
        ["guide ¹", "anonymous"],
    ]
    assert _cells(text, "| product | customer |")[2:5] == ["3,000", "50.0", "60.0×"]
    assert ["add to basket (POST)", "customer"] in labels


def test_private_parts_row_is_ours_only_without_a_ratio():
    text = report.table(_catalogue_result())

    assert _cells(text, "| private parts ² | anonymous |") == [
        "private parts ²",
        "anonymous",
        "3,000",
        "—",
        "—",
        "4.00 / 12.0",
        "—",
        "0",
        "—",
        "0.1",
        "—",
    ]
    assert _cells(text, "| private parts ² | customer |")[7] == "4 (cold 5)"


def _results(**catalogues):
    return {
        "meta": {
            "started": "2026-11-25 09:00 UTC",
            "host": "test",
            "cpus": 2,
            "wrk": "wrk -t2 -c16 -d15s --latency URL",
            "gunicorn": "-w 2 -k sync",
        },
        "catalogues": catalogues,
    }


def test_report_checks_the_issue_targets_on_catalogue_l():
    text = report.report(_results(L=_catalogue_result()))

    assert "## Catalogue L: 40 products" in text
    assert "### Targets of issue 13 (catalogue L, ours)" in text
    assert (
        "- FAIL product, anonymous: ≥ 850 req/s, p99 ≤ 30 ms: 933 req/s, p99 1,200 ms, 5 failed"
        in text
    )
    assert "- PASS product, customer: ≥ 850 req/s, p99 ≤ 30 ms: 3,000 req/s, p99 12.0 ms" in text
    assert "- PASS product, customer: ≥ 30× stock: 60.0× (3,000 vs 50.0 req/s)" in text
    assert "- FAIL product, anonymous: ≥ 30× stock: 10.0× (933 vs 93.3 req/s), 5 failed" in text
    assert "- FAIL home, customer: ≥ 850 req/s, p99 ≤ 30 ms: not measured" in text
    assert "- PASS private parts, anonymous: ≤ 3 SQL queries: 0 warm (cold 0)" in text
    assert "- FAIL private parts, customer: ≤ 3 SQL queries: 4 warm (cold 5)" in text
    assert "- FAIL private parts, customer: ≥ 500 req/s: 480 req/s" in text
    assert "- PASS add to basket (POST), customer: ≥ 5× stock: 6.0× (600 vs 100 req/s)" in text
    assert (
        "- PASS add to basket (POST), customer: every add counted: "
        "14,000 requests, 45,000 units added" in text
    )
    # Catalogue S did not run: cold counts cannot be compared.
    assert "- FAIL product, anonymous: cold SQL ≤ 12, the same on S and L: L 9, S not run" in text
    assert "- product, anonymous: 3× catalogue_productattribute, 2× partner_stockrecord" in text
    # A refused add also answers 302: the units that landed in the basket are checked.
    assert "- ✗ ours, basket cookie: 14,000 requests, 40 units added" in text
    assert "- ✓ stock, basket cookie: 14,000 requests, 14,010 units added" in text


def test_cold_sql_must_be_the_same_on_s_and_l():
    small = _catalogue_result()
    small["shops"]["ours"]["queries"]["customer"]["product"] = {"cold": 11, "warm": 0}

    text = report.report(_results(S=small, L=_catalogue_result()))

    assert "- PASS product, anonymous: cold SQL ≤ 12, the same on S and L: L 9, S 9" in text
    assert "- FAIL product, customer: cold SQL ≤ 12, the same on S and L: L 10, S 11" in text
    # Targets are checked on catalogue L only.
    assert text.count("### Targets of issue 13") == 1
