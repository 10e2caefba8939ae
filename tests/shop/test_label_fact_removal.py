"""Every way to remove a required label fact of a public supplement ends with a Dutch message and
no change, never a 500 (issue 14): the admin's product page (inline delete, a value cleared), the
admin's own page and bulk action for attribute values, the dashboard's product form and the shell."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.urls import reverse
from oscar.apps.catalogue.models import Product, ProductAttributeValue

from tests.factories import make_supplement

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    staff = django_user_model.objects.create_superuser(
        username="beheer", email="beheer@example.nl", password="pw"
    )
    client.force_login(staff)
    return client


def _field_value(value):
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, QuerySet | list | tuple):
        return [getattr(item, "pk", item) for item in value]
    if value is True:
        return "on"
    if value is None or value is False:
        return ""
    return value


def _form_values(form) -> dict:
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if callable(value):
            value = value()
        if value is None or value is False or value == "" or value == []:
            continue
        data[form.add_prefix(name)] = _field_value(value)
    return data


def _admin_change_data(page) -> dict:
    """The admin product change form as the browser would post it back unchanged."""
    data = _form_values(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        data[management.add_prefix("TOTAL_FORMS")] = len(formset.initial_forms)
        for form in formset.initial_forms:
            data.update(_form_values(form))
    return data


def _value(product, code):
    return ProductAttributeValue.objects.filter(product=product, attribute__code=code).first()


def _inline_prefix(page) -> str:
    for inline in page.context["inline_admin_formsets"]:
        if inline.formset.model is ProductAttributeValue:
            return inline.formset.prefix
    raise AssertionError("no attribute value inline")


def _inline_index(page, value) -> int:
    for inline in page.context["inline_admin_formsets"]:
        if inline.formset.model is ProductAttributeValue:
            for index, form in enumerate(inline.formset.initial_forms):
                if form.instance.pk == value.pk:
                    return index
    raise AssertionError("value not in the inline")


def _post_admin_inline_change(
    admin_client, product, value, field: str, new: str, *, take_offline: bool = False
):
    """Post the product's admin change form as shown, with one field of `value`'s inline row
    set to `new` (and "is public" unticked with `take_offline`)."""
    url = reverse("admin:catalogue_product_change", args=[product.pk])
    page = admin_client.get(url)
    data = _admin_change_data(page)
    if take_offline:
        data.pop("is_public")
    data[f"{_inline_prefix(page)}-{_inline_index(page, value)}-{field}"] = new
    return admin_client.post(url, data)


def test_admin_inline_delete_of_a_required_fact_is_refused_in_dutch(admin_client):
    product = make_supplement(upc="ADM-DEL")
    value = _value(product, "ingredients")

    response = _post_admin_inline_change(admin_client, product, value, "DELETE", "on")

    assert response.status_code == 200
    html = response.content.decode()
    assert "ingrediënten" in html and "zet het product eerst offline" in html
    assert _value(product, "ingredients") is not None


def test_admin_inline_clearing_a_required_fact_is_refused_in_dutch(admin_client):
    product = make_supplement(upc="ADM-CLR")
    value = _value(product, "usage")

    response = _post_admin_inline_change(admin_client, product, value, "value_text", "  ")

    assert response.status_code == 200
    assert "gebruik" in response.content.decode()
    assert _value(product, "usage").value_text == value.value_text


def test_admin_inline_may_delete_a_fact_of_a_product_it_takes_offline(admin_client):
    product = make_supplement(upc="ADM-OFF")
    value = _value(product, "ingredients")

    response = _post_admin_inline_change(
        admin_client, product, value, "DELETE", "on", take_offline=True
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    product.refresh_from_db()
    assert product.is_public is False and _value(product, "ingredients") is None


def test_admin_unchanged_product_page_still_saves(admin_client):
    product = make_supplement(upc="ADM-SAME")
    url = reverse("admin:catalogue_product_change", args=[product.pk])
    response = admin_client.post(url, _admin_change_data(admin_client.get(url)))
    assert response.status_code == 302


def test_admin_delete_page_of_a_required_fact_refuses_in_dutch(admin_client):
    product = make_supplement(upc="ADM-VAL")
    value = _value(product, "ingredients")
    url = reverse("admin:catalogue_productattributevalue_delete", args=[value.pk])

    page = admin_client.get(url)
    response = admin_client.post(url, {"post": "yes"})

    assert page.status_code == 200 and response.status_code in (200, 403)
    for answer in (page, response):
        assert "zet het product eerst offline" in answer.content.decode()
    assert ProductAttributeValue.objects.filter(pk=value.pk).exists()


def test_admin_bulk_delete_of_required_facts_refuses_in_dutch(admin_client):
    product = make_supplement(upc="ADM-BULK")
    values = list(product.attribute_values.filter(attribute__code__in=["usage", "vegan"]))
    url = reverse("admin:catalogue_productattributevalue_changelist")

    response = admin_client.post(
        url,
        {"action": "delete_selected", "_selected_action": [v.pk for v in values], "post": "yes"},
    )

    assert response.status_code == 200
    assert "zet het product eerst offline" in response.content.decode()
    assert product.attribute_values.filter(pk__in=[v.pk for v in values]).count() == 2


def test_admin_may_delete_a_fact_that_is_not_required(admin_client):
    product = make_supplement(upc="ADM-VEG")
    value = _value(product, "vegan")
    url = reverse("admin:catalogue_productattributevalue_delete", args=[value.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not ProductAttributeValue.objects.filter(pk=value.pk).exists()


def test_dashboard_edit_clearing_a_required_fact_is_refused_in_dutch(admin_client):
    product = make_supplement(upc="DASH-CLR")
    url = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    page = admin_client.get(url)
    data = _form_values(page.context["form"])
    for name in ("category_formset", "image_formset", "recommended_formset", "stockrecord_formset"):
        formset = page.context[name]
        data.update(
            {
                formset.management_form.add_prefix(k): v
                for k, v in formset.management_form.initial.items()
            }
        )
        for form in formset.initial_forms:
            data.update(_form_values(form))
    data["attr_ingredients"] = ""

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "ingrediënten" in response.content.decode()
    assert _value(product, "ingredients") is not None


def test_shell_queryset_delete_of_a_required_fact_is_refused_in_dutch():
    product = make_supplement(upc="SHELL-QS")
    with (
        pytest.raises(ValidationError, match="zet het product eerst offline"),
        transaction.atomic(),
    ):
        ProductAttributeValue.objects.filter(product=product, attribute__code="usage").delete()
    assert _value(product, "usage") is not None


def test_deleting_the_product_takes_its_facts_along():
    product = make_supplement(upc="SHELL-PROD")
    product.delete()
    assert not Product.objects.filter(upc="SHELL-PROD").exists()
    assert not ProductAttributeValue.objects.filter(product_id=product.pk).exists()


def _publish_data(admin_client, product):
    url = reverse("admin:catalogue_product_change", args=[product.pk])
    page = admin_client.get(url)
    data = _admin_change_data(page)
    data["is_public"] = "on"
    return url, page, data


def test_admin_publishing_an_incomplete_supplement_is_refused_in_dutch(admin_client):
    product = make_supplement(upc="ADM-PUB", usage=None, is_public=False)
    url, _, data = _publish_data(admin_client, product)

    response = admin_client.post(url, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "kan niet openbaar worden gemaakt" in html and "gebruik" in html
    product.refresh_from_db()
    assert product.is_public is False


def test_admin_publishes_a_supplement_together_with_the_fact_it_adds(admin_client):
    product = make_supplement(upc="ADM-PUB2", usage=None, is_public=False)
    url, page, data = _publish_data(admin_client, product)
    prefix = _inline_prefix(page)
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    usage = product.get_product_class().attributes.get(code="usage")
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": index + 1,
            f"{prefix}-{index}-attribute": usage.pk,
            f"{prefix}-{index}-product": product.pk,
            f"{prefix}-{index}-value_text": "Neem 1 tablet per dag.",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    product.refresh_from_db()
    assert product.is_public is True
    assert _value(product, "usage").value_text == "Neem 1 tablet per dag."
