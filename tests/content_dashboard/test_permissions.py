"""Every Kennisbank dashboard URL and the catalogue/order dashboard URLs, for every role."""

from __future__ import annotations

from decimal import Decimal

import pytest
from oscar.test import factories

from content.dashboard.models import Revision
from tests.factories import make_user

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "customer", "Redactie", "Catalogusbeheer", "Orderverwerking", "superuser"]
EDITOR = {"Redactie", "superuser"}
CATALOGUE = {"Catalogusbeheer", "superuser"}
CATALOGUE_VIEW = {"Redactie", "Catalogusbeheer", "superuser"}
ORDERS = {"Orderverwerking", "superuser"}
STAFF = {"Redactie", "Catalogusbeheer", "Orderverwerking", "superuser"}

# (name, method, path template, roles allowed, status for an allowed role)
# POST-only endpoints are exercised with POST; GET pages must answer 200.
CASES = [
    ("kennisbank-article-list", "get", "/dashboard/kennisbank/gidsen/", EDITOR, 200),
    ("kennisbank-article-create", "get", "/dashboard/kennisbank/gidsen/nieuw/", EDITOR, 200),
    ("kennisbank-article-import", "get", "/dashboard/kennisbank/gidsen/importeren/", EDITOR, 200),
    ("kennisbank-article-update", "get", "/dashboard/kennisbank/gidsen/{article}/", EDITOR, 200),
    (
        "kennisbank-article-publish",
        "post",
        "/dashboard/kennisbank/gidsen/{article}/publiceren/",
        EDITOR,
        302,
    ),
    (
        "kennisbank-article-unpublish",
        "post",
        "/dashboard/kennisbank/gidsen/{article}/depubliceren/",
        EDITOR,
        302,
    ),
    (
        "kennisbank-article-delete",
        "get",
        "/dashboard/kennisbank/gidsen/{article}/verwijderen/",
        EDITOR,
        200,
    ),
    (
        "kennisbank-article-preview",
        "get",
        "/dashboard/kennisbank/gidsen/{article}/voorbeeld/",
        EDITOR,
        200,
    ),
    (
        "kennisbank-article-revisions",
        "get",
        "/dashboard/kennisbank/gidsen/{article}/versies/",
        EDITOR,
        200,
    ),
    (
        "kennisbank-article-diff",
        "get",
        "/dashboard/kennisbank/gidsen/{article}/versies/{article_rev}/",
        EDITOR,
        200,
    ),
    (
        "kennisbank-article-restore",
        "post",
        "/dashboard/kennisbank/gidsen/{article}/versies/{article_rev}/terugzetten/",
        EDITOR,
        302,
    ),
    ("kennisbank-markdown-preview", "post", "/dashboard/kennisbank/voorbeeld/", EDITOR, 200),
    (
        "kennisbank-category-lookup",
        "get",
        "/dashboard/kennisbank/categorie-zoeken/",
        CATALOGUE_VIEW,
        200,
    ),
    ("kennisbank-faq-list", "get", "/dashboard/kennisbank/vragen/", EDITOR, 200),
    ("kennisbank-faq-create", "get", "/dashboard/kennisbank/vragen/nieuw/", EDITOR, 200),
    ("kennisbank-faq-update", "get", "/dashboard/kennisbank/vragen/{faq}/", EDITOR, 200),
    (
        "kennisbank-faq-delete",
        "get",
        "/dashboard/kennisbank/vragen/{faq}/verwijderen/",
        EDITOR,
        200,
    ),
    ("kennisbank-faq-revisions", "get", "/dashboard/kennisbank/vragen/{faq}/versies/", EDITOR, 200),
    (
        "kennisbank-faq-diff",
        "get",
        "/dashboard/kennisbank/vragen/{faq}/versies/{faq_rev}/",
        EDITOR,
        200,
    ),
    (
        "kennisbank-faq-restore",
        "post",
        "/dashboard/kennisbank/vragen/{faq}/versies/{faq_rev}/terugzetten/",
        EDITOR,
        302,
    ),
    ("kennisbank-topic-list", "get", "/dashboard/kennisbank/onderwerpen/", EDITOR, 200),
    ("kennisbank-topic-create", "get", "/dashboard/kennisbank/onderwerpen/nieuw/", EDITOR, 200),
    ("kennisbank-topic-update", "get", "/dashboard/kennisbank/onderwerpen/{topic}/", EDITOR, 200),
    (
        "kennisbank-topic-delete",
        "get",
        "/dashboard/kennisbank/onderwerpen/{topic}/verwijderen/",
        EDITOR,
        200,
    ),
    ("dashboard-index", "get", "/dashboard/", STAFF, 200),
    ("catalogue-product-list", "get", "/dashboard/catalogue/", CATALOGUE_VIEW, 200),
    ("catalogue-product", "get", "/dashboard/catalogue/products/{product}/", CATALOGUE, 200),
    (
        "catalogue-product-create",
        "get",
        "/dashboard/catalogue/products/create/{product_class}/",
        CATALOGUE,
        200,
    ),
    (
        "catalogue-product-delete",
        "get",
        "/dashboard/catalogue/products/{product}/delete/",
        CATALOGUE,
        200,
    ),
    (
        "catalogue-product-lookup",
        "get",
        "/dashboard/catalogue/product-lookup/",
        CATALOGUE_VIEW,
        200,
    ),
    ("catalogue-category-list", "get", "/dashboard/catalogue/categories/", CATALOGUE_VIEW, 200),
    ("catalogue-category-create", "get", "/dashboard/catalogue/categories/create/", CATALOGUE, 200),
    (
        "catalogue-category-update",
        "get",
        "/dashboard/catalogue/categories/{category}/update/",
        CATALOGUE,
        200,
    ),
    ("catalogue-class-list", "get", "/dashboard/catalogue/product-types/", CATALOGUE, 200),
    ("stock-alert-list", "get", "/dashboard/catalogue/stock-alerts/", CATALOGUE, 200),
    ("order-list", "get", "/dashboard/orders/", ORDERS, 200),
    ("order-stats", "get", "/dashboard/orders/statistics/", ORDERS, 200),
    ("order-detail", "get", "/dashboard/orders/{order}/", ORDERS, 200),
]


@pytest.fixture
def world(db, article, faq, topic, product):
    from oscar.apps.catalogue.models import Category

    category = Category.add_root(name="Magnesium", slug="magnesium")
    order = factories.create_order(number="100001")
    return {
        "article": article.pk,
        "faq": faq.pk,
        "topic": topic.pk,
        "article_rev": Revision.objects.for_object(article).last().pk,
        "faq_rev": Revision.objects.for_object(faq).last().pk,
        "product": product.pk,
        "product_class": product.get_product_class().slug,
        "category": category.pk,
        "order": order.number,
    }


def login_as(client, role: str):
    if role == "anonymous":
        return
    if role == "customer":
        user = make_user("klant")
    elif role == "superuser":
        user = make_user("baas", superuser=True)
    else:
        user = make_user(f"staf-{role.lower()}", role=role)
    client.force_login(user)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "path", "allowed", "ok"), CASES, ids=[case[0] for case in CASES]
)
def test_dashboard_answers_each_role_exactly(client, world, role, name, method, path, allowed, ok):
    url = path.format(**world)
    login_as(client, role)
    response = getattr(client, method)(url, {"body": "# Hallo"} if method == "post" else {})
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/dashboard/login/?next=")
    elif role in allowed:
        assert response.status_code == ok, (name, role)
    else:
        assert response.status_code == 403, (name, role)


def test_an_editor_cannot_change_a_price(client, editor, product):
    record = product.stockrecords.get()
    client.force_login(editor)
    response = client.post(
        f"/dashboard/catalogue/products/{product.pk}/",
        {
            "title": product.title,
            "upc": product.upc,
            "stockrecords-TOTAL_FORMS": "1",
            "stockrecords-INITIAL_FORMS": "1",
            "stockrecords-0-id": str(record.pk),
            "stockrecords-0-partner": str(record.partner_id),
            "stockrecords-0-partner_sku": record.partner_sku,
            "stockrecords-0-price": "0.01",
            "stockrecords-0-num_in_stock": "10",
        },
    )
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.price == Decimal("19.95")


def test_the_kennisbank_menu_shows_only_to_roles_with_content_permissions(
    client, editor, catalogue_manager
):
    client.force_login(editor)
    assert "Kennisbank" in client.get("/dashboard/").content.decode()
    client.force_login(catalogue_manager)
    assert "Kennisbank" not in client.get("/dashboard/").content.decode()
