"""The Kennisbank pages: lists and filters, editing with ordered links, preview, publishing,
import, and "Gebruikt in" on the dashboard's product page."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from oscar.test import factories

from content.choices import Status
from content.dashboard import services
from content.markup import render_markdown
from content.models import Article
from content.references import resolve_urls

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "magnesium-mentale-gezondheid.txt"


def _guide(editor, title, **kwargs):
    return services.article_save(user=editor, fields={"title": title}, topics=[], **kwargs)


def test_the_list_filters_by_status_topic_and_search(client, editor, topic):
    draft = _guide(editor, "Concept over slaap")
    draft.topics.add(topic)
    live = _guide(editor, "Gepubliceerde gids")
    services.article_publish(article=live, user=editor)
    planned = _guide(editor, "Geplande gids")
    services.article_publish(
        article=planned, user=editor, published_at=timezone.now() + timedelta(days=3)
    )
    client.force_login(editor)

    def titles(**params):
        response = client.get("/dashboard/kennisbank/gidsen/", params)
        return {a.title for a in response.context["articles"]}

    assert titles(status="concept") == {"Concept over slaap"}
    assert titles(status="gepland") == {"Geplande gids"}
    assert titles(status="gepubliceerd") == {"Gepubliceerde gids"}
    assert titles(topic="slaap") == {"Concept over slaap"}
    assert titles(q="geplande") == {"Geplande gids"}


def test_the_list_is_paginated(client, editor):
    for n in range(23):
        _guide(editor, f"Gids {n:02d}")
    client.force_login(editor)
    first = client.get("/dashboard/kennisbank/gidsen/")
    second = client.get("/dashboard/kennisbank/gidsen/", {"page": 2})
    assert len(first.context["articles"]) == 20
    assert len(second.context["articles"]) == 3


def test_creating_a_guide_keeps_the_picked_product_order(client, editor, topic):
    a = factories.create_product(upc="MG-A", title="Alfa")
    b = factories.create_product(upc="MG-B", title="Beta")
    client.force_login(editor)
    response = client.post(
        "/dashboard/kennisbank/gidsen/nieuw/",
        {
            "title": "Welke vorm past bij mij?",
            "body": "Tekst",
            "keywords": "magnesium\nslaap, stress",
            "topics": [topic.pk],
            "products": [b.pk, a.pk],
        },
    )
    assert response.status_code == 302
    article = Article.objects.get(title="Welke vorm past bij mij?")
    assert article.slug == "welke-vorm-past-bij-mij"
    assert article.keywords == ["magnesium", "slaap", "stress"]
    assert article.status == Status.DRAFT
    ordered = article.product_links.order_by("position").values_list("product_id", flat=True)
    assert list(ordered) == [b.pk, a.pk]
    # The edit page renders the picker's options in the same order.
    html = client.get(response["Location"]).content.decode()
    assert html.index(">Beta<") < html.index(">Alfa<")


def test_a_title_missing_gives_a_dutch_error_and_writes_nothing(client, editor):
    client.force_login(editor)
    response = client.post("/dashboard/kennisbank/gidsen/nieuw/", {"title": "", "body": "x"})
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert not Article.objects.exists()


def test_the_live_preview_renders_like_the_guide_page(client, editor, product):
    body = "## Vormen\n\nLees over [bisglycinaat](product:MG-BIS-200).\n\n<script>x()</script>"
    client.force_login(editor)
    response = client.post("/dashboard/kennisbank/voorbeeld/", {"title": "T", "body": body})
    html = response.content.decode()
    expected = render_markdown(body, urls=resolve_urls([body])).html
    assert expected in html
    assert f'href="{product.get_absolute_url()}"' in html
    assert "<script>" not in html


def test_publish_schedule_and_unpublish(client, editor, article):
    client.force_login(editor)
    url = f"/dashboard/kennisbank/gidsen/{article.pk}/"
    client.post(url + "publiceren/", {"published_at": ""})
    article.refresh_from_db()
    assert article.is_live

    client.post(url + "depubliceren/")
    article.refresh_from_db()
    assert article.status == Status.DRAFT

    when = timezone.localtime() + timedelta(days=2)
    client.post(url + "publiceren/", {"published_at": when.strftime("%d-%m-%Y %H:%M")})
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and not article.is_live
    assert timezone.localtime(article.published_at).date() == when.date()


def test_a_draft_is_not_shown_to_customers_but_staff_can_preview_it(client, editor, article):
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(article.get_preview_url()).status_code == 404
    client.force_login(editor)
    assert client.get(article.get_preview_url()).status_code == 200
    dashboard_preview = client.get(f"/dashboard/kennisbank/gidsen/{article.pk}/voorbeeld/")
    assert "Over magnesium" in dashboard_preview.content.decode()


def _edit_page_of_a_guide_with(client, editor, title, body):
    """The dashboard edit page of a guide saved with this body, opened by the editor."""
    article = _guide(editor, title)
    services.article_save(
        user=editor, article=article, fields={"title": title, "body": body}, topics=[]
    )
    client.force_login(editor)
    return client.get(f"/dashboard/kennisbank/gidsen/{article.pk}/")


def test_the_edit_page_warns_about_a_broken_reference(client, editor):
    response = _edit_page_of_a_guide_with(
        client, editor, "Met kapotte link", "Zie [weg](product:BESTAAT-NIET)."
    )
    warnings = response.context["warnings"]
    assert any("product:BESTAAT-NIET" in w.text and w.line == 1 for w in warnings)
    assert "Kapotte verwijzing" in response.content.decode()


def test_importing_the_seed_gives_a_draft_guide_with_faqs(client, editor):
    client.force_login(editor)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("gids.txt", SEED.read_bytes(), content_type="text/plain")
    response = client.post(
        "/dashboard/kennisbank/gidsen/importeren/", {"file": upload, "link": "on"}
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Status.DRAFT
    assert article.faqs.count() > 0
    assert article.keywords


def test_importing_a_file_that_is_not_text_gives_a_form_error(client, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    upload = SimpleUploadedFile("gids.txt", b"\x00\xff\x00\xfe" * 10, content_type="text/plain")
    response = client.post("/dashboard/kennisbank/gidsen/importeren/", {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Article.objects.exists()


def test_the_product_page_lists_where_the_product_is_used(
    client, catalogue_manager, editor, product
):
    article = _guide(editor, "Gids met product", products=[product], categories=[])
    client.force_login(catalogue_manager)
    html = client.get(f"/dashboard/catalogue/products/{product.pk}/").content.decode()
    assert "Gebruikt in" in html
    assert f"/dashboard/kennisbank/gidsen/{article.pk}/" in html


def test_hiding_a_product_that_published_guides_link_to_warns_and_names_them(
    client, catalogue_manager, editor, product
):
    from oscar.apps.catalogue.models import Category, ProductCategory

    category = Category.add_root(name="Magnesium", slug="magnesium")
    link = ProductCategory.objects.create(product=product, category=category)
    record = product.stockrecords.get()
    article = _guide(editor, "Gepubliceerde gids", products=[product], categories=[])
    services.article_publish(article=article, user=editor)
    client.force_login(catalogue_manager)
    data = {
        "structure": "standalone",
        "title": product.title,
        "upc": product.upc,
        "slug": product.slug,
        "is_discountable": "on",
        # "is_public" left out: the checkbox is unticked.
        "stockrecords-TOTAL_FORMS": "1",
        "stockrecords-INITIAL_FORMS": "1",
        "stockrecords-0-id": str(record.pk),
        "stockrecords-0-product": str(product.pk),
        "stockrecords-0-partner": str(record.partner_id),
        "stockrecords-0-partner_sku": record.partner_sku,
        "stockrecords-0-price_currency": "EUR",
        "stockrecords-0-price": "19.95",
        "stockrecords-0-num_in_stock": "10",
        "productcategory_set-TOTAL_FORMS": "1",
        "productcategory_set-INITIAL_FORMS": "1",
        "productcategory_set-0-id": str(link.pk),
        "productcategory_set-0-product": str(product.pk),
        "productcategory_set-0-category": str(category.pk),
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "primary_recommendations-TOTAL_FORMS": "0",
        "primary_recommendations-INITIAL_FORMS": "0",
        "action": "continue",
    }
    response = client.post(f"/dashboard/catalogue/products/{product.pk}/", data, follow=True)
    texts = [str(m) for m in response.context["messages"]]
    product.refresh_from_db()
    assert not product.is_public, texts
    assert any("Gepubliceerde gids" in t and "niet meer zichtbaar" in t for t in texts)


def test_the_edit_page_shows_health_claim_findings(client, editor):
    response = _edit_page_of_a_guide_with(
        client, editor, "Met claim", "Intro.\n\nMagnesium geneest depressie."
    )
    claims = [w for w in response.context["warnings"] if w.kind == "claim"]
    assert claims and claims[0].line == 3
    assert "Gezondheidsclaim" in response.content.decode()
