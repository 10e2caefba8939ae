from django.core.exceptions import ValidationError
from oscar.apps.dashboard.reviews import forms as oscar_forms
from oscar.apps.dashboard.reviews.forms import *  # noqa: F403

from shop.dashboard import hooks


class DashboardProductReviewForm(oscar_forms.DashboardProductReviewForm):
    # Adds the claim gate: an approved review is public text on the product page.

    def clean(self):
        cleaned_data = super().clean()
        if str(cleaned_data.get("status")) == str(self.instance.APPROVED):
            texts = [
                ("titel", cleaned_data.get("title") or ""),
                ("tekst", cleaned_data.get("body") or ""),
            ]
            try:
                hooks.publish_check(self.instance, texts=texts)
            except ValidationError as exc:
                # Oscar's review page shows field errors only: put it on the status field.
                self.add_error("status", exc)
        return cleaned_data
