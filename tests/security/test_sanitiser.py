"""The sanitising policy (shop.richtext) over the XSS corpus: nothing that runs is left."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.template import Context, Template

from content.markup import render_markdown
from shop.richtext import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, clean_html
from tests.security.payloads import payloads

URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "background", "srcset"}


class Inventory(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name == "rel":
                continue  # added by the policy itself
            if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
                self.problems.append(f"attribute {name} on <{tag}>")
            if name in URL_ATTRIBUTES:
                scheme = urlsplit((value or "").strip()).scheme.lower()
                if scheme and scheme not in URL_SCHEMES:
                    self.problems.append(f"{name}={value!r}")


def problems(html: str) -> list[str]:
    inventory = Inventory()
    inventory.feed(html)
    inventory.close()
    return inventory.problems


def test_the_corpus_holds_at_least_100_payloads():
    assert len(payloads()) >= 100
    assert len(set(payloads())) == len(payloads())


@pytest.mark.parametrize("payload", payloads())
def test_cleaned_html_keeps_only_allowed_tags_attributes_and_schemes(payload):
    cleaned = clean_html(payload)
    assert problems(cleaned) == [], cleaned
    # Cleaning twice changes nothing (no mutation left for a browser's parser to find).
    assert clean_html(cleaned) == cleaned


@pytest.mark.parametrize("payload", payloads())
def test_markdown_guides_keep_only_allowed_tags_attributes_and_schemes(payload):
    html = render_markdown(payload).html
    assert problems(html) == [], html


def test_the_template_filter_cleans_and_marks_safe():
    rendered = Template("{% load rich_text_tags %}{{ text|rich_text }}").render(
        Context({"text": '<p onclick="alert(1)">Hallo <script>alert(1)</script><b>wereld</b></p>'})
    )
    assert rendered == "<p>Hallo <b>wereld</b></p>"


def test_links_keep_http_mailto_and_paths_and_get_noopener_nofollow():
    cleaned = clean_html(
        '<a href="https://example.org/">a</a><a href="/winkel/">b</a>'
        '<a href="mailto:info@example.nl">c</a><a href="javascript:alert(1)">d</a>'
    )
    assert '<a href="https://example.org/" rel="noopener nofollow">a</a>' in cleaned
    assert '<a href="/winkel/" rel="noopener nofollow">b</a>' in cleaned
    assert '<a href="mailto:info@example.nl" rel="noopener nofollow">c</a>' in cleaned
    assert '<a rel="noopener nofollow">d</a>' in cleaned


def test_rich_text_fields_shadows_only_the_named_fields():
    from shop.richtext import RichTextFields

    class Offer:
        name = "<b>naam</b>"
        description = "<img src=x onerror=alert(1)>tekst"

        class benefit:
            description = '<a href="/r/" onclick="alert(1)">bereik</a>'

    shadow = RichTextFields(Offer(), ("description", "benefit.description"))
    assert shadow.name == "<b>naam</b>"  # left to the template's autoescaping
    assert shadow.description == '<img src="x">tekst'
    assert shadow.benefit.description == '<a href="/r/" rel="noopener nofollow">bereik</a>'


@pytest.mark.django_db
def test_a_range_name_is_escaped_in_incentive_and_condition_texts():
    from shop.offer.models import Benefit, Condition, Range

    product_range = Range.objects.create(name="<img src=x onerror=alert(1)>Bereik")
    benefit = Benefit.objects.create(range=product_range, type=Benefit.PERCENTAGE, value=5)
    condition = Condition.objects.create(range=product_range, type=Condition.COUNT, value=1)
    for text in (benefit.proxy().description, condition.proxy().description):
        assert "<img" not in text
        assert "&lt;img src=x onerror=alert(1)&gt;Bereik</a>" in text
