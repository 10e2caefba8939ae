"""The search page: groups, facets, fixed query count, bad input, SQLite fallback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.apps.catalogue.models import Product
from oscar.test.factories import create_product

from content import services
from shop.catalogue.facts import price_per_day_expression
from shop.partner.strategy import shown_price

pytestmark = pytest.mark.django_db


def test_search_page_shows_products_guides_and_faqs_in_labelled_groups(client, search_shop):
    response = client.get("/search/", {"q": "magnesium slapen"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="search-products">Producten' in html
    assert '<h2 id="search-guides">Gidsen</h2>' in html
    assert '<h2 id="search-faqs">Veelgestelde vragen</h2>' in html
    assert "Beter slapen met magnesium" in html
    assert "Wanneer neem ik magnesium in voor het slapen?" in html
    assert "Magnesium Slaapgeheim" not in html  # not public
    assert "Geheime conceptvraag" not in html  # draft


def test_the_guides_and_faqs_shown_are_read_without_their_texts_and_documents(client, search_shop):
    # The page shows a guide's title and lead and a FAQ's question with its guide's title and
    # link. A guide's body and every stored search document are long texts, read and decoded
    # for nothing (8 guides and 8 FAQs, each FAQ with its guide, on each search page).
    with CaptureQueriesContext(connection) as searched:
        response = client.get("/search/", {"q": "magnesium slapen"})
    html = response.content.decode()
    assert "Beter slapen met magnesium" in html
    assert "Wanneer neem ik magnesium in voor het slapen?" in html
    statements = [
        q["sql"]
        for q in searched
        if re.search(r'FROM "content_(article|faq)"', q["sql"]) and "ts_rank" in q["sql"]
    ]
    assert len(statements) == 2
    for sql in statements:
        columns = re.sub(r'ts_rank\(.*?\) AS "relevance"', "", sql.split(" FROM ")[0])
        assert "search_document" not in columns and '"body"' not in columns, columns
        assert '"answer"' not in columns


def test_facets_filter_products_by_form_purpose_price_and_stock(client, search_shop):
    base = {"q": "magnesium"}
    upcs = lambda r: {p.upc for p in r.context["products"]}  # noqa: E731
    assert upcs(client.get("/search/", {**base, "vorm": "citraat"})) == {
        "MG-CIT-150",
        "MG-CIT-PDR",
        "MG-CPX-3IN1",
    }
    assert upcs(client.get("/search/", {**base, "doel": "poeder-en-vloeibaar"})) == {
        "MG-CIT-PDR",
        "MG-CHL-DRP",
    }
    cheap = upcs(client.get("/search/", {**base, "prijs": "tot-10"}))
    assert cheap == {"MG-CIT-150", "MG-OXI-400", "MG-OXI-250"}
    response = client.get("/search/", {**base, "vorm": "oxide"})
    facets = response.context["facets"]
    assert {i.value: i.count for i in facets["forms"]}["oxide"] == 2
    assert facets["stock"][0].count == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL search")
def test_unfiltered_facets_count_the_hits_by_their_ids_as_the_filters_find_them(
    client, search_shop
):
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        facets = client.get("/search/", {"q": "magnesium"}).context["facets"]

    counting = [q["sql"] for q in ctx.captured_queries if "COUNT(DISTINCT" in q["sql"]]
    assert len(counting) == 2
    for sql in counting:  # the hit ids go to the facet's table, not through the product table
        assert '"product_id" = ANY(' in sql
        assert '"catalogue_product" U0' not in sql
    for name, items in (("vorm", facets["forms"]), ("doel", facets["purposes"])):
        assert items
        for item in items:
            filtered = client.get("/search/", {"q": "magnesium", name: item.value})
            assert filtered.context["paginator"].count == item.count, (name, item.value)


def test_sort_by_price_and_price_per_day(client, search_shop):
    by_price = client.get("/search/", {"q": "magnesium", "sort_by": "prijs-oplopend"})
    # The shown price (the cards no longer carry the sorts' listing price).
    ids = [p.pk for p in by_price.context["products"]]
    shown = dict(
        Product.objects.filter(pk__in=ids).annotate(price=shown_price()).values_list("pk", "price")
    )
    prices = [shown[pk] for pk in ids]
    assert prices == sorted(prices)
    per_day = client.get("/search/", {"q": "magnesium", "sort_by": "prijs-per-dag"})
    # From the database too: a card whose HTML is cached comes without the product's row
    # (shop.search.listing.StoredCard).
    ids = [p.pk for p in per_day.context["products"]]
    daily = dict(
        Product.objects.filter(pk__in=ids)
        .annotate(daily=price_per_day_expression())
        .values_list("pk", "daily")
    )
    values = [daily[pk] for pk in ids if daily[pk]]
    assert values == sorted(values) and len(values) > 5


def test_bad_input_gets_a_dutch_message_not_a_500(client, search_shop):
    response = client.get("/search/", {"q": "x" * 500, "prijs": "gratis", "sort_by": "zz"})
    assert response.status_code == 200
    assert "kon niet worden gebruikt" in response.content.decode()
    response = client.get("/search/", {"q": "magnesium", "page": "999"})
    assert response.status_code == 404  # the first page, with the message (a shared page)
    assert "Dat paginanummer bestaat niet." in response.content.decode()
    assert response.context["page"].number == 1


def _product(n: int, word: str):
    return create_product(
        upc=f"Q-{word}-{n}", title=f"Magnesium {word} {n}", price="9.95", num_in_stock=3
    )


def _count_queries(client, q: str) -> int:
    cache.clear()
    client.get("/search/", {"q": q})  # warm up per-process caches (site, content types)
    cache.clear()  # but measure a search, not its cached results (shop.search.views.search)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return len(ctx), response


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL search")
def test_search_costs_the_same_number_of_queries_for_1_and_20_hits(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # index as a commit would
        _product(1, "eenling")
        for n in range(20):
            _product(n, "twintig")
    for word in ["eenling", "twintig"]:
        article = services.article_create(
            slug=f"gids-{word}", title=f"Gids {word}", body=word, keywords=[word]
        )
        services.article_publish(article=article)
    one, response_one = _count_queries(client, "eenling")
    twenty, response_twenty = _count_queries(client, "twintig")
    assert response_one.context["paginator"].count == 1
    assert response_twenty.context["paginator"].count == 20
    print(f"\nsearch page queries: {one} (1 hit) / {twenty} (20 hits)")
    assert one == twenty


def test_sqlite_fallback_finds_a_product_name_and_a_guide_title(tmp_path):
    """Runs the engine for real on SQLite, in a subprocess with its own database file."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fallback.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    root = Path(settings.BASE_DIR)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True)
    script = root / "tests" / "search" / "sqlite_fallback_check.py"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script.read_text()],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "vendor=sqlite" in result.stdout
    assert "product=MG-THR-144" in result.stdout
    assert "guide=spierkrampen" in result.stdout
    # Issue 20: international names and units work there too, and nothing fails.
    pages = dict(
        line[5:].split("=", 1) for line in result.stdout.splitlines() if line.startswith("page ")
    )
    assert (
        pages["magnesium malate"].startswith("200 ") and "MG-MAL-150" in pages["magnesium malate"]
    )
    assert pages["fish oil"] == "200 AAN-OMEGA3"
    assert "MG-MAL-150" in pages["malaat xqzvw"]  # relaxed: one word fewer required
    assert pages["qqqqqq"].strip() == "200"
    assert "MG-BIS-200" in pages["magnesium 200mg"]
    assert "suggest=200" in result.stdout and "Glycinaat" in result.stdout


def test_every_page_header_carries_the_suggestions_combobox_once_and_nothing_personal(
    client, search_shop
):
    script = 'src="/static/shop/js/search-suggest.js" defer data-suggest-url="/search/suggesties/"'
    for path in ("/", "/search/?q=magnesium"):
        html = client.get(path).content.decode()
        assert html.count("search-suggest.js") == 1, path
        assert script in html, path
        header_form = html.split('<form class="site-search"', 1)[1].split("</form>", 1)[0]
        assert 'name="q"' in header_form
        assert "csrf" not in header_form.lower()


def _seaweed_shop():
    """Two products named for seaweed, with long texts, and ten short ones that only mention it
    in their description: the short ones are the first a length-ordered index gives."""
    filler = " ".join(f"woord{n}" for n in range(40))
    named = [
        create_product(
            upc=f"ZW-TITEL-{n}",
            title=f"Zeewier kelp {n}",
            description=filler,
            price=f"{20 + n}.00",
            num_in_stock=3,
        )
        for n in range(2)
    ]
    for n in range(10):
        create_product(
            upc=f"ZW-TEKST-{n}",
            title=f"Tablet {n}",
            description="met zeewier",
            price=f"{5 + n}.00",
            num_in_stock=3,
        )
    return named


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL search")
def test_a_broad_query_shows_its_best_hits_first_and_says_there_are_more(
    client, db, django_capture_on_commit_callbacks, monkeypatch
):
    from shop.search.views import search

    with django_capture_on_commit_callbacks(execute=True):  # index as a commit would
        named = _seaweed_shop()
    monkeypatch.setattr(search, "MAX_HITS", 4)
    cache.clear()
    response = client.get("/search/", {"q": "zeewier"})

    assert response.context["capped"] is True
    # The products named for it first, although ten shorter documents match too.
    shown = [p.upc for p in response.context["products"]]
    assert shown[:2] == [p.upc for p in named]
    assert len(shown) == 4
    assert response.context["paginator"].count == 4
    html = response.content.decode()
    assert '<small class="text-muted">(meer dan 4)</small>' in html
    assert "Meer dan 4 producten gevonden. We tonen de 4 die het best" in html
    assert "Aantallen van de 4 best passende producten." in html
    # The facets count the products shown, not more.
    assert response.context["facets"]["stock"][0].count == 4
    assert sum(i.count for i in response.context["facets"]["prices"]) == 4
    # A price sort orders those best hits, it does not fetch the cheapest of all matches.
    cheapest = client.get("/search/", {"q": "zeewier", "sort_by": "prijs-oplopend"})
    assert {p.upc for p in cheapest.context["products"]} == set(shown)
    assert cheapest.context["capped"] is True
    # A filter narrows what is matched before the best are chosen: all hits under 10 euro.
    filtered = client.get("/search/", {"q": "zeewier", "prijs": "tot-10"})
    assert filtered.context["capped"] is True
    assert filtered.context["paginator"].count == 4
    assert all(p.upc.startswith("ZW-TEKST-") for p in filtered.context["products"])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL search")
def test_a_filter_that_leaves_few_hits_of_a_broad_query_counts_them_exactly(
    client, db, django_capture_on_commit_callbacks, monkeypatch
):
    from shop.search.views import search

    with django_capture_on_commit_callbacks(execute=True):
        named = _seaweed_shop()
    monkeypatch.setattr(search, "MAX_HITS", 4)
    cache.clear()
    response = client.get("/search/", {"q": "zeewier", "prijs": "20-30"})
    # Two hits: counted exactly, though the facets beside them count the best 4 text matches.
    assert {p.upc for p in response.context["products"]} == {p.upc for p in named}
    assert response.context["capped"] is False
    assert response.context["facets_capped"] is True
    html = response.content.decode()
    assert '<small class="text-muted">(2)</small>' in html
    assert "producten gevonden. We tonen" not in html
    assert "Aantallen van de 4 best passende producten." in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL search")
def test_a_query_with_no_more_hits_than_shown_counts_them_exactly(
    client, db, django_capture_on_commit_callbacks, monkeypatch
):
    from shop.search.views import search

    with django_capture_on_commit_callbacks(execute=True):
        _seaweed_shop()
    monkeypatch.setattr(search, "MAX_HITS", 12)
    cache.clear()
    response = client.get("/search/", {"q": "zeewier"})
    assert response.context["capped"] is False
    assert response.context["paginator"].count == 12
    html = response.content.decode()
    assert '<small class="text-muted">(12)</small>' in html
    assert "meer dan" not in html.lower()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL search")
def test_a_capped_search_costs_the_queries_of_an_uncapped_one(
    client, db, django_capture_on_commit_callbacks, monkeypatch
):
    from shop.search.views import search

    with django_capture_on_commit_callbacks(execute=True):
        _seaweed_shop()
    uncapped, response = _count_queries(client, "zeewier")
    assert response.context["capped"] is False
    monkeypatch.setattr(search, "MAX_HITS", 4)
    capped, response = _count_queries(client, "zeewier")
    assert response.context["capped"] is True
    assert capped == uncapped
