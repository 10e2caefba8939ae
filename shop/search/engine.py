"""One Dutch-aware search over products, guides and FAQs.

On PostgreSQL every searchable row carries a stored, GIN-indexed document (`dutch`
configuration, unaccented, weighted): products in shop.ProductSearchDocument (title A, magnesium
forms and categories B, description and attribute texts C; see shop.search.indexing), guides
and FAQs in their own `search_document` column. A query word matches a row when its document
contains the word's stem ("slapen" finds "slaap") or, for a longer word, when the row's title
is trigram-close to it ("magnesuim", "glycinat"). Both conditions use an index; nothing is
computed from the long texts at query time.

On SQLite (the zero-setup demo) a plain case-insensitive substring match stands in.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import reduce
from operator import add, or_
from pathlib import Path

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat

# Words shorter than this are not typo-matched: "mg" or "d3" would resemble too much.
TYPO_MIN_LENGTH = 5
# Lower than pg_trgm's default 0.6, so one swapped or missing letter still matches.
TYPO_THRESHOLD = 0.5
MAX_WORDS = 8
MAGNESIUM_FORM_ATTRIBUTE = "magnesium_form"

_WORD = re.compile(r"\w+", re.UNICODE)


def query_words(text: str) -> list[str]:
    """The distinct lower-case words of a query, in order, at most MAX_WORDS."""
    words: list[str] = []
    for word in _WORD.findall((text or "").lower()):
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


@dataclass
class Term:
    word: str

    @property
    def typo_tolerant(self) -> bool:
        return len(self.word) >= TYPO_MIN_LENGTH and not self.word.isdigit()


@dataclass
class Query:
    """A parsed search: its useful terms and how many of them a hit must match."""

    text: str
    terms: list[Term]

    @property
    def required(self) -> int:
        # Short queries need every word; a long one may miss a word ("goede", a filler).
        n = len(self.terms)
        return n if n <= 2 else math.ceil(n * 2 / 3)

    def __bool__(self) -> bool:
        return bool(self.terms)


# A Dutch stopword ("de", "voor") gives an empty tsquery: it is dropped, not required.
# PostgreSQL decides (the query below); it is asked only when a word is on the Dutch stopword
# list PostgreSQL ships (a copy: shop/search/dutch.stop), so most searches cost no query here.
# The trigram threshold of the `%>` operator, no JIT and the planner costs are set per
# connection (shop.settings, DATABASES OPTIONS).
_PARSE_SQL = """
SELECT w.word
FROM unnest(%s::text[]) WITH ORDINALITY AS w(word, n)
WHERE numnode(plainto_tsquery('dutch'::regconfig, shop_unaccent(w.word))) > 0
ORDER BY w.n
"""


@functools.cache
def dutch_stopwords() -> frozenset[str]:
    path = Path(__file__).with_name("dutch.stop")
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line)


def _unaccent(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def may_be_stopword(word: str) -> bool:
    stopwords = dutch_stopwords()
    return word in stopwords or _unaccent(word) in stopwords


def parse(text: str) -> Query:
    """Split `text` into terms; on PostgreSQL drop the stopwords (one query, only when a word
    may be one)."""
    words = query_words(text)
    if not words:
        return Query(text=text, terms=[])
    if not is_postgresql() or not any(may_be_stopword(w) for w in words):
        return Query(text=text, terms=[Term(word=w) for w in words])
    with connection.cursor() as cursor:
        cursor.execute(_PARSE_SQL, [words])
        rows = cursor.fetchall()
    return Query(text=text, terms=[Term(word=row[0]) for row in rows])


# --- PostgreSQL matching -------------------------------------------------------------------


class Unaccent(Func):
    """shop_unaccent(): the IMMUTABLE unaccent the documents were built with (migration 0002)."""

    function = "shop_unaccent"
    output_field = TextField()


def _tsquery(words: list[str]) -> SearchQuery:
    queries = [SearchQuery(Unaccent(Value(w)), config="dutch") for w in words]
    return reduce(or_, queries)  # any of the words: ts_rank counts each one present


def _pg_filter(queryset: QuerySet, query: Query, *, document: str, title) -> QuerySet:
    """Rows matching at least `query.required` terms, annotated with `relevance`.

    `document` is the stored tsvector field; `title` the expression trigram-matched against
    typos (already unaccented and lower-case).
    """
    conditions = []
    for term in query.terms:
        condition = Q(**{document: SearchQuery(Unaccent(Value(term.word)), config="dutch")})
        if term.typo_tolerant:
            # `title %> word`: word_similarity(word, title) ≥ threshold, via the trgm index.
            condition |= Q(TrigramWordSimilar(title, Unaccent(Value(term.word))))
        conditions.append(condition)
    matched = reduce(
        add,
        [Case(When(c, then=1), default=0, output_field=IntegerField()) for c in conditions],
    )
    # Matching more of the words outranks everything else; then the weighted text rank
    # (normalised by document length, so a long description does not beat a title hit), then
    # closeness of the typo-tolerant words to the title.
    relevance = SearchRank(
        F(document), _tsquery([t.word for t in query.terms]), normalization=Value(1)
    )
    if query.required < len(conditions):  # else every hit matches them all: nothing to add
        relevance += matched
    for term in query.terms:
        if term.typo_tolerant:
            relevance += 0.3 * TrigramWordSimilarity(Unaccent(Value(term.word)), title)
    if query.required == len(conditions):
        # Every word needed: an AND of the per-word conditions, which PostgreSQL answers with a
        # BitmapAnd over the GIN indexes ("magnesium" alone matches nearly every product).
        return queryset.filter(*conditions).annotate(relevance=relevance)
    # Some words may miss: the OR lets PostgreSQL combine the GIN indexes (BitmapOr); the
    # count then enforces how many words a hit needs.
    return (
        queryset.filter(reduce(or_, conditions))
        .alias(matched_terms=matched)
        .filter(matched_terms__gte=query.required)
        .annotate(relevance=relevance)
    )


# --- SQLite fallback -------------------------------------------------------------------------


def _fallback_product_q(term: Term) -> Q:
    from oscar.apps.catalogue.models import ProductAttributeValue, ProductCategory

    word = term.word
    in_category = ProductCategory.objects.filter(
        product=OuterRef("pk"), category__name__icontains=word, category__is_public=True
    )
    has_form = ProductAttributeValue.objects.filter(
        product=OuterRef("pk"), attribute__code=MAGNESIUM_FORM_ATTRIBUTE
    ).filter(
        Q(value_multi_option__option__icontains=word) | Q(value_option__option__icontains=word)
    )
    return (
        Q(title__icontains=word)
        | Q(description__icontains=word)
        | Q(Exists(in_category))
        | Q(Exists(has_form))
    )


def _fallback(queryset: QuerySet, query: Query, term_q, title_field: str) -> QuerySet:
    for term in query.terms:
        queryset = queryset.filter(term_q(term))
    # Relevance on SQLite: title hits first, nothing finer.
    title_hit = Q()
    for term in query.terms:
        title_hit |= Q(**{f"{title_field}__icontains": term.word})
    return queryset.annotate(
        relevance=Case(
            When(title_hit, then=Value(1.0)), default=Value(0.0), output_field=FloatField()
        )
    )


# --- Public API ------------------------------------------------------------------------------


def _nothing(queryset: QuerySet) -> QuerySet:
    return queryset.none().annotate(relevance=Value(0.0, output_field=FloatField()))


def filter_products(queryset: QuerySet, query: Query) -> QuerySet:
    """`queryset` (of Product) narrowed to hits of `query`, annotated with `relevance`."""
    if not query:
        return _nothing(queryset)
    if not is_postgresql():
        return _fallback(queryset, query, _fallback_product_q, "title")
    return _pg_filter(
        queryset,
        query,
        document="search_document__document",
        title=F("search_document__title"),
    )


def filter_articles(queryset: QuerySet, query: Query) -> QuerySet:
    """`queryset` (of Article) narrowed to hits of `query`, best first."""
    if not query:
        return _nothing(queryset)
    if not is_postgresql():
        return _fallback(
            queryset,
            query,
            lambda t: (
                Q(title__icontains=t.word)
                | Q(lead__icontains=t.word)
                | Q(body__icontains=t.word)
                | Q(keywords__icontains=t.word)
            ),
            "title",
        ).order_by("-relevance", "title", "pk")
    # A few hundred guides: the typo match reads title and keywords without an index.
    title = Unaccent(
        Concat(F("title"), Value(" "), Cast("keywords", TextField()), output_field=TextField())
    )
    return _pg_filter(queryset, query, document="search_document", title=title).order_by(
        "-relevance", "title", "pk"
    )


def filter_faqs(queryset: QuerySet, query: Query) -> QuerySet:
    """`queryset` (of Faq) narrowed to hits of `query`, best first."""
    if not query:
        return _nothing(queryset)
    if not is_postgresql():
        return _fallback(
            queryset,
            query,
            lambda t: Q(question__icontains=t.word) | Q(answer__icontains=t.word),
            "question",
        ).order_by("-relevance", "pk")
    return _pg_filter(
        queryset, query, document="search_document", title=Unaccent(F("question"))
    ).order_by("-relevance", "pk")
