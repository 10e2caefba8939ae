"""The forgiving-search relevance set (issue 20): realistic customer queries, each with what must
be in the top 3 of its group on the demo catalogue (shop.demo.load_catalogue), the demo's seed
guide (content.demo.load_seed_guide) and the guides and FAQs of tests/search/conftest.py.

Written whole before any tuning, then split once (relevance_split.json, fixed seed; see
`split()`) into a development part, the only one looked at while tuning, and a held-out part
that is only scored. Products by UPC, guides by slug; "categorie:<slug>" means the top 3
products all come from that category.

Kinds: spelling (variants, compounds, accents), typo, international (English, German, Latin
names), need (what a customer means), unit, guide (questions a guide answers).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import NamedTuple


class Case(NamedTuple):
    query: str
    kind: str
    products: tuple[str, ...] = ()
    guides: tuple[str, ...] = ()


CIT = ("MG-CIT-150", "MG-CIT-PDR")
OXI = ("MG-OXI-400", "MG-OXI-250")
MAL = ("MG-MAL-150", "MG-MAL-SPORT")
BIS = ("MG-BIS-200", "MG-BIS-100")
CHL = ("MG-CHL-DRP", "MG-CHL-SPR")
S, T, X, N, U, G = "spelling", "typo", "international", "need", "unit", "guide"

CASES = [
    # --- spelling variants, compounds both ways, accents ------------------------------------
    Case("magnesium citraat", S, CIT),
    Case("magnesiumcitraat", S, CIT),
    Case("magnesium oxide", S, OXI),
    Case("magnesiumoxyde", S, OXI),
    Case("magnesium oxyde", S, OXI),
    Case("magnesiumoxyd", S, OXI),
    Case("magnesiummalaat", S, MAL),
    Case("magnesium bisglycinaat", S, BIS),
    Case("magnesiumbisglycinaat", S, BIS),
    Case("magnesium glycinaat", S, ("MG-GLY-150",)),
    Case("magnesiumglycinaat", S, ("MG-GLY-150",)),
    Case("magnesiumtauraat", S, ("MG-TAU-125",)),
    Case("magnesium l threonaat", S, ("MG-THR-144",)),
    Case("magnesium-l-threonaat", S, ("MG-THR-144",)),
    Case("l-threonaat", S, ("MG-THR-144",)),
    Case("magnesiumchloride", S, CHL),
    Case("magnesium chloride druppels", S, ("MG-CHL-DRP",)),
    Case("citraat poeder", S, ("MG-CIT-PDR",)),
    Case("citraatpoeder", S, ("MG-CIT-PDR",)),
    Case("vitamine d 3", S, ("AAN-D3-25",)),
    Case("vitamine-d3", S, ("AAN-D3-25",)),
    Case("omega3", S, ("AAN-OMEGA3",)),
    Case("omega-3 vis olie", S, ("AAN-OMEGA3",)),
    Case("vis olie", S, ("AAN-OMEGA3",)),
    Case("b complex", S, ("AAN-B-CPX",)),
    Case("vitamine b-complex", S, ("AAN-B-CPX",)),
    Case("spier krampen", S, (), ("spierkrampen",)),
    Case("spierkramp", S, (), ("spierkrampen",)),
    Case("magnesium vormen", S, (), ("magnesiumvormen",)),
    Case("nacht rust", S, (), ("beter-slapen",)),
    Case("magnesium tekort", S, (), ("magnesium-tekort",)),
    Case("magnesiumtekort", S, (), ("magnesium-tekort",)),
    Case("zenuw stelsel", S, (), ("magnesium-mentale-gezondheid",)),
    Case("magnesium druppels", S, ("MG-CHL-DRP",)),
    Case("magnesiumolie", S, ("MG-CHL-SPR",)),
    Case("magnesium spray", S, ("MG-CHL-SPR",)),
    Case("bruisend magnesium", S, ("MG-CIT-PDR",)),
    Case("ingredienten magnesium", S, (), ("magnesium-tekort",)),
    Case("magnésium citraat", S, CIT),
    Case("Magnesium Malaat", S, MAL),
    # --- typos ---------------------------------------------------------------------------------
    Case("magensium citraat", T, CIT),
    Case("magnesium citaat", T, CIT),
    Case("magnesium ctiraat", T, CIT),
    Case("bisglycinat", T, BIS),
    Case("bisglicinaat", T, BIS),
    Case("glycienaat", T, ("MG-GLY-150",)),
    Case("magnesium maalat", T, MAL),
    Case("malaat sprot", T, MAL, ("spierkrampen",)),
    Case("threonaaat", T, ("MG-THR-144",)),
    Case("treonaat", T, ("MG-THR-144",)),
    Case("tauraad", T, ("MG-TAU-125",)),
    Case("taurat", T, ("MG-TAU-125",)),
    Case("oxyde", T, OXI),
    Case("oxied", T, OXI),
    Case("chlorde spray", T, ("MG-CHL-SPR",)),
    Case("magnesium chlorid", T, CHL),
    Case("vitamne d3", T, ("AAN-D3-25",)),
    Case("vitamine d3 capsuls", T, ("AAN-D3-25",)),
    Case("omgea 3", T, ("AAN-OMEGA3",)),
    Case("visoile", T, ("AAN-OMEGA3",)),
    Case("magnesuim tekort", T, (), ("magnesium-tekort",)),
    Case("vermoeidhied", T, (), ("magnesium-tekort",)),
    Case("geheugn", T, (), ("threonaat-geheugen",)),
    Case("concentartie", T, (), ("threonaat-geheugen",)),
    Case("stres", T, (), ("stress-en-angst",)),
    Case("slaapen", T, (), ("beter-slapen",)),
    Case("magnesium poder", T, ("MG-CIT-PDR",)),
    Case("druppels magnesum", T, ("MG-CHL-DRP",)),
    Case("magnesium capsuls", T, ("categorie:capsules",)),
    Case("tabeltten magnesium", T, ("categorie:tabletten",)),
    Case("magnesiumcitraat poedr", T, ("MG-CIT-PDR",)),
    Case("bisglycinaat tableten", T, ("MG-BIS-200",)),
    Case("spierkrampem kuit", T, (), ("spierkrampen",)),
    # --- international and Latin names --------------------------------------------------------
    Case("magnesium malate", X, MAL),
    Case("malate", X, MAL),
    Case("glycinate", X, ("MG-GLY-150",)),
    Case("magnesium glycinate", X, ("MG-GLY-150",)),
    Case("magnesium bisglycinate", X, BIS),
    Case("bisglycinate", X, BIS),
    Case("magnesium citrate", X, CIT),
    Case("citrate powder", X, ("MG-CIT-PDR",)),
    Case("magnesium threonate", X, ("MG-THR-144",)),
    Case("l-threonate", X, ("MG-THR-144",)),
    Case("magnesium taurate", X, ("MG-TAU-125",)),
    Case("taurine magnesium", X, ("MG-TAU-125",)),
    Case("magnesium oxide tablets", X, OXI),
    Case("magnesium chloride oil", X, ("MG-CHL-SPR",)),
    Case("magnesium oil spray", X, ("MG-CHL-SPR",)),
    Case("magnesium chloride drops", X, ("MG-CHL-DRP",)),
    Case("cholecalciferol", X, ("AAN-D3-25",)),
    Case("vitamin d3", X, ("AAN-D3-25",)),
    Case("vitamin d", X, ("AAN-D3-25",)),
    Case("fish oil", X, ("AAN-OMEGA3",)),
    Case("fish oil capsules", X, ("AAN-OMEGA3",)),
    Case("omega 3 fish oil", X, ("AAN-OMEGA3",)),
    Case("vitamin b complex", X, ("AAN-B-CPX",)),
    Case("magnesium citrat", X, CIT),
    Case("magnesiumcitrat", X, CIT),
    Case("magnesium glycinat", X, ("MG-GLY-150",)),
    Case("magnesiumoxid", X, OXI),
    Case("magnesium malat", X, MAL),
    Case("fischöl", X, ("AAN-OMEGA3",)),
    Case("magnesium l-threonat", X, ("MG-THR-144",)),
    # --- what customers mean ------------------------------------------------------------------
    Case("magnesium voor het slapen", N, ("MG-GLY-150",), ("beter-slapen",)),
    Case("magnesium avond", N, ("MG-GLY-150",)),
    Case("slapeloosheid", N, (), ("beter-slapen",)),
    Case("iets om beter te slapen", N, (), ("beter-slapen",)),
    Case("moe", N, (), ("magnesium-tekort",)),
    Case("altijd moe", N, (), ("magnesium-tekort",)),
    Case("kuitkramp", N, (), ("spierkrampen",)),
    Case("krampen in de benen", N, (), ("spierkrampen",)),
    Case("sporten", N, (), ("spierkrampen",)),
    Case("magnesium voor sporters", N, (), ("spierkrampen",)),
    Case("training spieren", N, (), ("spierkrampen",)),
    Case("onrust", N, (), ("stress-en-angst",)),
    Case("piekeren", N, (), ("stress-en-angst",)),
    Case("spanning", N, (), ("stress-en-angst",)),
    Case("focus", N, (), ("threonaat-geheugen",)),
    Case("vergeetachtig", N, (), ("threonaat-geheugen",)),
    Case("magnesium drankje", N, ("MG-CIT-PDR",)),
    Case("plantaardige capsules", N, ("MG-BIS-100",)),
    Case("zacht voor de maag", N, (), ("beter-slapen",)),
    Case("goed opneembaar magnesium", N, (), ("magnesiumvormen",)),
    Case("magnesium huid", N, ("MG-CHL-SPR",)),
    Case("hersenen", N, (), ("threonaat-geheugen",)),
    Case("angstig", N, (), ("stress-en-angst",)),
    Case("nachtelijke kramp", N, (), ("spierkrampen",)),
    # --- units -----------------------------------------------------------------------------------
    Case("magnesium 200mg", U, ("MG-BIS-200", "MG-MAL-SPORT")),
    Case("magnesium 200 mg", U, ("MG-BIS-200", "MG-MAL-SPORT")),
    Case("400mg", U, ("MG-OXI-400",)),
    Case("magnesiumoxide 400mg", U, ("MG-OXI-400",)),
    Case("citraat 150mg", U, ("MG-CIT-150",)),
    Case("malaat 150 mg", U, ("MG-MAL-150",)),
    Case("bisglycinaat 100mg", U, ("MG-BIS-100",)),
    Case("tauraat 125mg", U, ("MG-TAU-125",)),
    Case("144mg", U, ("MG-THR-144",)),
    Case("vitamine d3 25µg", U, ("AAN-D3-25",)),
    Case("d3 25 mcg", U, ("AAN-D3-25",)),
    Case("omega 3 1000mg", U, ("AAN-OMEGA3",)),
    Case("magnesium 250 mg", U, ("MG-OXI-250", "MG-CIT-PDR")),
    Case("chloride 100mg", U, ("MG-CHL-DRP",)),
    Case("50ml magnesium", U, ("MG-CHL-DRP",)),
    Case("spray 100 ml", U, ("MG-CHL-SPR",)),
    # --- questions a guide answers ------------------------------------------------------------
    Case("wanneer magnesium innemen voor het slapen", G, (), ("beter-slapen",)),
    Case("hoe herken ik een magnesiumtekort", G, (), ("magnesium-tekort",)),
    Case("welke magnesiumvorm kies ik", G, (), ("magnesiumvormen",)),
    Case("welke magnesium is het beste", G, (), ("magnesiumvormen",)),
    Case("verschil tussen citraat en oxide", G, (), ("magnesiumvormen",)),
    Case("helpt magnesium bij stress", G, (), ("stress-en-angst",)),
    Case("magnesium en angst", G, (), ("stress-en-angst",)),
    Case("is magnesiumoxide goed opneembaar", G, (), ("magnesiumvormen",)),
    Case("magnesium bij spierkrampen", G, (), ("spierkrampen",)),
    Case("wat doet magnesium voor je geheugen", G, (), ("threonaat-geheugen",)),
    Case("magnesium en mentaal welzijn", G, (), ("magnesium-mentale-gezondheid",)),
    Case("is magnesium een geneesmiddel", G, (), ("magnesium-mentale-gezondheid",)),
    Case("bijwerkingen magnesium", G, (), ("magnesium-mentale-gezondheid",)),
    Case("magnesium dosering", G, (), ("magnesium-mentale-gezondheid",)),
    Case("bovengrens magnesium", G, (), ("magnesium-mentale-gezondheid",)),
    Case("magnesium psychologische functie", G, (), ("magnesium-mentale-gezondheid",)),
    Case("wat zegt de eu over magnesium", G, (), ("magnesium-mentale-gezondheid",)),
    Case("voeding met veel magnesium", G, (), ("magnesium-tekort",)),
    Case("magtein", G, ("MG-THR-144",), ("threonaat-geheugen",)),
    Case("chloride op de huid", G, ("MG-CHL-SPR",), ("magnesiumvormen",)),
]

SPLIT_FILE = Path(__file__).with_name("relevance_split.json")
SEED = 20  # the number
HELD_OUT_SHARE = 1 / 3


def split(cases: list[Case] = CASES) -> dict[str, list[str]]:
    """The one split: the queries shuffled with SEED, the first third held out."""
    queries = [case.query for case in cases]
    random.Random(SEED).shuffle(queries)
    cut = round(len(queries) * HELD_OUT_SHARE)
    return {"held_out": sorted(queries[:cut]), "development": sorted(queries[cut:])}


def committed_split() -> dict[str, list[str]]:
    """The split as committed (written once by `python -m tests.search.relevance_set`)."""
    return json.loads(SPLIT_FILE.read_text(encoding="utf-8"))


if __name__ == "__main__":
    if SPLIT_FILE.exists():
        raise SystemExit(f"{SPLIT_FILE} exists: the split is made once.")
    SPLIT_FILE.write_text(
        json.dumps(split(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
