"""Health-claim checker: finds the sentences that make a health claim and says which need work.

What is not an authorised claim, with its conditions met, is not allowed. A sentence that ties a
food, nutrient, product, "het"/"dit" or the writer's own experience to an effect on body or mind
is a health claim; it passes only as a whole authorised wording of the EU register (Reg. (EU)
432/2012, `content/claims_data/register.json`) for a nutrient the product delivers at the
claim's condition of use (15% NRV per daily dose, or the claim's own amount such as 250 mg DHA).
Without product context (a guide, an FAQ) the wording must at least be authorised for the
nutrient it names. Medicinal and disease-risk claims are errors whatever the subject; negation
only reaches its own clause; dose advice above the upper level is an error. The rules live in
`content/claim_rules.py`; a small model trained on the development set
(`content/claims_model.py`) gives a second opinion the rules can only add to.

A guide or product page that carries an authorised claim must also carry the statements of
art. 10(2) of Reg. (EC) 1924/2006 (`statement_findings`): varied diet and the quantity for the
effect are errors when missing, the statement for persons who should avoid the food and the
warning against excess are warnings (they apply "where appropriate").

Each finding carries the rule, a Dutch explanation and the authorised wording to use instead.
The checker never changes the text it reads. `scan_site()` runs it over everything customers see.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.flatpages.models import FlatPage
from django.utils.html import strip_tags
from oscar.core.loading import get_model

from content import claim_rules, claims_model
from content.claim_rules import Claim, Issue, register
from content.models import Article, Faq
from shop.catalogue.facts import is_supplement, supplement_facts

ERROR = "error"
WARNING = "warning"

# Which rule a sentence is reported under when several apply: the most serious first.
PRIORITY = (
    "disease_risk",
    "medicinal",
    "dose_above_upper_level",
    "testimonial",
    "slimming",
    "deficiency",
    "wrong_nutrient",
    "altered_wording",
    "condition_of_use",
    "unauthorised",
    "declared_dose",
    "model",
    "condition_unverified",
)
WARNING_RULES = {"condition_unverified", "model", "declared_dose"}

EXPLANATIONS = {
    "medicinal": "Medische claim: een levensmiddel mag geen ziekte voorkomen, behandelen of "
    "genezen, of naar zulke eigenschappen verwijzen (Verordening 1169/2011, art. 7 lid 3).",
    "disease_risk": "Claim over vermindering van een ziekterisico: niet toegestaan "
    "(Verordening 1924/2006, art. 14).",
    "dose_above_upper_level": "Doseringsadvies boven de aanvaardbare bovengrens (magnesium uit "
    "supplementen: 250 mg per dag, EFSA/SCF).",
    "testimonial": "Persoonlijk verhaal over een effect op lichaam of geest: een "
    "gezondheidsclaim die niet in het EU-register staat.",
    "slimming": "Claim over afvallen of gewicht (Verordening 1924/2006, art. 12).",
    "deficiency": "Suggereert dat de gezondheid lijdt zonder dit middel "
    "(Verordening 1924/2006, art. 12).",
    "wrong_nutrient": "Deze formulering is in het EU-register niet toegestaan voor deze "
    "voedingsstof.",
    "altered_wording": "Toegestane claim met een gewijzigde formulering: gebruik de hele "
    "formulering uit het register.",
    "condition_of_use": "Het product levert per dagdosering te weinig van deze voedingsstof "
    "voor deze claim (ten minste 15% van de referentie-inname of de vereiste hoeveelheid).",
    "unauthorised": "Gezondheidsclaim die niet (zo) in het EU-register staat "
    "(Verordening 1924/2006, art. 10).",
    "declared_dose": "De aangegeven dagdosis ligt boven de aanvaardbare bovengrens (magnesium uit "
    "supplementen: 250 mg per dag, EFSA/SCF): controleer het product en de etiketgegevens.",
    "model": "Lijkt op een gezondheidsclaim (tweede mening van het model): controleer de zin.",
    "condition_unverified": "De hoeveelheid per dagdosering is onbekend: controleer of het "
    "product aan de gebruiksvoorwaarde van de claim voldoet.",
}

# Which authorised claim fits the effect a sentence speaks of, in order of preference.
SUGGEST_FOR_TARGET = {
    "sleep": ("psychological", "nervous_system"),
    "mind": ("psychological", "nervous_system"),
    "brain": ("brain", "cognitive", "mental_performance", "psychological"),
    "nerves": ("nervous_system",),
    "energy": ("fatigue", "energy"),
    "muscle": ("muscle",),
    "bones": ("bones",),
    "teeth": ("teeth",),
    "immune": ("immune",),
    "heart": ("heart",),
    "skin": ("skin", "hair"),
    "vision": ("vision",),
    "body": ("psychological", "energy"),
}
DEFAULT_SUGGESTION = ("psychological", "energy", "immune", "heart", "brain")


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
    explanation: str = ""  # Dutch: why the sentence is not allowed
    nutrient: str = ""  # the nutrient the suggestion is for
    start: int = -1  # offset of the sentence in the checked text, -1 if not found verbatim
    end: int = -1

    @property
    def message(self) -> str:
        """A Dutch one-liner for staff: what is wrong and the authorised wording to use."""
        kind = "Fout" if self.severity == ERROR else "Waarschuwing"
        text = f"{kind} ({self.rule}): “{self.sentence}”"
        if self.suggestion:
            text += f" Toegestane formulering: “{self.suggestion.rstrip('.')}.”"
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
    explanation: str = ""
    nutrient: str = ""
    rules: tuple[str, ...] = ()  # every rule that applied, most serious first

    @property
    def needs_attention(self) -> bool:
        return self.kind in (ERROR, WARNING)


# --- Text into sentences -----------------------------------------------------------------------

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


# --- One sentence ------------------------------------------------------------------------------


def context_for(
    *, elemental_mg: int | None = None, nutrients: dict[str, Decimal | None] | None = None
) -> dict[str, Decimal | None] | None:
    """The product context the rules read: nutrient -> amount per daily dose (None: unknown)."""
    if nutrients is None and elemental_mg is None:
        return None
    context = dict(nutrients or {})
    if elemental_mg is not None:
        context["magnesium"] = Decimal(elemental_mg)
    return context


def _rank(rule: str) -> int:
    return PRIORITY.index(rule.split(".")[0])


def _base(claim: Claim) -> Claim:
    """The official wording of a claim matched through one of its accepted variants."""
    return register().claims[claim.nutrient][claim.key.split("~")[0]]


def _suggested_claim(issue: Issue, analysis, context) -> Claim | None:
    if issue.claim is not None and issue.rule != "wrong_nutrient":
        return _base(issue.claim)
    claims = register().claims
    candidates = [n for n in analysis.nutrients if claims.get(n)]
    if context:
        candidates += [n for n in context if claims.get(n)]
    candidates += ["magnesium"]
    targets = [issue.target] if issue.target else []
    targets += analysis.targets
    wanted = [k for t in targets for k in SUGGEST_FOR_TARGET.get(t, ())] + list(DEFAULT_SUGGESTION)
    if issue.rule == "wrong_nutrient" and issue.claim is not None:
        wanted.insert(0, issue.claim.key.split("~")[0])
    for nutrient in candidates:
        for key in wanted:
            if key in claims[nutrient]:
                return claims[nutrient][key]
    return None


def classify(
    sentence: str,
    *,
    elemental_mg: int | None = None,
    nutrients: dict[str, Decimal | None] | None = None,
) -> Verdict:
    """Classify one sentence.

    `elemental_mg` (magnesium per daily dose) and/or `nutrients` (nutrient -> amount per daily
    dose in the register's unit, None when unknown) describe the product the sentence speaks of;
    without either the condition of use is not checked, only that the wording is authorised for
    the nutrient it names.
    """
    context = context_for(elemental_mg=elemental_mg, nutrients=nutrients)
    text = " ".join(sentence.split())
    analysis = claim_rules.analyse(text, context=context)
    issues = list(analysis.issues)
    if not issues and claims_model.flags(text, analysis):
        issues.append(Issue("model"))
    if not issues:
        if analysis.authorised:
            claim = analysis.authorised[0]
            key = _base(claim).key
            return Verdict(
                "authorised", f"authorised:{key}", key, claim.sentence, nutrient=claim.nutrient
            )
        return Verdict("none")
    issues.sort(key=lambda i: _rank(i.rule))
    issue = issues[0]
    claim = _suggested_claim(issue, analysis, context)
    return Verdict(
        WARNING if issue.rule in WARNING_RULES else ERROR,
        issue.rule,
        claim.key if claim else "",
        claim.sentence if claim else "",
        EXPLANATIONS[issue.rule.split(".")[0]],
        claim.nutrient if claim else "",
        tuple(dict.fromkeys(i.rule for i in issues)),
    )


# --- Texts -------------------------------------------------------------------------------------


def _offsets(text: str) -> list[int]:
    """Offset of the start of each line of `text` (index 0 is line 1)."""
    starts, pos = [], 0
    for line in text.splitlines(keepends=True):
        starts.append(pos)
        pos += len(line)
    return starts


def check_text(
    text: str,
    *,
    source: str = "",
    elemental_mg: int | None = None,
    nutrients: dict[str, Decimal | None] | None = None,
) -> list[Finding]:
    """Findings for every sentence of `text` that needs attention."""
    findings = []
    starts = _offsets(text)
    lines = text.splitlines()
    for line, sentence in split_sentences(text):
        verdict = classify(sentence, elemental_mg=elemental_mg, nutrients=nutrients)
        if not verdict.needs_attention:
            continue
        column = lines[line - 1].find(sentence)
        start = starts[line - 1] + column if column >= 0 else -1
        findings.append(
            Finding(
                source=source,
                line=line,
                sentence=sentence,
                severity=verdict.kind,
                rule=verdict.rule,
                suggestion=verdict.suggestion,
                claim_id=verdict.claim_id,
                explanation=verdict.explanation,
                nutrient=verdict.nutrient,
                start=start,
                end=start + len(sentence) if start >= 0 else -1,
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
                Finding(
                    source,
                    number,
                    sentence,
                    verdict.kind,
                    verdict.rule,
                    verdict.suggestion,
                    verdict.claim_id,
                    verdict.explanation,
                    verdict.nutrient,
                )
            )
    return findings


# --- What must stand next to a health claim (art. 10(2) of Reg. (EC) 1924/2006) -------------
#
# A health claim is only permitted when the labelling, or else the presentation and advertising,
# also gives: (a) a statement on the importance of a varied and balanced diet and a healthy
# lifestyle; (b) the quantity of the food and pattern of consumption needed for the claimed
# beneficial effect; (c) where appropriate, a statement addressed to persons who should avoid the
# food; (d) an appropriate warning for products likely to present a health risk if consumed to
# excess. (a) and (b) hold for every health claim, so their absence is an error: the claim is not
# permitted without them and the publish gate blocks. (c) and (d) depend on the product ("where
# appropriate", "likely to present a health risk"), which a person has to judge: warnings.


@dataclass(frozen=True)
class Statement:
    """One of the statements art. 10(2) asks for, and how to recognise it in a sentence."""

    key: str
    severity: str
    patterns: tuple[re.Pattern, ...]  # a sentence is the statement when it matches all of them
    explanation: str
    example: str
    unless: re.Pattern | None = None  # ... and does not match this

    def found_in(self, sentence: str) -> bool:
        if self.unless is not None and self.unless.search(sentence):
            return False
        return all(p.search(sentence) for p in self.patterns)


def _p(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


_DAILY = r"\b(per\s+dag|dagelijks\w*|per\s+dagdosering|dagdosering|daags|elke\s+dag)\b"
_QUANTITY = r"\d+(?:[.,]\d+)?\s*(mg|µg|mcg|microgram|g|capsules?|tabletten|tablet|softgels?|druppels|schepjes?|maatschep\w*|sprays?)\b"

# Who may need to avoid a supplement, and the advice to them ("Buiten bereik van kinderen
# bewaren" is about storage, not about who should not use it: it does not count).
_GROUP = (
    r"\b(zwanger\w*|borstvoeding|kinderen|volwassenen|medicijn\w*|medicatie|geneesmiddel\w*|"
    r"nier\w*)\b"
)
_CONSULT = r"\b(overleg\w*|raadpleeg\w*|vraag|niet\s+gebruiken|niet\s+geschikt)\b"

STATEMENTS = (
    Statement(
        "varied_diet",
        ERROR,
        (_p(r"\bgevarieerd\w*\b.*\bevenwichtig\w*\b"), _p(r"\bgezonde\s+levensstijl\b")),
        "Bij een gezondheidsclaim hoort een vermelding over het belang van een gevarieerd en "
        "evenwichtig voedingspatroon en een gezonde levensstijl (Verordening 1924/2006, art. 10 "
        "lid 2 onder a).",
        "Een gevarieerd en evenwichtig voedingspatroon en een gezonde levensstijl zijn belangrijk.",
    ),
    Statement(
        "quantity",
        ERROR,
        (
            _p(
                rf"({_QUANTITY}.*{_DAILY}|{_DAILY}.*{_QUANTITY}|aanbevolen\s+dagelijkse\s+dosis\s*:?\s*\d)"
            ),
        ),
        "Bij een gezondheidsclaim hoort de hoeveelheid en het gebruikspatroon waarmee het "
        "gunstige effect wordt verkregen (Verordening 1924/2006, art. 10 lid 2 onder b).",
        "Het gunstige effect wordt verkregen bij een dagelijkse inname van ten minste 56 mg "
        "magnesium (15% van de referentie-inname).",
        # A most ("niet meer dan 250 mg per dag") says how much is too much, not how much the
        # effect needs.
        _p(
            r"\bniet\s+meer\s+dan\b|\bmaximaal\b|\bmaximum\b|\bbovengrens\b|\bte\s+veel\b|"
            r"\bbinnen\s+\d|\bniet\s+overschrijden\b|\boverschrijd\w*"
        ),
    ),
    Statement(
        "avoid",
        WARNING,
        (
            _p(
                rf"\b(niet|alleen|uitsluitend)\b[^.;]{{0,60}}{_GROUP}|{_GROUP}[^.;]{{0,80}}{_CONSULT}|{_CONSULT}[^.;]{{0,80}}{_GROUP}"
            ),
        ),
        "Controleer of er een vermelding nodig is voor wie dit product beter niet gebruikt, "
        "bijvoorbeeld bij zwangerschap, borstvoeding, nierziekten of medicijngebruik "
        "(Verordening 1924/2006, art. 10 lid 2 onder c: 'in voorkomend geval').",
        "Ben je zwanger, geef je borstvoeding, heb je een nierziekte of gebruik je medicijnen, "
        "overleg dan eerst met je arts.",
    ),
    Statement(
        "excess",
        WARNING,
        (
            _p(
                r"\bniet\s+overschrijden\b|\bniet\s+meer\s+dan\b|\bbovengrens\b|\bte\s+veel\b|"
                r"\bovermatig\w*|\blaxerend\w*|\bdunne\s+ontlasting\b|\bdiarree\b"
            ),
        ),
        "Controleer of er een waarschuwing nodig is voor gebruik van te veel (Verordening "
        "1924/2006, art. 10 lid 2 onder d); voor magnesium uit supplementen: niet meer dan "
        "250 mg per dag.",
        "De aanbevolen dagelijkse dosis niet overschrijden.",
    ),
)


def statement_findings(
    texts: Iterable[tuple[str, str]],
    *,
    source: str = "",
    nutrients: dict[str, Decimal | None] | None = None,
) -> list[Finding]:
    """The art. 10(2) statements missing from a page (`texts`: (field, text) of everything it
    shows) that carries an authorised health claim; empty when it carries none.

    Each finding points at the page's first authorised claim, the sentence that needs them.
    """
    first = None
    sentences = []
    for label, text in texts:
        for line, sentence in split_sentences(text or ""):
            sentences.append(sentence)
            if first is None and classify(sentence, nutrients=nutrients).kind == "authorised":
                first = (label, line, sentence)
    if first is None:
        return []
    label, line, sentence = first
    return [
        Finding(
            source=f"{source} ({label})" if source and label else source or label,
            line=line,
            sentence=sentence,
            severity=statement.severity,
            rule=f"statement_missing.{statement.key}",
            suggestion=statement.example,
            explanation=statement.explanation,
        )
        for statement in STATEMENTS
        if not any(statement.found_in(s) for s in sentences)
    ]


# --- Over the site's texts -----------------------------------------------------------------


_BLOCK_END = re.compile(r"</(p|div|li|h[1-6]|tr|blockquote)>|<br\s*/?>", re.IGNORECASE)


def visible_text(markup: str) -> str:
    """The text of an HTML fragment as a reader sees it, one block per line.

    A line break in the HTML source is white space, not a break: only block ends start a line.
    """
    marked = _BLOCK_END.sub("\x00", markup or "")
    text = html.unescape(strip_tags(" ".join(marked.split())))
    return "\n".join(" ".join(line.split()) for line in text.split("\x00"))


_AMOUNT_AFTER = r"[^\d()]{0,12}?(\d+(?:[.,]\d+)?)\s*(mg|µg|mcg|microgram)\b"


def nutrients_in(text: str) -> dict[str, Decimal | None]:
    """Nutrients named in an ingredient list, with the amount that follows the name if any.

    "Visolie (EPA 360 mg, DHA 240 mg per 2 capsules)" gives {"epa": 360, "dha": 240};
    "vitamine B6, riboflavine" gives {"vitamin_b6": None, "riboflavin": None}.
    """
    reg = register()
    found: dict[str, Decimal | None] = {}
    for _start, end, nutrient in claim_rules.nutrient_mentions(text):
        if nutrient in ("omega_3",):
            continue
        m = re.match(_AMOUNT_AFTER, text[end:], re.IGNORECASE)
        amount = None
        if m:
            amount = Decimal(m.group(1).replace(",", "."))
            unit = "µg" if m.group(2).lower() in ("µg", "mcg", "microgram") else "mg"
            wanted = reg.units.get(nutrient, unit)
            if unit != wanted:
                amount = amount / 1000 if unit == "µg" else amount * 1000
        if found.get(nutrient) is None:
            found[nutrient] = amount
    return found


def product_nutrients(product) -> dict[str, Decimal | None]:
    """What `product` delivers per daily dose, as the claim checker's product context.

    Magnesium from the supplement facts (elemental magnesium per daily dose); other nutrients
    from the ingredient list, per daily dose when the list gives the amount "per <dose>", else
    with an unknown amount (the checker then warns instead of passing the claim). A product that
    is not a supplement delivers nothing: it may carry no health claim at all.
    """
    if not is_supplement(product):
        return {}
    facts = supplement_facts(product)
    context: dict[str, Decimal | None] = {}
    ingredients = str(_attr(product, "ingredients") or "")
    context.update(nutrients_in(ingredients))
    context.pop("magnesium", None)
    if facts.elemental_mg is not None:
        context["magnesium"] = Decimal(facts.elemental_mg)
    return context


def _attr(product, code: str):
    """An attribute value of `product`, or of its parent for a child product."""
    value = getattr(product.attr, code, None)
    if not value and product.is_child and product.parent_id:
        value = getattr(product.parent.attr, code, None)
    return value


def _product_fields(product) -> dict[str, str]:
    fields = {"naam": product.get_title(), "": visible_text(product.description)}
    for code, label in (("usage", "gebruik"), ("warnings", "waarschuwingen")):
        value = _attr(product, code)
        if value:
            fields[label] = str(value)
    return fields


def product_page_texts(product) -> list[tuple[str, str]]:
    """(field, text) of what a product page shows: name, description, usage, warnings and, for
    a supplement with label facts, the mandatory label statements of its facts table."""
    texts = [(label or "omschrijving", text) for label, text in _product_fields(product).items()]
    if is_supplement(product):
        facts = supplement_facts(product)
        if facts.units_per_dose or facts.elemental_mg:  # as the facts table shows them
            statements = "\n".join(s["text"] for s in facts.label_statements)
            texts.append(("etiket", statements))
    return texts


def check_product(product) -> list[Finding]:
    """Findings in a product's name, description and text attributes, with its nutrients, and
    the art. 10(2) statements its page lacks next to an authorised claim."""
    context = product_nutrients(product)
    source = f"Product: {product.get_title()}"
    findings = _check_fields(source, _product_fields(product), nutrients=context)
    return findings + statement_findings(
        product_page_texts(product), source=source, nutrients=context
    )


def check_article(article) -> list[Finding]:
    """Findings in a guide's title, lead and body, and the art. 10(2) statements it lacks next
    to an authorised claim."""
    source = f"Gids: {article.title}"
    fields = {"titel": article.title, "intro": article.lead, "": article.body}
    findings = _check_fields(source, fields)
    texts = [(label or "tekst", text) for label, text in fields.items()]
    return findings + statement_findings(texts, source=source)


def _check_fields(source: str, fields: dict[str, str], **context) -> list[Finding]:
    """Findings per field, so line numbers count from the start of the field they are in."""
    findings = []
    for name, text in fields.items():
        label = source if not name else f"{source} ({name})"
        findings += check_text(text or "", source=label, **context)
    return findings


def scan_site() -> list[Finding]:
    """Findings in every guide, FAQ, product, category, review, offer and flatpage."""
    Product = get_model("catalogue", "Product")
    Category = get_model("catalogue", "Category")
    ProductReview = get_model("reviews", "ProductReview")
    ConditionalOffer = get_model("offer", "ConditionalOffer")

    findings: list[Finding] = []
    for article in Article.objects.order_by("pk"):
        findings += check_article(article)
    for faq in Faq.objects.order_by("pk"):
        findings += _check_fields(f"FAQ: {faq.question}", {"vraag": faq.question, "": faq.answer})
    for product in Product.objects.select_related("parent", "product_class").order_by("pk"):
        findings += check_product(product)
    for category in Category.objects.order_by("path"):
        findings += _check_fields(
            f"Categorie: {category.name}",
            {"naam": category.name, "": visible_text(category.description)},
        )
    for review in ProductReview.objects.select_related("product").order_by("pk"):
        product = review.product
        findings += _check_fields(
            f"Review: {review.title} ({product.get_title() if product else '-'})",
            {"titel": review.title, "": review.body},
            nutrients=product_nutrients(product) if product else None,
        )
    for offer in ConditionalOffer.objects.order_by("pk"):
        findings += _check_fields(
            f"Actie: {offer.name}", {"naam": offer.name, "": visible_text(offer.description)}
        )
    for page in FlatPage.objects.order_by("url"):
        findings += _check_fields(
            f"Pagina: {page.title}", {"titel": page.title, "": visible_text(page.content)}
        )
    return findings
