"""How the engine's queries reach PostgreSQL (issue 20's speed): every word condition is a lookup
in the documents' GIN index, typos cost no per-row trigram work, search-as-you-type ranks a
bounded number of candidates and thousands of hit ids travel as one array parameter."""

from __future__ import annotations

import math

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.apps.catalogue.models import Product

from shop.models import ProductSearchDocument
from shop.search import engine

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans"),
]


def _plan(queryset) -> str:
    # The test catalogue is tiny, so the planner would rightly scan it or join row by row:
    # forbidding sequential scans, plain index scans and nested loops shows whether the GIN
    # index *can* answer the word conditions (its name is then in the plan). The test's
    # transaction ends the settings.
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_indexscan", "enable_nestloop"):
            cursor.execute(f"SET LOCAL {setting} = off")
    return queryset.explain()


@pytest.mark.parametrize("q", ["glycinaat", "magnesuim tekort", "malaat sprot", "magnesium 200mg"])
def test_product_search_reads_the_document_gin_index_and_no_title_trigrams(search_shop, q):
    query = engine.parse(q)
    # The relaxed query (one word may miss) is the OR of the word conditions: a BitmapOr.
    products = engine.filter_products(Product.objects.browsable(), query.relaxed() or query)
    plan = _plan(products.order_by("-relevance"))
    assert "shop_psd_document_gin" in plan
    sql = str(products.query)
    assert "WORD_SIMILARITY" not in sql.upper() and "%>" not in sql


def test_a_typo_is_searched_as_the_nearest_vocabulary_word(search_shop):
    (term,) = engine.parse("magnesuim").terms
    assert "magnesium" in [a.text for a in term.alternatives]


def test_suggestion_candidates_bound_what_is_ranked(search_shop):
    query = engine.parse_prefix("magn")
    every = engine.filter_products(Product.objects.browsable(), query)
    bounded = engine.filter_products(Product.objects.browsable(), query, candidates=2)
    assert every.count() > 2
    assert bounded.count() == 2
    assert set(bounded.values_list("pk", flat=True)) <= set(every.values_list("pk", flat=True))


def test_many_ids_are_one_array_parameter(search_shop):
    ids = list(Product.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as ctx:
        found = set(engine.with_ids(Product.objects.all(), ids).values_list("pk", flat=True))
    assert found == set(ids)
    assert "= ANY(" in ctx.captured_queries[0]["sql"]
    assert not engine.with_ids(Product.objects.all(), []).exists()


def test_glycinate_also_finds_the_bisglycinate(search_shop):
    # Sold as the same form: before the typo trigrams left the rows, their title similarity
    # found "bisglycinaat" for "glycinate"; now a text rule says so.
    products = engine.filter_products(Product.objects.browsable(), engine.parse("glycinate"))
    upcs = set(products.values_list("upc", flat=True))
    assert "MG-BIS-200" in upcs


def test_a_limit_ranks_the_title_hits_and_tells_there_are_more(
    db, django_capture_on_commit_callbacks
):
    from oscar.test.factories import create_product

    filler = " ".join(f"woord{n}" for n in range(40))
    with django_capture_on_commit_callbacks(execute=True):  # index as a commit would
        titled = create_product(upc="ZW-TITEL", title="Zeewier kelp", description=filler)
        for n in range(10):
            create_product(upc=f"ZW-TEKST-{n}", title=f"Tablet {n}", description="met zeewier")
    query = engine.parse("zeewier")
    every = engine.filter_products(Product.objects.browsable(), query)
    bounded = engine.filter_products(Product.objects.browsable(), query, limit=3)
    ranked = list(bounded.order_by("-relevance", "pk").values_list("upc", flat=True))
    assert every.count() == 11
    # More than the limit: there are more hits; the title hit is among them, and first,
    # though ten shorter documents match.
    assert 3 < len(ranked) < 11
    assert ranked[0] == titled.upc
    assert set(ranked) <= set(every.values_list("upc", flat=True))
    enough = engine.filter_products(Product.objects.browsable(), query, limit=11)
    assert enough.count() == 11


def test_a_bounded_search_reads_the_length_and_head_indexes(search_shop):
    # What the indexes *can* answer (the tiny test catalogue is scanned otherwise): the
    # shortest matches in index order, or the title and name matches from their GIN index.
    query = engine.parse("magnesium")
    products = engine.filter_products(Product.objects.browsable(), query, limit=5)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    assert "shop_psd_length" in products.order_by("-relevance").explain()
    with connection.cursor() as cursor:
        cursor.execute("RESET enable_sort")
    assert "shop_psd_head_gin" in _plan(products.order_by("-relevance"))


@pytest.mark.parametrize("limit", [None, 5])
def test_a_long_query_needs_its_share_of_the_words(db, django_capture_on_commit_callbacks, limit):
    # Six words, four needed: past MAX_GROUPS the words a document has are counted.
    from oscar.test.factories import create_product

    with django_capture_on_commit_callbacks(execute=True):
        create_product(upc="VIER", title="Zeewier kelp jodium spirulina")
        create_product(upc="DRIE", title="Zeewier kelp jodium")
    query = engine.parse("zeewier kelp jodium spirulina chlorella wakame")
    assert len(query.terms) == 6 and query.required == 4
    found = engine.filter_products(Product.objects.browsable(), query, limit=limit)
    assert list(found.values_list("upc", flat=True)) == ["VIER"]


def test_search_statements_are_planned_with_their_words(search_shop, client):
    # psycopg prepares a statement run five times (settings) and PostgreSQL may then plan it
    # once for any words: the search page's word-dependent statements are never prepared, while
    # its product cards' statement (the listing pages') is.
    for _ in range(8):
        assert client.get("/search/", {"q": "magnesium"}).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"catalogue_product"."id" = ANY(' in s or "IN (" in s for s in prepared)
    assert not [s for s in prepared if "@@" in s]


@pytest.mark.parametrize("required", [2, 3])
def test_any_k_of_the_words_is_one_compact_tsquery(
    db, django_capture_on_commit_callbacks, required
):
    # Each word once per branch ("the first and k - 1 of the others, or k of the others"), not
    # once in every one of the C(n - 1, k - 1) groups that hold it: PostgreSQL tests the tsquery
    # node by node for every row it filters. The rows it finds are the same: those with at
    # least `required` of the words.
    from oscar.test.factories import create_product

    words = ["zeewier", "kelp", "jodium", "spirulina"]
    titles = {
        "ALLE": "zeewier kelp jodium spirulina",
        "DRIE": "zeewier kelp jodium",
        "TWEE": "kelp spirulina",
        "EEN": "jodium",
        "GEEN": "chlorella",
    }
    with django_capture_on_commit_callbacks(execute=True):
        for upc, title in titles.items():
            create_product(upc=upc, title=title)
    queries = [engine._term_query(engine.Term(word)) for word in words]
    at_least = engine._at_least(queries, required)
    groups = math.comb(len(words), required)
    lexemes = at_least.text.count("'") // 2
    assert lexemes < groups * required
    found = Product.objects.filter(search_document__document=at_least)
    expected = {upc for upc, title in titles.items() if len(title.split()) >= required}
    assert set(found.values_list("upc", flat=True)) == expected


def test_the_names_are_tested_and_indexed_as_a_stored_column(search_shop):
    # "The shortest documents that match in their names" is read from shop_psd_head_gin, or by
    # testing the names of each document in length order. As an expression (ts_filter in
    # shop_head()) each test copied the document's A and B lexemes: "magnesium" on catalogue XL
    # walked 3,776 documents in 11-12 ms, about 6 with the stored column.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_indexdef('shop_psd_head_gin'::regclass), attgenerated "
            "FROM pg_attribute WHERE attrelid = 'shop_productsearchdocument'::regclass "
            "AND attname = 'head'"
        )
        definition, generated = cursor.fetchone()
    assert definition.endswith("USING gin (head)")
    assert generated == "s"  # stored: written with the document, never computed on read
    products = engine.filter_products(
        Product.objects.browsable(), engine.parse("magnesium"), limit=5
    )
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {setting} = off")
    plan = products.order_by("-relevance").explain()
    assert "Filter: (head @@" in plan and "shop_head" not in plan


def test_the_stored_names_follow_every_write_of_a_product(db, django_capture_on_commit_callbacks):
    from oscar.test.factories import create_product

    with django_capture_on_commit_callbacks(execute=True):
        product = create_product(upc="ZW-KELP", title="Zeewier kelp", description="met jodium")
    with django_capture_on_commit_callbacks(execute=True):
        product.title = "Spirulina tabletten"
        product.save()
    documents = ProductSearchDocument.objects.filter(product=product)

    def named(word: str) -> bool:
        return documents.filter(head=SearchQuery(word, config="dutch")).exists()

    assert named("spirulina") and named("tabletten")
    assert not named("zeewier")  # the old title
    assert not named("jodium") and documents.filter(document=SearchQuery("jodium")).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT head = ts_filter(document, '{a,b}') FROM shop_productsearchdocument "
            "WHERE product_id = %s",
            [product.pk],
        )
        assert cursor.fetchone() == (True,)


def test_the_documents_words_have_fine_statistics(search_shop):
    # With the default target ANALYZE lists only words in 2% of the documents and guesses 1% for
    # any other: a question's rare words ORed together looked common, and finding the shortest
    # of its (no) matches walked every document of catalogue XL in length order (75 ms).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstattarget FROM pg_attribute "
            "WHERE attrelid = 'shop_productsearchdocument'::regclass "
            "AND attname IN ('document', 'head')"
        )
        targets = dict(cursor.fetchall())
    assert targets == {"document": 1000, "head": 1000}


@pytest.mark.parametrize(
    ("q", "stem"), [("magnesium threonat", "threonat"), ("magnesium voor sporters", "sport")]
)
def test_spellings_and_synonyms_that_stem_alike_are_searched_once(search_shop, q, stem):
    # "threonat" is searched with its other spelling "threonaat" (shop.search.text), "sporters"
    # with its synonyms "sport" and "sporten", and the Dutch stemmer makes each pair one lexeme.
    # ORed in twice, PostgreSQL counted that lexeme's frequency twice: on catalogue XL
    # "magnesium threonat" was estimated at 1,978 documents for 969, and the search walked
    # 34,000 documents in length order instead of reading the GIN index.
    query = engine.parse(q)
    term_query = engine._term_query(query.terms[-1])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({term_query.sql})::text", term_query.params)
        (tsquery,) = cursor.fetchone()
    operands = [operand.strip(" ()'") for operand in tsquery.replace("&", "|").split("|")]
    assert stem in operands
    assert len(operands) == len(set(operands))


# Queries with every way of writing a term: spellings and international names (glycinaat),
# typos (magnesuim, sprot), compounds both ways (magnesiumcitraat poeder; vis olie), a name of
# two words (fish oil), units (200mg, 200 mg), stopwords (voor, en), a synonym (sporters), and
# the word being typed (parse_prefix).
WRITTEN = [
    "magnesium glycinaat gebufferd",
    "magnesuim threonaat",
    "magnesiumcitraat poeder",
    "vis olie",
    "fish oil capsules",
    "magnesium 200mg",
    "magnesium 200 mg tabletten",
    "magnesium voor sporters en slapen",
    "malaat sprot",
    "omega-3 visolie",
]

_FUNCTION = {
    "plain": "plainto_tsquery('dutch'::regconfig, shop_unaccent(%s))",
    "phrase": "phraseto_tsquery('dutch'::regconfig, shop_unaccent(%s))",
    "prefix": "to_tsquery('dutch'::regconfig, %s)",
}


def _by_functions(alternative) -> tuple[str, list[str]]:
    """The alternative's tsquery as PostgreSQL's own functions make it from its text (each word
    of a text of several words ANDed): what the statements sent before its text was given."""
    if alternative.prefix:
        return _FUNCTION["prefix"], [f"{alternative.text}:*"]
    if alternative.phrase:
        return _FUNCTION["phrase"], [alternative.text]
    words = alternative.text.split()
    return "(" + " && ".join([_FUNCTION["plain"]] * len(words)) + ")", words


@pytest.mark.parametrize("typing", [False, True])
@pytest.mark.parametrize("q", WRITTEN)
def test_every_way_of_writing_a_term_comes_with_the_tsquery_postgresql_makes_of_it(
    search_shop, q, typing
):
    # parse() gives each alternative its tsquery text in its one statement; the search
    # statements then send it as a value instead of calling plainto_tsquery() for it (which
    # PostgreSQL evaluated while planning each statement). It must be the very tsquery.
    with CaptureQueriesContext(connection) as parsed:
        query = engine.parse_prefix(q) if typing else engine.parse(q)
    assert len(parsed) == 1
    alternatives = [a for term in query.terms for a in term.alternatives]
    assert alternatives and all(a.tsquery is not None for a in alternatives)
    assert not typing or any(a.prefix for a in alternatives) or q.endswith(("mg", "olie"))
    with connection.cursor() as cursor:
        for alternative in alternatives:
            sql, params = _by_functions(alternative)
            cursor.execute(
                f"SELECT ({sql})::text = (%s::tsquery)::text", [*params, alternative.tsquery]
            )
            assert cursor.fetchone() == (True,), alternative
        for term in query.terms:
            old_sql, old_params = zip(*(_by_functions(a) for a in term.alternatives), strict=True)
            cursor.execute(
                f"SELECT ({' || '.join(old_sql)})::text = (%s::tsquery)::text",
                [*(p for params in old_params for p in params), engine._term_query(term).text],
            )
            assert cursor.fetchone() == (True,), term


def test_the_search_statements_call_no_tsquery_function(search_shop):
    query = engine.parse("magnesium glycinaat gebufferd")
    products = engine.filter_products(Product.objects.browsable(), query, limit=5)
    with CaptureQueriesContext(connection) as searched:
        list(products.order_by("-relevance").values_list("pk", flat=True))
    (statement,) = [q["sql"] for q in searched]
    assert "plainto_tsquery" not in statement and "::tsquery" in statement


def test_terms_made_by_hand_get_their_tsquery_in_one_statement(search_shop):
    terms = [engine.Term("zeewier"), engine.Term("kelp"), engine.Term("magnesium citraat")]
    with CaptureQueriesContext(connection) as resolved:
        engine._resolve(terms)
    assert len(resolved) == 1
    assert [a.tsquery for t in terms for a in t.alternatives] == [
        "'zeewier'",
        "'kelp'",
        "'magnesium' & 'citrat'",
    ]
