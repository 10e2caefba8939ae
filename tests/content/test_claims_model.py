"""The claim checker's second-opinion model: reproducible, small, and never above the rules."""

from __future__ import annotations

import json

from content import claims_eval, claims_model, claims_training
from content.claim_rules import analyse, register
from content.claims import classify, context_for


def test_training_reproduces_the_shipped_model():
    shipped = json.loads(claims_model.MODEL_PATH.read_text(encoding="utf-8"))
    assert claims_training.train() == shipped


def test_shipped_model_is_small():
    assert claims_model.MODEL_PATH.stat().st_size < 200_000


def test_model_never_overrides_an_authorised_wording():
    for claims in register().claims.values():
        for claim in claims.values():
            assert classify(claim.sentence + ".").kind == "authorised", claim.sentence


def test_model_flags_are_warnings_and_only_where_the_rules_saw_part_of_a_claim():
    sentence = "Magnesium is een mineraal."
    analysis = analyse(sentence)
    assert not analysis.signals["open_cues"]
    assert not claims_model.flags(sentence, analysis)
    examples = claims_eval.load_development()  # never the held-out part
    by_model = [
        verdict
        for e in examples
        if (verdict := classify(e.sentence, nutrients=e.context)).rule == "model"
    ]
    assert {v.kind for v in by_model} <= {"warning"}
    # The rules now catch every flag of the development part, so the second opinion is not
    # consulted there; it still judges: it is sure of many flagged sentences with an open cue.
    threshold = claims_model.model()["threshold"]
    sure = [
        e
        for e in examples
        if e.flag
        and (a := analyse(e.sentence, context=context_for(nutrients=e.context))).signals[
            "open_cues"
        ]
        and claims_model.probability(e.sentence, a) >= threshold
    ]
    assert len(sure) >= 50


def test_model_judges_stories_and_product_effects_but_not_service_text():
    def eligible(sentence):
        return claims_model.eligible(sentence, analyse(sentence))

    # An effect word without a nutrient or product: service text, not the model's.
    assert not eligible("We gebruiken alleen cookies die de winkel nodig heeft voor je sessie.")
    # The writer's own experience, or an effect word about a product: the model's to judge.
    assert eligible("Ik merk echt verschil sinds ik ermee begonnen ben.")
    assert eligible("Deze capsules geven je precies wat je nodig hebt.")
