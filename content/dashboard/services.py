"""Writes of the Kennisbank dashboard: each save goes through content.services and leaves a
Revision in the same transaction, so no edit exists without its history (and vice versa)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from oscar.core.loading import get_model

from content import services as content_services
from content.choices import LinkSource, Status
from content.dashboard import gate
from content.dashboard.models import ClaimOverride, Revision
from content.models import (
    Article,
    ArticleCategory,
    ArticleProduct,
    Faq,
    FaqCategory,
    FaqProduct,
    Topic,
)

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

# Fields a revision restores, in the order the diff shows them. Status and publish date are
# recorded too, but a restore never (un)publishes: that stays an explicit action.
ARTICLE_TEXT_FIELDS = [
    "title",
    "slug",
    "lead",
    "body",
    "author",
    "seo_title",
    "seo_description",
    "keywords",
    "sources",
]
FAQ_TEXT_FIELDS = ["question", "answer", "position"]
FIELD_LABELS = {
    "title": "titel",
    "slug": "slug",
    "lead": "intro",
    "body": "tekst",
    "author": "auteur",
    "seo_title": "SEO-titel",
    "seo_description": "SEO-omschrijving",
    "keywords": "zoekwoorden",
    "sources": "bronnen",
    "hero_image": "hoofdafbeelding",
    "topics": "onderwerpen",
    "products": "producten",
    "categories": "categorieën",
    "status": "status",
    "published_at": "publicatiedatum",
    "question": "vraag",
    "answer": "antwoord",
    "position": "volgorde",
    "article": "gids",
}


def snapshot(obj: Article | Faq) -> dict:
    """The editable state of a guide or FAQ as JSON-safe data."""
    text_fields = ARTICLE_TEXT_FIELDS if isinstance(obj, Article) else FAQ_TEXT_FIELDS
    data = {name: getattr(obj, name) for name in text_fields}
    if "keywords" in data:
        data["keywords"] = list(data["keywords"])
    if isinstance(obj, Article):
        data["hero_image"] = obj.hero_image.name if obj.hero_image else ""
    else:
        data["article"] = obj.article_id
    data["status"] = obj.status
    data["published_at"] = obj.published_at.isoformat() if obj.published_at else None
    data["topics"] = sorted(obj.topics.values_list("pk", flat=True))
    data["products"] = list(
        obj.product_links.order_by("position", "pk").values_list("product_id", flat=True)
    )
    data["categories"] = list(
        obj.category_links.order_by("position", "pk").values_list("category_id", flat=True)
    )
    return data


def changed_fields(old: dict, new: dict) -> list[str]:
    """Names of the snapshot fields that differ, in snapshot order."""
    return [name for name in new if old.get(name) != new.get(name)]


def summarise(old: dict | None, new: dict, *, action: str = "") -> str:
    """A one-line Dutch summary such as "Gewijzigd: titel, tekst"."""
    if old is None:
        return action or "Aangemaakt"
    changed = changed_fields(old, new)
    text = "Gewijzigd: " + ", ".join(FIELD_LABELS.get(n, n) for n in changed) if changed else ""
    text = text or "Opgeslagen zonder wijzigingen"
    return f"{action} — {text}" if action else text


def revision_record(*, obj: Article | Faq, user=None, action: str = "") -> Revision:
    """Store the current state of `obj` as a new revision, summarising what changed."""
    previous = Revision.objects.for_object(obj).first()
    data = snapshot(obj)
    revision = Revision(
        content_object=obj,
        user=user if user is not None and user.is_authenticated else None,
        snapshot=data,
        summary=summarise(previous.snapshot if previous else None, data, action=action)[:255],
    )
    revision.full_clean()
    revision.save()
    return revision


def _set_links(*, rows, owner_field: str, target_field: str, owner, targets: Sequence, model):
    """Make the curated links of `owner` exactly `targets`, in that order.

    Body links follow the text (content.services re-records them on every save), so a
    reference still in the text keeps its link; it moves after the picked ones.
    """
    wanted = [t.pk for t in targets]
    rows.exclude(**{f"{target_field}_id__in": wanted}).exclude(source=LinkSource.BODY).delete()
    existing = {getattr(row, f"{target_field}_id"): row for row in rows}
    for position, pk in enumerate(wanted):
        row = existing.get(pk)
        if row is None:
            row = model(**{owner_field: owner, f"{target_field}_id": pk}, source=LinkSource.MANUAL)
        row.position = position
        row.full_clean()
        row.save()
    for offset, row in enumerate(
        (row for pk, row in existing.items() if pk not in wanted), start=len(wanted)
    ):
        row.position = offset
        row.save(update_fields=["position", "updated_at"])


def article_set_links(*, article: Article, products: Sequence, categories: Sequence) -> None:
    """Link exactly these products and categories to the guide, in the given order."""
    _set_links(
        rows=article.product_links.all(),
        owner_field="article",
        target_field="product",
        owner=article,
        targets=products,
        model=ArticleProduct,
    )
    _set_links(
        rows=article.category_links.all(),
        owner_field="article",
        target_field="category",
        owner=article,
        targets=categories,
        model=ArticleCategory,
    )


def faq_set_links(*, faq: Faq, products: Sequence, categories: Sequence) -> None:
    """Link exactly these products and categories to the FAQ, in the given order."""
    _set_links(
        rows=faq.product_links.all(),
        owner_field="faq",
        target_field="product",
        owner=faq,
        targets=products,
        model=FaqProduct,
    )
    _set_links(
        rows=faq.category_links.all(),
        owner_field="faq",
        target_field="category",
        owner=faq,
        targets=categories,
        model=FaqCategory,
    )


def _item_save(*, user, obj, saved, set_links, sync_links, products, categories):
    """After a guide or FAQ is created or updated (`saved`): its ordered links, the claim gate
    for a live one and the revision."""
    if products is not None or categories is not None:
        set_links(saved, products=products or [], categories=categories or [])
        sync_links(saved)
    if saved.status == Status.PUBLISHED:
        # A live (or scheduled) item shows the new text at once: the claim gate applies.
        gate.publish_check(saved)
    revision_record(obj=saved, user=user, action="Aangemaakt" if obj is None else "")
    return saved


@transaction.atomic
def article_save(
    *,
    user,
    article: Article | None = None,
    fields: dict,
    topics: Iterable[Topic],
    products: Sequence | None = None,
    categories: Sequence | None = None,
) -> Article:
    """Create or update a guide with its ordered links and record the revision."""
    if article is None:
        saved = content_services.article_create(topics=topics, **fields)
    else:
        saved = content_services.article_update(article=article, topics=topics, **fields)
    return _item_save(
        user=user,
        obj=article,
        saved=saved,
        set_links=lambda item, **links: article_set_links(article=item, **links),
        sync_links=lambda item: content_services.article_sync_links(article=item),
        products=products,
        categories=categories,
    )


@transaction.atomic
def faq_save(
    *,
    user,
    faq: Faq | None = None,
    fields: dict,
    topics: Iterable[Topic],
    products: Sequence | None = None,
    categories: Sequence | None = None,
) -> Faq:
    """Create or update a FAQ with its ordered links and record the revision."""
    if faq is None:
        saved = content_services.faq_create(topics=topics, **fields)
    else:
        saved = content_services.faq_update(faq=faq, topics=topics, **fields)
    return _item_save(
        user=user,
        obj=faq,
        saved=saved,
        set_links=lambda item, **links: faq_set_links(faq=item, **links),
        sync_links=lambda item: content_services.faq_sync_links(faq=item),
        products=products,
        categories=categories,
    )


@transaction.atomic
def article_publish(*, article: Article, user, published_at: datetime | None = None) -> Article:
    """Publish now or schedule (a future `published_at`), recorded as a revision.

    Refused (ClaimGateError) while the guide or one of its FAQs has error-level claim findings
    that no Compliance override covers.
    """
    gate.publish_check(article)
    for faq in article.faqs.all():
        gate.publish_check(faq)
    article = content_services.article_publish(article=article, published_at=published_at)
    # A guide's FAQs go live with it: FaqQuerySet.published() also hides them while it is a draft.
    for faq in article.faqs.exclude(status=Article.Status.PUBLISHED):
        content_services.faq_publish(faq=faq, published_at=article.published_at)
        revision_record(obj=faq, user=user, action="Gepubliceerd met de gids")
    scheduled = article.published_at and not article.is_live
    revision_record(obj=article, user=user, action="Ingepland" if scheduled else "Gepubliceerd")
    return article


@transaction.atomic
def article_unpublish(*, article: Article, user) -> Article:
    """Take a guide back to draft, recorded as a revision."""
    article = content_services.article_unpublish(article=article)
    revision_record(obj=article, user=user, action="Gedepubliceerd")
    return article


@transaction.atomic
def faq_publish(*, faq: Faq, user, published_at: datetime | None = None) -> Faq:
    """Publish or schedule a FAQ, recorded as a revision (refused while it has claim errors)."""
    gate.publish_check(faq)
    faq = content_services.faq_publish(faq=faq, published_at=published_at)
    revision_record(obj=faq, user=user, action="Gepubliceerd")
    return faq


@transaction.atomic
def faq_unpublish(*, faq: Faq, user) -> Faq:
    """Take a FAQ back to draft, recorded as a revision."""
    faq = content_services.faq_unpublish(faq=faq)
    revision_record(obj=faq, user=user, action="Gedepubliceerd")
    return faq


def _restore_links(data: dict, kind: str) -> list:
    model = Product if kind == "products" else Category
    by_pk = model.objects.in_bulk(data.get(kind, []))
    # Targets deleted since the revision was taken cannot come back; the rest keep their order.
    return [by_pk[pk] for pk in data.get(kind, []) if pk in by_pk]


@transaction.atomic
def revision_restore(*, revision: Revision, user) -> Article | Faq:
    """Put the text, topics and links of `revision` back, recorded as a new revision."""
    obj = revision.content_object
    model = type(obj)
    obj = model.objects.select_for_update().get(pk=obj.pk)
    data = revision.snapshot
    topics = Topic.objects.filter(pk__in=data.get("topics", []))
    products = _restore_links(data, "products")
    categories = _restore_links(data, "categories")
    stamp = f"Teruggezet naar versie van {revision.created_at:%d-%m-%Y %H:%M}"
    if isinstance(obj, Article):
        fields = {name: data[name] for name in ARTICLE_TEXT_FIELDS if name in data}
        fields["hero_image"] = data.get("hero_image", "")
        content_services.article_update(article=obj, topics=topics, **fields)
        article_set_links(article=obj, products=products, categories=categories)
        content_services.article_sync_links(article=obj)
    else:
        fields = {name: data[name] for name in FAQ_TEXT_FIELDS if name in data}
        if "article" in data:
            fields["article"] = Article.objects.filter(pk=data["article"]).first()
        content_services.faq_update(faq=obj, topics=topics, **fields)
        faq_set_links(faq=obj, products=products, categories=categories)
        content_services.faq_sync_links(faq=obj)
    if obj.status == Status.PUBLISHED:
        gate.publish_check(obj)
    revision_record(obj=obj, user=user, action=stamp)
    return obj


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "del", "ctx" or "hunk"
    text: str


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    lines: list[DiffLine]


def _as_lines(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value).splitlines()


def revision_diff(*, old: dict, new: dict) -> list[FieldDiff]:
    """Per changed field, a unified line diff from `old` to `new` (pure, no database)."""
    diffs = []
    for name in changed_fields(old, new):
        lines = []
        for raw in difflib.unified_diff(
            _as_lines(old.get(name)), _as_lines(new.get(name)), lineterm="", n=2
        ):
            if raw.startswith(("---", "+++")):
                continue
            if raw.startswith("@@"):
                lines.append(DiffLine("hunk", raw))
            elif raw.startswith("+"):
                lines.append(DiffLine("add", raw[1:]))
            elif raw.startswith("-"):
                lines.append(DiffLine("del", raw[1:]))
            else:
                lines.append(DiffLine("ctx", raw[1:]))
        diffs.append(FieldDiff(name=name, label=FIELD_LABELS.get(name, name), lines=lines))
    return diffs


def topic_update(*, topic: Topic, name: str, slug: str, description: str, position: int) -> Topic:
    """Change a topic; a blank slug keeps the current one."""
    topic.name = name
    topic.slug = slug or topic.slug
    topic.description = description
    topic.position = position
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def object_delete(*, obj: Article | Faq | Topic) -> None:
    """Delete a guide, FAQ or topic together with its revisions."""
    if isinstance(obj, Article | Faq):
        Revision.objects.for_object(obj).delete()
        if isinstance(obj, Article):
            for faq in obj.faqs.all():
                Revision.objects.for_object(faq).delete()
    obj.delete()


@transaction.atomic
def article_import(
    *, user, data: bytes, title: str | None = None, link: bool = True, topics: Iterable[Topic] = ()
) -> content_services.ImportResult:
    """Import a post as a draft guide (content.services) and record revisions of what it made."""
    result = content_services.article_import_file(
        data=data, title=title, link=link, topics=topics, publish=False
    )
    revision_record(obj=result.article, user=user, action="Geïmporteerd")
    for faq in result.faqs:
        revision_record(obj=faq, user=user, action="Geïmporteerd")
    return result


@transaction.atomic
def claim_override_grant(*, obj, user, reason: str) -> ClaimOverride:
    """Record a Compliance decision to let `obj`'s current text be public despite its findings;
    for a guide or FAQ it also becomes a revision, so the history shows who, when and why."""
    if not gate.can_override(user):
        raise PermissionDenied("Alleen de rol Compliance mag de claimcontrole overrulen.")
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError(
            "Geef een schriftelijke onderbouwing van ten minste 10 tekens.", code="reason"
        )
    texts = gate.item_texts(obj)
    findings = gate.item_errors(obj, texts)
    if not findings:
        raise ValidationError("Dit item heeft geen claimfouten; er valt niets te overrulen.")
    override = ClaimOverride(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        fingerprint=gate.fingerprint(texts),
        reason=reason,
        findings=[f.as_json() for f in findings],
        label=gate.item_label(obj)[:255],
        user=user,
    )
    override.full_clean()
    override.save()
    if isinstance(obj, Article | Faq):
        revision_record(
            obj=obj,
            user=user,
            action=f"Claimcontrole overruled ({len(findings)} fouten): {reason}",
        )
    return override
