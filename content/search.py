"""The Kennisbank's documents in the shop's search: guides and FAQs (shop.search.providers).

Registered in ContentConfig.ready(). What a guide's or a FAQ's stored search document holds is
defined here, next to the models; shop.search.indexing runs it and never imports content.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from content.models import Article, Faq
from shop.search import engine
from shop.search.indexing import run_document_sql, tsv
from shop.search.providers import DocumentProvider, get

GUIDES = "gids"
QUESTIONS = "vraag"

# A guide is also found by the questions of its published FAQs ("bijwerkingen"): they are the
# questions it answers (weight B, as its keywords).
_GUIDE_QUESTIONS = (
    "(SELECT string_agg(f.question, ' ') FROM content_faq f "
    "WHERE f.article_id = content_article.id AND f.status = 'published')"
)
_ARTICLE_SQL = f"""
UPDATE content_article SET search_document =
    {tsv("title", "A")} || {tsv("keywords::text", "B")} || {tsv(_GUIDE_QUESTIONS, "B")}
    || {tsv("lead || ' ' || body", "C")}
WHERE %(all)s OR id = ANY(%(ids)s)
"""

_FAQ_SQL = f"""
UPDATE content_faq SET search_document = {tsv("question", "A")} || {tsv("answer", "C")}
WHERE %(all)s OR id = ANY(%(ids)s)
"""


class GuideProvider(DocumentProvider):
    """Published guides: eight on the results page, three in the suggestions."""

    kind = GUIDES
    model = Article
    group = "guides"
    label_plural = "gidsen"
    limit = 8
    suggestion_limit = 3
    relax_when_empty = True
    # The results page shows a guide's title and lead, and links it by its slug.
    shown = ("pk", "slug", "title", "lead")

    def published(self) -> QuerySet:
        return Article.objects.published()

    def search(self, queryset, query, *, candidates=None) -> QuerySet:
        return engine.filter_articles(queryset, query, candidates=candidates)

    def suggestions(self, query, *, candidates: int) -> list[dict]:
        guides = self.search(self.published(), query, candidates=candidates)
        return [
            {"label": a.title, "url": a.get_absolute_url()}
            for a in guides.only("pk", "slug", "title")[: self.suggestion_limit]
        ]

    def vocabulary_texts(self, queryset) -> Iterable[str]:
        for row in queryset.values_list("title", "lead", "body", "keywords").iterator():
            *texts, keywords = row
            yield from texts
            yield " ".join(keywords or ())

    def index(self, *, ids, connection) -> None:
        run_document_sql(_ARTICLE_SQL, ids, connection)


class QuestionProvider(DocumentProvider):
    """Published FAQs: eight on the results page (with their guide), none in the suggestions."""

    kind = QUESTIONS
    model = Faq
    group = "faqs"
    label_plural = "vragen"
    limit = 8
    # The results page shows the question and links it in its guide (title, slug), if any.
    shown = ("pk", "question", "article", "article__slug", "article__title")

    def published(self) -> QuerySet:
        return Faq.objects.published()

    def search(self, queryset, query, *, candidates=None) -> QuerySet:
        return engine.filter_faqs(queryset, query)

    def results(self, query) -> list:
        published = self.published().select_related("article").only(*self.shown)
        return list(self.search(published, query)[: self.limit])

    def vocabulary_texts(self, queryset) -> Iterable[str]:
        for question, answer in queryset.values_list("question", "answer").iterator():
            yield question
            yield answer

    def index(self, *, ids, connection) -> None:
        run_document_sql(_FAQ_SQL, ids, connection)
        if ids is not None:
            # The guides these FAQs belong to hold their questions (_ARTICLE_SQL).
            article_ids = (
                Faq.objects.using(connection.alias)
                .filter(pk__in=ids, article__isnull=False)
                .values_list("article_id", flat=True)
                .order_by()
                .distinct()
            )
            get(GUIDES).index(ids=list(article_ids), connection=connection)
