"""The home page's editable text and featured products, and what the guide → sale report counts.

Attribution keeps no personal data: a guide is linked to a basket (GuideAddition) and to the
order placed from that basket (OrderGuide); views and clicks are per guide and day only.
"""

from __future__ import annotations

from django.db import models

from features.storefront.querysets import GuideAdditionQuerySet, HomePageQuerySet


class HomePage(models.Model):
    """The home page's text blocks and featured products; one row, edited in the dashboard."""

    tagline = models.CharField(
        "kernzin",
        max_length=160,
        default="Magnesium in de vorm die bij je past, met uitleg die je helpt kiezen.",
        help_text="Wat de winkel is, in één regel (de kop van de homepage).",
    )
    intro = models.TextField(
        "introductie",
        blank=True,
        default=(
            "Wij verkopen magnesium en een paar aanvullende supplementen, en schrijven in de "
            "Kennisbank op wat de vormen verschillen, hoeveel je per dag nodig hebt en wat de "
            "wetenschap zegt."
        ),
    )
    guides_title = models.CharField("kop gidsen", max_length=80, default="Uit de Kennisbank")
    products_title = models.CharField(
        "kop producten", max_length=80, default="Uitgelichte producten"
    )
    featured_products = models.ManyToManyField(
        "catalogue.Product",
        blank=True,
        related_name="+",
        verbose_name="uitgelichte producten",
        help_text="Leeg: de nieuwste producten van de collectie. De homepage toont er hoogstens vier.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = HomePageQuerySet.as_manager()

    class Meta:
        verbose_name = "homepage"
        verbose_name_plural = "homepage"

    def __str__(self) -> str:
        return "Homepage"


class GuideCount(models.Model):
    """Views of a guide and clicks on its product links, per day (written in batches from the
    cache by `manage.py flush_guide_counts`, never on the request path)."""

    article = models.ForeignKey(
        "content.Article", on_delete=models.CASCADE, related_name="daily_counts"
    )
    day = models.DateField("dag")
    views = models.PositiveIntegerField("weergaven", default=0)
    clicks = models.PositiveIntegerField("klikken naar producten", default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="guide_count_per_day")
        ]
        verbose_name = "gidsteller"
        verbose_name_plural = "gidstellers"

    def __str__(self) -> str:
        return f"{self.article_id} op {self.day}: {self.views} weergaven, {self.clicks} klikken"


class GuideAddition(models.Model):
    """A product added to a basket after its visitor read a guide (the last one read)."""

    article = models.ForeignKey(
        "content.Article", on_delete=models.CASCADE, related_name="basket_additions"
    )
    basket = models.ForeignKey(
        "basket.Basket", on_delete=models.CASCADE, related_name="guide_additions"
    )
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = GuideAdditionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "toevoeging na gids"
        verbose_name_plural = "toevoegingen na gids"

    def __str__(self) -> str:
        return f"winkelmand {self.basket_id} na gids {self.article_id}"


class OrderGuide(models.Model):
    """The guide an order followed: the one credited with the last addition to its basket."""

    order = models.OneToOneField("order.Order", on_delete=models.CASCADE, related_name="guide")
    article = models.ForeignKey(
        "content.Article", on_delete=models.CASCADE, related_name="orders_followed"
    )

    class Meta:
        verbose_name = "bestelling na gids"
        verbose_name_plural = "bestellingen na gids"

    def __str__(self) -> str:
        return f"bestelling {self.order_id} na gids {self.article_id}"
