"""The claim checker measured on the labelled set: the development part must meet the targets.

The figures are computed here from the sentences; nothing is hard-coded but the targets of
issue 15 (recall >= 0.95, precision >= 0.90, flag = positive).
"""

from __future__ import annotations

from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from content import claims_eval
from content.claims import classify

RECALL, PRECISION = 0.95, 0.90
OLD_SET = Path(__file__).parent / "data" / "claims_labelled.tsv"


def test_labelled_set_is_large_varied_and_all_development():
    dev = claims_eval.load_development()
    second = claims_eval.load(claims_eval.SECOND_HELDOUT)
    third = claims_eval.load(claims_eval.THIRD_HELDOUT)
    assert len(dev) >= 876 and len(second) >= 200 and len(third) >= 230
    # heldout2.tsv (scored twice) and heldout3.tsv (scored once, blind) were moved to the
    # development part on 2026-11-30; each was written without seeing the older files, and the
    # same sentence with the same product context came out 8 and 11 times by itself: counted in
    # the README, never edited away.
    key = lambda e: (e.sentence, tuple(sorted((e.context or {}).items())))  # noqa: E731
    parts = claims_eval.DEVELOPMENT_PARTS
    assert parts[-2:] == (claims_eval.SECOND_HELDOUT, claims_eval.THIRD_HELDOUT)
    before_second = {key(e) for path in parts[:-2] for e in claims_eval.load(path)}
    before_third = before_second | {key(e) for e in second}
    assert len(before_second & {key(e) for e in second}) == 8
    assert len(before_third & {key(e) for e in third}) == 11
    kinds = Counter((e.kind, e.label) for e in dev)
    for kind in ("product", "blog", "faq", "review", "label", "service", "name"):
        assert kinds[(kind, "ok")] >= 10 and kinds[(kind, "flag")] >= 5, kind
    # one word ("disease-risk" is one, hyphenated)
    assert all(part.isalpha() for e in dev for part in e.reason.split("-"))


# No held-out part is scored here: every run of a test would be one more look at it. A new
# held-out set is scored once, from outside, with `manage.py claims_eval --file PATH`.


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


def test_claims_eval_file_prints_totals_and_kinds_but_never_a_sentence(tmp_path):
    """`claims_eval --file PATH` scores a set nobody may read: figures only."""
    path = tmp_path / "set.tsv"
    path.write_text(
        "# kind\tlabel\treason\tcontext\tsentence\n"
        "product\tflag\tmedicinal\t\tMagnesium geneest je slapeloosheid.\n"
        "blog\tflag\tunauthorised\t\tZinkrijk Zuurstofwater XYZ.\n"
        "service\tok\tservice\t\tWe verzenden binnen twee werkdagen.\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("claims_eval", file=str(path), stdout=out)
    text = out.getvalue()
    assert "set.tsv precision 1.000, recall 0.500 (n=3, tp=1, fp=0, fn=1, tn=1)" in text
    assert "  product    precision 1.000, recall 1.000 (n=1, tp=1" in text
    assert "  service    precision 0.000, recall 0.000 (n=1, tp=0, fp=0, fn=0, tn=1)" in text
    for sentence in ("slapeloosheid", "Zuurstofwater", "werkdagen"):
        assert sentence not in text
    with pytest.raises(CommandError):
        call_command("claims_eval", file=str(path), errors=True, stdout=StringIO())
    bad = tmp_path / "bad.tsv"
    for line in (
        "product\tmisschien\tx\t\tGeheime zin.",
        "product\tok\tx\tzink=veel\tGeheime zin.",
    ):
        bad.write_text(line + "\n", encoding="utf-8")
        with pytest.raises(CommandError) as caught:
            call_command("claims_eval", file=str(bad), stdout=StringIO())
        assert "Geheime" not in str(caught.value)
