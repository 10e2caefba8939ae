"""The search app's own tables: the synonyms staff edit and the vocabulary of indexed words."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Synonym(models.Model):
    """Words (or short phrases) that mean the same to a customer, e.g. nacht, avond, slapen.

    Applied when a search is run (shop.search.engine), so an edit needs no reindex: a query word
    in the group also finds the group's other words. Written by shop.search.services only.
    """

    words = models.CharField(
        _("Woorden"),
        max_length=500,
        help_text=_("Woorden of woordgroepen die hetzelfde betekenen, gescheiden door komma's."),
    )
    # The words as a query compares them: lower-case, without accents (shop.search.text).
    terms = models.JSONField(default=list, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["words", "pk"]
        verbose_name = _("synoniem")
        verbose_name_plural = _("synoniemen")

    def __str__(self) -> str:
        return self.words

    def clean(self) -> None:
        if len(self.terms) < 2:
            raise ValidationError(
                {"words": _("Geef ten minste twee verschillende woorden, gescheiden door komma's.")}
            )
        if any(len(term) > 50 for term in self.terms):
            raise ValidationError({"words": _("Een woord of woordgroep is hooguit 50 tekens.")})


class SearchWord(models.Model):
    """A word that occurs in what the search finds (product, guide and FAQ texts, forms and
    categories): the vocabulary a mistyped query word is corrected against ("sprot" → "sport")
    and "Bedoelde u …?" draws from. Lower-case and unaccented; trigram-indexed on PostgreSQL
    (migration 0001, by SQL: SQLite neither can nor needs to build it)."""

    word = models.CharField(max_length=100, primary_key=True)

    class Meta:
        ordering = ["word"]
        verbose_name = _("zoekwoord")
        verbose_name_plural = _("zoekwoorden")

    def __str__(self) -> str:
        return self.word
