"""A supplement cannot be made public while a required label fact is missing, on any write path."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from oscar.apps.catalogue.models import AttributeOption, Product
from oscar.core.loading import get_class
from oscar.test.factories import create_product

from shop.catalogue.facts import missing_label_facts
from shop.demo import ensure_product_class
from tests.factories import make_supplement

pytestmark = pytest.mark.django_db


def test_complete_supplement_can_be_published():
    product = make_supplement(upc="OK-1")
    assert product.is_public
    assert missing_label_facts(product) == []


def test_saving_a_public_supplement_without_ingredients_is_refused_naming_the_fact():
    with pytest.raises(ValidationError, match="ingrediënten"):
        make_supplement(upc="NO-ING", ingredients=None)
    assert not Product.objects.filter(upc="NO-ING").exists()


def test_magnesium_product_without_elemental_mg_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        make_supplement(upc="NO-MG", mg=None)
    assert "elementair magnesium per dagdosering" in str(excinfo.value)


def test_a_hidden_supplement_may_be_incomplete_until_it_is_published():
    product = make_supplement(upc="DRAFT", usage=None, is_public=False)
    assert missing_label_facts(product) == ["gebruik"]
    product.is_public = True
    with pytest.raises(ValidationError, match="gebruik"):
        product.save()
    product.refresh_from_db()
    assert product.is_public is False


def test_child_reads_parent_facts_but_needs_its_own_pack_size():
    parent = make_supplement(upc="PARENT", units_per_pack=None, is_public=False)
    parent.structure = Product.PARENT
    parent.is_public = True
    parent.save()  # a parent is not sold itself: no pack size needed
    child = Product(parent=parent, structure=Product.CHILD, upc="PARENT-60", title="60 stuks")
    with pytest.raises(ValidationError, match="eenheden per verpakking"):
        child.save()
    child.attr.units_per_pack = 60
    child.save()
    assert missing_label_facts(child) == []


def test_other_product_classes_are_not_gated():
    product = create_product(upc="BOOK-1", product_class="Boek")
    assert product.is_public and missing_label_facts(product) == []


def _form_data(**overrides):
    dosage = AttributeOption.objects.get(group__name="Toedieningsvorm", option="capsule")
    form = AttributeOption.objects.get(group__name="Magnesiumvorm", option="malaat")
    data = {
        "title": "Magnesium Malaat Test",
        "upc": "MAL-TEST",
        "description": "",
        "is_public": "on",
        "structure": Product.STANDALONE,
        "attr_magnesium_form": [form.pk],
        "attr_elemental_mg": "150",
        "attr_units_per_dose": "2",
        "attr_units_per_pack": "120",
        "attr_dosage_form": dosage.pk,
        "attr_ingredients": "Magnesiummalaat, capsulewand.",
        "attr_usage": "",
    }
    data.update(overrides)
    return data


def test_dashboard_form_names_the_missing_fact():
    product_class = ensure_product_class()
    ProductForm = get_class("dashboard.catalogue.forms", "ProductForm")
    form = ProductForm(product_class, data=_form_data())
    assert not form.is_valid()
    message = " ".join(form.non_field_errors())
    assert "niet openbaar" in message and "gebruik" in message

    form = ProductForm(product_class, data=_form_data(attr_usage="Neem 2 capsules per dag."))
    assert form.is_valid(), form.errors
    form = ProductForm(product_class, data=_form_data(is_public=""))
    assert form.is_valid(), form.errors  # an incomplete product may be saved hidden


def test_dashboard_create_page_refuses_and_says_which_fact(client, django_user_model):
    product_class = ensure_product_class()
    staff = django_user_model.objects.create_superuser(
        username="staff", email="staff@example.com", password="pw"
    )
    client.force_login(staff)
    url = reverse(
        "dashboard:catalogue-product-create", kwargs={"product_class_slug": product_class.slug}
    )
    page = client.get(url)
    data = _form_data(attr_ingredients="")
    for name in ("category_formset", "image_formset", "recommended_formset", "stockrecord_formset"):
        prefix = page.context[name].prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "kan niet openbaar worden gemaakt" in html
    assert "ingrediënten" in html and "gebruik" in html
    assert not Product.objects.filter(upc="MAL-TEST").exists()


# --- A public product cannot come to fail the gate (issue 14: what fails the label gate cannot
# be bought). The gate guards the product row; without these guards a required fact could still
# be removed from a public supplement through its attribute value alone (admin, shell, import),
# leaving a public, buyable product with an incomplete label.


def test_deleting_a_required_fact_of_a_public_supplement_is_refused():
    product = make_supplement(upc="DEL-ING")
    value = product.attribute_values.get(attribute__code="ingredients")
    # Django deletes without a savepoint of its own: the caller's transaction is rolled back.
    with pytest.raises(ValidationError, match="ingrediënten"), transaction.atomic():
        value.delete()
    assert product.attribute_values.filter(attribute__code="ingredients").exists()


def test_a_hidden_supplement_may_lose_a_fact_and_then_cannot_be_bought(client):
    product = make_supplement(upc="HIDE-DEL")
    product.is_public = False
    product.save()
    product.attribute_values.get(attribute__code="usage").delete()
    assert missing_label_facts(Product.objects.get(pk=product.pk)) == ["gebruik"]
    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    assert response.status_code == 302
    assert "Dit product is niet te koop." in client.get(response["Location"]).content.decode()
    assert not product.basket_lines.exists()
