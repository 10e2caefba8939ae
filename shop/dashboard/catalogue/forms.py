from django.core.exceptions import ValidationError
from oscar.apps.dashboard.catalogue import forms as oscar_forms
from oscar.apps.dashboard.catalogue.forms import *  # noqa: F403

from shop.facts import missing_label_facts


class ProductForm(oscar_forms.ProductForm):
    # Adds the label-completeness gate: a supplement cannot be made public while a required
    # label fact (shop.facts.missing_label_facts) is missing; the error names the facts.

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("is_public", self.instance.is_public):
            return cleaned_data
        # Oscar copies the attribute fields onto product.attr only in _post_clean (after this
        # method); copy them now so the check sees the values about to be saved.
        for attribute in self.instance.attr.get_all_attributes():
            field_name = f"attr_{attribute.code}"
            if field_name in cleaned_data:
                setattr(self.instance.attr, attribute.code, cleaned_data[field_name])
        missing = missing_label_facts(self.instance)
        if missing:
            raise ValidationError(
                "Dit voedingssupplement kan niet openbaar worden gemaakt zolang verplichte "
                "etiketgegevens ontbreken: %(facts)s. Vul ze in of zet 'Openbaar' uit.",
                code="label_facts_missing",
                params={"facts": ", ".join(missing)},
            )
        return cleaned_data
