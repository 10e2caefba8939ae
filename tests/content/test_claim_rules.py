"""The claim checker's design: the gaps of issue 15, other nutrients, negation, dose, context."""

from __future__ import annotations

from decimal import Decimal

import pytest

from content import claim_rules
from content.claim_rules import register
from content.claims import check_text, classify, nutrients_in
from shop.catalogue import facts

# --- The seven gaps of issue 15, one test each --------------------------------------------------


def test_gap1_an_authorised_phrase_does_not_clear_the_rest_of_the_sentence():
    verdict = classify(
        "Magnesium draagt bij tot een normale psychologische functie en helpt tegen "
        "paniekaanvallen."
    )
    assert (verdict.kind, verdict.rule) == ("error", "medicinal.anxiety")
    assert verdict.suggestion == "Magnesium draagt bij tot een normale psychologische functie"


def test_gap1_words_between_the_subject_and_the_authorised_verb_are_read_too():
    verdict = classify("Magnesium maakt je sterker en draagt bij tot een normale spierfunctie.")
    assert (verdict.kind, verdict.rule) == ("error", "unauthorised")
    verdict = classify(
        "Deze capsules bevatten magnesium, dat bijdraagt aan de normale werking van het "
        "zenuwstelsel."
    )
    assert verdict.kind == "authorised"


def test_gap2_a_negation_only_silences_its_own_clause():
    verdict = classify("Dit is geen medicijn, maar het verlicht wel je hoofdpijn.")
    assert (verdict.kind, verdict.rule) == ("error", "medicinal.other")
    assert classify("Het is niet verslavend en helpt toch tegen je angstgevoelens.").kind == "error"
    # A negation that denies the claim itself stays a disclaimer.
    assert classify("Magnesium is geen geneesmiddel en geneest geen ziekten.").kind == "none"


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        ("Zink geneest acne.", "medicinal.other"),
        ("Deze formule ondersteunt een diepe, ongestoorde nachtrust.", "unauthorised"),
        ("Het zorgt ervoor dat je je beter concentreert.", "unauthorised"),
        ("Na twee weken waren mijn kuitkrampen over.", "testimonial"),
        ("Vitamine D3 geeft je weerstand een flinke boost.", "unauthorised"),
        ("Omega-3 verlaagt het risico op hart- en vaatziekten.", "disease_risk"),
    ],
)
def test_gap3_any_subject_is_read_not_only_magnesium(sentence, rule):
    verdict = classify(sentence)
    assert (verdict.kind, verdict.rule) == ("error", rule)


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        ("Magnesium helpt je vet te verbranden.", "slimming"),
        ("Magnesium hielp mij door een zware periode.", "testimonial"),
        ("Ik slaap sindsdien als een roos.", "testimonial"),
    ],
)
def test_gap4_slimming_past_tense_and_personal_stories_are_flagged(sentence, rule):
    verdict = classify(sentence)
    assert (verdict.kind, verdict.rule) == ("error", rule)


def test_gap5_dose_advice_above_the_upper_level_is_an_error():
    verdict = classify("Tot 600 mg per dag is veilig.")
    assert (verdict.kind, verdict.rule) == ("error", "dose_above_upper_level")
    assert classify("De meeste mensen hebben baat bij 250 tot 500 mg magnesium per dag.").kind == (
        "error"
    )
    assert classify("Neem niet meer dan 250 mg magnesium per dag uit supplementen.").kind == "none"
    # Amounts of other nutrients are not magnesium doses.
    assert classify("Twee capsules leveren samen 600 mg EPA en DHA per dag.").kind == "none"
    assert classify("Per capsule: 150 µg vitamine D3.").rule == "dose_above_upper_level"


def test_gap6_names_are_read_and_the_condition_of_use_is_an_error():
    for name in ("Magnesium Glycinaat Avondrust 150 mg", "Ontspanning & slaap", "Focus & geheugen"):
        assert classify(name).kind == "error", name
    for name in ("Magnesium Bisglycinaat 200 mg", "Vitamine B-complex", "Magnesium"):
        assert classify(name).kind == "none", name
    sentence = "Magnesium draagt bij tot de vermindering van vermoeidheid en moeheid."
    below = classify(sentence, elemental_mg=40)
    assert (below.kind, below.rule) == ("error", "condition_of_use")
    assert classify(sentence, elemental_mg=150).kind == "authorised"


def test_topic_headings_in_the_registers_own_words_are_not_names_of_effects():
    for heading in (
        "Magnesium en het zenuwstelsel",
        "Magnesium en je psychologische functie",
        "Magnesiumchloride olie spray voor de huid",
    ):
        assert classify(heading).kind != "error", heading
    for name in ("magnesium mentaal welzijn", "Crème voor een stralende huid"):
        assert classify(name).kind == "error", name


def test_gap7_the_official_dutch_wording_is_accepted():
    verdict = classify("Magnesium draagt bij tot de normale werking van de spieren.")
    assert (verdict.kind, verdict.rule) == ("authorised", "authorised:muscle")
    # The wording the fixture held stays accepted as a variant with the same meaning.
    assert classify("Magnesium draagt bij tot een normale spierfunctie.").kind == "authorised"


# --- Other nutrients and their conditions --------------------------------------------------------


def test_every_register_wording_passes_as_a_whole_sentence():
    for nutrient, claims in register().claims.items():
        for claim in claims.values():
            verdict = classify(claim.sentence + ".")
            assert verdict.kind == "authorised", (nutrient, claim.sentence, verdict.rule)


def test_a_wording_authorised_for_another_nutrient_is_an_error():
    verdict = classify("Vitamine D draagt bij tot een normale psychologische functie.")
    assert (verdict.kind, verdict.rule) == ("error", "wrong_nutrient")
    assert classify("Vitamine B6 draagt bij tot een normale psychologische functie.").kind == (
        "authorised"
    )


def test_dha_and_epa_claims_need_their_own_amounts():
    fish_oil = {"epa": Decimal(360), "dha": Decimal(240)}
    brain = "DHA draagt bij tot de instandhouding van de normale hersenfunctie."
    heart = "EPA en DHA dragen bij tot de normale werking van het hart."
    assert classify(brain, nutrients=fish_oil).rule == "condition_of_use"  # 240 < 250 mg DHA
    assert classify(heart, nutrients=fish_oil).kind == "authorised"  # 600 >= 250 mg EPA+DHA
    assert classify(brain).kind == "authorised"  # no product: the wording itself is authorised


def test_a_claim_for_a_nutrient_the_product_does_not_contain_is_an_error():
    verdict = classify(
        "Vitamine D draagt bij tot de normale werking van het immuunsysteem.", elemental_mg=200
    )
    assert (verdict.kind, verdict.rule) == ("error", "condition_of_use")


def test_an_unknown_amount_is_a_warning_to_check():
    verdict = classify(
        "Vitamine B6 draagt bij tot een normale psychologische functie.",
        nutrients={"vitamin_b6": None},
    )
    assert (verdict.kind, verdict.rule) == ("warning", "condition_unverified")


def test_amplified_or_reworded_authorised_claims_are_altered():
    for sentence in (
        "Magnesium draagt krachtig bij tot een normale spierfunctie.",
        "Magnesium speelt een belangrijke rol bij het celdelingsproces.",
    ):
        assert classify(sentence).rule == "altered_wording", sentence


def test_ingredient_lists_give_the_product_context():
    assert nutrients_in("Visolie (EPA 360 mg, DHA 240 mg per 2 capsules), vitamine E.") == {
        "epa": Decimal(360),
        "dha": Decimal(240),
    }
    assert nutrients_in("Olijfolie, cholecalciferol (vitamine D3, 25 µg = 500% RI).") == {
        "vitamin_d": Decimal(25)
    }
    found = nutrients_in("niacine, vitamine B6, riboflavine, foliumzuur, vitamine B12.")
    assert found == dict.fromkeys(
        ["niacin", "vitamin_b6", "riboflavin", "folate", "vitamin_b12"], None
    )


# --- Text that is not a claim ----------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Zo werkt onze retourservice: vul het formulier in en stuur het pakket terug.",
        "Onze klantenservice helpt je graag verder.",
        "Bij aanhoudende klachten: neem contact op met je huisarts.",
        "Een voedingssupplement is geen vervanging voor een gevarieerd en evenwichtig "
        "voedingspatroon en een gezonde levensstijl.",
        "Bij hoge doses kan magnesiumoxide een laxerend effect hebben.",
        "Neem 2 tabletten per dag met water, bij voorkeur 's avonds.",
    ],
)
def test_service_label_and_caution_text_is_left_alone(sentence):
    assert classify(sentence).kind == "none"


def test_findings_carry_explanation_and_offsets_of_their_sentence():
    text = "Onze capsules zijn vegan.\nFijn. Magnesium verlicht angst."
    (finding,) = check_text(text)
    assert text[finding.start : finding.end] == "Magnesium verlicht angst."
    assert finding.explanation.startswith("Medische claim")
    assert finding.nutrient == "magnesium"


# --- Generalisation probes (issue 15, second round) ---------------------------------------------
# Written for this test, not taken from the labelled set: each probes a vocabulary or a form
# (body functions, feelings, symptoms, hedges, first-person past tense, "deze formule", names).


@pytest.mark.parametrize(
    "sentence",
    [
        "Zink verbetert je vruchtbaarheid.",
        "Deze formule werkt echt snel.",
        "Sinds ik dit neem ben ik nooit meer verkouden.",
        "Ons product versnelt het herstel van wondjes.",
        "Vitamine D kan helpen tegen de winterblues.",
        "Magnesium zou kunnen bijdragen aan een betere nachtrust.",
        "Ik voelde me binnen een week veel vrolijker.",
        "Onze capsules lossen je tekort snel op.",
        "DarmGezond Complex",
        "Vitamine B12 tegen lusteloosheid",
        "Met zink kom je de griepperiode goed door.",
        "Zink beschermt je tegen bacteriën en virussen.",
        "Niet tevreden over het effect op je energie? Geld terug!",
        "Na twee weken had ik veel meer puf.",
        "Met dit supplement ben je beter bestand tegen de winter.",
        "Ideaal na het sporten voor snellere recuperatie.",
        "Ik ben minder snel geïrriteerd.",
        "Je zult het verschil snel voelen.",
        "Bestel nu en slaap vannacht al beter.",
        "Deze formule ondersteunt je op drukke dagen.",
        "Mijn haar valt minder uit.",
    ],
)
def test_claims_in_wider_vocabulary_and_forms_are_flagged(sentence):
    assert classify(sentence).needs_attention, sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Wij zijn blij met je bestelling.",
        "Hartelijk dank voor je bestelling!",
        "Bij vragen over een tekort kun je het beste je huisarts raadplegen.",
        "Werkt het afrekenen niet? Neem contact op met onze klantenservice.",
        "Niet tevreden over je bestelling? Je krijgt je geld terug.",
        "Per capsule: 100 mg magnesium (27% van de referentie-inname).",
        "Boven 250 mg per dag neemt de kans op een laxerend effect toe.",
        "Lees hier alles over magnesium en slaap.",
        "Onze klantenservice helpt je graag bij het kiezen van een product.",
        "Ik neem ze al een jaar, de capsules zijn makkelijk te slikken.",
        "Vitamine D wordt in de huid aangemaakt onder invloed van zonlicht.",
    ],
)
def test_the_wider_vocabulary_leaves_service_and_caution_text_alone(sentence):
    assert not classify(sentence).needs_attention, sentence


def test_a_declared_daily_dose_above_the_upper_level_is_a_warning():
    """A label line declaring the product's own dose is no dose advice; the product delivers
    more than the upper level, which a person should check (the gate does not block it)."""
    verdict = classify("Per dagdosering: 300 mg magnesium (80% van de referentie-inname).")
    assert (verdict.kind, verdict.rule) == ("warning", "declared_dose")
    assert classify("Neem 300 mg magnesium per dag.").rule == "dose_above_upper_level"
    # The NRV named after a percentage is no dose.
    assert not classify(
        "Een bron van magnesium levert per dagdosis minstens 15% van de referentie-inname van "
        "375 mg."
    ).needs_attention


# --- Fourth round: the design causes of heldout3's misses and false alarms --------------------
# Written for these tests (none is a sentence of the labelled set), one or two per cause.


@pytest.mark.parametrize(
    "sentence",
    [
        # a remedy next to a side-effect word is no caution; "zonder bijwerkingen" sells
        "Speciaal voor vrouwen: vermindert buikkrampen en stemmingswisselingen rond de menstruatie.",
        "Werkt net zo goed tegen somberheid als een antidepressivum, en zonder bijwerkingen.",
        # body fat, appetite, weight
        "Helpt om hardnekkig buikvet kwijt te raken.",
        "Remt je hongergevoel, zodat je makkelijker op gewicht blijft.",
        # recommending a product to someone with a complaint
        "Heb je vaak last van migraine? Dan is het de moeite waard om dit eens te proberen.",
        # a negated complaint credited to the product is its result
        "Deze winter niet één keer verkouden geweest, dankzij die vitamine C denk ik.",
        "Geen last meer van nachtelijke kramp sinds ik deze capsules neem.",
        # the result seen or felt, in either order
        "Zink maakt het sterker, zodat je er eerder resultaat van merkt.",
        "Voel me zoveel beter, echt een aanrader!",
        # effect words and targets that were not listed; any adjective before the target
        "Voor optimale ontspanning van lichaam en geest.",
        "Sinds mijn moeder dit gebruikt is ze veel minder vergeetachtig.",
        "Mijn vader loopt een stuk stabieler sinds hij vitamine D slikt.",
        "Beschermt je cellen en vertraagt het verouderingsproces.",
        "Onze formule is klinisch bewezen effectief.",
        # compound product names
        "SlaapDiep Magnesium",
        "FocusBoost Complex",
    ],
)
def test_heldout3_design_causes_are_flagged_in_new_wordings(sentence):
    assert classify(sentence).needs_attention, sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Vitamine D draagt bij tot de normale opname en het normale gebruik van calcium en fosfor.",
        "Vitamine D draagt bij tot de normale opname/het normale gebruik van calcium en fosfor.",
    ],
)
def test_the_vitamin_d_wording_of_the_dutch_register_passes(sentence):
    assert classify(sentence, nutrients={"vitamin_d": Decimal(25)}).kind == "authorised"


@pytest.mark.parametrize(
    "sentence",
    [
        # a side effect of one form and a switch to another, a question about side effects
        "Van magnesiumoxide kreeg ik buikpijn; met citraat gaat het nu veel beter.",
        "Krijg ik bijwerkingen? In hoge doses kan magnesium diarree geven.",
        "Bij grote hoeveelheden kan magnesiumcitraat tot een lossere ontlasting leiden.",
        # a legal maximum and the amount of a compound are no dose advice
        "De EU stelde een maximum van 3000 mg magnesium L-threonaat per dag vast.",
        "Neem per dag 2 capsules met samen 1000 mg magnesiumcitraat.",
        # headings pairing a nutrient with a topic
        "Vitamine D en je botten in de winter",
        "Omega-3 & sport",
        # a healthy diet is no effect on the body
        "Is een supplement een vervanging voor gezond eten? Nee.",
    ],
)
def test_heldout3_false_alarm_causes_stay_quiet_in_new_wordings(sentence):
    verdict = classify(sentence)
    assert not verdict.needs_attention, (sentence, verdict.rule)


def test_a_heading_that_promises_a_better_state_is_still_a_claim():
    assert classify("Magnesium en een betere nachtrust").needs_attention
    assert classify("Zink en vitamine C houden je weerstand sterk").needs_attention


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        (
            "Neem 's avonds 2 tabletten van 200 mg voor het beste resultaat.",
            "dose_above_upper_level",
        ),
        ("Je kunt zonder problemen 3 capsules van 150 mg per dag nemen.", "dose_above_upper_level"),
        (
            "Magnesium draagt in hoge mate bij tot de normale werking van het zenuwstelsel.",
            "altered_wording",
        ),
        (
            "Zwangeren hebben extra foliumzuur nodig om afwijkingen bij de baby te voorkomen.",
            "medicinal",
        ),
        ("Mijn kinderen zijn deze winter veel minder snotterig geweest.", "testimonial"),
        ("Sinds een paar weken heb ik weer zin in het leven.", "testimonial"),
        ("Dit heeft mijn leven veranderd!", "testimonial"),
        ("Met deze vitamine D kom je de winter wel door.", "unauthorised"),
    ],
)
def test_doses_in_units_adverbs_in_the_wording_and_everyday_stories_are_flagged(sentence, rule):
    verdict = classify(sentence)
    assert verdict.kind == "error" and verdict.rule.split(".")[0] == rule, (sentence, verdict)


def test_units_within_the_upper_level_or_named_as_a_warning_are_no_dose_advice():
    assert not classify("Neem 's avonds 1 tablet van 200 mg.").needs_attention
    assert not classify(
        "Let op: 3 capsules van 150 mg per dag ligt boven de bovengrens."
    ).needs_attention


@pytest.mark.parametrize(
    "sentence",
    [
        "Geeft je het duwtje in de rug dat je nodig hebt.",
        "Voelde me na een week al een ander mens.",
        "Vitamine B12 is een echte oppepper voor vegetariërs.",
        "Een heerlijke opkikker na een lange werkdag.",
    ],
)
def test_vitality_metaphors_are_effects_on_body_or_mind(sentence):
    assert classify(sentence).needs_attention, sentence


def test_the_claims_nrv_share_is_the_facts_one(monkeypatch):
    """The 15% 'source of' share has one home (shop.catalogue.facts): the claim checker's minimum
    follows it, for magnesium and every other nutrient."""
    vitamin_d = next(c for c in register().claims["vitamin_d"].values() if c.min_amount is None)
    assert claim_rules.claim_minimum(vitamin_d) == Decimal("0.75")  # 15% of 5 µg
    changed = {**facts.domain_facts(), "source_claim_min_pct_nrv": 30}
    monkeypatch.setattr(facts, "domain_facts", lambda: changed)
    assert claim_rules.claim_minimum(vitamin_d) == Decimal("1.5")
    assert facts.claim_min_mg() == Decimal("112.5")
