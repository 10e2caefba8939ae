"""Every write of the content app: keyword-only, typed, validated, atomic where it matters.

Views, admin actions, management commands and the demo loader call these; nothing else
mutates content models.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from content import importer
from content.choices import LinkSource, Status
from content.models import (
    Article,
    ArticleCategory,
    ArticleProduct,
    Faq,
    FaqCategory,
    FaqProduct,
    Topic,
)
from content.references import categories_by_slug, extract_references, products_by_code
from content.search import GUIDES, QUESTIONS
from shop.redirects import redirect_record_move
from shop.search.indexing import document_index_update

# The fields article_update()/faq_update() change, in the editors' order.
ARTICLE_FIELDS = (
    "title",
    "slug",
    "lead",
    "body",
    "hero_image",
    "author",
    "seo_title",
    "seo_description",
    "keywords",
    "sources",
)
FAQ_FIELDS = ("question", "answer", "article", "position")


def topic_create(*, name: str, slug: str = "", description: str = "", position: int = 0) -> Topic:
    """Create a topic; the slug defaults to the slugified name."""
    topic = Topic(name=name, slug=slug or slugify(name), description=description, position=position)
    topic.full_clean()
    topic.save()
    return topic


def topic_get_or_create(*, name: str) -> Topic:
    """The topic called `name` (case-insensitive), created when missing."""
    topic = Topic.objects.filter(name__iexact=name).first()
    return topic or topic_create(name=name)


@transaction.atomic
def article_create(
    *,
    title: str,
    slug: str = "",
    lead: str = "",
    body: str = "",
    author: str = "",
    keywords: Sequence[str] = (),
    sources: str = "",
    seo_title: str = "",
    seo_description: str = "",
    hero_image=None,
    topics: Iterable[Topic] = (),
    status: str = Status.DRAFT,
    published_at: datetime | None = None,
) -> Article:
    """Create a guide and record the references in its body as links."""
    if status == Status.PUBLISHED and published_at is None:
        published_at = timezone.now()
    article = Article(
        title=title,
        slug=slug or slugify(title)[:200],
        lead=lead,
        body=body,
        author=author,
        keywords=list(keywords),
        sources=sources,
        seo_title=seo_title,
        seo_description=seo_description,
        status=status,
        published_at=published_at,
    )
    if hero_image is not None:
        article.hero_image = hero_image
    article.full_clean()
    article.save()
    article.topics.set(topics)
    article_sync_links(article=article)
    document_index_update(kind=GUIDES, ids=[article.pk])
    return article


@transaction.atomic
def article_update(
    *, article: Article, topics: Iterable[Topic] | None = None, **changes
) -> Article:
    """Change the given fields of a guide and re-record the references in its body."""
    unknown = set(changes) - set(ARTICLE_FIELDS)
    if unknown:
        raise TypeError(f"article_update() got unexpected fields: {', '.join(sorted(unknown))}")
    old_path = article.get_absolute_url()
    for name, value in changes.items():
        setattr(article, name, list(value) if name == "keywords" else value)
    article.full_clean()
    article.save()
    if topics is not None:
        article.topics.set(topics)
    article_sync_links(article=article)
    document_index_update(kind=GUIDES, ids=[article.pk])
    if article.get_absolute_url() != old_path:
        # A renamed slug keeps its links and search ranking: the old URL answers 301.
        redirect_record_move(old_path=old_path, new_path=article.get_absolute_url())
    return article


def _status_set(obj: Article | Faq, *, status: str, published_at: datetime | None = None) -> None:
    """Save `obj` with `status` (published: at `published_at`, or now)."""
    obj.status = status
    fields = ["status", "updated_at"]
    if status == Status.PUBLISHED:
        obj.published_at = published_at or timezone.now()
        fields.append("published_at")
    obj.full_clean()
    obj.save(update_fields=fields)


def article_publish(*, article: Article, published_at: datetime | None = None) -> Article:
    """Publish a guide now, or schedule it when `published_at` lies in the future."""
    _status_set(article, status=Status.PUBLISHED, published_at=published_at)
    # Cheap, and catches guides written without the services (bulk loads) before they go live.
    document_index_update(kind=GUIDES, ids=[article.pk])
    return article


def article_unpublish(*, article: Article) -> Article:
    """Take a guide back to draft; customers no longer see it or its FAQs."""
    _status_set(article, status=Status.DRAFT)
    return article


def _next_position(rows) -> int:
    last = rows.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


def _append_links(*, rows, target_field: str, targets: Iterable, source: str) -> list:
    """Add link rows to `targets` after the existing ones in `rows`; linked targets stay put."""
    position = _next_position(rows.all())
    existing = set(rows.values_list(f"{target_field}_id", flat=True))
    created = []
    for target in targets:
        if target.pk in existing:
            continue
        link = rows.model(
            **{rows.field.name: rows.instance, target_field: target},
            position=position,
            source=source,
        )
        link.full_clean()
        link.save()
        created.append(link)
        existing.add(target.pk)
        position += 1
    return created


@transaction.atomic
def article_link_products(
    *, article: Article, products: Iterable, source: str = LinkSource.MANUAL
) -> list[ArticleProduct]:
    """Link products to a guide after its existing links; already linked ones stay put."""
    return _append_links(
        rows=article.product_links, target_field="product", targets=products, source=source
    )


@transaction.atomic
def article_link_categories(
    *, article: Article, categories: Iterable, source: str = LinkSource.MANUAL
) -> list[ArticleCategory]:
    """Link categories to a guide after its existing links; already linked ones stay put."""
    return _append_links(
        rows=article.category_links, target_field="category", targets=categories, source=source
    )


def _sync_body_links(*, text: str, product_rows, category_rows) -> None:
    """Make the body links of one guide or FAQ (`*_rows`: its link managers) the references in
    `text`."""
    references = extract_references(text)
    products = products_by_code(r.key for r in references if r.kind == "product")
    categories = categories_by_slug(r.key for r in references if r.kind == "category")
    wanted_products = {p.pk: p for p in products.values()}
    wanted_categories = {c.pk: c for c in categories.values()}
    # Body links follow the text: drop those whose reference is gone; curated links stay.
    product_rows.filter(source=LinkSource.BODY).exclude(product_id__in=wanted_products).delete()
    category_rows.filter(source=LinkSource.BODY).exclude(category_id__in=wanted_categories).delete()
    have_products = set(product_rows.values_list("product_id", flat=True))
    have_categories = set(category_rows.values_list("category_id", flat=True))
    _append_links(
        rows=product_rows,
        target_field="product",
        targets=[p for pk, p in wanted_products.items() if pk not in have_products],
        source=LinkSource.BODY,
    )
    _append_links(
        rows=category_rows,
        target_field="category",
        targets=[c for pk, c in wanted_categories.items() if pk not in have_categories],
        source=LinkSource.BODY,
    )


@transaction.atomic
def article_sync_links(*, article: Article) -> None:
    """Record the product and category references in the guide's body as body links."""
    _sync_body_links(
        text=article.body, product_rows=article.product_links, category_rows=article.category_links
    )


@transaction.atomic
def faq_create(
    *,
    question: str,
    answer: str,
    article: Article | None = None,
    topics: Iterable[Topic] = (),
    position: int | None = None,
    status: str = Status.DRAFT,
    published_at: datetime | None = None,
) -> Faq:
    """Create a FAQ (after the guide's other FAQs) and record the references in its answer."""
    if status == Status.PUBLISHED and published_at is None:
        published_at = timezone.now()
    if position is None:
        position = _next_position(Faq.objects.filter(article=article)) if article else 0
    faq = Faq(
        question=question,
        answer=answer,
        article=article,
        position=position,
        status=status,
        published_at=published_at,
    )
    faq.full_clean()
    faq.save()
    faq.topics.set(topics)
    faq_sync_links(faq=faq)
    document_index_update(kind=QUESTIONS, ids=[faq.pk])
    return faq


@transaction.atomic
def faq_update(*, faq: Faq, topics: Iterable[Topic] | None = None, **changes) -> Faq:
    """Change the given fields of a FAQ and re-record the references in its answer."""
    unknown = set(changes) - set(FAQ_FIELDS)
    if unknown:
        raise TypeError(f"faq_update() got unexpected fields: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(faq, name, value)
    faq.full_clean()
    faq.save()
    if topics is not None:
        faq.topics.set(topics)
    faq_sync_links(faq=faq)
    document_index_update(kind=QUESTIONS, ids=[faq.pk])
    return faq


def faq_publish(*, faq: Faq, published_at: datetime | None = None) -> Faq:
    """Publish a FAQ now, or schedule it."""
    _status_set(faq, status=Status.PUBLISHED, published_at=published_at)
    document_index_update(kind=QUESTIONS, ids=[faq.pk])
    return faq


def faq_unpublish(*, faq: Faq) -> Faq:
    """Take a FAQ back to draft."""
    _status_set(faq, status=Status.DRAFT)
    return faq


@transaction.atomic
def faq_link_products(
    *, faq: Faq, products: Iterable, source: str = LinkSource.MANUAL
) -> list[FaqProduct]:
    """Link products to a FAQ after its existing links; already linked ones stay put."""
    return _append_links(
        rows=faq.product_links, target_field="product", targets=products, source=source
    )


@transaction.atomic
def faq_link_categories(
    *, faq: Faq, categories: Iterable, source: str = LinkSource.MANUAL
) -> list[FaqCategory]:
    """Link categories to a FAQ after its existing links; already linked ones stay put."""
    return _append_links(
        rows=faq.category_links, target_field="category", targets=categories, source=source
    )


@transaction.atomic
def faq_sync_links(*, faq: Faq) -> None:
    """Record the product and category references in the FAQ's answer as body links."""
    _sync_body_links(
        text=faq.answer, product_rows=faq.product_links, category_rows=faq.category_links
    )


# --- Import ---------------------------------------------------------------------------------


@dataclass
class ImportResult:
    article: Article
    created: bool
    faqs: list[Faq]
    proposals: importer.Proposals
    headings: list[str] = field(default_factory=list)
    linked_products: int = 0
    linked_categories: int = 0


@transaction.atomic
def article_import(
    *,
    parsed: importer.ParsedArticle,
    publish: bool = False,
    link: bool = False,
    slug: str = "",
    author: str = "",
    topics: Iterable[Topic] = (),
) -> ImportResult:
    """Create or update (by slug) a guide with its FAQs and keywords from a parsed post.

    All or nothing: a validation error leaves the database as it was. Re-importing the same
    post updates the guide and its FAQs and creates nothing twice. With `link`, the
    proposed products and categories are linked to the guide (and to the FAQs naming them).
    """
    slug = slug or slugify(parsed.title)[:200]
    article = Article.objects.filter(slug=slug).first()
    created = article is None
    topics = list(topics)
    fields = {
        "title": parsed.title[:200],
        "lead": parsed.lead,
        "body": parsed.body,
        "keywords": parsed.keywords,
        "seo_description": parsed.lead[:170],
    }
    if created:
        article = article_create(slug=slug, author=author, topics=topics, **fields)
    else:
        article = article_update(article=article, topics=topics or None, **fields)
    if publish and not article.is_live:
        article_publish(article=article)

    status = article.status
    published_at = article.published_at
    existing = {faq.question: faq for faq in article.faqs.all()}
    faqs = []
    for position, parsed_faq in enumerate(parsed.faqs):
        faq = existing.pop(parsed_faq.question, None)
        if faq is None:
            faq = faq_create(
                question=parsed_faq.question,
                answer=parsed_faq.answer,
                article=article,
                position=position,
                topics=topics,
                status=status,
                published_at=published_at,
            )
        else:
            faq = faq_update(
                faq=faq, answer=parsed_faq.answer, position=position, topics=topics or None
            )
            if publish and faq.status != Status.PUBLISHED:
                faq_publish(faq=faq, published_at=published_at)
        faqs.append(faq)
    # Questions no longer in the post go with it: the file is the source of the guide's FAQs.
    for stale in existing.values():
        stale.delete()

    proposals = importer.import_proposals(parsed)
    result = ImportResult(
        article=article,
        created=created,
        faqs=faqs,
        proposals=proposals,
        headings=parsed.headings,
    )
    if link:
        result.linked_products = len(
            article_link_products(
                article=article, products=proposals.products, source=LinkSource.IMPORT
            )
        )
        result.linked_categories = len(
            article_link_categories(
                article=article,
                categories=proposals.category_objects,
                source=LinkSource.IMPORT,
            )
        )
        for index, products in proposals.faq_products.items():
            faq_link_products(faq=faqs[index], products=products, source=LinkSource.IMPORT)
    return result


def article_import_file(
    *,
    data: bytes,
    title: str | None = None,
    publish: bool = False,
    link: bool = False,
    slug: str = "",
    author: str = "",
    topics: Iterable[Topic] = (),
) -> ImportResult:
    """Decode, parse and import a post; raises ArticleImportError or ValidationError."""
    parsed = importer.parse(importer.decode(data), title=title)
    return article_import(
        parsed=parsed, publish=publish, link=link, slug=slug, author=author, topics=topics
    )
