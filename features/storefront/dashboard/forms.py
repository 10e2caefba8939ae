from django import forms
from oscar.core.loading import get_class

from features.storefront.models import HomePage

ProductSelectMultiple = get_class("dashboard.catalogue.widgets", "ProductSelectMultiple")


class HomePageForm(forms.ModelForm):
    class Meta:
        model = HomePage
        fields = ["tagline", "intro", "guides_title", "products_title", "featured_products"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 3}),
            "featured_products": ProductSelectMultiple,
        }
