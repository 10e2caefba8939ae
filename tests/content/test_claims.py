"""The health-claim checker: a labelled set, the seed guide, the command and the site scan."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from content.claims import (
    ERROR,
    WARNING,
    check_text,
    classify,
    scan_site,
    split_sentences,
    statement_findings,
)

SEED = Path(settings.BASE_DIR) / "fixtures" / "magnesium-mentale-gezondheid.txt"


@pytest.mark.parametrize(
    ("sentence", "rule", "claim_id"),
    [
        ("Magnesium verlicht angst.", "medicinal.anxiety", "psychological"),
        ("Magnesium helpt tegen depressie.", "medicinal.depression", "psychological"),
        ("Magnesium beschermt tegen Alzheimer.", "medicinal.neurodegenerative", "psychological"),
        ("Magnesium geneest slapeloosheid.", "medicinal.sleep_disorder", "psychological"),
        ("Magnesium verlaagt het risico op hartziekten.", "disease_risk", "psychological"),
        ("Magnesium zorgt voor een normale spierfunctie.", "altered_wording", "muscle"),
        ("Magnesium geeft je meer energie.", "unauthorised", "fatigue"),
    ],
)
def test_errors_name_the_rule_and_suggest_an_authorised_wording(sentence, rule, claim_id):
    verdict = classify(sentence)
    assert (verdict.kind, verdict.rule, verdict.claim_id) == ("error", rule, claim_id)
    assert verdict.suggestion.startswith("Magnesium ")
    assert verdict.explanation


def test_authorised_claim_is_fine_with_enough_magnesium_and_an_error_below_15_pct_nrv():
    sentence = "Bevat magnesium, dat bijdraagt tot een normale psychologische functie."
    assert classify(sentence).rule == "authorised:psychological"
    assert classify(sentence, elemental_mg=57).kind == "authorised"  # 56.25 mg is 15%
    below = classify(sentence, elemental_mg=56)
    assert (below.kind, below.rule) == ("error", "condition_of_use")


def test_split_sentences_keeps_line_numbers_and_drops_markdown():
    text = "# Kop\n\nEerste zin. Tweede [zin](product:MG-CIT-150)!\n- punt"
    assert list(split_sentences(text)) == [
        (1, "Kop"),
        (3, "Eerste zin."),
        (3, "Tweede zin!"),
        (4, "punt"),
    ]


def seed_findings():
    return check_text(SEED.read_text(encoding="utf-8"), source="Gids: seed")


def test_seed_guide_medicinal_claims_are_flagged():
    findings = {f.sentence: f for f in seed_findings()}
    by_rule = Counter(f.rule for f in findings.values())
    print(f"\nseed guide findings by rule: {dict(sorted(by_rule.items()))}")
    expected = {
        "Magnesium biedt een natuurlijk en steeds populairder alternatief om angstsymptomen "
        "te verminderen.": "medicinal.anxiety",
        "Ja, magnesium kan helpen angst te verlichten door exciterende neurotransmitters te "
        "reguleren en het zenuwstelsel te kalmeren.": "medicinal.anxiety",
        "Magnesium tegen angst: angst op natuurlijke wijze verlichten met supplementen": (
            "medicinal.anxiety"
        ),
        "Verder hebben sommige open-label studies snelle verbeteringen in depressiescores "
        "laten zien bij deelnemers die binnen enkele weken begonnen met suppletie met "
        "magnesium.": "medicinal.depression",
    }
    for sentence, rule in expected.items():
        assert findings[sentence].rule == rule
        assert findings[sentence].severity == "error"
        assert findings[sentence].suggestion
    neuro = [s for s in findings if "Alzheimer en Parkinson" in s]
    assert [findings[s].rule for s in neuro] == ["medicinal.neurodegenerative"]
    assert by_rule["medicinal.anxiety"] >= 5
    assert by_rule["medicinal.depression"] >= 2
    rule_based = [f for f in findings.values() if f.rule != "model"]
    assert all(f.severity == "error" for f in rule_based)
    assert all(f.severity == "warning" for f in findings.values() if f.rule == "model")


def test_seed_guide_neutral_sentences_are_left_alone():
    flagged = {f.sentence for f in seed_findings()}
    neutral = [
        "Neurotransmitters zijn chemische boodschappers in de hersenen die de communicatie "
        "tussen zenuwcellen mogelijk maken.",
        "Conclusie",
        "Vragen & Antwoorden",
        "Zijn er bijwerkingen van magnesiumsupplementen?",
        "Het is echter belangrijk om te letten op mogelijke bijwerkingen zoals maag-darmklachten.",
        "Het is altijd het beste om je stemming te monitoren en met zorgverleners te overleggen "
        "om doseringen dienovereenkomstig aan te passen.",
    ]
    all_sentences = {s for _line, s in split_sentences(SEED.read_text(encoding="utf-8"))}
    for sentence in neutral:
        assert sentence in all_sentences
        assert sentence not in flagged


def test_check_claims_file_prints_one_line_per_finding_and_fails_on_errors(tmp_path, capsys):
    path = tmp_path / "zinnen.txt"
    path.write_text(
        "Magnesium draagt bij tot een normale spierfunctie.\n"
        "Magnesium verlicht angst.\n"
        "\n"
        "Wij verzenden binnen één werkdag.\n"
        "Magnesium verbetert je geheugen.\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="2 fout"):
        call_command("check_claims", file=str(path))
    assert capsys.readouterr().out.splitlines() == [
        "2\terror\tmedicinal.anxiety\tMagnesium verlicht angst.",
        "5\terror\tunauthorised\tMagnesium verbetert je geheugen.",
    ]


def test_check_claims_file_without_errors_exits_cleanly(tmp_path, capsys):
    path = tmp_path / "zinnen.txt"
    path.write_text("Magnesium draagt bij tot een normale spierfunctie.\n", encoding="utf-8")
    call_command("check_claims", file=str(path))
    assert capsys.readouterr().out == ""


def test_check_claims_file_that_is_not_utf8_gets_a_clear_message(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Magnesium verlicht angst én stress.".encode("latin-1"))
    with pytest.raises(CommandError, match="geen UTF-8"):
        call_command("check_claims", file=str(path))


@pytest.mark.django_db
def test_site_scan_covers_everything_customers_see_without_changing_it(capsys):
    from django.contrib.flatpages.models import FlatPage
    from django.contrib.sites.models import Site
    from oscar.apps.catalogue.categories import create_from_breadcrumbs
    from oscar.apps.catalogue.reviews.models import ProductReview
    from oscar.test.factories import ConditionalOfferFactory

    from content.models import Article, Faq
    from tests.factories import make_supplement

    body = "Magnesium beschermt tegen Alzheimer.\n\nMagnesium is een mineraal."
    article = Article.objects.create(title="Concept", slug="concept", body=body)
    Faq.objects.create(question="Helpt het?", answer="Magnesium geneest depressie.")
    low = make_supplement(
        upc="LOW-40",
        mg=40,
        description="Magnesium draagt bij tot een normale psychologische functie.",
    )
    make_supplement(
        upc="OK-200",
        mg=200,
        description="Magnesium draagt bij tot een normale psychologische functie.",
    )
    make_supplement(upc="NAAM-1", title="Magnesium Avondrust")
    ProductReview.objects.create(
        product=low, title="Top", body="Sinds ik deze capsules neem slaap ik veel beter.", score=5
    )
    create_from_breadcrumbs("Magnesium > Ontspanning & slaap")
    ConditionalOfferFactory(
        name="Winteractie", description="Nu 20% korting op alles tegen slapeloosheid."
    )
    page = FlatPage.objects.create(
        url="/over-ons/",
        title="Over ons",
        content="<p>Wij verzenden snel.</p><p>Zink geneest acne.</p>",
    )
    page.sites.add(Site.objects.get_current())

    findings = {(f.source, f.rule, f.severity) for f in scan_site()}
    assert findings == {
        ("Gids: Concept", "medicinal.neurodegenerative", "error"),
        ("FAQ: Helpt het?", "medicinal.depression", "error"),
        ("Product: Testsupplement LOW-40", "condition_of_use", "error"),
        ("Product: Magnesium Avondrust (naam)", "unauthorised", "error"),
        (f"Review: Top ({low.get_title()})", "testimonial", "error"),
        ("Categorie: Ontspanning & slaap (naam)", "unauthorised", "error"),
        ("Actie: Winteractie", "medicinal.sleep_disorder", "error"),
        ("Pagina: Over ons", "medicinal.other", "error"),
        # Its page has the label statements (varied diet, daily dose, do not exceed), not one for
        # persons who should avoid it: art. 10(2)(c), a warning.
        ("Product: Testsupplement OK-200 (omschrijving)", "statement_missing.avoid", "warning"),
    }
    article.refresh_from_db()
    assert article.body == body

    with pytest.raises(CommandError, match="8 fout"):
        call_command("check_claims")
    out = capsys.readouterr().out
    assert "Gids: Concept\t1\terror\tmedicinal.neurodegenerative\t" in out
    assert "suggestie: Magnesium" in out


@pytest.mark.django_db
def test_claims_report_page_is_for_staff_and_lists_findings(client, django_user_model):
    from content.models import Faq

    Faq.objects.create(question="Helpt het?", answer="Magnesium geneest depressie.")
    url = "/dashboard/claims/"
    assert client.get(url).status_code == 302  # to the login page
    staff = django_user_model.objects.create_user(
        username="staf", email="staf@example.nl", password="pw", is_staff=True
    )
    client.force_login(staff)
    html = client.get(url).content.decode()
    assert "1 fout(en), 0 waarschuwing(en)" in html
    assert "Magnesium geneest depressie." in html
    assert "medicinal.depression" in html
    assert "Magnesium draagt bij tot een normale psychologische functie" in html


@pytest.mark.django_db
def test_product_edit_page_shows_claim_findings_of_its_description(client, django_user_model):
    from django.urls import reverse

    from tests.factories import make_supplement

    product = make_supplement(upc="CLAIM-1", description="Magnesium verlicht angst.")
    admin = django_user_model.objects.create_superuser(
        username="beheer", email="beheer@example.nl", password="pw"
    )
    client.force_login(admin)
    html = client.get(reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})).content
    html = html.decode()
    assert "claim-findings-notice" in html
    assert "medicinal.anxiety" in html


def test_finding_message_names_rule_sentence_and_suggestion():
    (finding,) = check_text("Magnesium verlicht angst.")
    assert finding.message == (
        "Fout (medicinal.anxiety): “Magnesium verlicht angst.” "
        "Toegestane formulering: “Magnesium draagt bij tot een normale psychologische functie.”"
    )


# --- Art. 10(2) of Reg. (EC) 1924/2006: what must stand next to a health claim ------------------

AUTHORISED = "Magnesium draagt bij tot een normale spierfunctie."
STATEMENTS_OF_10_2 = [
    "Een gevarieerd en evenwichtig voedingspatroon en een gezonde levensstijl zijn belangrijk.",
    "Het gunstige effect wordt verkregen bij een dagelijkse inname van 2 capsules (200 mg "
    "magnesium).",
    "Ben je zwanger of gebruik je medicijnen, overleg dan eerst met je arts.",
    "De aanbevolen dagelijkse dosis niet overschrijden.",
]


def test_a_page_with_an_authorised_claim_lacks_each_missing_statement_of_art_10_2():
    findings = statement_findings([("tekst", AUTHORISED)], source="Gids: X")
    assert {f.rule: f.severity for f in findings} == {
        "statement_missing.varied_diet": ERROR,
        "statement_missing.quantity": ERROR,
        "statement_missing.avoid": WARNING,
        "statement_missing.excess": WARNING,
    }
    # Each finding points at the claim that needs the statement and suggests one.
    assert {f.sentence for f in findings} == {AUTHORISED}
    assert all(f.suggestion and f.explanation for f in findings)
    assert findings[0].source == "Gids: X (tekst)"


def test_a_page_with_all_four_statements_passes_and_the_statements_are_no_claims():
    page = "\n".join([AUTHORISED, *STATEMENTS_OF_10_2])
    assert statement_findings([("tekst", page)]) == []
    assert check_text(page) == []
    # The statements may stand in another field of the same page (the label, for a product).
    fields = [("omschrijving", AUTHORISED), ("etiket", "\n".join(STATEMENTS_OF_10_2))]
    assert statement_findings(fields) == []


def test_a_page_without_an_authorised_claim_needs_no_statements():
    assert statement_findings([("tekst", "Magnesium zit in noten, zaden en peulvruchten.")]) == []


def test_a_maximum_dose_is_no_quantity_for_the_effect_and_storage_is_no_avoidance():
    page = "\n".join(
        [
            AUTHORISED,
            "Neem uit supplementen niet meer dan 250 mg magnesium per dag.",
            "Buiten bereik van jonge kinderen bewaren.",
        ]
    )
    rules = {f.rule for f in statement_findings([("tekst", page)])}
    assert rules == {
        "statement_missing.varied_diet",
        "statement_missing.quantity",
        "statement_missing.avoid",
    }


@pytest.mark.django_db
def test_check_claims_counts_the_findings_of_each_revision_of_a_guide(capsys):
    from content.demo import SEED_SLUG, load_seed_guide
    from shop.demo import load_catalogue

    load_catalogue()
    load_seed_guide()
    call_command("check_claims", revisions=SEED_SLUG)
    first, second = capsys.readouterr().out.splitlines()
    errors = int(re.search(r": (\d+) fout", first).group(1))
    assert first.startswith("revisie 1 (Geïmporteerd, draft)") and errors >= 40
    assert second.startswith("revisie 2 (") and ": 0 fout(en)" in second
    assert second.endswith("art. 10 lid 2: 0 fout(en), 0 waarschuwing(en)")
    with pytest.raises(CommandError, match="Geen gids"):
        call_command("check_claims", revisions="bestaat-niet")
