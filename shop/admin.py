"""Admin adjustments for third-party apps."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseNotAllowed
from oscar.apps.catalogue.admin import (
    AttributeInline,
    AttributeOptionGroupAdmin,
    AttributeOptionInline,
    ProductAdmin,
    ProductAttributeAdmin,
    ProductAttributeInline,
    ProductAttributeValueAdmin,
    ProductClassAdmin,
)
from oscar.core.loading import get_model
from post_office.admin import EmailAdmin
from post_office.models import Email

from shop.catalogue.facts import (
    FACT_LABELS,
    definition_removal_refusals,
    is_blank,
    label_fact_removal_refusal,
    missing_label_facts,
    required_label_facts,
)
from shop.dashboard.catalogue.formsets import LabelFactDefinitionFormSetMixin

AttributeOption = get_model("catalogue", "AttributeOption")
AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
Product = get_model("catalogue", "Product")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")


class OutboxEmailAdmin(EmailAdmin):
    """django-post-office's mail admin, except that "resend" sends only on POST: on GET it sent
    the mail again, so a link or an image tag opened by an admin did it (found by the GET crawl,
    tests/shop/test_get_changes_nothing.py). The list's "requeue" action (a POST) still resends."""

    def resend(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return super().resend(request, pk)


# --- The label gate in the admin (issue 14) ----------------------------------------------------
# A public supplement may not lose a required label fact (shop.catalogue.facts). The model-level guards
# (shop.receivers) raise ValidationError, which the admin does not catch (a 500); here the admin
# refuses first, in its forms and delete pages, with the same Dutch message and no change.


class LabelFactFormSet(BaseInlineFormSet):
    """The product page's attribute values: refuses to delete, clear or re-point a required label
    fact of a product that stays public, and to make a supplement public while one is missing."""

    def clean(self):
        super().clean()
        product = self.instance  # holds the posted is_public (the admin validated its form first)
        if not product.is_public:
            return
        kept, changed = set(), []
        for form in self.forms:
            if not form.is_valid():
                return  # the formset is invalid anyway; its forms show why
            data = form.cleaned_data
            if form.instance.pk is not None:
                changed.append(form)
            attribute = data.get("attribute")
            if not data or attribute is None or self._should_delete_form(form):
                continue
            if not is_blank(data.get(f"value_{attribute.type}")):
                kept.add(attribute.code)
        originals = ProductAttributeValue.objects.select_related("attribute").in_bulk(
            [form.instance.pk for form in changed]
        )
        errors = []
        for original in originals.values():
            if original.attribute.code in kept:
                continue
            original.product = product
            refusal = label_fact_removal_refusal(original)
            if refusal:
                errors.append(refusal)
        held = {value.attribute.code for value in originals.values()}
        missing = [
            FACT_LABELS[code]
            for code in required_label_facts(product)
            if code not in kept and code not in held and not self._from_parent(product, code)
        ]
        if missing:
            errors.append(
                f"'{product.title or product.upc}' kan niet openbaar worden gemaakt zolang "
                f"verplichte etiketgegevens ontbreken: {', '.join(missing)}. Vul ze in of zet "
                "'Openbaar' uit."
            )
        if errors:
            raise ValidationError(errors, code="label_fact_required")

    @staticmethod
    def _from_parent(product, code) -> bool:
        return bool(
            product.is_child
            and product.parent_id
            and not is_blank(getattr(product.parent.attr, code, None))
        )


class LabelFactAttributeInline(AttributeInline):
    formset = LabelFactFormSet


class LabelFactProductAdmin(ProductAdmin):
    """Oscar's product admin with the label gate on its attribute values."""

    inlines = [
        LabelFactAttributeInline if inline is AttributeInline else inline
        for inline in ProductAdmin.inlines
    ]

    def save_model(self, request, obj, form, change):
        # The admin saves the product row before its inlines, so a supplement published together
        # with the facts its inline adds would meet guard_label_facts without them: it is saved
        # hidden first and published in save_related, once the facts (checked by the formset)
        # are saved.
        obj._publish_after_inlines = obj.is_public and bool(missing_label_facts(obj))
        if obj._publish_after_inlines:
            obj.is_public = False
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        product = form.instance
        if getattr(product, "_publish_after_inlines", False):
            product.is_public = True
            product.attr.invalidate()
            product.save()


class LabelFactAttributeValueAdmin(ProductAttributeValueAdmin):
    """Oscar's attribute value admin: its delete page and bulk delete list a required label fact
    of a public supplement as what stands in the way (Django's "protected" list), and delete
    nothing."""

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        refusals = [refusal for value in objs if (refusal := label_fact_removal_refusal(value))]
        return to_delete, model_count, perms_needed, [*protected, *refusals]


# What a label fact is made of: deleting an attribute definition, an option or an option group
# deletes (or empties) the values built on it, so the same refusal applies (shop.catalogue.facts).


class LabelFactDefinitionFormSet(LabelFactDefinitionFormSetMixin, BaseInlineFormSet):
    pass


class LabelFactProductAttributeInline(ProductAttributeInline):
    formset = LabelFactDefinitionFormSet


class LabelFactAttributeOptionInline(AttributeOptionInline):
    formset = LabelFactDefinitionFormSet


class LabelFactProductClassAdmin(ProductClassAdmin):
    inlines = [LabelFactProductAttributeInline]


class LabelFactProductAttributeAdmin(ProductAttributeAdmin):
    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        refusals = definition_removal_refusals(attributes=list(objs))
        return to_delete, model_count, perms_needed, [*protected, *refusals]


class LabelFactAttributeOptionGroupAdmin(AttributeOptionGroupAdmin):
    inlines = [LabelFactAttributeOptionInline]

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        options = AttributeOption.objects.filter(group__in=list(objs))
        refusals = definition_removal_refusals(options=list(options))
        return to_delete, model_count, perms_needed, [*protected, *refusals]


for model, model_admin in (
    (ProductClass, LabelFactProductClassAdmin),
    (ProductAttribute, LabelFactProductAttributeAdmin),
    (AttributeOptionGroup, LabelFactAttributeOptionGroupAdmin),
):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)

admin.site.unregister(Email)
admin.site.register(Email, OutboxEmailAdmin)
for model, model_admin in [
    (Product, LabelFactProductAdmin),
    (ProductAttributeValue, LabelFactAttributeValueAdmin),
]:
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
