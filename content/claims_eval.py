"""The labelled set of the claim checker and how well the checker does on it.

Each file of `content/claims_data/` holds Dutch sentences with an ok/flag label, a one-word
reason, the kind of text and the product context. The development part is all of them:
`development.tsv`, `heldout.tsv` (the first split's held-out half, scored seven times), the extra
sentences, `heldout2.tsv` (written blind, scored twice, then moved to development on
2026-11-30) and `heldout3.tsv` (written blind by someone else, scored once, moved to development
on 2026-11-30; README.md). Rules and model are built on the development part. A new held-out set is
scored from outside with `manage.py claims_eval --file PATH` (totals only, never its sentences).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from content.claim_rules import DATA_DIR
from content.claims import ERROR, classify

DEVELOPMENT = DATA_DIR / "development.tsv"
FIRST_HELDOUT = DATA_DIR / "heldout.tsv"
EXTRA = DATA_DIR / "development_extra.tsv"
SECOND_HELDOUT = DATA_DIR / "heldout2.tsv"
THIRD_HELDOUT = DATA_DIR / "heldout3.tsv"
DEVELOPMENT_PARTS = (DEVELOPMENT, FIRST_HELDOUT, EXTRA, SECOND_HELDOUT, THIRD_HELDOUT)


@dataclass(frozen=True)
class Example:
    kind: str
    label: str  # "ok" or "flag"
    reason: str
    context: dict[str, Decimal | None] | None
    sentence: str

    @property
    def flag(self) -> bool:
        return self.label == "flag"


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    wrong: list[tuple[Example, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def summary(self) -> str:
        return (
            f"precision {self.precision:.3f}, recall {self.recall:.3f} "
            f"(n={self.tp + self.fp + self.fn + self.tn}, tp={self.tp}, fp={self.fp}, "
            f"fn={self.fn}, tn={self.tn})"
        )


def parse_context(text: str) -> dict[str, Decimal | None] | None:
    """ "magnesium=200;dha=240" as {"magnesium": 200, "dha": 240}; empty: no product context."""
    if not text.strip():
        return None
    return {k.strip(): Decimal(v) for k, v in (part.split("=") for part in text.split(";"))}


def load(path: Path) -> list[Example]:
    """The examples of one part of the labelled set."""
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, label, reason, context, sentence = line.split("\t")
        if label not in ("ok", "flag"):
            raise ValueError(f"{path.name}: unknown label {label!r} in {line!r}")
        examples.append(Example(kind, label, reason, parse_context(context), sentence))
    return examples


def load_development() -> list[Example]:
    """The whole development part: every file of `DEVELOPMENT_PARTS`."""
    return [example for path in DEVELOPMENT_PARTS for example in load(path)]


def score(examples: list[Example], *, errors_only: bool = False) -> Score:
    """Precision and recall of the checker on `examples` (flag = positive).

    A sentence counts as flagged when it needs attention (an error or a warning); with
    `errors_only`, only when it has an error, i.e. when the publish gate would block it.
    """
    result = Score()
    for example in examples:
        verdict = classify(example.sentence, nutrients=example.context)
        predicted = verdict.kind == ERROR if errors_only else verdict.needs_attention
        if predicted and example.flag:
            result.tp += 1
        elif predicted:
            result.fp += 1
            result.wrong.append((example, verdict.rule))
        elif example.flag:
            result.fn += 1
            result.wrong.append((example, "none"))
        else:
            result.tn += 1
    return result
