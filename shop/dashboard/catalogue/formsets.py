"""Oscar's dashboard formsets; the product type's attributes and an option group's options refuse
to delete what a public supplement's required label fact is made of (shop.catalogue.facts)."""

from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from oscar.apps.dashboard.catalogue import formsets as oscar_formsets
from oscar.apps.dashboard.catalogue.formsets import *  # noqa: F403
from oscar.core.loading import get_model

from shop.catalogue.facts import definition_removal_refusals

AttributeOption = get_model("catalogue", "AttributeOption")
AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductClass = get_model("catalogue", "ProductClass")


class LabelFactDefinitionFormSetMixin:
    """For an inline formset of attribute definitions or attribute options (dashboard and admin):
    the forms marked for deletion may not take a required label fact from a public supplement;
    the formset says which product and fact in Dutch and nothing is deleted."""

    def clean(self):
        super().clean()
        doomed = [form.instance for form in self.initial_forms if self._should_delete_form(form)]
        if not doomed:
            return
        if issubclass(self.model, ProductAttribute):
            refusals = definition_removal_refusals(attributes=doomed)
        else:
            refusals = definition_removal_refusals(options=doomed)
        if refusals:
            raise ValidationError(refusals, code="label_fact_required")


class BaseLabelFactDefinitionFormSet(LabelFactDefinitionFormSetMixin, BaseInlineFormSet):
    pass


ProductAttributesFormSet = inlineformset_factory(
    ProductClass,
    ProductAttribute,
    form=oscar_formsets.ProductAttributesForm,
    formset=BaseLabelFactDefinitionFormSet,
    extra=3,
)

AttributeOptionFormSet = inlineformset_factory(
    AttributeOptionGroup,
    AttributeOption,
    form=oscar_formsets.AttributeOptionForm,
    formset=BaseLabelFactDefinitionFormSet,
    extra=3,
)
