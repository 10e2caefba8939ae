from __future__ import annotations

from django.db import models


class MolliePaymentQuerySet(models.QuerySet):
    def needing_attention(self) -> MolliePaymentQuerySet:
        """Payments staff must look at (money arrived for a cancelled order)."""
        return self.filter(needs_attention=True)

    def by_mollie_id(self, mollie_id: str) -> MolliePaymentQuerySet:
        """The payment Mollie knows by `mollie_id` (tr_…), with its order."""
        return self.filter(mollie_id=mollie_id).select_related("order")
