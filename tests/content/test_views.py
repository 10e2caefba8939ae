"""Kennisbank pages, the product and category additions, visibility, links and query budgets."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.apps.catalogue.categories import create_from_breadcrumbs

from content import services
from tests.factories import ArticleFactory, FaqFactory, TopicFactory, make_product

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.fixture
def product():
    return make_product(upc="MG-TEST-1", title="Magnesium Testproduct", price="12.95")


@pytest.fixture
def category():
    return create_from_breadcrumbs("Magnesium")


@pytest.fixture
def hidden_guides(product, category):
    """A draft and a future-dated guide, each with a FAQ, linked to the product and category."""
    guides = [
        ArticleFactory(title="Conceptgids", slug="conceptgids", draft=True),
        ArticleFactory(title="Geplande gids", slug="geplande-gids", scheduled=True),
    ]
    for guide in guides:
        services.article_link_products(article=guide, products=[product])
        services.article_link_categories(article=guide, categories=[category])
        faq = FaqFactory(question=f"Verborgen vraag bij {guide.title}?", article=guide)
        services.faq_link_products(faq=faq, products=[product])
    draft_faq = FaqFactory(question="Losse conceptvraag?", draft=True)
    services.faq_link_products(faq=draft_faq, products=[product])
    return guides


@pytest.fixture
def live_guide(product, category):
    guide = ArticleFactory(title="Zichtbare gids", slug="zichtbare-gids")
    services.article_link_products(article=guide, products=[product])
    services.article_link_categories(article=guide, categories=[category])
    faq = FaqFactory(question="Zichtbare vraag?", article=guide)
    services.faq_link_products(faq=faq, products=[product])
    return guide


def test_draft_and_future_guides_are_invisible_on_every_page_that_lists_guides(
    client, product, category, hidden_guides, live_guide
):
    # Each page with what it lists of the live content: the hidden items are left out of a
    # list that does show content, not of an empty page.
    pages = {
        "gidsenlijst": (reverse("content:article-list"), ["Zichtbare gids"]),
        "productpagina": (product.get_absolute_url(), ["Zichtbare gids", "Zichtbare vraag"]),
        "categoriepagina": (category.get_absolute_url(), ["Zichtbare gids"]),
        "vragenpagina": (reverse("content:faq-list"), ["Zichtbare vraag"]),
    }
    for name, (url, shown) in pages.items():
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, name
        for hidden in ("Conceptgids", "Geplande gids", "Verborgen vraag", "Losse conceptvraag"):
            assert hidden not in html, f"{hidden} zichtbaar op {name}"
        assert [title for title in shown if title in html] == shown, name
    for guide in hidden_guides:
        assert client.get(guide.get_absolute_url()).status_code == 404


def test_staff_preview_shows_drafts_and_customers_get_404(client, admin_user, hidden_guides):
    draft = hidden_guides[0]
    assert client.get(draft.get_preview_url()).status_code == 404
    client.force_login(admin_user)
    response = client.get(draft.get_preview_url())
    assert response.status_code == 200
    assert "Conceptgids" in response.content.decode()
    assert "Verborgen vraag bij Conceptgids?" in response.content.decode()
    assert "Klanten zien deze gids (nog) niet" in response.content.decode()


def test_guide_list_filters_by_topic(client):
    slaap = TopicFactory(name="Slaap", slug="slaap")
    sport = TopicFactory(name="Sport", slug="sport")
    ArticleFactory(title="Slapen met magnesium").topics.add(slaap)
    ArticleFactory(title="Sporten met magnesium").topics.add(sport)
    html = client.get(reverse("content:article-list") + "?onderwerp=slaap").content.decode()
    assert "Slapen met magnesium" in html and "Sporten met magnesium" not in html
    assert (
        client.get(reverse("content:article-list") + "?onderwerp=bestaat-niet").status_code == 404
    )


def test_guide_page_has_toc_cards_faqs_sources_and_disclaimer(client, product, live_guide):
    services.article_update(
        article=live_guide,
        body="## Eerste deel\n\nZie [dit product](product:MG-TEST-1).\n\n## Tweede deel\n\nMeer.",
        sources="- EFSA, Scientific Opinion on magnesium (2015)",
        author="Redactie",
    )
    html = client.get(live_guide.get_absolute_url()).content.decode()
    assert '<a href="#eerste-deel">Eerste deel</a>' in html
    assert '<a href="#tweede-deel">Tweede deel</a>' in html
    # The guide's product links name the guide (issue 19: clicks and sales per guide).
    assert f'href="{product.get_absolute_url()}?gids={live_guide.pk}"' in html
    assert "€\xa012,95" in html and "incl. btw" in html and "Op voorraad" in html
    assert reverse("basket:add", kwargs={"pk": product.pk}) in html
    assert "Zichtbare vraag?" in html
    assert "EFSA, Scientific Opinion on magnesium" in html
    assert "Raadpleeg een zorgprofessional" in html
    assert "Door Redactie" in html


def test_add_to_basket_from_a_guide_card_works(client, product, live_guide):
    response = client.post(
        reverse("basket:add", kwargs={"pk": product.pk}),
        {"quantity": 1},
        HTTP_REFERER=live_guide.get_absolute_url(),
    )
    assert response.status_code == 302
    basket_html = client.get(reverse("basket:summary")).content.decode()
    assert "Magnesium Testproduct" in basket_html


def test_renaming_a_product_slug_keeps_guide_links_working(client, product):
    guide = services.article_create(
        title="Gids met verwijzing",
        body="Lees over [ons product](product:MG-TEST-1).",
        status="published",
    )
    assert list(guide.products.all()) == [product]  # recorded as a link on save
    product.slug = "nieuwe-naam"
    product.save()
    html = client.get(guide.get_absolute_url()).content.decode()
    new_url = product.get_absolute_url()
    assert "nieuwe-naam" in new_url and f'href="{new_url}?gids={guide.pk}"' in html
    assert client.get(new_url).status_code == 200
    call_command("check_content_links")  # nothing broken: no CommandError


def test_deleting_a_product_turns_references_into_text_and_fails_the_link_check(
    client, product, capsys
):
    guide = services.article_create(
        title="Gids met verwijzing",
        body="Eerste regel.\n\nLees over [ons product](product:MG-TEST-1).",
        status="published",
    )
    product.delete()
    response = client.get(guide.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lees over ons product." in html
    assert "product:MG-TEST-1" not in html
    with pytest.raises(CommandError, match="1 kapotte verwijzing"):
        call_command("check_content_links")
    out = capsys.readouterr().out
    assert "gids gids-met-verwijzing, regel 3: product:MG-TEST-1 bestaat niet" in out


def test_link_check_reports_hidden_and_out_of_stock_products():
    hidden = make_product(upc="MG-VERBORGEN")
    hidden.is_public = False
    hidden.save()
    make_product(upc="MG-OP", stock=0)
    services.article_create(
        title="Gids", body="[a](product:MG-VERBORGEN)\n[b](product:MG-OP)", status="published"
    )
    with pytest.raises(CommandError, match="kapotte"):
        call_command("check_content_links")


def _link_guides_and_faqs(product, n):
    for i in range(n):
        guide = ArticleFactory(title=f"Gids {i}", slug=f"gids-{product.upc.lower()}-{i}")
        services.article_link_products(article=guide, products=[product])
        faq = FaqFactory(
            question=f"Vraag {i}?", answer=f"Antwoord {i}, zie [product](product:MG-TEST-1)."
        )
        services.faq_link_products(faq=faq, products=[product])


def test_product_page_content_costs_at_most_three_queries_for_1_and_20_links(client, product):
    template = Template("{% load content_tags %}{% product_reading product %}")
    other = make_product(upc="MG-TEST-2")
    _link_guides_and_faqs(product, 1)
    _link_guides_and_faqs(other, 20)
    costs, pages = {}, {}
    for n, item in ((1, product), (20, other)):
        with CaptureQueriesContext(connection) as ctx:
            html = template.render(Context({"product": item}))
        costs[n] = len(ctx.captured_queries)
        assert html.count("<details") == n
        # A fresh client per page: Oscar's "recently viewed" would otherwise add queries.
        fresh = Client()
        fresh.get(item.get_absolute_url())  # warm caches shared by both pages
        pages[n], _ = count_queries(fresh, item.get_absolute_url())
    assert costs[1] <= 3 and costs[20] <= 3
    assert costs[1] == costs[20]
    assert pages[1] == pages[20]
    print(f"\nproduct page: tag {costs[1]} vs {costs[20]} queries; page {pages[1]} vs {pages[20]}")


def test_child_product_page_shows_the_parents_guides(client):
    from oscar.test.factories import create_product

    parent = create_product(
        upc="MG-PARENT", title="Ouder", product_class="Testproduct", structure="parent"
    )
    child = make_product(upc="MG-CHILD")
    child.parent, child.structure = parent, "child"
    child.save()
    guide = ArticleFactory(title="Gids over de ouder")
    services.article_link_products(article=guide, products=[parent])
    from content.models import Article

    assert list(Article.objects.published().for_product(child)) == [guide]


def test_guide_page_product_cards_do_not_cost_a_query_per_product(client):
    counts = {}
    for n in (1, 10):
        guide = ArticleFactory(title=f"Kaartengids {n}", slug=f"kaartengids-{n}")
        products = [make_product(upc=f"MG-K{n}-{i}", price="9.95") for i in range(n)]
        services.article_link_products(article=guide, products=products)
        client.get(guide.get_absolute_url())
        counts[n], response = count_queries(client, guide.get_absolute_url())
        assert response.content.decode().count("content-product-card") == n
    assert counts[1] == counts[10]
    print(f"\nguide page: {counts[1]} queries with 1 product, {counts[10]} with 10")


def test_faq_page_groups_by_topic(client):
    slaap = TopicFactory(name="Slaap", slug="slaap")
    faq = FaqFactory(question="Helpt magnesium bij slapen?")
    faq.topics.add(slaap)
    FaqFactory(question="Zonder onderwerp?")
    html = client.get(reverse("content:faq-list")).content.decode()
    summary = '<summary class="card-header">{}</summary>'
    assert html.index(">Slaap</h2>") < html.index(summary.format("Helpt magnesium bij slapen?"))
    assert html.index(">Overige vragen</h2>") < html.index(summary.format("Zonder onderwerp?"))
