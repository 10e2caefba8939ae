"""What a query word may also be written as: pure text rules, no database.

Spelling folds (accents, "oxyde"/"oxide", German "ä" written "ae"), the international and Latin
names of the forms and nutrients on many labels ("malate", "fish oil", "cholecalciferol"), Dutch
compounds both ways ("magnesiumcitraat" ⇄ "magnesium citraat") and units ("200mg" = "200 mg").
The synonyms staff edit (shop.search.models.Synonym) and the typo corrections against the indexed
vocabulary come on top, in shop.search.engine.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case, without accents ("Ingrediënten" → "ingredienten", "µg" stays "µg")."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of `text`, in order."""
    return _WORD.findall(fold(text))


# Units as labels write them; each also matches the others of its group.
UNITS = {
    "mg": ("mg", "milligram"),
    "milligram": ("mg", "milligram"),
    "g": ("g", "gram"),
    "gram": ("g", "gram"),
    "µg": ("µg", "mcg", "microgram", "ug"),
    "μg": ("µg", "mcg", "microgram", "ug"),
    "mcg": ("µg", "mcg", "microgram", "ug"),
    "ug": ("µg", "mcg", "microgram", "ug"),
    "microgram": ("µg", "mcg", "microgram", "ug"),
    "ml": ("ml", "milliliter"),
    "milliliter": ("ml", "milliliter"),
    "ie": ("ie", "iu"),
    "iu": ("ie", "iu"),
}
_NUMBER_UNIT = re.compile(r"^(\d+(?:[.,]\d+)?)([^\W\d_]+)$", re.UNICODE)

# International, Latin and older Dutch names -> the Dutch word the shop's texts use.
NAMES = {
    "malate": "malaat",
    "malat": "malaat",
    "citrate": "citraat",
    "citrat": "citraat",
    "glycinate": "glycinaat",
    "glycinat": "glycinaat",
    "bisglycinate": "bisglycinaat",
    "bisglycinat": "bisglycinaat",
    "threonate": "threonaat",
    "threonat": "threonaat",
    "taurate": "tauraat",
    "taurat": "tauraat",
    "oxyde": "oxide",
    "oxyd": "oxide",
    "oxid": "oxide",
    "chlorid": "chloride",
    "cholecalciferol": "vitamine d3",
    "colecalciferol": "vitamine d3",
    "calciferol": "vitamine d",
    "vitamin": "vitamine",
    "fishoil": "visolie",
    "fischol": "visolie",
    "fischoel": "visolie",
    # Labels write "Omega-3", which the parser reads as "omega" and "-3": "omega" is the word.
    "omega3": "omega",
    "tablets": "tabletten",
    "tabs": "tabletten",
    "caps": "capsules",
    "powder": "poeder",
    "pulver": "poeder",
    "drops": "druppels",
    "tropfen": "druppels",
    "oil": "olie",
    "skin": "huid",
    "liquid": "vloeibaar",
    "sleep": "slapen",
}
# Forms labels sell under two names: a "glycinaat" is nearly always the bisglycinate.
SAME_FORM = {"glycinaat": ("bisglycinaat",)}
# Two-word names, matched before the single words.
PHRASES = {
    ("fish", "oil"): "visolie",
    ("fisch", "ol"): "visolie",
    ("omega", "3"): "omega",
}
# Heads of the shop's compounds: "magnesiumcitraat" is also "magnesium citraat" and "citraat"
# also "magnesiumcitraat" (the stemmer keeps a compound whole).
HEADS = ("magnesium", "vitamine", "omega", "spier", "nacht", "slaap", "vis")
# Words that end the shop's compounds ("citraatpoeder", "kuitkramp", "magnesiumolie").
TAILS = (
    "poeder",
    "olie",
    "spray",
    "druppels",
    "capsules",
    "tabletten",
    "kramp",
    "krampen",
    "tekort",
    "vorm",
    "vormen",
    "rust",
)
# English and German endings of salt names -> the Dutch ending ("sulfate" → "sulfaat").
_SUFFIXES = (("ate", "aat"), ("at", "aat"), ("yde", "ide"), ("yd", "ide"))


def names(word: str, compounds: bool = True) -> list[str]:
    """Other spellings of one folded word, best first (the word itself not included)."""
    out: list[str] = []

    def add(alternative: str) -> None:
        if alternative and alternative != word and alternative not in out:
            out.append(alternative)

    if word in NAMES:
        add(NAMES[word])
    for ending, dutch in _SUFFIXES:
        if len(word) > len(ending) + 3 and word.endswith(ending) and not word.endswith(dutch):
            add(word[: -len(ending)] + dutch)
            break
    for dutch in [word, *out]:
        for other in SAME_FORM.get(dutch, ()):
            add(other)
    # German umlauts written out ("ae" for "ä"): the folded documents have the plain vowel.
    for digraph, vowel in (("ae", "a"), ("ue", "u")):
        if digraph in word:
            add(word.replace(digraph, vowel))
    if "y" in word and len(word) > 4:
        add(word.replace("y", "i"))
    if not compounds:
        return out
    for head in HEADS:
        if word.startswith(head) and len(word) >= len(head) + 3:
            rest = word[len(head) :].lstrip("-")
            add(f"{head} {rest}")
            if head == "magnesium":
                # The shop's whole collection is magnesium: the rest alone names the product
                # ("magnesiumolie": the "Magnesiumchloride olie spray" says "olie").
                add(rest)
            for alternative in names(rest, compounds=False):
                add(f"{head} {alternative}")
            break
    else:
        for tail in TAILS:
            if word.endswith(tail) and len(word) >= len(tail) + 3:
                add(f"{word[: -len(tail)]} {tail}")
                break
        if len(word) >= 4 and not word.isdigit() and word not in HEADS:
            add(f"magnesium{word}")
    return out


def unit_phrases(number: str, unit: str) -> list[str]:
    """'200', 'mg' -> ['200 mg', '200 milligram']: the phrases a label may print."""
    return [f"{number} {u}" for u in UNITS[unit]]


def split_number_unit(word: str) -> tuple[str, str] | None:
    """'200mg' -> ('200', 'mg'); None when the word is not a number glued to a unit."""
    match = _NUMBER_UNIT.match(word)
    if match and match.group(2) in UNITS:
        return match.group(1), match.group(2)
    return None
