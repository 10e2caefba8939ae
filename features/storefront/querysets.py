"""The read vocabulary of the storefront app."""

from __future__ import annotations

from django.db import models


class HomePageQuerySet(models.QuerySet):
    def current(self):
        """The home page's row, or an unsaved one with the default texts (a read never writes)."""
        return self.order_by("pk").first() or self.model()


class GuideAdditionQuerySet(models.QuerySet):
    def for_basket(self, basket_id: int) -> GuideAdditionQuerySet:
        """Credited additions to one basket, the latest first."""
        return self.filter(basket_id=basket_id).order_by("-created_at", "-pk")
