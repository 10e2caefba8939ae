from django.core.exceptions import ValidationError
from oscar.apps.dashboard.catalogue import forms as oscar_forms
from oscar.apps.dashboard.catalogue.forms import *  # noqa: F403

from shop.catalogue.facts import missing_label_facts
from shop.dashboard import hooks


class ProductForm(oscar_forms.ProductForm):
    # Adds two gates: a supplement cannot be made public while a required label fact
    # (shop.catalogue.facts.missing_label_facts) is missing, and no product while its name, description
    # or label texts hold error-level health claims without a Compliance override (the
    # compliance feature's claim gate, a shop.dashboard.hooks publish check); each error names
    # what is wrong.

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
        texts = [
            ("titel", cleaned_data.get("title") or ""),
            ("omschrijving", cleaned_data.get("description") or ""),
        ]
        hooks.publish_check(self.instance, texts=texts)
        missing = missing_label_facts(self.instance)
        if missing:
            raise ValidationError(
                "Dit voedingssupplement kan niet openbaar worden gemaakt zolang verplichte "
                "etiketgegevens ontbreken: %(facts)s. Vul ze in of zet 'Openbaar' uit.",
                code="label_facts_missing",
                params={"facts": ", ".join(missing)},
            )
        return cleaned_data


class CategoryForm(oscar_forms.CategoryForm):
    # Adds the claim gate: a category name such as "Ontspanning & slaap" is a health claim too
    # (Reg. (EC) 1924/2006 art. 1(3)), so a public category's name and description are checked.

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("is_public", getattr(self.instance, "is_public", True)):
            texts = [
                ("naam", cleaned_data.get("name") or ""),
                ("omschrijving", cleaned_data.get("description") or ""),
            ]
            hooks.publish_check(self.instance, texts=texts)
        return cleaned_data
