"""Guides (Article), FAQs and topics, linked to the catalogue through ordered link rows.

Relations to Oscar use strings ("catalogue.Product") so importing this module never loads
Oscar's models first (STYLE.md, pitfalls 4 and 5).
"""

from __future__ import annotations

import math
import re

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone

from content.choices import LinkSource, Status
from content.querysets import ArticleQuerySet, FaqQuerySet, TopicQuerySet

WORDS_PER_MINUTE = 200


class Topic(models.Model):
    name = models.CharField("naam", max_length=120, unique=True)
    slug = models.SlugField("slug", max_length=120, unique=True)
    description = models.TextField("omschrijving", blank=True)
    position = models.PositiveIntegerField("volgorde", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "onderwerp"
        verbose_name_plural = "onderwerpen"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('content:article-list')}?onderwerp={self.slug}"


class Article(models.Model):
    """A guide: a long Markdown article about the products and their use."""

    Status = Status

    title = models.CharField("titel", max_length=200)
    slug = models.SlugField("slug", max_length=200, unique=True)
    lead = models.TextField("intro", blank=True)
    body = models.TextField("tekst (Markdown)", blank=True)
    hero_image = models.ImageField(
        "hoofdafbeelding", upload_to="content/guides/", blank=True, max_length=255
    )
    author = models.CharField("auteur", max_length=120, blank=True)
    status = models.CharField(
        "status", max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        "publicatiedatum",
        null=True,
        blank=True,
        db_index=True,
        help_text="Een datum in de toekomst plant de publicatie in.",
    )
    seo_title = models.CharField("SEO-titel", max_length=70, blank=True)
    seo_description = models.CharField("SEO-omschrijving", max_length=170, blank=True)
    keywords = models.JSONField("zoekwoorden", default=list, blank=True)
    sources = models.TextField(
        "bronnen",
        blank=True,
        help_text="Eén bron per regel; Markdown-links zijn toegestaan.",
    )
    topics = models.ManyToManyField(
        "content.Topic", related_name="articles", blank=True, verbose_name="onderwerpen"
    )
    products = models.ManyToManyField(
        "catalogue.Product",
        through="content.ArticleProduct",
        related_name="articles",
        blank=True,
    )
    categories = models.ManyToManyField(
        "catalogue.Category",
        through="content.ArticleCategory",
        related_name="articles",
        blank=True,
    )
    # Title (A), keywords (B), lead + body (C) as a Dutch tsvector, written by the content
    # services through shop.search.indexing; GIN-indexed on PostgreSQL (by SQL in migration
    # 0002, not in Meta: SQLite cannot build it), unused on SQLite.
    search_document = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at", "title"]
        verbose_name = "gids"
        verbose_name_plural = "gidsen"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:article-detail", kwargs={"slug": self.slug})

    def get_preview_url(self) -> str:
        return reverse("content:article-preview", kwargs={"pk": self.pk})

    @property
    def is_live(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def word_count(self) -> int:
        return len(re.findall(r"\w+", f"{self.lead} {self.body}"))

    @property
    def reading_time(self) -> int:
        """Minutes to read at an ordinary adult pace; at least one."""
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    @property
    def meta_title(self) -> str:
        return self.seo_title or self.title

    @property
    def meta_description(self) -> str:
        return self.seo_description or self.lead[:170]


class Faq(models.Model):
    """A question and its Markdown answer, optionally part of a guide."""

    Status = Status

    question = models.CharField("vraag", max_length=300)
    answer = models.TextField("antwoord (Markdown)")
    article = models.ForeignKey(
        "content.Article",
        on_delete=models.CASCADE,
        related_name="faqs",
        null=True,
        blank=True,
        verbose_name="gids",
    )
    topics = models.ManyToManyField(
        "content.Topic", related_name="faqs", blank=True, verbose_name="onderwerpen"
    )
    position = models.PositiveIntegerField("volgorde", default=0)
    status = models.CharField(
        "status", max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField("publicatiedatum", null=True, blank=True, db_index=True)
    products = models.ManyToManyField(
        "catalogue.Product", through="content.FaqProduct", related_name="faqs", blank=True
    )
    categories = models.ManyToManyField(
        "catalogue.Category", through="content.FaqCategory", related_name="faqs", blank=True
    )
    # Question (A), answer (C); see Article.search_document.
    search_document = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FaqQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "veelgestelde vraag"
        verbose_name_plural = "veelgestelde vragen"

    def __str__(self) -> str:
        return self.question

    @property
    def anchor(self) -> str:
        return f"vraag-{self.pk}"


class Link(models.Model):
    position = models.PositiveIntegerField("volgorde", default=0)
    source = models.CharField(
        "herkomst", max_length=16, choices=LinkSource.choices, default=LinkSource.MANUAL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class ArticleProduct(Link):
    article = models.ForeignKey(
        "content.Article", on_delete=models.CASCADE, related_name="product_links"
    )
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="article_links"
    )

    class Meta(Link.Meta):
        verbose_name = "productlink van gids"
        verbose_name_plural = "productlinks van gidsen"
        constraints = [
            models.UniqueConstraint(fields=["article", "product"], name="content_article_product")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.product_id}"


class ArticleCategory(Link):
    article = models.ForeignKey(
        "content.Article", on_delete=models.CASCADE, related_name="category_links"
    )
    category = models.ForeignKey(
        "catalogue.Category", on_delete=models.CASCADE, related_name="article_links"
    )

    class Meta(Link.Meta):
        verbose_name = "categorielink van gids"
        verbose_name_plural = "categorielinks van gidsen"
        constraints = [
            models.UniqueConstraint(fields=["article", "category"], name="content_article_category")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.category_id}"


class FaqProduct(Link):
    faq = models.ForeignKey("content.Faq", on_delete=models.CASCADE, related_name="product_links")
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="faq_links"
    )

    class Meta(Link.Meta):
        verbose_name = "productlink van vraag"
        verbose_name_plural = "productlinks van vragen"
        constraints = [
            models.UniqueConstraint(fields=["faq", "product"], name="content_faq_product")
        ]

    def __str__(self) -> str:
        return f"{self.faq_id} → {self.product_id}"


class FaqCategory(Link):
    faq = models.ForeignKey("content.Faq", on_delete=models.CASCADE, related_name="category_links")
    category = models.ForeignKey(
        "catalogue.Category", on_delete=models.CASCADE, related_name="faq_links"
    )

    class Meta(Link.Meta):
        verbose_name = "categorielink van vraag"
        verbose_name_plural = "categorielinks van vragen"
        constraints = [
            models.UniqueConstraint(fields=["faq", "category"], name="content_faq_category")
        ]

    def __str__(self) -> str:
        return f"{self.faq_id} → {self.category_id}"
