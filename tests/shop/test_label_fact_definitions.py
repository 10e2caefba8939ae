"""Deleting what a label fact is made of (its attribute definition, an option, an option group)
removes the fact from every product that has it. For a public supplement that is the same loss
as deleting the value itself (tests/shop/test_label_fact_removal.py), so every way to do it ends
with a Dutch message and no change, never a 500 and never a public supplement with an incomplete
label: the shell, the admin's delete pages, bulk action and inlines, and the dashboard's product
type and option group forms."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from oscar.apps.catalogue.models import (
    AttributeOption,
    AttributeOptionGroup,
    ProductAttribute,
    ProductAttributeValue,
)

from tests.factories import make_supplement

pytestmark = pytest.mark.django_db

REFUSAL = "zet het product eerst offline"


def _attribute(product, code) -> ProductAttribute:
    return ProductAttribute.objects.get(product_class=product.product_class, code=code)


def _option(group, option) -> AttributeOption:
    return AttributeOption.objects.get(group__name=group, option=option)


def _formset_data(formset) -> dict:
    """A dashboard/admin inline formset posted back unchanged (management form and each form)."""
    data = {}
    management = formset.management_form
    data.update({management.add_prefix(k): v for k, v in management.initial.items()})
    data[management.add_prefix("TOTAL_FORMS")] = len(formset.initial_forms)
    for form in formset.initial_forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None or value is False or value == "":
                continue
            data[form.add_prefix(name)] = getattr(value, "pk", "on" if value is True else value)
    return data


def _delete_in(formset, instance) -> dict:
    data = _formset_data(formset)
    for form in formset.initial_forms:
        if form.instance.pk == instance.pk:
            data[form.add_prefix("DELETE")] = "on"
            return data
    raise AssertionError(f"{instance!r} is not in the formset")


# --- The shell: the model guards ----------------------------------------------------------------
# Each delete runs in a savepoint, as in the shell's autocommit: the refusal rolls it back whole.


def test_deleting_the_attribute_definition_of_a_required_fact_is_refused():
    product = make_supplement(upc="DEF-ATTR")
    attribute = _attribute(product, "ingredients")

    with pytest.raises(ValidationError) as refused, transaction.atomic():
        attribute.delete()

    assert REFUSAL in str(refused.value) and product.title in str(refused.value)
    assert ProductAttribute.objects.filter(pk=attribute.pk).exists()
    assert ProductAttributeValue.objects.filter(product=product, attribute=attribute).exists()


def test_deleting_the_only_option_a_public_supplement_has_is_refused():
    product = make_supplement(upc="DEF-OPT", dosage_form="tablet")
    option = _option("Toedieningsvorm", "tablet")

    with pytest.raises(ValidationError), transaction.atomic():
        option.delete()

    assert AttributeOption.objects.filter(pk=option.pk).exists()
    product.attr.invalidate()
    assert product.attr.dosage_form == option


def test_deleting_the_only_form_of_a_multi_option_fact_is_refused_but_one_of_two_is_not():
    only = make_supplement(upc="DEF-ONE", forms=("citraat",))
    make_supplement(upc="DEF-TWO", forms=("bisglycinaat", "malaat"))

    with pytest.raises(ValidationError) as refused, transaction.atomic():
        _option("Magnesiumvorm", "citraat").delete()
    assert only.title in str(refused.value)

    _option("Magnesiumvorm", "malaat").delete()  # DEF-TWO keeps bisglycinaat
    assert not AttributeOption.objects.filter(group__name="Magnesiumvorm", option="malaat").exists()


def test_deleting_an_option_group_in_use_by_a_public_supplement_is_refused():
    make_supplement(upc="DEF-GRP")
    group = AttributeOptionGroup.objects.get(name="Toedieningsvorm")

    with pytest.raises(ValidationError), transaction.atomic():
        group.delete()

    assert AttributeOptionGroup.objects.filter(pk=group.pk).exists()


def test_a_definition_only_offline_products_use_may_be_deleted():
    product = make_supplement(upc="DEF-OFF", is_public=False)
    attribute = _attribute(product, "ingredients")

    attribute.delete()

    assert not ProductAttribute.objects.filter(pk=attribute.pk).exists()


def test_deleting_the_product_itself_still_takes_its_facts_along():
    product = make_supplement(upc="DEF-PRD")
    product.delete()
    assert not ProductAttributeValue.objects.filter(product_id=product.pk).exists()


# --- The admin ----------------------------------------------------------------------------------


def test_admin_delete_page_of_an_attribute_lists_the_refusal_and_deletes_nothing(admin_client):
    product = make_supplement(upc="ADM-ATTR")
    attribute = _attribute(product, "usage")
    url = reverse("admin:catalogue_productattribute_delete", args=[attribute.pk])

    page = admin_client.get(url)
    posted = admin_client.post(url, {"post": "yes"})

    assert page.status_code == 200 and REFUSAL in page.content.decode()
    assert posted.status_code == 200 and REFUSAL in posted.content.decode()
    assert ProductAttribute.objects.filter(pk=attribute.pk).exists()


def test_admin_bulk_delete_of_attributes_is_refused(admin_client):
    product = make_supplement(upc="ADM-BULK")
    attribute = _attribute(product, "usage")
    url = reverse("admin:catalogue_productattribute_changelist")

    response = admin_client.post(
        url, {"action": "delete_selected", "_selected_action": [attribute.pk], "post": "yes"}
    )

    assert response.status_code == 200 and REFUSAL in response.content.decode()
    assert ProductAttribute.objects.filter(pk=attribute.pk).exists()


def test_admin_delete_page_of_an_option_group_lists_the_refusal(admin_client):
    make_supplement(upc="ADM-GRP")
    group = AttributeOptionGroup.objects.get(name="Toedieningsvorm")
    url = reverse("admin:catalogue_attributeoptiongroup_delete", args=[group.pk])

    posted = admin_client.post(url, {"post": "yes"})

    assert posted.status_code == 200 and REFUSAL in posted.content.decode()
    assert AttributeOptionGroup.objects.filter(pk=group.pk).exists()


def _admin_inline(page, model):
    for inline in page.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return inline.formset
    raise AssertionError(f"no {model.__name__} inline")


def _admin_form_data(page) -> dict:
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False or value == "":
            continue
        data[name] = getattr(value, "pk", "on" if value is True else value)
    for inline in page.context["inline_admin_formsets"]:
        data.update(_formset_data(inline.formset))
    return data


def _post_admin_inline_delete(admin_client, url: str, obj):
    """Post the admin change form at `url` as shown, with `obj`'s inline row marked deleted."""
    page = admin_client.get(url)
    data = _admin_form_data(page)
    data.update(_delete_in(_admin_inline(page, type(obj)), obj))
    return admin_client.post(url, data)


def test_admin_product_type_inline_delete_of_an_attribute_is_refused(admin_client):
    product = make_supplement(upc="ADM-CLS")
    attribute = _attribute(product, "ingredients")
    url = reverse("admin:catalogue_productclass_change", args=[product.product_class.pk])

    response = _post_admin_inline_delete(admin_client, url, attribute)

    assert response.status_code == 200 and REFUSAL in response.content.decode()
    assert ProductAttribute.objects.filter(pk=attribute.pk).exists()


def test_admin_option_group_inline_delete_of_an_option_in_use_is_refused(admin_client):
    make_supplement(upc="ADM-OPT", dosage_form="tablet")
    option = _option("Toedieningsvorm", "tablet")
    url = reverse("admin:catalogue_attributeoptiongroup_change", args=[option.group.pk])

    response = _post_admin_inline_delete(admin_client, url, option)

    assert response.status_code == 200 and REFUSAL in response.content.decode()
    assert AttributeOption.objects.filter(pk=option.pk).exists()


# --- The dashboard ------------------------------------------------------------------------------


def test_dashboard_product_type_form_refuses_to_delete_a_required_fact(admin_client):
    product = make_supplement(upc="DSH-CLS")
    attribute = _attribute(product, "ingredients")
    url = reverse("dashboard:catalogue-class-update", args=[product.product_class.pk])
    page = admin_client.get(url)
    form = page.context["form"]
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False, "")}
    data.update(_delete_in(page.context["attributes_formset"], attribute))

    response = admin_client.post(url, data)

    assert response.status_code == 200 and REFUSAL in response.content.decode()
    assert ProductAttribute.objects.filter(pk=attribute.pk).exists()


def test_dashboard_option_group_form_refuses_to_delete_an_option_in_use(admin_client):
    make_supplement(upc="DSH-OPT", dosage_form="tablet")
    option = _option("Toedieningsvorm", "tablet")
    url = reverse("dashboard:catalogue-attribute-option-group-update", args=[option.group.pk])
    page = admin_client.get(url)
    data = {"name": option.group.name, "code": option.group.code or ""}
    data.update(_delete_in(page.context["attribute_option_formset"], option))

    response = admin_client.post(url, data)

    assert response.status_code == 200 and REFUSAL in response.content.decode()
    assert AttributeOption.objects.filter(pk=option.pk).exists()
