"""The read vocabulary of the content app: what customers may see, and what links to what."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from content.choices import Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def _product_ids(product) -> list[int]:
    # A child product (a pack size) has no links of its own: guides link the parent.
    return [pk for pk in (product.pk, product.parent_id) if pk]


class TopicQuerySet(models.QuerySet):
    def with_published_articles(self) -> TopicQuerySet:
        """Topics that have at least one guide a customer can read."""
        from content.models import Article

        live = Article.objects.published().filter(topics=OuterRef("pk"))
        return self.filter(Exists(live))

    def with_published_faqs(self) -> TopicQuerySet:
        """Topics that have at least one FAQ a customer can read."""
        from content.models import Faq

        live = Faq.objects.published().filter(topics=OuterRef("pk"))
        return self.filter(Exists(live))


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        """Guides whose status is published and whose publish date has passed."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user: AbstractBaseUser | AnonymousUser | None) -> ArticleQuerySet:
        """Everything for staff (drafts, scheduled), only published guides for anyone else."""
        if user is not None and user.is_active and user.is_staff:
            return self.all()
        return self.published()

    def for_topic(self, topic) -> ArticleQuerySet:
        """Guides filed under `topic`."""
        return self.filter(topics=topic)

    def for_product(self, product) -> ArticleQuerySet:
        """Guides linked to `product` or, for a child product, to its parent."""
        from content.models import ArticleProduct

        links = ArticleProduct.objects.filter(
            article=OuterRef("pk"), product_id__in=_product_ids(product)
        )
        # EXISTS instead of a join: no duplicates, so no DISTINCT that fights the ordering.
        return self.filter(Exists(links))

    def for_category(self, category) -> ArticleQuerySet:
        """Guides linked to `category`."""
        from content.models import ArticleCategory

        return self.filter(
            Exists(ArticleCategory.objects.filter(article=OuterRef("pk"), category=category))
        )


class FaqQuerySet(models.QuerySet):
    def published(self) -> FaqQuerySet:
        """FAQs that are published, due, and not part of a guide that customers cannot see."""
        now = timezone.now()
        return self.filter(status=Status.PUBLISHED, published_at__lte=now).filter(
            Q(article__isnull=True)
            | Q(article__status=Status.PUBLISHED, article__published_at__lte=now)
        )

    def visible_to(self, user) -> FaqQuerySet:
        """Everything for staff, only published FAQs for anyone else."""
        if user is not None and user.is_active and user.is_staff:
            return self.all()
        return self.published()

    def for_product(self, product) -> FaqQuerySet:
        """FAQs linked to `product` or, for a child product, to its parent."""
        from content.models import FaqProduct

        links = FaqProduct.objects.filter(faq=OuterRef("pk"), product_id__in=_product_ids(product))
        return self.filter(Exists(links))

    def for_category(self, category) -> FaqQuerySet:
        """FAQs linked to `category`."""
        from content.models import FaqCategory

        return self.filter(
            Exists(FaqCategory.objects.filter(faq=OuterRef("pk"), category=category))
        )
