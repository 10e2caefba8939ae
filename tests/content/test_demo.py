"""The demo loader imports the seed guide, published and linked, idempotently."""

import pytest
from django.core.management import call_command

from content.models import Article, Faq


@pytest.mark.django_db
def test_load_demo_imports_the_seed_guide_linked_to_every_form_it_discusses():
    call_command("load_demo")
    call_command("load_demo")
    article = Article.objects.published().get(slug="magnesium-mentale-gezondheid")
    assert Article.objects.count() == 1 and Faq.objects.published().count() == 5
    assert len(article.keywords) == 10
    forms = set(
        article.products.filter(attribute_values__attribute__code="magnesium_form").values_list(
            "attribute_values__value_multi_option__option", flat=True
        )
    )
    assert forms >= {
        "bisglycinaat",
        "citraat",
        "malaat",
        "L-threonaat",
        "tauraat",
        "chloride",
        "oxide",
    }
    assert list(article.categories.values_list("slug", flat=True)) == ["magnesium"]
    assert article.product_links.count() == len(
        set(article.product_links.values_list("product_id", flat=True))
    )
    call_command("check_content_links")  # the demo has no broken references
