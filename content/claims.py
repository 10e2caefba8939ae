"""Health-claim checker: finds the sentences that make a health claim and says which need work.

Pure functions over text; the rules are data (`fixtures/claims.json`) and the authorised
wordings come from the EU register as held in `fixtures/magnesium-facts.json`. Each sentence is
one of:
- not a claim (left alone);
- an authorised magnesium claim (the register wording or a close variant such as "bevat
  magnesium, dat bijdraagt tot ..."): fine, or a *warning* when the product it speaks of delivers
  less than 15% NRV per daily dose (the condition of use);
- an *error*: a medicinal claim (treating, curing, preventing or relieving a disease or
  condition), a disease-risk claim, a health claim not in the register, or an authorised claim
  whose wording was changed. Errors carry a suggested authorised wording.
The checker never changes the text it reads.

`scan_site()` runs it over guides, FAQs, product descriptions and reviews.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One sentence that needs attention."""

    source: str
    line: int
    sentence: str
    severity: str  # ERROR or WARNING
    rule: str
    suggestion: str = ""
    claim_id: str = ""

    @property
    def message(self) -> str:
        """A Dutch one-liner for staff: what is wrong and the authorised wording to use."""
        kind = "Fout" if self.severity == ERROR else "Waarschuwing"
        text = f"{kind} ({self.rule}): “{self.sentence}”"
        if self.suggestion:
            text += f" Toegestane formulering: “{self.suggestion}.”"
        return text

    def as_line(self) -> str:
        """`<line>\\t<severity>\\t<rule>\\t<sentence>`, the --file output format."""
        return f"{self.line}\t{self.severity}\t{self.rule}\t{self.sentence}"


@dataclass(frozen=True)
class Verdict:
    """How one sentence was classified: kind is "none", "authorised", WARNING or ERROR."""

    kind: str
    rule: str = ""
    claim_id: str = ""
    suggestion: str = ""

    @property
    def needs_attention(self) -> bool:
        return self.kind in (ERROR, WARNING)


@dataclass(frozen=True)
class Rules:
    subject: re.Pattern
    other_nutrients: re.Pattern
    negation: re.Pattern
    authorised_verbs: re.Pattern
    amplifiers: re.Pattern
    authorised: dict[str, re.Pattern]
    wordings: dict[str, str]
    conditions: list[tuple[str, re.Pattern]]
    medicinal_verbs: re.Pattern
    disease_risk: re.Pattern
    effect_verbs: re.Pattern
    health_targets: list[tuple[re.Pattern, str]]
    default_suggestion: str
    min_mg: Decimal


def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


@cache
def rules() -> Rules:
    """The checker's rules from fixtures/claims.json and fixtures/magnesium-facts.json."""
    fixtures = Path(settings.BASE_DIR) / "fixtures"
    data = json.loads((fixtures / "claims.json").read_text(encoding="utf-8"))
    facts = json.loads((fixtures / "magnesium-facts.json").read_text(encoding="utf-8"))
    wordings = {c["id"]: c["nl"] for c in facts["authorised_claims"]["claims"]}
    missing = set(wordings) ^ set(data["authorised"])
    if missing:
        raise ValueError(f"claims.json and magnesium-facts.json disagree on claims: {missing}")
    return Rules(
        subject=_compile(data["subject"]),
        other_nutrients=_compile(data["other_nutrients"]),
        negation=_compile(data["negation"]),
        authorised_verbs=_compile(data["authorised_verbs"]),
        amplifiers=_compile(data["amplifiers"]),
        authorised={k: _compile(v) for k, v in data["authorised"].items()},
        wordings=wordings,
        conditions=[(c["group"], _compile(c["pattern"])) for c in data["conditions"]],
        medicinal_verbs=_compile(data["medicinal_verbs"]),
        disease_risk=_compile(data["disease_risk"]),
        effect_verbs=_compile(data["effect_verbs"]),
        health_targets=[(_compile(t["pattern"]), t["suggest"]) for t in data["health_targets"]],
        default_suggestion=data["default_suggestion"],
        min_mg=Decimal(facts["nrv_mg"]) * Decimal(facts["source_claim_min_pct_nrv"]) / 100,
    )


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_PREFIX = re.compile(r"^\s*(#{1,6}\s+|[-*+>]\s+|\d+[.)]\s+|[VA]:\s*)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(]?[A-ZÀ-Ý0-9])")


def clean_line(line: str) -> str:
    """One line of Markdown or plain text as readable text (links, markers, emphasis removed)."""
    text = _MD_LINK.sub(r"\1", line)
    text = _MD_PREFIX.sub("", text)
    text = _MD_EMPHASIS.sub("", text)
    return " ".join(text.split())


def split_sentences(text: str) -> Iterator[tuple[int, str]]:
    """(line number, sentence) for every sentence of `text`; line numbers start at 1."""
    for number, line in enumerate(text.splitlines(), start=1):
        cleaned = clean_line(line)
        for sentence in _SENTENCE_END.split(cleaned):
            if sentence.strip():
                yield number, sentence.strip()


def _suggestion(text: str, r: Rules) -> tuple[str, str]:
    for pattern, claim_id in r.health_targets:
        if pattern.search(text):
            return claim_id, r.wordings[claim_id]
    return r.default_suggestion, r.wordings[r.default_suggestion]


def classify(sentence: str, *, elemental_mg: int | None = None) -> Verdict:
    """Classify one sentence; `elemental_mg` is the daily dose of the product it speaks of.

    Without `elemental_mg` (no product context) the condition of use is not checked.
    """
    r = rules()
    text = " ".join(sentence.split())
    if not r.subject.search(text):
        # Claims about other nutrients (vitamin D, DHA, ...) are outside this register list.
        return Verdict("none")

    for claim_id, pattern in r.authorised.items():
        if not pattern.search(text):
            continue
        wording = r.wordings[claim_id]
        if not r.authorised_verbs.search(text) or r.amplifiers.search(text):
            return Verdict(ERROR, "altered_wording", claim_id, wording)
        if elemental_mg is not None and Decimal(elemental_mg) < r.min_mg:
            return Verdict(WARNING, "condition_of_use", claim_id, wording)
        return Verdict("authorised", f"authorised:{claim_id}", claim_id, wording)

    if r.negation.search(text):
        # "Magnesium geneest geen ziekten" is a disclaimer, not a claim.
        return Verdict("none")

    # The condition named first in the sentence gives the rule (medicinal.<group>).
    found = [(m.start(), group) for group, p in r.conditions if (m := p.search(text))]
    groups = [group for _start, group in sorted(found)]
    if groups:
        claim_id, wording = _suggestion(text, r)
        if r.disease_risk.search(text):
            return Verdict(ERROR, "disease_risk", claim_id, wording)
        if r.medicinal_verbs.search(text):
            return Verdict(ERROR, f"medicinal.{groups[0]}", claim_id, wording)

    if r.effect_verbs.search(text) and any(p.search(text) for p, _ in r.health_targets):
        claim_id, wording = _suggestion(text, r)
        return Verdict(ERROR, "unauthorised", claim_id, wording)
    return Verdict("none")


def check_text(text: str, *, source: str = "", elemental_mg: int | None = None) -> list[Finding]:
    """Findings for every sentence of `text` that needs attention."""
    findings = []
    for line, sentence in split_sentences(text):
        verdict = classify(sentence, elemental_mg=elemental_mg)
        if verdict.needs_attention:
            findings.append(
                Finding(
                    source=source,
                    line=line,
                    sentence=sentence,
                    severity=verdict.kind,
                    rule=verdict.rule,
                    suggestion=verdict.suggestion,
                    claim_id=verdict.claim_id,
                )
            )
    return findings


def check_lines(lines: Iterable[str], *, source: str = "") -> list[Finding]:
    """Findings for a file of one sentence per line, without product context."""
    findings = []
    for number, raw in enumerate(lines, start=1):
        sentence = clean_line(raw)
        if not sentence:
            continue
        verdict = classify(sentence)
        if verdict.needs_attention:
            findings.append(
                Finding(source, number, sentence, verdict.kind, verdict.rule, verdict.suggestion)
            )
    return findings


# --- Over the site's texts -----------------------------------------------------------------


def _product_mg(product) -> int | None:
    from shop.facts import supplement_facts

    facts = supplement_facts(product)
    return facts.elemental_mg if facts.is_magnesium else None


def check_product(product) -> list[Finding]:
    """Findings in a product's description, with the product's daily dose as context."""
    return check_text(
        product.description or "",
        source=f"Product: {product.get_title()}",
        elemental_mg=_product_mg(product),
    )


def _check_fields(source: str, fields: dict[str, str], elemental_mg=None) -> list[Finding]:
    """Findings per field, so line numbers count from the start of the field they are in."""
    findings = []
    for name, text in fields.items():
        label = source if not name else f"{source} ({name})"
        findings += check_text(text or "", source=label, elemental_mg=elemental_mg)
    return findings


def scan_site() -> list[Finding]:
    """Findings in every guide (draft or published), FAQ, product description and review."""
    from oscar.core.loading import get_model

    from content.models import Article, Faq

    Product = get_model("catalogue", "Product")
    ProductReview = get_model("reviews", "ProductReview")

    findings: list[Finding] = []
    for article in Article.objects.order_by("pk"):
        findings += _check_fields(
            f"Gids: {article.title}",
            {"titel": article.title, "intro": article.lead, "": article.body},
        )
    for faq in Faq.objects.order_by("pk"):
        findings += _check_fields(f"FAQ: {faq.question}", {"vraag": faq.question, "": faq.answer})
    products = Product.objects.exclude(description="").select_related("parent").order_by("pk")
    for product in products:
        findings += check_product(product)
    for review in ProductReview.objects.select_related("product").order_by("pk"):
        product = review.product
        findings += _check_fields(
            f"Review: {review.title} ({product.get_title() if product else '-'})",
            {"titel": review.title, "": review.body},
            elemental_mg=_product_mg(product) if product else None,
        )
    return findings
