"""Label data as the regulations give it (fixtures/magnesium-facts.json and the demo catalogue):
claim wordings, EFSA's age bands, permitted forms, L-threonate as a novel food, and the magnesium
oil spray as a cosmetic."""

from decimal import Decimal

import pytest
from oscar.apps.catalogue.models import Product

from shop.catalogue.facts import domain_facts, supplement_facts
from shop.demo import load_catalogue, load_catalogue_data
from shop.partner.strategy import Selector
from shop.vat import vat_rate_for

CLAIMS = {c["id"]: c["nl"] for c in domain_facts()["authorised_claims"]["claims"]}
FORMS = {f["key"]: f for f in domain_facts()["forms"]}


def test_claim_wordings_follow_the_dutch_eu_texts():
    assert CLAIMS["muscle"] == "Magnesium draagt bij tot de normale werking van de spieren"
    assert CLAIMS["nervous_system"] == (
        "Magnesium draagt bij tot een normale werking van het zenuwstelsel"
    )
    assert (
        CLAIMS["fatigue"] == "Magnesium draagt bij tot de vermindering van vermoeidheid en moeheid"
    )
    assert CLAIMS["psychological"] == "Magnesium draagt bij tot een normale psychologische functie"
    assert not any("spierfunctie" in text for text in CLAIMS.values())
    # What could not be confirmed against the regulation's Dutch text says so.
    assert domain_facts()["authorised_claims"]["nl_wording_confirmed"] is False


def test_adequate_intakes_use_efsas_own_age_bands():
    ai = domain_facts()["efsa"]["adequate_intake_mg_per_day"]
    assert ai == {
        "men_18_plus": 350,
        "women_18_plus": 300,
        "pregnancy": 300,
        "lactation": 300,
        "infants_7_11_months": 80,
        "children_1_to_under_3": 170,
        "children_3_to_under_10": 230,
        "boys_10_to_under_18": 300,
        "girls_10_to_under_18": 250,
    }


def test_aspartate_and_orotate_are_marked_as_not_permitted_and_the_shop_sells_only_listed_forms():
    assert FORMS["aspartate"]["annex_ii"] is False
    assert FORMS["orotate"]["annex_ii"] is False
    by_dutch = {f.get("shop_option", f["nl"].removeprefix("magnesium")): f for f in FORMS.values()}
    sold = {form for item in load_catalogue_data()["magnesium"] for form in item["magnesium_form"]}
    for form in sold:
        entry = next(f for key, f in by_dutch.items() if form.lower() in key.lower())
        assert entry["annex_ii"] is True, form


def test_malate_range_is_anhydrous_to_trihydrate():
    assert FORMS["malate"]["elemental_pct"] == [11.6, 15.5]
    # Mg / C4H4MgO5 and Mg / C4H4MgO5·3H2O, rounded as in the file.
    mg, malate, water = 24.305, 156.375, 18.015
    assert round(100 * mg / malate, 1) == 15.5
    assert round(100 * mg / (malate + 3 * water), 1) == 11.6


def test_l_threonate_is_the_authorised_novel_food():
    threonate = FORMS["l-threonate"]
    assert threonate["elemental_pct"] == [7.2, 8.3]
    assert "monohydrate" in threonate["formula"]
    novel = threonate["novel_food"]
    assert "2024/2694" in novel["regulation"]
    assert novel["max_salt_mg_per_day"] == 3000
    assert "volwassenen" in novel["label_statement_nl"]
    assert (
        "zwangere" in novel["label_statement_nl"] and "borstvoeding" in novel["label_statement_nl"]
    )


def test_demo_threonate_product_stays_within_the_novel_food_maximum():
    item = next(i for i in load_catalogue_data()["magnesium"] if i["upc"] == "MG-THR-144")
    low, _high = FORMS["l-threonate"]["elemental_pct"]
    # The most salt the stated magnesium can come from is at the lowest magnesium share.
    salt_mg = item["elemental_mg"] * 100 / low
    assert salt_mg <= FORMS["l-threonate"]["novel_food"]["max_salt_mg_per_day"]
    assert "monohydraat" in item["ingredients"]


@pytest.mark.django_db
def test_threonate_product_page_shows_the_adults_only_statement(client):
    load_catalogue()
    product = Product.objects.get(upc="MG-THR-144")
    statement = FORMS["l-threonate"]["novel_food"]["label_statement_nl"]
    html = client.get(product.get_absolute_url()).content.decode()
    assert 'data-statement="novel_food.l-threonate"' in html and statement in html
    # ... and only there: a bisglycinate product has no such statement.
    other = Product.objects.get(upc="MG-BIS-200")
    assert statement not in client.get(other.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_magnesium_oil_spray_is_a_cosmetic_with_its_own_label_and_21_percent_btw(client):
    load_catalogue()
    spray = Product.objects.get(upc="MG-CHL-SPR")
    assert spray.get_product_class().slug == "cosmetica"
    assert vat_rate_for(spray) == Decimal("0.21")
    price = Selector().strategy().fetch_for_product(spray).price
    assert price.incl_tax == Decimal("12.95") and price.tax == Decimal("2.25")  # 12.95 × 21/121
    facts = supplement_facts(spray)
    assert not facts.is_magnesium and facts.elemental_mg is None and not facts.magnesium_forms
    assert not spray.categories.filter(slug="magnesium").exists()

    html = client.get(spray.get_absolute_url()).content.decode()
    assert "Voedingswaarde per dagdosering" not in html  # no supplement facts
    assert "Etiket (cosmetisch product)" in html
    for code in ("function", "content_ml", "inci", "precautions", "responsible_person"):
        assert f'data-field="{code}"' in html, code
    assert "draagt bij" not in spray.description  # no health claim
    # A supplement keeps the food rate.
    assert vat_rate_for(Product.objects.get(upc="MG-CHL-DRP")) == Decimal("0.09")
