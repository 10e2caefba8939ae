"""Supplement facts for every demo product, checked against a hand calculation.

The expected figures below were worked out by hand from fixtures/catalogue.json:
% NRV = mg / 375 × 100 rounded half up; servings = units per pack ÷ units per dose (whole);
price per day = price ÷ servings; price per 100 mg = price × 100 ÷ (servings × mg);
money rounded half up to the cent. A parent shows its variant with the lowest price per day.
"""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from oscar.apps.catalogue.models import Product

from shop.catalogue.facts import missing_label_facts, supplement_facts
from shop.demo import load_catalogue
from shop.search.listing import ListingSortForm, listing_queryset

D = Decimal

# upc: (mg, % NRV, servings, price, price/day, price/100 mg, exceeds 250 mg)
EXPECTED = {
    "MG-BIS-200": (200, 53, 60, D("22.95"), D("0.38"), D("0.19"), False),
    "MG-BIS-100": (100, 27, 240, D("42.50"), D("0.18"), D("0.18"), False),  # from the 240 pack
    "MG-BIS-100-60": (100, 27, 60, D("13.95"), D("0.23"), D("0.23"), False),
    "MG-BIS-100-120": (100, 27, 120, D("23.95"), D("0.20"), D("0.20"), False),
    "MG-BIS-100-240": (100, 27, 240, D("42.50"), D("0.18"), D("0.18"), False),
    "MG-GLY-150": (150, 40, 45, D("18.95"), D("0.42"), D("0.28"), False),
    "MG-CIT-150": (150, 40, 90, D("9.95"), D("0.11"), D("0.07"), False),
    "MG-CIT-PDR": (250, 67, 60, D("15.95"), D("0.27"), D("0.11"), False),
    "MG-MAL-150": (150, 40, 60, D("19.95"), D("0.33"), D("0.22"), False),
    "MG-THR-144": (144, 38, 30, D("39.95"), D("1.33"), D("0.92"), False),
    "MG-TAU-125": (125, 33, 45, D("24.95"), D("0.55"), D("0.44"), False),
    "MG-OXI-400": (400, 107, 100, D("7.95"), D("0.08"), D("0.02"), True),
    "MG-OXI-250": (250, 67, 60, D("5.95"), D("0.10"), D("0.04"), False),
    "MG-CHL-DRP": (100, 27, 50, D("10.95"), D("0.22"), D("0.22"), False),
    "MG-CPX-3IN1": (200, 53, 60, D("21.95"), D("0.37"), D("0.18"), False),
    "MG-CPX-AVOND": (180, 48, 30, D("26.95"), D("0.90"), D("0.50"), False),
    "MG-MAL-SPORT": (200, 53, 45, D("17.50"), D("0.39"), D("0.19"), False),
    "AAN-D3-25": (None, None, 120, D("8.95"), D("0.07"), None, False),
    "AAN-B-CPX": (None, None, 60, D("12.95"), D("0.22"), None, False),
    "AAN-OMEGA3": (None, None, 60, D("17.95"), D("0.30"), None, False),
}

# The per-servings units in the servings column above, for the dose text on the label.
DOSE_TEXT = {
    "MG-BIS-200": "2 tabletten",
    "MG-BIS-100-60": "1 capsule",
    "MG-THR-144": "3 capsules",
    "MG-CIT-PDR": "1 portie",
}


@pytest.fixture(scope="module")
def demo_catalogue(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo catalogue, loaded once for this module's tests (they only read it), inside a
    transaction rolled back after the last one, as Django's TestCase.setUpTestData does: each
    test runs in a savepoint of its own within it. Its packshots: a media root of the module."""
    media_root = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        load_catalogue()
        yield media_root
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_catalogue, db, settings):
    settings.MEDIA_ROOT = demo_catalogue
    cache.clear()  # no fragment or thumbnail record of an earlier test's pages
    return {p.upc: p for p in Product.objects.all()}


# Not a food: the magnesium oil spray is a cosmetic (issue 15), without supplement facts.
COSMETICS = {"MG-CHL-SPR"}


def test_demo_catalogue_has_every_product_of_the_table(demo):
    assert set(demo) == set(EXPECTED) | COSMETICS


def test_a_cosmetic_has_no_supplement_facts(demo):
    facts = supplement_facts(demo["MG-CHL-SPR"])
    assert facts.elemental_mg is None and facts.price_per_day is None and not facts.dose_text


@pytest.mark.parametrize("upc", sorted(EXPECTED))
def test_facts_of_every_demo_product_match_the_hand_calculation(demo, upc):
    mg, pct, servings, price, per_day, per_100mg, exceeds = EXPECTED[upc]
    facts = supplement_facts(demo[upc])
    assert facts.elemental_mg == mg
    assert facts.pct_nrv == pct
    assert facts.servings_per_pack == servings
    assert facts.price == price
    assert facts.price_per_day == per_day
    assert facts.price_per_100mg == per_100mg
    assert facts.exceeds_upper_level is exceeds
    assert facts.ingredients and facts.usage
    assert missing_label_facts(demo[upc]) == []


def test_child_product_falls_back_to_parent_values(demo):
    child = supplement_facts(demo["MG-BIS-100-120"])
    assert child.magnesium_forms == ["bisglycinaat"]
    assert child.dosage_form == "capsule"
    assert child.units_per_dose == 1
    assert child.units_per_pack == 120  # the child's own value
    assert child.vegan is True


def test_parent_shows_its_cheapest_variant_per_day(demo):
    facts = supplement_facts(demo["MG-BIS-100"])
    assert facts.from_variant == demo["MG-BIS-100-240"]


@pytest.mark.parametrize("upc", sorted(DOSE_TEXT))
def test_dose_text_names_units_of_the_dosage_form(demo, upc):
    assert supplement_facts(demo[upc]).dose_text == DOSE_TEXT[upc]


def test_label_statements_are_filled_in_from_the_data(demo):
    texts = [s["text"] for s in supplement_facts(demo["MG-BIS-200"]).label_statements]
    assert texts == [
        "Voedingssupplement met magnesium",
        "Aanbevolen dagelijkse dosis: 2 tabletten",
        "De aanbevolen dagelijkse dosis niet overschrijden.",
        "Een voedingssupplement is geen vervanging voor een gevarieerd en evenwichtig "
        "voedingspatroon en een gezonde levensstijl.",
        "Buiten bereik van jonge kinderen bewaren.",
        "Per dagdosering: 200 mg magnesium (53% van de referentie-inname)",
    ]


def test_listing_price_per_day_in_sql_equals_the_facts(demo):
    listed = {p.upc: p.price_per_day for p in listing_queryset()}
    for upc, product in listed.items():
        assert product == (None if upc in COSMETICS else EXPECTED[upc][4]), upc


def test_listing_sorted_by_price_per_day_in_the_database(demo, django_assert_max_num_queries):
    form = ListingSortForm({"sort_by": ListingSortForm.PRICE_PER_DAY})
    # One query plus Oscar's prefetches, whatever the number of products (21 here).
    with django_assert_max_num_queries(8):
        products = list(listing_queryset().order_by(*form.ordering()))
    per_day = [p.price_per_day for p in products if p.price_per_day is not None]
    assert per_day == sorted(per_day)
    assert products[0].upc == "AAN-D3-25"  # € 0,07 per day
    priced = [p.upc for p in products if p.price_per_day is not None]
    assert priced[-1] == "MG-THR-144"  # € 1,33 per day
    # Without a price per day (the cosmetic) last.
    assert [p.upc for p in products[len(priced) :]] == sorted(COSMETICS)


def test_product_page_shows_the_facts_table_and_label_statements(demo, client):
    response = client.get(demo["MG-THR-144"].get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Voedingswaarde per dagdosering" in html
    assert "144 mg" in html
    assert "38%" in html
    assert "€\xa01,33" in html  # price per day
    assert "€\xa00,92" in html  # price per 100 mg
    assert "Buiten bereik van jonge kinderen bewaren." in html
    assert "Aanbevolen dagelijkse dosis: 3 capsules" in html


def test_product_cards_show_price_per_day(demo, client):
    html = client.get("/catalogue/").content.decode()
    assert "€\xa00,38 per dag" in html  # MG-BIS-200
    assert "vanaf €\xa00,18 per dag" in html  # the parent MG-BIS-100


def test_listing_can_be_sorted_by_price_per_day(demo, client):
    html = client.get("/catalogue/?sort_by=prijs-per-dag").content.decode()
    assert html.index("Vitamine D3 25") < html.index("Magnesium L-Threonaat 144 mg")
