"""Revisions of guides and FAQs: who saved what, when, as a full snapshot of the editable fields."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class ForObjectQuerySet(models.QuerySet):
    """Rows about one object through a generic relation (content_type, object_id)."""

    def for_object(self, obj: models.Model) -> ForObjectQuerySet:
        """The rows about `obj` (revisions of it, overrides given for it), newest first."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).order_by("-created_at", "-pk")


class Revision(models.Model):
    """One save of a guide or FAQ; the snapshot is enough to restore it exactly."""

    # A generic relation: one revision table serves guides and FAQs alike, the way
    # django-reversion and Wagtail keep theirs.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(db_index=True)
    content_object = GenericForeignKey("content_type", "object_id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="door",
    )
    snapshot = models.JSONField("momentopname", default=dict)
    summary = models.CharField("wijzigingen", max_length=255, blank=True)
    created_at = models.DateTimeField("opgeslagen op", auto_now_add=True)

    objects = ForObjectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "versie"
        verbose_name_plural = "versies"
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class ClaimOverride(models.Model):
    """A compliance officer's written decision to publish an item despite error-level claim
    findings; it covers the item's text as it was (its fingerprint), not later edits."""

    # Generic, like Revision: one table for guides, FAQs, products, categories and reviews.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(db_index=True)
    content_object = GenericForeignKey("content_type", "object_id")
    fingerprint = models.CharField("vingerafdruk van de tekst", max_length=64)
    reason = models.TextField("onderbouwing")
    findings = models.JSONField("bevindingen", default=list)
    label = models.CharField("item", max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="door",
    )
    created_at = models.DateTimeField("gegeven op", auto_now_add=True)

    objects = ForObjectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "uitzondering op de claimcontrole"
        verbose_name_plural = "uitzonderingen op de claimcontrole"
        permissions = [
            (
                "override_claims",
                "Mag publiceren ondanks claimfouten, met schriftelijke onderbouwing",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.label} @ {self.created_at:%Y-%m-%d %H:%M}"
