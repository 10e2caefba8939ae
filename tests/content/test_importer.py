"""The plain-text importer: parsing (pure), the import service and the management command."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from content import importer, services
from content.choices import LinkSource
from content.importer import ArticleImportError
from content.models import Article, Faq
from tests.factories import make_supplement

SEED = Path(settings.BASE_DIR) / "fixtures" / "magnesium-mentale-gezondheid.txt"
SECOND = Path(__file__).parent / "data" / "magnesium-sport-herstel.txt"

SEED_SECTIONS = [
    "Inleiding",
    "Magnesiumvoordelen: mentaal welzijn verbeteren met supplementen",
    "Magnesium en mentale gezondheid: emotionele stabiliteit en veerkracht ondersteunen",
    "Magnesium voor stemmingsondersteuning: natuurlijke hulp voor emotionele balans",
    "Magnesium tegen angst: angst op natuurlijke wijze verlichten met supplementen",
    "Neurologische effecten van magnesium: hersenfunctie en gezondheid van het zenuwstelsel "
    "ondersteunen",
    "Magnesium voor cognitieve verbetering: focus, geheugen en mentale helderheid versterken",
    "Conclusie",
]


def _seed_lines(prefix):
    return [
        line[len(prefix) :].strip()
        for line in SEED.read_text(encoding="utf-8").splitlines()
        if line.startswith(prefix)
    ]


@pytest.mark.django_db
def test_seed_import_has_eight_sections_five_faqs_and_ten_keywords_in_order():
    result = services.article_import_file(data=SEED.read_bytes(), publish=True)
    article = Article.objects.get(pk=result.article.pk)

    assert result.headings == SEED_SECTIONS
    body_headings = [line[3:] for line in article.body.splitlines() if line.startswith("## ")]
    assert body_headings == SEED_SECTIONS
    faqs = list(article.faqs.order_by("position"))
    assert [faq.question for faq in faqs] == _seed_lines("V:")
    assert [faq.answer for faq in faqs] == _seed_lines("A:")
    assert article.keywords == _seed_lines("- ")
    assert len(faqs) == 5 and len(article.keywords) == 10
    assert article.is_live and all(faq.status == "published" for faq in faqs)


@pytest.mark.django_db
def test_seed_text_is_kept_verbatim_in_the_body():
    services.article_import_file(data=SEED.read_bytes())
    body = Article.objects.get().body
    lines = SEED.read_text(encoding="utf-8").splitlines()
    paragraphs = [line for line in lines[:44] if line not in SEED_SECTIONS and line.strip()]
    for paragraph in paragraphs:
        assert paragraph in body


@pytest.mark.django_db
def test_importing_the_seed_twice_does_not_duplicate():
    services.article_import_file(data=SEED.read_bytes(), publish=True, link=True)
    services.article_import_file(data=SEED.read_bytes(), publish=True, link=True)
    assert Article.objects.count() == 1
    assert Faq.objects.count() == 5
    assert Article.objects.get().keywords == _seed_lines("- ")


@pytest.mark.django_db
def test_second_post_with_other_headings_faq_count_and_keywords():
    result = services.article_import_file(data=SECOND.read_bytes())
    article = result.article
    assert article.title == "Magnesium bij sport en herstel"
    assert not importer.parse(SECOND.read_text(encoding="utf-8")).title_derived
    assert result.headings == [
        "Waarom sporters op magnesium letten",
        "Welke vorm kies je na het sporten",
    ]
    faqs = list(article.faqs.order_by("position"))
    assert len(faqs) == 4
    # An answer of two lines stays one answer, as two paragraphs.
    assert faqs[1].answer == "Beide vormen worden goed opgenomen.\n\nKies wat bij je past."
    assert article.keywords == [
        "magnesium sport",
        "magnesium herstel",
        "magnesiummalaat",
        "spierkrampen magnesium",
    ]
    assert article.status == "draft"  # no --publish


def test_title_is_derived_from_the_first_non_generic_heading_or_given():
    text = SEED.read_text(encoding="utf-8")
    parsed = importer.parse(text)
    assert parsed.title_derived
    assert parsed.title == SEED_SECTIONS[1]
    assert importer.parse(text, title="Eigen titel").title == "Eigen titel"


@pytest.mark.parametrize(
    ("data", "line", "fragment"),
    [
        (b"", 1, "leeg"),
        (b"   \n\n  \n", 1, "leeg"),
        (b"Kop\nTekst.\n\x00\x01\x02binary", 3, "geen tekstbestand"),
        ("Kop\nTekst met é.\n".encode("latin-1"), 2, "UTF-8"),
        (b"Kop\nTekst.\nVragen & Antwoorden\nV: Eerste?\nV: Tweede?\nA: Ja.\n", 4, "geen antwoord"),
        (b"Kop\nTekst.\nVragen & Antwoorden\nV: Alleen een vraag?\n", 4, "geen antwoord"),
        (b"Kop\nTekst.\nVragen & Antwoorden\nA: Antwoord zonder vraag.\n", 4, "zonder vraag"),
        (b"Kop\nTekst.\nVragen & Antwoorden\nZomaar een regel.\n", 4, "hoort elke regel"),
        (b"Kop\nTekst.\nVragen & Antwoorden\nZoekwoorden\n- x\n", 3, "geen vragen"),
        (b"Kop\nTekst.\nV: Los?\nA: Ja.\n", 3, "buiten het blok"),
        (b"Alleen een kop\n", 1, "geen alinea"),
    ],
)
def test_malformed_input_raises_an_error_naming_the_line(data, line, fragment):
    with pytest.raises(ArticleImportError) as caught:
        importer.parse(importer.decode(data))
    assert caught.value.line == line
    assert fragment in caught.value.message
    assert f"Regel {line}" in str(caught.value)


@pytest.mark.django_db
def test_command_reports_error_with_line_and_writes_nothing(tmp_path):
    bad = tmp_path / "kapot.txt"
    # Everything before the broken FAQ is valid: none of it may be written.
    bad.write_text("Kop\nEen alinea.\nVragen & Antwoorden\nV: Vraag?\nV: Nog een?\nA: Ja.\n")
    with pytest.raises(CommandError, match="Regel 4"):
        call_command("import_article", str(bad), "--publish")
    assert Article.objects.count() == 0 and Faq.objects.count() == 0


@pytest.mark.django_db
def test_failed_reimport_leaves_the_existing_guide_untouched(tmp_path):
    services.article_import_file(data=SECOND.read_bytes())
    before = Article.objects.get().body
    broken = SECOND.read_text(encoding="utf-8").replace(
        "A: Ja, maar let op de totale hoeveelheid per dag.", ""
    )
    with pytest.raises(ArticleImportError):
        services.article_import_file(data=broken.encode())
    assert Article.objects.get().body == before
    assert Faq.objects.count() == 4


@pytest.mark.django_db
def test_binary_and_missing_files_get_a_clear_command_error(tmp_path):
    binary = tmp_path / "foto.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(CommandError, match="geen tekstbestand"):
        call_command("import_article", str(binary))
    with pytest.raises(CommandError, match="niet lezen"):
        call_command("import_article", str(tmp_path / "bestaat-niet.txt"))


def test_form_mentions_match_words_not_fragments():
    mentions = importer.find_mentions(
        [
            (1, "Magnesiumcitraat, -glycinaat en -malaat worden goed opgenomen."),
            (2, "Oxidatieve stress en koolstofdioxide tellen niet."),
            (3, "Magnesium L-threonaat en magnesiumtauraat."),
            (4, "Bezoek de Magnesium-collectie van de winkel."),
        ]
    )
    assert mentions.forms == {
        "bisglycinaat": [1],
        "citraat": [1],
        "malaat": [1],
        "L-threonaat": [3],
        "tauraat": [3],
    }
    assert mentions.collections == {"Magnesium": [4]}


@pytest.fixture
def magnesium_catalogue():
    from oscar.apps.catalogue.categories import create_from_breadcrumbs

    products = {
        "MG-GLY": make_supplement(upc="MG-GLY", title="Glycinaat", forms=("bisglycinaat",)),
        "MG-CIT": make_supplement(upc="MG-CIT", title="Citraat", forms=("citraat",)),
        "MG-MAL": make_supplement(upc="MG-MAL", title="Malaat", forms=("malaat",)),
        "MG-THR": make_supplement(upc="MG-THR", title="Threonaat", forms=("L-threonaat",)),
        "MG-OXI": make_supplement(upc="MG-OXI", title="Oxide", forms=("oxide",)),
    }
    category = create_from_breadcrumbs("Magnesium")
    return products, category


@pytest.mark.django_db
def test_proposals_map_forms_to_products_by_attribute_and_link_applies_them(magnesium_catalogue):
    products, category = magnesium_catalogue
    result = services.article_import_file(data=SEED.read_bytes(), link=True)
    proposed = {p.form: [prod.upc for prod in p.products] for p in result.proposals.forms}
    assert proposed["bisglycinaat"] == ["MG-GLY"]
    assert proposed["L-threonaat"] == ["MG-THR"]
    assert proposed["chloride"] == []  # mentioned, but no such product in this catalogue
    assert result.proposals.category_objects[0] == category
    article = result.article
    assert set(article.products.values_list("upc", flat=True)) == set(products)
    assert list(article.categories.all()) == [category]
    assert set(article.product_links.values_list("source", flat=True)) == {LinkSource.IMPORT}
    # The FAQ that names glycinaat and L-threonaat links exactly those products.
    faq = article.faqs.get(question="Welke magnesiumvorm is het beste voor mentale gezondheid?")
    assert set(faq.products.values_list("upc", flat=True)) == {"MG-GLY", "MG-THR"}


@pytest.mark.django_db
def test_command_without_link_only_proposes(magnesium_catalogue, capsys):
    call_command("import_article", str(SEED))
    out = capsys.readouterr().out
    assert "8 secties, 5 FAQ's, 10 zoekwoorden" in out
    assert "Vorm bisglycinaat" in out and "Glycinaat (MG-GLY)" in out
    assert "Collectie „Magnesium”" in out
    assert "--link" in out
    assert not Article.objects.get().products.exists()
