"""The text rules of the forgiving search (shop.search.text): no database."""

from shop.search import text


def test_fold_drops_accents_and_case():
    assert text.fold("Ingrediënten Magnésium") == "ingredienten magnesium"
    assert text.words("Omega-3 visolie, 1000mg!") == ["omega", "3", "visolie", "1000mg"]


def test_international_and_older_names_become_the_dutch_word():
    assert text.names("malate")[0] == "malaat"
    assert text.names("glycinate")[0] == "glycinaat"
    assert text.names("bisglycinate")[0] == "bisglycinaat"
    assert "bisglycinaat" in text.names("glycinate")
    assert "bisglycinaat" in text.names("glycinaat")
    assert text.names("threonate")[0] == "threonaat"
    assert text.names("taurate")[0] == "tauraat"
    assert text.names("citrat")[0] == "citraat"  # German
    assert text.names("oxyde")[0] == "oxide"
    assert text.names("chlorid")[0] == "chloride"
    assert text.names("cholecalciferol")[0] == "vitamine d3"
    # A salt the lists do not name still gets the Dutch ending.
    assert "sulfaat" in text.names("sulfate")


def test_german_umlaut_written_out_is_folded():
    assert "kraterextract" in text.names("kraeterextract")


def test_compounds_split_and_join():
    assert "magnesium citraat" in text.names("magnesiumcitraat")
    assert "magnesium oxide" in text.names("magnesiumoxyd")
    assert "magnesiumcitraat" in text.names("citraat")
    assert "citraat poeder" in text.names("citraatpoeder")
    # The head is not glued twice ("magnesium magnesiumoxyd").
    assert not any(n.count("magnesium") > 1 for n in text.names("magnesiumoxyd"))


def test_units_glued_or_apart_are_the_same_phrases():
    assert text.split_number_unit("200mg") == ("200", "mg")
    assert text.split_number_unit("magnesium") is None
    assert text.split_number_unit("d3") is None
    assert text.unit_phrases("25", "mcg") == ["25 µg", "25 mcg", "25 microgram", "25 ug"]
