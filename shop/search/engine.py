"""One Dutch-aware search over products, guides and FAQs.

On PostgreSQL: full-text search with the `dutch` configuration (stemming: "slapen" finds
"slaap") over unaccented text, weighted title A > keywords B > body C, plus pg_trgm word
similarity on titles so a typo ("magnesuim", "glycinat") still finds its match. Category names
and magnesium forms are tiny tables: one query per search resolves each query word to the
categories and forms it names, and products are matched on those ids through indexed joins.
The document expressions below are the ones indexed in shop/migrations/0002_search_indexes.py;
change both together, or PostgreSQL stops using the indexes.

On SQLite (the zero-setup demo) a plain case-insensitive substring match stands in.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Case, Exists, F, FloatField, OuterRef, Q, QuerySet, When
from django.db.models.expressions import Func, Value

# Words shorter than this are not typo-matched: "mg" or "d3" would resemble too much.
TYPO_MIN_LENGTH = 5
# Lower than pg_trgm's default 0.6, so one swapped or missing letter still matches.
TYPO_THRESHOLD = 0.5
MAX_WORDS = 8
MAGNESIUM_FORM_ATTRIBUTE = "magnesium_form"

_WORD = re.compile(r"\w+", re.UNICODE)


def _tsv(column: str, weight: str) -> str:
    return (
        f"setweight(to_tsvector('dutch'::regconfig, shop_unaccent(COALESCE({column}, ''))), "
        f"'{weight}')"
    )


# Identical (modulo table qualification) to the index expressions in the migration.
PRODUCT_DOC = f"({_tsv('{title}', 'A')} || {_tsv('{description}', 'C')})"
PRODUCT_TRGM = "shop_unaccent(COALESCE({title}, ''))"
ARTICLE_DOC = (
    f"({_tsv('{title}', 'A')} || {_tsv('{keywords}::text', 'B')} || "
    "setweight(to_tsvector('dutch'::regconfig, shop_unaccent(COALESCE({lead}, '') "
    "|| ' ' || COALESCE({body}, ''))), 'C'))"
)
ARTICLE_TRGM = "shop_unaccent(COALESCE({title}, '') || ' ' || COALESCE({keywords}::text, ''))"
FAQ_DOC = f"({_tsv('{question}', 'A')} || {_tsv('{answer}', 'C')})"
FAQ_TRGM = "shop_unaccent(COALESCE({question}, ''))"

TSQUERY = "plainto_tsquery('dutch'::regconfig, shop_unaccent(%s))"


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
    """One query word and what it names: categories (with descendants) and magnesium forms."""

    word: str
    searchable: bool = True  # False for a Dutch stopword ("de", "voor"): no lexeme to match
    category_ids: list[int] = field(default_factory=list)
    option_ids: list[int] = field(default_factory=list)

    @property
    def typo_tolerant(self) -> bool:
        return len(self.word) >= TYPO_MIN_LENGTH and not self.word.isdigit()

    @property
    def useful(self) -> bool:
        return self.searchable or bool(self.category_ids or self.option_ids)


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


_ANALYSE_SQL = f"""
SELECT set_config('pg_trgm.word_similarity_threshold', %s, true),
       w.word,
       numnode({TSQUERY.replace("%s", "w.word")}) > 0,
       ARRAY(
           SELECT DISTINCT d.id FROM catalogue_category c
           JOIN catalogue_category d ON d.path LIKE c.path || '%%'
           WHERE c.is_public AND d.is_public AND (
               to_tsvector('dutch'::regconfig, shop_unaccent(c.name))
                   @@ {TSQUERY.replace("%s", "w.word")}
               OR (length(w.word) >= {TYPO_MIN_LENGTH}
                   AND word_similarity(shop_unaccent(w.word), shop_unaccent(c.name)) >= %s)
           )
       ),
       ARRAY(
           SELECT o.id FROM catalogue_attributeoption o
           JOIN catalogue_productattribute a ON a.option_group_id = o.group_id
           WHERE a.code = %s AND (
               to_tsvector('dutch'::regconfig, shop_unaccent(o.option))
                   @@ {TSQUERY.replace("%s", "w.word")}
               OR (length(w.word) >= {TYPO_MIN_LENGTH}
                   AND word_similarity(shop_unaccent(w.word), shop_unaccent(o.option)) >= %s)
           )
       )
FROM unnest(%s::text[]) WITH ORDINALITY AS w(word, n)
ORDER BY w.n
"""


def parse(text: str) -> Query:
    """Split `text` into terms; on PostgreSQL resolve them in one query (none when empty)."""
    words = query_words(text)
    if not words:
        return Query(text=text, terms=[])
    if not is_postgresql():
        return Query(text=text, terms=[Term(word=w) for w in words])
    with connection.cursor() as cursor:
        # set_config(..., true) holds for the current transaction: callers run in one (see
        # search()), so the threshold applies to the product, guide and FAQ queries that follow.
        cursor.execute(
            _ANALYSE_SQL,
            [
                str(TYPO_THRESHOLD),
                TYPO_THRESHOLD,
                MAGNESIUM_FORM_ATTRIBUTE,
                TYPO_THRESHOLD,
                words,
            ],
        )
        rows = cursor.fetchall()
    terms = [
        Term(word=word, searchable=searchable, category_ids=list(cats), option_ids=list(opts))
        for _, word, searchable, cats, opts in rows
    ]
    return Query(text=text, terms=[t for t in terms if t.useful])


# --- PostgreSQL matching -------------------------------------------------------------------


def _ids(ids: list[int]) -> str:
    # Inlined integers (from the database, never user input): keeps the SQL free of empty
    # array parameters whose type PostgreSQL cannot infer.
    return ",".join(str(int(i)) for i in ids)


def _word_match(term: Term, doc: str, trgm: str) -> tuple[str, list]:
    parts, params = [], []
    if term.searchable:
        parts.append(f"{doc} @@ {TSQUERY}")
        params.append(term.word)
    if term.typo_tolerant:
        parts.append(f"{trgm} %%> shop_unaccent(%s)")
        params.append(term.word)
    return " OR ".join(parts) or "FALSE", params


def _product_term_match(term: Term) -> tuple[str, list]:
    sql, params = _word_match(term, PRODUCT_DOC, PRODUCT_TRGM)
    extra = []
    if term.category_ids:
        extra.append(
            "EXISTS (SELECT 1 FROM catalogue_productcategory pc WHERE pc.product_id = "
            f"{{id}} AND pc.category_id IN ({_ids(term.category_ids)}))"
        )
    if term.option_ids:
        ids = _ids(term.option_ids)
        extra.append(
            "EXISTS (SELECT 1 FROM catalogue_productattributevalue v "
            "LEFT JOIN catalogue_productattributevalue_value_multi_option m "
            "ON m.productattributevalue_id = v.id "
            "WHERE v.product_id = {id} "
            f"AND (m.attributeoption_id IN ({ids}) OR v.value_option_id IN ({ids})))"
        )
    return " OR ".join([f"({sql})", *extra]), params


def _matches(query: Query, term_match) -> tuple[str, list, str, list]:
    """WHERE condition (any term, and at least `required` of them) and a matched-terms count."""
    clauses, params = [], []
    for term in query.terms:
        sql, p = term_match(term)
        clauses.append(f"({sql})")
        params += p
    count_sql = " + ".join(f"(CASE WHEN {c} THEN 1 ELSE 0 END)" for c in clauses)
    # The OR lets PostgreSQL combine the GIN indexes (BitmapOr); the count enforces `required`.
    where = f"(({' OR '.join(clauses)}) AND ({count_sql}) >= {query.required})"
    return where, params * 2, count_sql, params


def _rank(query: Query, doc: str, trgm: str, count_sql: str, count_params: list) -> tuple:
    any_words = " || ".join(TSQUERY for t in query.terms if t.searchable) or None
    params: list = list(count_params)
    # Matching more of the words outranks everything else; then the weighted text rank
    # (normalised by document length, so a long body does not beat a title hit), then closeness
    # of the words to the title.
    sql = f"({count_sql})::float"
    if any_words:
        sql += f" + ts_rank({doc}, ({any_words}), 1)"
        params += [t.word for t in query.terms if t.searchable]
    for term in query.terms:
        if term.typo_tolerant:
            sql += f" + 0.3 * word_similarity(shop_unaccent(%s), {trgm})"
            params.append(term.word)
    return sql, params


class _Sql(Func):
    """Raw SQL whose {column} slots are compiled column references.

    Unlike RawSQL, the columns follow the queryset's table alias, so the same expression works
    when Django nests the queryset as a subquery (facet counts) and relabels its tables.
    """

    def __init__(self, template: str, params: list, output_field):
        self.names = sorted(set(re.findall(r"\{(\w+)\}", template)))
        self.sql_template = template
        self.sql_params = list(params)
        columns = [F("pk" if name == "id" else name) for name in self.names]
        super().__init__(*columns, output_field=output_field)

    def as_sql(self, compiler, connection, **extra_context):
        compiled = {}
        for name, expression in zip(self.names, self.get_source_expressions(), strict=True):
            sql, params = compiler.compile(expression)
            assert not params  # a column reference carries no parameters
            compiled[name] = sql
        return f"({self.sql_template.format(**compiled)})", list(self.sql_params)


def _pg_filter(
    queryset: QuerySet, query: Query, term_match, doc: str, trgm: str, bonus: str = ""
) -> QuerySet:
    where, where_params, count_sql, count_params = _matches(query, term_match)
    rank_sql, rank_params = _rank(query, doc, trgm, count_sql, count_params)
    if bonus:
        rank_sql += f" + {bonus}"
    return queryset.filter(_Sql(where, where_params, BooleanField())).annotate(
        relevance=_Sql(rank_sql, rank_params, FloatField())
    )


def _product_rank_bonus(query: Query) -> str:
    # Naming a form ("glycinaat") or a purpose ("slapen") is a strong signal for a product.
    bonus = []
    for term in query.terms:
        if term.option_ids:
            ids = _ids(term.option_ids)
            bonus.append(
                "0.6 * (EXISTS (SELECT 1 FROM catalogue_productattributevalue v "
                "JOIN catalogue_productattributevalue_value_multi_option m "
                "ON m.productattributevalue_id = v.id WHERE v.product_id = {id} "
                f"AND m.attributeoption_id IN ({ids})))::int"
            )
        if term.category_ids:
            bonus.append(
                "0.4 * (EXISTS (SELECT 1 FROM catalogue_productcategory pc WHERE pc.product_id = "
                f"{{id}} AND pc.category_id IN ({_ids(term.category_ids)})))::int"
            )
    return " + ".join(bonus)


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


def filter_products(queryset: QuerySet, query: Query) -> QuerySet:
    """`queryset` (of Product) narrowed to hits of `query`, annotated with `relevance`."""
    if not query:
        return queryset.none().annotate(relevance=Value(0.0, output_field=FloatField()))
    if not is_postgresql():
        return _fallback(queryset, query, _fallback_product_q, "title")
    return _pg_filter(
        queryset,
        query,
        _product_term_match,
        PRODUCT_DOC,
        PRODUCT_TRGM,
        bonus=_product_rank_bonus(query),
    )


def filter_articles(queryset: QuerySet, query: Query) -> QuerySet:
    """`queryset` (of Article) narrowed to hits of `query`, best first."""
    if not query:
        return queryset.none().annotate(relevance=Value(0.0, output_field=FloatField()))
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
    return _pg_filter(
        queryset,
        query,
        lambda t: _word_match(t, ARTICLE_DOC, ARTICLE_TRGM),
        ARTICLE_DOC,
        ARTICLE_TRGM,
    ).order_by("-relevance", "title", "pk")


def filter_faqs(queryset: QuerySet, query: Query) -> QuerySet:
    """`queryset` (of Faq) narrowed to hits of `query`, best first."""
    if not query:
        return queryset.none().annotate(relevance=Value(0.0, output_field=FloatField()))
    if not is_postgresql():
        return _fallback(
            queryset,
            query,
            lambda t: Q(question__icontains=t.word) | Q(answer__icontains=t.word),
            "question",
        ).order_by("-relevance", "pk")
    return _pg_filter(
        queryset, query, lambda t: _word_match(t, FAQ_DOC, FAQ_TRGM), FAQ_DOC, FAQ_TRGM
    ).order_by("-relevance", "pk")
