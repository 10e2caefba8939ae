"""The claim gate: an item whose customer-facing text has error-level health-claim findings
(content.claims) cannot become public, unless someone with the Compliance permission
(content_dashboard.override_claims) gave a written override for exactly that text.

One gate for guides, FAQs, products, categories and reviews; the dashboard services and forms
call `publish_check()` before anything becomes (or, being public, stays) visible to customers.
The checker itself is only called through its public API (`check_text`, `split_sentences`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from oscar.core.loading import get_model

from content.claims import (
    ERROR,
    check_text,
    product_nutrients,
    product_page_texts,
    split_sentences,
    statement_findings,
    visible_text,
)
from content.dashboard.models import ClaimOverride
from content.models import Article, Faq

if TYPE_CHECKING:
    from content.claims import Finding

OVERRIDE_PERMISSION = "content_dashboard.override_claims"


@dataclass(frozen=True)
class FieldFinding:
    """An error-level finding and the field of the item it is in."""

    field: str
    finding: Finding

    @property
    def text(self) -> str:
        """A Dutch line for staff: field, line, sentence and the authorised wording to use."""
        return f"{self.field}, regel {self.finding.line}: {self.finding.message}"

    def as_json(self) -> dict:
        return {
            "field": self.field,
            "line": self.finding.line,
            "sentence": self.finding.sentence,
            "rule": self.finding.rule,
            "suggestion": self.finding.suggestion,
        }


class ClaimGateError(ValidationError):
    """Raised when an item with error-level claim findings would become public."""

    def __init__(self, *, label: str, findings: list[FieldFinding]):
        self.findings = findings
        lines = "; ".join(f.text for f in findings)
        super().__init__(
            f"“{label}” kan niet openbaar worden: de tekst bevat {len(findings)} "
            f"gezondheidsclaim{'s' if len(findings) != 1 else ''} die niet is toegestaan "
            f"(fout). {lines} Pas de tekst aan naar een toegestane formulering, of vraag iemand "
            "met de rol Compliance om een onderbouwde uitzondering voor dit item.",
            code="claim_errors",
        )


def attribute_texts(product) -> list[tuple[str, str]]:
    """(label, text) of the text attributes a product page shows (ingredients, usage, warnings)."""
    texts = []
    for code, label in (
        ("ingredients", "ingrediënten"),
        ("usage", "gebruik"),
        ("warnings", "waarschuwingen"),
    ):
        value = getattr(product.attr, code, None) if hasattr(product, "attr") else None
        if isinstance(value, str) and value.strip():
            texts.append((label, value))
    return texts


def item_texts(obj) -> list[tuple[str, str]]:
    """(field label, text) of everything customers read of `obj`."""
    Product = get_model("catalogue", "Product")
    Category = get_model("catalogue", "Category")
    ProductReview = get_model("reviews", "ProductReview")

    if isinstance(obj, Article):
        return [("titel", obj.title), ("intro", obj.lead), ("tekst", obj.body)]
    if isinstance(obj, Faq):
        return [("vraag", obj.question), ("antwoord", obj.answer)]
    if isinstance(obj, Product):
        return [("titel", obj.title), ("omschrijving", obj.description)] + attribute_texts(obj)
    if isinstance(obj, Category):
        return [("naam", obj.name), ("omschrijving", obj.description)]
    if isinstance(obj, ProductReview):
        return [("titel", obj.title), ("tekst", obj.body)]
    raise TypeError(f"No claim gate for {type(obj).__name__}")


KINDS = {
    "gids": ("content", "article"),
    "vraag": ("content", "faq"),
    "product": ("catalogue", "product"),
    "categorie": ("catalogue", "category"),
    "review": ("reviews", "productreview"),
}


def model_for(kind: str):
    """The model of a kind of item (KINDS); LookupError for an unknown kind."""
    if kind not in KINDS:
        raise LookupError(kind)
    return get_model(*KINDS[kind])


def kind_of(obj) -> str:
    """The URL word for `obj`'s kind of item (KINDS)."""
    meta = obj._meta
    for kind, (app_label, model_name) in KINDS.items():
        if (meta.app_label, meta.model_name) == (app_label, model_name):
            return kind
    raise TypeError(f"No claim gate for {type(obj).__name__}")


def item_label(obj) -> str:
    return str(getattr(obj, "title", None) or getattr(obj, "question", None) or obj)


def claim_errors(texts: list[tuple[str, str]]) -> list[FieldFinding]:
    """The error-level findings in `texts`, per field."""
    return [
        FieldFinding(field=label, finding=finding)
        for label, text in texts
        for finding in check_text(text or "", source=label)
        if finding.severity == ERROR
    ]


STATEMENTS_FIELD = "verplichte vermeldingen (art. 10 lid 2)"


def statement_errors(obj, texts: list[tuple[str, str]]) -> list[FieldFinding]:
    """Error-level art. 10(2) findings: a guide or product page with an authorised health claim
    but without the statements that must go with it (content.claims.statement_findings).

    For a product the page's label statements count too; `texts` replaces the fields being
    edited, so a statement added in the edit is seen.
    """
    Product = get_model("catalogue", "Product")
    if isinstance(obj, Article):
        page, nutrients = texts, None
    elif isinstance(obj, Product):
        page = [(label, visible_text(text or "")) for label, text in texts]
        nutrients = None
        if obj.pk:  # the label statements and nutrients of the facts table need a saved product
            page += [(label, text) for label, text in product_page_texts(obj) if label == "etiket"]
            nutrients = product_nutrients(obj)
    else:
        return []
    return [
        FieldFinding(field=STATEMENTS_FIELD, finding=finding)
        for finding in statement_findings(page, nutrients=nutrients)
        if finding.severity == ERROR
    ]


def fingerprint(texts: list[tuple[str, str]]) -> str:
    """A hash of the texts an override covers: any later edit needs a new decision."""
    data = json.dumps([[label, " ".join((text or "").split())] for label, text in texts])
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def valid_override(obj, texts: list[tuple[str, str]] | None = None) -> ClaimOverride | None:
    """The override that covers `obj`'s current text, if one was given."""
    if obj.pk is None:
        return None
    texts = item_texts(obj) if texts is None else texts
    return ClaimOverride.objects.for_object(obj).filter(fingerprint=fingerprint(texts)).first()


def item_errors(obj, texts: list[tuple[str, str]]) -> list[FieldFinding]:
    """Everything that keeps `obj` with `texts` from being public: error-level claim findings
    and the art. 10(2) statements its page lacks next to an authorised claim."""
    return claim_errors(texts) + statement_errors(obj, texts)


def publish_check(obj, *, texts: list[tuple[str, str]] | None = None) -> list[FieldFinding]:
    """Raise ClaimGateError if `obj` (with `texts`, the text about to be saved) may not be
    public; returns the findings an override lets through (empty when there are none)."""
    texts = item_texts(obj) if texts is None else texts
    findings = item_errors(obj, texts)
    if findings and valid_override(obj, texts) is None:
        raise ClaimGateError(label=item_label(obj), findings=findings)
    return findings


def can_override(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(OVERRIDE_PERMISSION))


# --- Inline findings for the editor -----------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    text: str
    finding: Finding | None = None


@dataclass(frozen=True)
class AnnotatedLine:
    number: int
    segments: list[Segment]


def annotate(text: str) -> list[AnnotatedLine]:
    """The lines of `text` that hold findings, sentence by sentence, each flagged sentence with
    its finding, so the editor shows the note right after the sentence it is about."""
    findings = {(f.line, f.sentence): f for f in check_text(text or "")}
    if not findings:
        return []
    lines: dict[int, list[Segment]] = {}
    for number, sentence in split_sentences(text or ""):
        lines.setdefault(number, []).append(Segment(sentence, findings.get((number, sentence))))
    return [
        AnnotatedLine(number, segments)
        for number, segments in lines.items()
        if any(s.finding for s in segments)
    ]
