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
        # The related models through the relations: content.models imports this module.
        article = self.model._meta.get_field("articles").related_model
        live = article.objects.published().filter(topics=OuterRef("pk"))
        return self.filter(Exists(live))

    def with_published_faqs(self) -> TopicQuerySet:
        """Topics that have at least one FAQ a customer can read."""
        faq = self.model._meta.get_field("faqs").related_model
        live = faq.objects.published().filter(topics=OuterRef("pk"))
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
        links = self.model.products.through.objects.filter(
            article=OuterRef("pk"), product_id__in=_product_ids(product)
        )
        # EXISTS instead of a join: no duplicates, so no DISTINCT that fights the ordering.
        return self.filter(Exists(links))

    def for_category(self, category) -> ArticleQuerySet:
        """Guides linked to `category`."""
        links = self.model.categories.through.objects.filter(
            article=OuterRef("pk"), category=category
        )
        return self.filter(Exists(links))


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
        links = self.model.products.through.objects.filter(
            faq=OuterRef("pk"), product_id__in=_product_ids(product)
        )
        return self.filter(Exists(links))

    def for_category(self, category) -> FaqQuerySet:
        """FAQs linked to `category`."""
        links = self.model.categories.through.objects.filter(faq=OuterRef("pk"), category=category)
        return self.filter(Exists(links))
