"""The claim checker measured on the labelled set: the development part must meet the targets.

The figures are computed here from the sentences; nothing is hard-coded but the targets of
issue 15 (recall >= 0.95, precision >= 0.90, flag = positive).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from content import claims_eval
from content.claims import classify

RECALL, PRECISION = 0.95, 0.90
OLD_SET = Path(__file__).parent / "data" / "claims_labelled.tsv"


def test_labelled_set_is_large_varied_and_split_once():
    dev = claims_eval.load_development()
    held = claims_eval.load(claims_eval.HELDOUT)
    assert len(dev) >= 401 and len(held) >= 200
    # Sentences added to the development part after the held-out set was written are not in it.
    # The held-out set was written without seeing the older files; the same sentence, with the
    # same product context, came out in both 8 times by itself ("Ontspanning & slaap",
    # "Vitamine D3 25 µg", ...): counted in the README, never edited away.
    key = lambda e: (e.sentence, tuple(sorted((e.context or {}).items())))  # noqa: E731
    held_keys = {key(e) for e in held}
    assert not {key(e) for e in claims_eval.load(claims_eval.EXTRA)} & held_keys
    assert len({key(e) for e in dev} & held_keys) == 8
    for part in (dev, held):
        kinds = Counter((e.kind, e.label) for e in part)
        for kind in ("product", "blog", "faq", "review", "label", "service", "name"):
            assert kinds[(kind, "ok")] >= 10 and kinds[(kind, "flag")] >= 5, kind
        assert all(e.reason.isalpha() for e in part)  # one word
    labels = Counter(e.label for e in held)
    assert 0.4 <= labels["flag"] / len(held) <= 0.6  # roughly half ok, half flag


# The held-out part (heldout2.tsv) is not scored here: every run of a test would be one more
# look at it. It was scored once, blind, before any change (precision 0.942, recall 0.866:
# short of the recall target), see content/claims_data/README.md; so only the development part
# is held to the targets.


def test_development_precision_and_recall_meet_the_targets():
    score = claims_eval.score(claims_eval.load_development())
    print(f"\\ndevelopment: {score.summary()}")
    assert score.recall >= RECALL
    assert score.precision >= PRECISION


def test_development_errors_alone_meet_the_targets():
    """What the publish gate blocks (errors, not the model's warnings) also meets the targets."""
    score = claims_eval.score(claims_eval.load_development(), errors_only=True)
    assert score.recall >= RECALL
    assert score.precision >= PRECISION


def test_the_earlier_labelled_set_still_scores_well():
    """The 77 sentences the previous checker was built on (ok/none vs error/warning)."""
    tp = fp = fn = 0
    for line in OLD_SET.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, mg, sentence = line.split("\t")
        flagged = classify(sentence, elemental_mg=int(mg) if mg else None).needs_attention
        expected = label in ("error", "warning")
        tp += flagged and expected
        fp += flagged and not expected
        fn += expected and not flagged
    assert tp / (tp + fn) >= RECALL
    assert tp / (tp + fp) >= PRECISION
