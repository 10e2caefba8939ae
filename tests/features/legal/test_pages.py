"""The legal pages and the order button say what Dutch and EU consumer law requires."""

import hashlib
import re

import pytest
from django.contrib.flatpages.models import FlatPage
from django.utils import translation

from features.legal.pages import PAGES, SUPERSEDED, is_superseded, legal_pages_publish
from shop.shipping.methods import Standard
from tests.factories import add_to_basket, checkout_to_preview, make_product

pytestmark = pytest.mark.django_db

TEXT = {page.url: re.sub(r"\s+", " ", page.content) for page in PAGES}


def test_order_button_says_bestelling_met_betalingsverplichting(client, countries):
    # Art. 6:230v(3) BW: the button must make clear that ordering means paying.
    product = make_product(title="Magnesium", price="9.95", stock=5)
    add_to_basket(client, product)
    checkout_to_preview(client)
    with translation.override("nl"):
        html = client.get("/checkout/preview/").content.decode()
    button = re.search(r"<button id=.place-order.[^>]*>(.*?)</button>", html, re.S)
    assert button and button.group(1).strip() == "Bestelling met betalingsverplichting"
    assert "Bestelling plaatsen" not in html


def test_no_page_links_the_closed_odr_platform_and_the_terms_name_the_dispute_route():
    for text in TEXT.values():
        assert "ec.europa.eu/consumers/odr" not in text
    terms = TEXT["/algemene-voorwaarden/"]
    assert "bevoegde rechter" in terms
    assert "niet aangesloten bij een geschilleninstantie" in terms


def test_withdrawal_page_holds_the_model_form_of_annex_i_b():
    text = TEXT["/herroepingsrecht/"]
    for element in (
        "Aan: Magnesiumwinkel B.V., Voorbeeldstraat 12, 3511 AB Utrecht",
        "Ik/Wij (*) deel/delen (*) u hierbij mede dat ik/wij (*) onze overeenkomst",
        "herroep/herroepen (*)",
        "Besteld op (*)/Ontvangen op (*)",
        "Naam/Namen consument(en)",
        "Adres consument(en)",
        "Handtekening van consument(en) (alleen wanneer dit formulier op papier wordt ingediend)",
        "Datum",
        "(*) Doorhalen wat niet van toepassing is.",
    ):
        assert element in text, element


def test_withdrawal_page_says_who_pays_the_return_and_the_liability_for_loss_of_value():
    text = TEXT["/herroepingsrecht/"]
    assert (
        "De rechtstreekse kosten van het terugzenden van het product komen voor jouw rekening"
        in text
    )
    assert "aansprakelijk voor de waardevermindering" in text
    assert "de aard, de kenmerken en de werking van het product vast te stellen" in text
    assert "uiterlijk 14 dagen" in text


def test_hygiene_exception_is_cited_as_6_230p_onder_f_3():
    joined = " ".join(TEXT.values())
    assert "artikel 6:230p onder f, 3° BW" in TEXT["/herroepingsrecht/"]
    assert "sub f onder 5" not in joined


def test_defects_may_be_reported_within_two_months_of_discovery_and_the_guarantee_is_named():
    for url in ("/verzending-en-retour/", "/algemene-voorwaarden/"):
        text = TEXT[url]
        assert "binnen twee maanden nadat je het hebt ontdekt (artikel 7:23 BW)" in text
        assert "wettelijke garantie" in text
        assert "Meld het binnen 14 dagen" not in text


def test_terms_choose_dutch_law_without_taking_away_consumer_protection():
    text = TEXT["/algemene-voorwaarden/"]
    assert "Nederlands recht van toepassing" in text
    assert "dwingende consumentenregels van het land waar je woont" in text


@pytest.mark.parametrize(
    "element",
    [
        "Verwerkingsverantwoordelijke",  # art. 13(1)(a)
        "Grondslag",  # (1)(c)
        "gerechtvaardigd belang",  # (1)(d)
        "Ontvangers en verwerkers",  # (1)(e)
        "buiten de Europese Economische Ruimte",  # (1)(f)
        "Bewaartermijn",  # (2)(a)
        "recht op inzage",  # (2)(b) ...
        "rectificatie",
        "gegevenswissing",
        "beperking van de verwerking",
        "overdraagbaarheid",
        "bezwaar",
        "toestemming",  # (2)(c)
        "Autoriteit Persoonsgegevens",  # (2)(d)
        "Ben je verplicht gegevens te geven?",  # (2)(e)
        "geautomatiseerde verwerking",  # (2)(f)
        "Reviews",
        "Verlanglijstjes",
        "Voorraadmeldingen",
    ],
)
def test_privacy_statement_has_every_gdpr_article_13_element(element):
    assert element in TEXT["/privacy/"]


def test_pages_still_holding_a_shipped_text_are_updated_and_edited_ones_kept(monkeypatch):
    FlatPage.objects.all().delete()
    legal_pages_publish()
    page = FlatPage.objects.get(url="/herroepingsrecht/")
    page.content = "<p>Eigen tekst</p>"
    page.save()
    legal_pages_publish()
    assert FlatPage.objects.get(url="/herroepingsrecht/").content == "<p>Eigen tekst</p>"

    old = "<p>oude tekst</p>"
    monkeypatch.setitem(
        SUPERSEDED, "/herroepingsrecht/", frozenset({hashlib.sha256(old.encode()).hexdigest()})
    )
    assert is_superseded("/herroepingsrecht/", old)
    page.content = old
    page.save()
    legal_pages_publish()
    assert (
        "Modelformulier voor herroeping" in FlatPage.objects.get(url="/herroepingsrecht/").content
    )


def test_shipped_texts_before_this_revision_are_recognised():
    # The hashes are those of the texts migration 0003 wrote until 2026-11.
    assert all(SUPERSEDED[url] for url in TEXT if url != "/contact/")
    assert not any(is_superseded(url, page.content) for url, page in zip(TEXT, PAGES, strict=True))


def test_the_pages_promise_the_delivery_time_and_free_shipping_the_shop_is_configured_with(
    settings,
):
    # Issue 19: the home page, footer and shipping method read these from one place; the terms
    # said "1 tot 3 werkdagen" while they promised 1-2.
    text = TEXT
    days = settings.SHOP_DELIVERY_WORKDAYS.replace("-", " tot ")
    assert f"binnen {days} werkdagen" in text["/algemene-voorwaarden/"]
    threshold = f"€ {Standard.free_from_incl_tax:.0f}"
    assert f"gratis vanaf {threshold} (inclusief btw)" in text["/verzending-en-retour/"]
