"""One Mollie payment per order, and what happened to it."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import models

from shop.mollie.querysets import MolliePaymentQuerySet


class MolliePayment(models.Model):
    """The Mollie payment of one order: the unique order and the idempotency key sent to Mollie
    make a double click or a second tab find this payment instead of creating another."""

    class Status(models.TextChoices):
        NEW = "", "Nog niet aangemaakt"
        OPEN = "open", "Open"
        PENDING = "pending", "In behandeling"
        AUTHORIZED = "authorized", "Geautoriseerd"
        PAID = "paid", "Betaald"
        FAILED = "failed", "Mislukt"
        CANCELED = "canceled", "Geannuleerd"
        EXPIRED = "expired", "Verlopen"

    order = models.OneToOneField(
        "order.Order", on_delete=models.PROTECT, related_name="mollie_payment"
    )
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mollie_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    method = models.CharField(max_length=32)
    mode = models.CharField(max_length=4, blank=True)  # "test" or "live", as Mollie says
    status = models.CharField(max_length=16, choices=Status.choices, blank=True, default="")
    checkout_url = models.URLField(max_length=500, blank=True)
    amount_refunded = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    needs_attention = models.BooleanField(default=False)
    attention_reason = models.TextField(blank=True)
    basket_restored = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MolliePaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "Mollie-betaling"
        verbose_name_plural = "Mollie-betalingen"

    def __str__(self) -> str:
        return f"{self.mollie_id or '(nieuw)'} voor bestelling {self.order.number}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


FAILED_STATUSES = {
    MolliePayment.Status.FAILED,
    MolliePayment.Status.CANCELED,
    MolliePayment.Status.EXPIRED,
}
FINAL_STATUSES = FAILED_STATUSES | {MolliePayment.Status.PAID}


class MollieEvent(models.Model):
    """A line of the payment's history as staff see it on the order page."""

    payment = models.ForeignKey(MolliePayment, on_delete=models.CASCADE, related_name="events")
    source = models.CharField(max_length=16)  # webhook, return, checkout, dashboard
    status = models.CharField(max_length=16, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "Mollie-gebeurtenis"
        verbose_name_plural = "Mollie-gebeurtenissen"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.source}: {self.status} {self.message}"
