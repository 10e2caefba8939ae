"""One Dutch-aware search over products, guides and FAQs.

On PostgreSQL every searchable row carries a stored, GIN-indexed document (`dutch`
configuration, unaccented, weighted): products in shop.ProductSearchDocument (title A, magnesium
forms and categories B, description and attribute texts C; see shop.search.indexing), guides
and FAQs in their own `search_document` column. A query word matches a row when its document
contains the word's stem ("slapen" finds "slaap"). Typos are corrected against the small
vocabulary first (below), never trigram-matched row by row: every condition is a lookup in the
GIN index of the documents, and the rank is only ts_rank (issue 20: word_similarity against
5,000 titles cost 70 ms per word). With `limit` (the search page) only a bounded set of candidates
read from indexes is ranked, whatever the catalogue's size (_bounded), and the statements are
planned with their words (planned_with_values).

Forgiving (issue 20): each query word also matches its other spellings, international names,
compound halves and units (shop.search.text), the synonyms staff keep (shop.search.models.Synonym,
read when the query is parsed, so an edit needs no reindex) and, when the word is not in the
indexed vocabulary (shop.search.models.SearchWord), its nearest vocabulary words by trigram
similarity or edit distance ("magnesuim" → "magnesium", "sprot" → "sport"). A word's alternatives are ORed into one tsquery, so a word still
costs one GIN condition. What all that costs is one query per search (the one that already
dropped stopwords), never one per word.

On SQLite (the zero-setup demo) a plain case-insensitive substring match stands in, with the same
text rules and synonyms but no typo correction.
"""

from __future__ import annotations

import functools
import math
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import reduce
from operator import add, or_
from pathlib import Path

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    IntegerField,
    Lookup,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Length
from oscar.core.loading import get_model

from shop.catalogue.facts import MAGNESIUM_FORM_ATTRIBUTE
from shop.search import text
from shop.search.indexing import CONFIG, UNACCENT
from shop.search.models import Synonym

ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductCategory = get_model("catalogue", "ProductCategory")

MAX_WORDS = 8
# Search-as-you-type completes the last word from this many letters on.
PREFIX_MIN_LENGTH = 2


def query_words(value: str) -> list[str]:
    """The distinct lower-case, unaccented words of a query, in order, at most MAX_WORDS."""
    words: list[str] = []
    for word in text.words(value):
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


# A vocabulary word at least this trigram-similar to an unknown query word is searched too.
CORRECTION_THRESHOLD = 0.45
MAX_CORRECTIONS = 2
# "Bedoelde u …?" offers the nearest vocabulary word down to pg_trgm's default similarity.
SUGGESTION_THRESHOLD = 0.3


@dataclass
class Alternative:
    """One way a term may appear in a document: a word, words that must all appear ("magnesium
    citraat" for "magnesiumcitraat"), for units an exact phrase ("200 mg") or, for the word
    being typed in search-as-you-type, a prefix ("magnes" → "magnesium")."""

    text: str
    phrase: bool = False
    prefix: bool = False
    # Its tsquery as PostgreSQL writes it ("'magnesium' & 'citrat'"), given by parse(); empty
    # for a stopword.
    tsquery: str | None = field(default=None, compare=False)


@dataclass
class Term:
    word: str
    alternatives: list[Alternative] = field(default_factory=list)
    # Not searched for its own sake: a unit or a phrase made of several query words.
    compound: bool = False

    def __post_init__(self):
        if not self.alternatives:
            self.alternatives = [Alternative(self.word)]

    def add(self, text: str, phrase: bool = False) -> None:
        if text and all(a.text != text for a in self.alternatives):
            self.alternatives.append(Alternative(text, phrase))


@dataclass
class Query:
    """A parsed search: its useful terms and how many of them a hit must match."""

    text: str
    terms: list[Term]
    # How many words fewer than usual a hit may match (relaxed(): the retry of an empty search).
    slack: int = 0
    # The query with its unknown words replaced by the nearest indexed ones ("Bedoelde u …?").
    suggestion: str = ""

    @property
    def required(self) -> int:
        # Short queries need every word; a long one may miss a word ("goede", a filler).
        n = len(self.terms)
        return (n if n <= 2 else math.ceil(n * 2 / 3)) - self.slack

    def relaxed(self) -> Query | None:
        """The same words with one fewer required, for a search that found nothing (one
        mistyped or unknown word in "malaat sprot" no longer empties the page); None when a
        single word is all that is required already."""
        if self.required <= 1:
            return None
        return Query(self.text, self.terms, self.slack + 1, self.suggestion)

    def __bool__(self) -> bool:
        return bool(self.terms)


# One query per search, whatever its words: for each word (and each pair of adjacent words, for
# synonyms such as "fish oil"), whether it is a Dutch stopword (its tsquery is empty: dropped, not
# required), whether it is in the vocabulary, the synonyms staff gave it, and the nearest
# vocabulary words: trigram-similar (`%`: pg_trgm.similarity_threshold, 0.3 by default) or at
# most two edits away (fuzzystrmatch's levenshtein: "sprot" → "sport", a swap that shares too
# few trigrams), scored by the better of the two; and the tsquery of each key, synonym and
# nearest word (its stems: "threonat" and "threonaat" are one, "sport" and "sporten" too).
# Nearest words only for a query word itself (`corrected`: not its other spellings, not a pair)
# and only when the vocabulary lacks it: parse() corrects no other (each key's nearest words cost
# about 0.6 ms on catalogue XL, a third of this statement for "magnesium glycinaat gebufferd").
# Then the tsquery of every other way a term may be written that parse() knows before it asks
# (compounds, words of several words, unit phrases, the word being typed: _TSQUERY), so the
# statements that search pass each term's tsquery as one value (TermQuery).
# The trigram threshold of the `%>` operator, no JIT and the planner costs are set per
# connection (shop.settings, DATABASES OPTIONS).
_TSQUERY = {
    "plain": f"plainto_tsquery('{CONFIG}'::regconfig, {UNACCENT}(e.text))",
    "phrase": f"phraseto_tsquery('{CONFIG}'::regconfig, {UNACCENT}(e.text))",
    # Letters and digits only (parse_prefix), as typed: "magnes:*".
    "prefix": f"to_tsquery('{CONFIG}'::regconfig, e.text)",
}
_WORDS_SQL = f"""
SELECT 'word', k.key,
       numnode(plainto_tsquery('{CONFIG}'::regconfig, {UNACCENT}(k.key))) = 0,
       plainto_tsquery('{CONFIG}'::regconfig, {UNACCENT}(k.key))::text,
       EXISTS (SELECT 1 FROM search_searchword v WHERE v.word = k.key),
       ARRAY(SELECT ARRAY[g.t, plainto_tsquery('{CONFIG}'::regconfig, {UNACCENT}(g.t))::text]
             FROM (SELECT DISTINCT t FROM search_synonym s, jsonb_array_elements_text(s.terms) t
                   WHERE s.terms ? k.key AND t <> k.key) g
             ORDER BY g.t),
       ARRAY(SELECT n.word || ' ' || n.score || ' ' || n.stems FROM (
                 SELECT v.word, round(greatest(
                     similarity(v.word, k.key),
                     1 - levenshtein(v.word, k.key)::numeric
                         / greatest(length(v.word), length(k.key))
                 )::numeric, 3) AS score,
                     plainto_tsquery('{CONFIG}'::regconfig, {UNACCENT}(v.word))::text AS stems
                 FROM search_searchword v
                 WHERE k.corrected AND length(k.key) >= 4
                   AND NOT EXISTS (SELECT 1 FROM search_searchword w WHERE w.word = k.key)
                   AND (v.word %% k.key
                        OR (length(v.word) BETWEEN length(k.key) - 1 AND length(k.key) + 1
                            AND levenshtein_less_equal(v.word, k.key, 2) <= 2))
                 ORDER BY score DESC, abs(length(v.word) - length(k.key)), v.word
                 LIMIT 3) n)
FROM unnest(%s::text[], %s::boolean[]) AS k(key, corrected)
"""
# The tsquery of each (kind, text) of _TSQUERY.
_TSQUERY_SQL = f"""
SELECT e.kind, e.text, NULL::boolean,
       (CASE e.kind WHEN 'phrase' THEN {_TSQUERY["phrase"]}
                    WHEN 'prefix' THEN {_TSQUERY["prefix"]}
                    ELSE {_TSQUERY["plain"]} END)::text,
       NULL::boolean, NULL::text[], NULL::text[]
FROM unnest(%s::text[], %s::text[]) AS e(kind, text)
"""
_ANALYSE_SQL = f"{_WORDS_SQL}UNION ALL{_TSQUERY_SQL}"


@dataclass
class WordFacts:
    stopword: bool = False
    known: bool = True
    synonyms: tuple[str, ...] = ()
    nearest: tuple[tuple[str, float], ...] = ()
    # The tsquery text of the key, of each synonym and of each nearest word ('threonat' for
    # both "threonat" and "threonaat"); empty where not known (SQLite).
    stems: dict[str, str] = field(default_factory=dict)


@functools.cache
def dutch_stopwords() -> frozenset[str]:
    path = Path(__file__).with_name("dutch.stop")
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line)


def _facts(
    keys: list[str], others: list[tuple[str, str]] = (), *, corrected: set[str] = frozenset()
) -> tuple[dict[str, WordFacts], dict[tuple[str, str], str]]:
    """What the database knows of each key (stopword, vocabulary, synonyms; the nearest words of
    the `corrected` keys the vocabulary lacks), and the tsquery text of each of the `others`,
    (kind, text) pairs of _TSQUERY (PostgreSQL only: none on SQLite)."""
    if not keys:
        return {}, {}
    if not is_postgresql():
        # SQLite: PostgreSQL's Dutch stopword list (a copy), the synonyms, no vocabulary.
        stopwords = dutch_stopwords()
        groups = list(Synonym.objects.values_list("terms", flat=True))
        return {
            key: WordFacts(stopword=key in stopwords, known=True, synonyms=_synonyms(key, groups))
            for key in keys
        }, {}
    others = list(dict.fromkeys(others))
    with connection.cursor() as cursor:
        cursor.execute(
            _ANALYSE_SQL,
            [
                keys,
                [key in corrected for key in keys],
                [kind for kind, _text in others],
                [text for _kind, text in others],
            ],
        )
        rows = cursor.fetchall()
    facts, tsqueries = {}, {}
    for kind, key, stopword, stems, known, synonyms, nearest in rows:
        if kind != "word":
            tsqueries[kind, key] = stems
            continue
        near, words_stems = [], {key: stems}
        for synonym, synonym_stems in synonyms or ():
            words_stems[synonym] = synonym_stems
        for entry in nearest or ():
            word, score, word_stems = entry.split(" ", 2)
            near.append((word, float(score)))
            words_stems[word] = word_stems
        facts[key] = WordFacts(
            stopword, known, tuple(s for s, _ in synonyms or ()), tuple(near), words_stems
        )
    return facts, tsqueries


def _tsqueries(others: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The tsquery text of each (kind, text) of _TSQUERY, in one statement."""
    others = list(dict.fromkeys(others))
    with connection.cursor() as cursor:
        cursor.execute(
            _TSQUERY_SQL, [[kind for kind, _text in others], [text for _kind, text in others]]
        )
        return {(kind, text): tsquery for kind, text, _s, tsquery, _k, _y, _n in cursor}


def _synonyms(key: str, groups: list[list[str]]) -> tuple[str, ...]:
    """The synonyms of `key` in these synonym groups (their `terms`)."""
    found: list[str] = []
    for terms in groups:
        if key in terms:
            found += [t for t in terms if t != key and t not in found]
    return tuple(found)


def _tokens(words: list[str]) -> list[Term | str]:
    """Units ("200mg", "200 mg") and two-word names ("fish oil") become one term each; every
    other word stays a plain word for _build."""
    tokens: list[Term | str] = []
    i = 0
    while i < len(words):
        word, following = words[i], words[i + 1] if i + 1 < len(words) else None
        glued = text.split_number_unit(word)
        if glued or (word.replace(",", "").isdigit() and following in text.UNITS):
            number, unit = glued or (word, following)
            phrases = text.unit_phrases(number, unit)
            term = Term(
                word=f"{number} {unit}",
                alternatives=[Alternative(p, phrase=True) for p in phrases],
                compound=True,
            )
            tokens.append(term)
            i += 1 if glued else 2
            continue
        if following is not None and (word, following) in text.PHRASES:
            name = text.PHRASES[word, following]
            tokens.append(
                Term(
                    word=f"{word} {following}",
                    alternatives=[Alternative(name), Alternative(f"{word} {following}")],
                    compound=True,
                )
            )
            i += 2
            continue
        tokens.append(word)
        i += 1
    return tokens


def parse(text_: str, *, typing: bool = False) -> Query:
    """Split `text_` into terms, each with the other ways its word may be written; on
    PostgreSQL drop the stopwords and add synonyms and typo corrections, and give every way of
    writing its tsquery (one query). `typing`: parse_prefix()."""
    words = query_words(text_)
    if not words:
        return Query(text=text_, terms=[])
    tokens = _tokens(words)
    plain = [t for t in tokens if isinstance(t, str)]
    variants = {w: text.names(w) for w in plain}
    keys: list[str] = []
    for word in plain:
        keys += [word, *(v for v in variants[word] if " " not in v)]
    for first, second in zip(plain, plain[1:], strict=False):
        keys.append(f"{first} {second}")
    typed = "".join(c for c in words[-1] if c.isalnum()) if typing else ""
    if len(typed) < PREFIX_MIN_LENGTH:
        typed = ""
    facts, tsqueries = _facts(
        list(dict.fromkeys(keys)),
        _other_writings(tokens, plain, variants, typed),
        corrected=set(plain),
    )
    terms: list[Term] = []
    suggestion: list[str] = []
    corrected = False
    for token in tokens:
        if isinstance(token, Term):
            terms.append(token)
            suggestion.append(token.word)
            continue
        word = token
        fact = facts.get(word, WordFacts())
        if fact.stopword:
            continue
        term = Term(word=word)
        for variant in variants[word]:
            term.add(variant)
        known = fact.known or any(
            facts.get(v, WordFacts(known=False)).known for v in variants[word]
        )
        for key in [word, *variants[word]]:
            for synonym in facts.get(key, WordFacts()).synonyms:
                term.add(synonym)
        best = word
        if not known and fact.nearest:
            top = fact.nearest[0][1]
            for near, score in fact.nearest[:MAX_CORRECTIONS]:
                # Only the closest: "magnesuim" is "magnesium", not also "magnesiumvorm".
                if score >= CORRECTION_THRESHOLD and score >= top - 0.1:
                    term.add(near)
            near_words = [w for w, score in fact.nearest if score >= SUGGESTION_THRESHOLD]
            if near_words:
                best, corrected = near_words[0], True
        terms.append(term)
        suggestion.append(best)
    # Synonyms of two adjacent words ("fish oil" → "visolie") join both words' alternatives.
    by_word = {t.word: t for t in terms}
    for first, second in zip(plain, plain[1:], strict=False):
        pair = facts.get(f"{first} {second}")
        if pair and pair.synonyms:
            for word in (first, second):
                if word in by_word:
                    for synonym in pair.synonyms:
                        by_word[word].add(synonym)
    # Compounds the other way round: "vis olie" also finds "visolie".
    for first, second in zip(plain, plain[1:], strict=False):
        if first in by_word and second in by_word and not first.isdigit() and not second.isdigit():
            by_word[first].add(first + second)
            by_word[second].add(first + second)
    stems = {word: s for fact in facts.values() for word, s in fact.stems.items() if s}
    for term in terms:
        term.alternatives = _distinct_stems(term.alternatives, stems)
    # The word being typed also matches as the start of a word ("magnes" → "magnesium").
    if typed and terms and terms[-1].word == words[-1]:
        terms[-1].alternatives.append(Alternative(typed, prefix=True))
    if is_postgresql():
        written = {word: s for fact in facts.values() for word, s in fact.stems.items()}
        for term in terms:
            for alternative in term.alternatives:
                alternative.tsquery = _known_tsquery(alternative, written, tsqueries)
    return Query(
        text=text_,
        terms=terms,
        suggestion=" ".join(suggestion) if corrected else "",
    )


def _other_writings(
    tokens: list[Term | str], plain: list[str], variants: dict[str, list[str]], typed: str
) -> list[tuple[str, str]]:
    """The ways of writing a term that parse() may give it besides the words _facts() looks up
    (which come with their tsquery, as do their synonyms and nearest words), as (kind, text) of
    _TSQUERY: a word's names of several words, the compounds of adjacent words, the units and
    two-word names of _tokens(), the word being typed."""
    others = []
    for word in plain:
        others += [("plain", v) for v in variants[word] if " " in v]
    for first, second in zip(plain, plain[1:], strict=False):
        others.append(("plain", first + second))
    for token in tokens:
        if isinstance(token, Term):
            others += [(_kind(a), a.text) for a in token.alternatives]
    if typed:
        others.append(("prefix", f"{typed}:*"))
    return others


def _kind(alternative: Alternative) -> str:
    """How the alternative's tsquery is made from its text (_TSQUERY)."""
    return "prefix" if alternative.prefix else "phrase" if alternative.phrase else "plain"


def _known_tsquery(
    alternative: Alternative, written: dict[str, str], tsqueries: dict[tuple[str, str], str]
) -> str | None:
    """The alternative's tsquery text among those the database gave: `written` (a word, synonym
    or nearest word: its plainto_tsquery) or `tsqueries` (_other_writings); None if neither has
    it. A text of several words is plainto_tsquery of all of them: each word's stems ANDed."""
    kind = _kind(alternative)
    if kind == "plain" and alternative.text in written:
        return written[alternative.text]
    text = f"{alternative.text}:*" if kind == "prefix" else alternative.text
    return tsqueries.get((kind, text))


def _resolve(terms: list[Term]) -> None:
    """Give every alternative of these terms that has none its tsquery (one statement; none
    when parse() gave them all, as it does)."""
    missing = [a for term in terms for a in term.alternatives if a.tsquery is None]
    if not missing:
        return
    found = _tsqueries([(_kind(a), f"{a.text}:*" if a.prefix else a.text) for a in missing])
    for alternative in missing:
        alternative.tsquery = _known_tsquery(alternative, {}, found)


def _distinct_stems(alternatives: list[Alternative], stems: dict[str, str]) -> list[Alternative]:
    """The alternatives without the words that stem like an earlier one ("threonaat" after
    "threonat": one stem). They find nothing more, and ts_rank counts a stem once, but in the
    tsquery each copy counted: PostgreSQL estimated "magnesium threonat" at 1,978 documents of
    catalogue XL for 969, and walked 34,000 of them in length order instead of reading the GIN
    index."""
    seen: set[str] = set()
    kept = []
    for alternative in alternatives:
        known = (
            stems.get(alternative.text) if not (alternative.phrase or alternative.prefix) else None
        )
        if known is not None:
            if known in seen:
                continue
            seen.add(known)
        kept.append(alternative)
    return kept


# --- PostgreSQL matching -------------------------------------------------------------------


class TermQuery(SearchQuery):
    """A term's word or any of its alternatives, as one tsquery value: the alternatives' tsquery
    texts (given by parse()) ORed ("( 'magnesium' ) | ( 'magnesiumglycinat' )"), sent as one
    parameter.

    A tree of Django SearchQuery objects says the same, but a search page uses each term in up to
    eight places (its conditions, the count of matched words, the rank) and Django copies and
    resolves every node of a tree at each: for a four-word query with its spellings, synonyms
    and corrections that cost more CPU than the page's SQL took to run. And as one call of
    plainto_tsquery() per alternative, PostgreSQL evaluated each of them while planning every
    statement of the page (a third of the planning time of "magnesium glycinaat gebufferd" on
    catalogue XL, some 7 ms a page)."""

    def __init__(self, text: str):
        super().__init__(Value(""))
        self.text = text
        self.sql, self.params = "%s::tsquery", (text,)

    def get_source_expressions(self):
        return []

    def set_source_expressions(self, exprs):
        pass

    def as_sql(self, compiler, connection, function=None, template=None):
        return self.sql, list(self.params)

    def __str__(self):
        return self.text


def _alternative_queries(term: Term) -> list[TermQuery]:
    """One tsquery per way the term may be written (Alternative)."""
    _resolve([term])
    return [TermQuery(alternative.tsquery) for alternative in term.alternatives]


def _term_query(term: Term) -> TermQuery:
    """The term's word or any of its alternatives, as one tsquery."""
    return _combined(_alternative_queries(term), "||")


def _any_term(terms: list[Term]) -> TermQuery:
    """A document with any of the terms: every alternative of every term, each once. Adjacent
    words share their compound ("verschiltussen" is an alternative of "verschil" and of
    "tussen"): ORed twice it only costs a second test per row (ts_rank counts it once)."""
    unique = {q.text: q for term in terms for q in _alternative_queries(term)}
    return _combined(list(unique.values()), "||")


# "Any k of the n words" as one tsquery is an OR of C(n, k) groups; past this many groups (six
# words of which four are needed: 15) the tsquery costs more to plan and test than counting.
MAX_GROUPS = 10


def _matching(queryset: QuerySet, query: Query, document: str, term_queries) -> QuerySet:
    """Rows of `queryset` whose `document` matches at least `query.required` of the terms."""
    required = query.required
    if not _counted(query, term_queries):
        return queryset.filter(**{document: _at_least(term_queries, required)})
    # A long query: any of the words (one GIN condition), then how many a row has.
    conditions = [Q(**{document: term_query}) for term_query in term_queries]
    return (
        queryset.filter(**{document: _any_term(query.terms)})
        .alias(matched_terms=_matched(conditions))
        .filter(matched_terms__gte=required)
    )


def _counted(query: Query, term_queries) -> bool:
    """Whether the query is too long for one "any k of the n words" tsquery (MAX_GROUPS)."""
    return math.comb(len(term_queries), query.required) > MAX_GROUPS


def _combined(queries: list[TermQuery], operator: str) -> TermQuery:
    """The queries ORed ("||") or ANDed ("&&") into one tsquery, as PostgreSQL's operators of
    those names combine them: an empty tsquery (a stopword's) is left out, and none left is the
    empty tsquery."""
    texts = [q.text for q in queries if q.text]
    if len(texts) == 1:
        return TermQuery(texts[0])
    symbol = {"||": " | ", "&&": " & "}[operator]
    return TermQuery(symbol.join(f"( {text} )" for text in texts))


def _at_least(queries: list[TermQuery], required: int) -> TermQuery:
    """One tsquery that a document matches when it matches `required` of these: all of them,
    any of them, or any `required` of them ("doet magnesium geheugen", two needed: doet &
    (magnesium | geheugen) | magnesium & geheugen).

    One condition, so the GIN index answers it whole and the planner estimates its rows from the
    words' statistics. Counting the conditions a row meets (as the rank does) made PostgreSQL
    test every document, and guess a third of them match.

    "Any k of n" is built as "the first and any k - 1 of the others, or any k of the others",
    where the OR of every k-word group repeated each word in C(n - 1, k - 1) groups: PostgreSQL
    tests a tsquery operand by operand for every row it filters (walking shop_psd_length, or
    rechecking the head index), and for "verschil tussen citraat oxide" with two words needed
    that was 77 nodes (each word with its spellings and compounds three times over) where this
    is 53; a row without the first word skips its whole branch."""
    if required >= len(queries):
        return _combined(queries, "&&")
    if required <= 1:
        return _combined(queries, "||")
    first, others = queries[0], queries[1:]
    with_first = _combined([first, _at_least(others, required - 1)], "&&")
    return _combined([with_first, _at_least(others, required)], "||")


def _matched(conditions: list[Q]):
    """How many of the conditions a row meets."""
    return reduce(
        add,
        [Case(When(c, then=1), default=0, output_field=IntegerField()) for c in conditions],
    )


def _bounded(queryset: QuerySet, query: Query, document: str, head: str, term_queries, limit: int):
    """The pks of at most 3 x (`limit` + 1) matching rows worth ranking, chosen through indexes
    without ranking any: the shortest matching documents (ts_rank's length normalisation, read
    from the btree `shop_psd_length`), the shortest of those that match in their title or names
    (`head`, the stored weights A and B, which outrank any text match: its GIN index
    `shop_psd_head_gin`, or a walk in length order when nearly every short document matches
    there) and, when a hit may miss a word, the shortest that have every word. When the text
    matches `limit` rows or fewer the first part alone is all of them, so more than `limit` rows
    here means more than `limit` hits (the first part reads one more row for that)."""
    length = Length(document)
    by_length = (length.asc(), "pk")
    # A "magnesium" that matches 50,000 products: ranking them all costs 50 ms of SQL alone.
    parts = [
        _matching(queryset, query, document, term_queries)
        .order_by(*by_length)
        .values("pk")[: limit + 1]
    ]
    if _counted(query, term_queries):
        # Six words or more, some of which may miss: each part would count the words of most
        # documents (no index answers "four of these six"), and so few match that the first
        # part is usually all of them.
        return parts[0]
    parts.append(
        _matching(queryset, query, head, term_queries)
        .order_by(*by_length)
        .values("pk")[: limit + 1]
    )
    if query.required < len(term_queries):
        parts.append(
            queryset.filter(**{document: _at_least(term_queries, len(term_queries))})
            .order_by(*by_length)
            .values("pk")[: limit + 1]
        )
    return parts[0].union(*parts[1:])


def _pg_filter(
    queryset: QuerySet,
    query: Query,
    *,
    document: str,
    head: str | None = None,
    candidates: int | None = None,
    limit: int | None = None,
) -> QuerySet:
    """Rows matching at least `query.required` terms, annotated with `relevance`.

    `document` is the stored tsvector field, `head` its stored title and names part (needed
    with `limit`). Typos are not matched row by row: parse() has already replaced them by the
    nearest vocabulary words, so every condition is a GIN lookup.
    With `candidates`, only that many of the matching rows (the first the index gives) are
    ranked: a suggestion's "ma" matches every product, and ranking 5,000 to show 5 is the
    cost, not the matching. With `limit`, only the rows _bounded() picks are ranked: more than
    `limit` of them means the text matches more than `limit` rows.
    """
    _resolve(query.terms)
    term_queries = [_term_query(term) for term in query.terms]
    matching = _matching(queryset, query, document, term_queries)
    if candidates is not None:
        matching = queryset.filter(pk__in=matching.order_by().values("pk")[:candidates])
    elif limit is not None:
        # `pk = ANY(ARRAY(…))`: PostgreSQL reads the few candidates by primary key. As `pk IN
        # (…)` it hashed them and scanned every product's index entry to join (7 ms on XL).
        bounded = _bounded(queryset, query, document, head, term_queries, limit)
        matching = queryset.filter(AnyOf(F("pk"), ArraySubquery(bounded)))
    # Matching more of the words outranks everything else; then the weighted text rank
    # (normalised by document length, so a long description does not beat a title hit).
    # Any of the words: ts_rank counts each one present.
    relevance = SearchRank(F(document), _any_term(query.terms), normalization=Value(1))
    if query.required < len(term_queries):  # else every hit matches them all: nothing to add
        relevance += _matched([Q(**{document: term_query}) for term_query in term_queries])
    return matching.annotate(relevance=relevance)


# --- SQLite fallback -------------------------------------------------------------------------


def _fallback_any(term: Term, word_q) -> Q:
    """`word_q(word)` for the term's word or any alternative (all words of a multi-word one)."""
    condition = Q()
    for alternative in term.alternatives:
        words = [alternative.text] if alternative.phrase else alternative.text.split()
        condition |= reduce(lambda a, b: a & b, [word_q(w) for w in words])
    return condition


def _fallback_product_q(term: Term) -> Q:
    return _fallback_any(term, _fallback_product_word_q)


def _fallback_product_word_q(word: str) -> Q:
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
    if query.slack:  # relaxed: any of the words
        queryset = queryset.filter(reduce(or_, [term_q(term) for term in query.terms]))
    else:
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


class AnyOf(Lookup):
    """`field = ANY(array)`: thousands of ids as one array parameter, where `pk__in` compiles,
    sends and plans one parameter per id (5,000 hits: about 35 ms more per facet query)."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def with_ids(queryset: QuerySet, ids: list[int], *, field: str = "pk") -> QuerySet:
    """`queryset` narrowed to rows whose `field` (the primary key, or a product id of another
    table) is one of these ids (one array parameter on PostgreSQL)."""
    if not is_postgresql():
        return queryset.filter(**{f"{field}__in": ids})
    # A plain list for psycopg to send as an array: an ArrayField output would prepare each
    # id through IntegerField first (5,000 ids: 10 ms of CPU per query, 3 ms without; pk__in
    # 38 ms).
    return queryset.filter(AnyOf(F(field), Value([int(i) for i in ids])))


# --- Planning ---------------------------------------------------------------------------------


@contextmanager
def planned_with_values():
    """Within it, no statement is prepared (settings: psycopg prepares a statement run five times
    and PostgreSQL may then keep one generic plan for it).

    A search's rows depend on its words: a generic plan cannot know that "magnesium" matches
    every product and "kelp" one, and on catalogue XL the search page's statements took 104 ms
    with the plans PostgreSQL settled on against 41 ms planned per search (plan_cache_mode
    auto vs force_custom_plan). Planning them each time costs 1-3 ms. psycopg's own switch does
    it: `prepare_threshold = None` on the connection for the block (statements prepared before
    stay prepared for the other pages)."""
    if not is_postgresql():
        yield
        return
    connection.ensure_connection()
    pg = connection.connection
    threshold = pg.prepare_threshold
    pg.prepare_threshold = None
    try:
        yield
    finally:
        pg.prepare_threshold = threshold


# --- Public API ------------------------------------------------------------------------------


def _nothing(queryset: QuerySet) -> QuerySet:
    return queryset.none().annotate(relevance=Value(0.0, output_field=FloatField()))


def filter_products(
    queryset: QuerySet, query: Query, *, candidates: int | None = None, limit: int | None = None
) -> QuerySet:
    """`queryset` (of Product) narrowed to hits of `query`, annotated with `relevance`; with
    `candidates`, at most that many hits (search-as-you-type: LIMIT before ranking); with
    `limit` (PostgreSQL), only the hits most likely to be the best `limit` are ranked, and more
    than `limit` of them means the text matches more than `limit` products (_bounded)."""
    if not query:
        return _nothing(queryset)
    if not is_postgresql():
        return _fallback(queryset, query, _fallback_product_q, "title")
    return _pg_filter(
        queryset,
        query,
        document="search_document__document",
        head="search_document__head",
        candidates=candidates,
        limit=limit,
    )


def filter_articles(queryset: QuerySet, query: Query, *, candidates: int | None = None) -> QuerySet:
    """`queryset` (of Article) narrowed to hits of `query`, best first; with `candidates`, at
    most that many hits (search-as-you-type)."""
    if not query:
        return _nothing(queryset)
    if not is_postgresql():
        return _fallback(
            queryset,
            query,
            lambda t: _fallback_any(
                t,
                lambda w: (
                    Q(title__icontains=w)
                    | Q(lead__icontains=w)
                    | Q(body__icontains=w)
                    | Q(keywords__icontains=w)
                ),
            ),
            "title",
        ).order_by("-relevance", "title", "pk")
    return _pg_filter(queryset, query, document="search_document", candidates=candidates).order_by(
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
            lambda t: _fallback_any(t, lambda w: Q(question__icontains=w) | Q(answer__icontains=w)),
            "question",
        ).order_by("-relevance", "pk")
    return _pg_filter(queryset, query, document="search_document").order_by("-relevance", "pk")


def parse_prefix(text_: str) -> Query:
    """As parse(), with the last word also matched as the start of a word: the query of
    search-as-you-type, whose last word is still being typed."""
    return parse(text_, typing=True)
