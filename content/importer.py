"""Parse a plain-text post in the seed's format into a guide, its FAQs and keywords.

The format (see fixtures/magnesium-mentale-gezondheid.txt): headings are short lines of
their own without a closing full stop, every other line is a paragraph, a "Vragen &
Antwoorden" heading starts `V:`/`A:` pairs and a "Belangrijke zoekwoorden" heading starts a
list of "- " keywords. An optional first line "Titel: …" (or "# …") gives the title.

Parsing is pure (no database); `find_mentions` says which magnesium forms and collections the
text names, and `import_proposals` reads the catalogue's products of those forms and its
categories of those collections: the links content.services.article_import proposes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.text import slugify
from oscar.core.loading import get_model

from shop.catalogue.facts import MAGNESIUM_FORM_ATTRIBUTE

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")

MAX_HEADING_LENGTH = 120
# A heading never ends like a sentence or a lead-in does.
SENTENCE_END = (".", "!", "?", ":", ";", ",", "…")
FAQ_MARKERS = {"vragen & antwoorden", "vragen en antwoorden", "veelgestelde vragen", "faq"}
KEYWORD_MARKERS = {"belangrijke zoekwoorden", "zoekwoorden", "trefwoorden"}
# Headings that name a part of the text, not its subject: never used as the derived title.
GENERIC_HEADINGS = {"inleiding", "introductie", "intro", "samenvatting", "conclusie", "tot slot"}
QUESTION_RE = re.compile(r"^(?:V|Vraag)\s*:\s*(?P<text>.*)$", re.IGNORECASE)
ANSWER_RE = re.compile(r"^(?:A|Antwoord)\s*:\s*(?P<text>.*)$", re.IGNORECASE)
TITLE_RE = re.compile(r"^(?:Titel\s*:|#(?!#))\s*(?P<text>.+)$", re.IGNORECASE)
LIST_ITEM_RE = re.compile(r"^[-*•]\s+(?P<text>.+)$")

# Attribute option of `magnesium_form` -> the words a text uses for it. A form word counts
# on its own ("glycinaat"), glued to "magnesium" ("magnesiumglycinaat") or after a dash in an
# enumeration ("magnesiumcitraat, -glycinaat en -malaat"), never inside another word.
FORM_WORDS: dict[str, tuple[str, ...]] = {
    "bisglycinaat": ("bisglycinaat", "glycinaat"),
    "citraat": ("citraat",),
    "malaat": ("malaat",),
    "L-threonaat": ("l-threonaat", "threonaat"),
    "tauraat": ("tauraat",),
    "oxide": ("oxide",),
    "chloride": ("chloride",),
}
_NOT_A_LETTER_BEFORE = r"(?<![^\W\d_])"
_NOT_A_LETTER_AFTER = r"(?![^\W\d_])"
FORM_RES = {
    form: re.compile(
        _NOT_A_LETTER_BEFORE
        + r"(?:magnesium[\s-]?|-)?(?:"
        + "|".join(re.escape(word) for word in words)
        + ")"
        + _NOT_A_LETTER_AFTER,
        re.IGNORECASE,
    )
    for form, words in FORM_WORDS.items()
}
# "Magnesium-collectie", "Magnesium Health-collectie": one word, or two when both are
# capitalised (so "de Magnesium-collectie" names "Magnesium").
COLLECTION_RE = re.compile(r"(?P<name>(?:[A-ZÀ-Ý][\w&]* )?[^\W\d_][\w&]*)-[Cc]ollectie")


class ArticleImportError(ValueError):
    """The file is not a post in the expected format; `line` says where (1-based)."""

    def __init__(self, message: str, *, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(f"Regel {line}: {message}" if line else message)


@dataclass
class Section:
    heading: str | None
    line: int
    paragraphs: list[str] = field(default_factory=list)
    paragraph_lines: list[int] = field(default_factory=list)


@dataclass
class ParsedFaq:
    question: str
    answer: str
    line: int


@dataclass
class Mentions:
    # option of magnesium_form -> line numbers where the text names it
    forms: dict[str, list[int]] = field(default_factory=dict)
    # collection name as written ("Magnesium") -> line numbers
    collections: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class ParsedArticle:
    title: str
    title_derived: bool
    sections: list[Section]
    faqs: list[ParsedFaq]
    keywords: list[str]

    @property
    def headings(self) -> list[str]:
        return [section.heading for section in self.sections if section.heading]

    @property
    def body(self) -> str:
        """The text as Markdown: headings become `##` headings, paragraphs stay as written."""
        blocks = []
        for section in self.sections:
            if section.heading:
                blocks.append(f"## {_escape_block(section.heading)}")
            blocks.extend(_escape_block(paragraph) for paragraph in section.paragraphs)
        return "\n\n".join(blocks) + "\n"

    @property
    def lead(self) -> str:
        """The opening sentences of the first paragraph (about two lines of text)."""
        first = next((p for s in self.sections for p in s.paragraphs), "")
        sentences = re.split(r"(?<=[.!?])\s+", first)
        lead = ""
        for sentence in sentences:
            lead = f"{lead} {sentence}".strip()
            if len(lead) >= 140:
                break
        return lead

    def text_lines(self) -> list[tuple[int, str]]:
        """(line, text) of every heading and paragraph, for finding mentions."""
        lines = []
        for section in self.sections:
            if section.heading:
                lines.append((section.line, section.heading))
            lines.extend(zip(section.paragraph_lines, section.paragraphs, strict=True))
        return lines


def _escape_block(text: str) -> str:
    # Keep the author's words; only stop a line that starts like Markdown block syntax
    # (a "#", ">" or "1." at the start) from turning into something it was not.
    if re.match(r"^(#|>|\d+[.)]\s|[=+]{3,})", text):
        return "\\" + text
    return text


def _normalise(line: str) -> str:
    return line.strip().rstrip(":").strip().casefold()


def is_heading(line: str) -> bool:
    """A short line of its own without a closing full stop (or other sentence end)."""
    text = line.strip()
    return (
        0 < len(text) <= MAX_HEADING_LENGTH
        and not text.endswith(SENTENCE_END)
        and not LIST_ITEM_RE.match(text)
        and not QUESTION_RE.match(text)
        and not ANSWER_RE.match(text)
        and any(char.isalpha() for char in text)
    )


def decode(data: bytes) -> str:
    """The file's text; binary or non-UTF-8 input raises ArticleImportError naming the line."""
    if not data.strip():
        raise ArticleImportError("Het bestand is leeg.", line=1)
    nul = data.find(b"\x00")
    if nul != -1:
        raise ArticleImportError(
            "Dit is geen tekstbestand (binaire inhoud).", line=data[:nul].count(b"\n") + 1
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleImportError(
            f"Geen geldige UTF-8-tekst (byte 0x{data[exc.start]:02x}); sla het bestand op "
            "als UTF-8.",
            line=data[: exc.start].count(b"\n") + 1,
        ) from exc
    for number, line in enumerate(text.splitlines(), start=1):
        for char in line:
            if unicodedata.category(char) == "Cc" and char != "\t":
                raise ArticleImportError(
                    f"Onverwacht stuurteken U+{ord(char):04X}: dit lijkt geen tekstbestand.",
                    line=number,
                )
    return text


def parse(text: str, *, title: str | None = None) -> ParsedArticle:
    """Parse a post; raises ArticleImportError (with the line) on malformed input."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not any(line.strip() for line in lines):
        raise ArticleImportError("Het bestand is leeg.", line=1)

    file_title = None
    sections: list[Section] = []
    faqs: list[ParsedFaq] = []
    keywords: list[str] = []
    mode = "body"
    faq_block_line = 0
    keyword_block_line = 0
    question: tuple[str, int] | None = None
    answer: list[str] | None = None

    def close_question() -> None:
        nonlocal question, answer
        if question is None:
            return
        if answer is None or not " ".join(answer).strip():
            raise ArticleImportError(
                f"De vraag „{question[0]}” heeft geen antwoord (een regel met „A:”).",
                line=question[1],
            )
        faqs.append(ParsedFaq(question=question[0], answer="\n\n".join(answer), line=question[1]))
        question, answer = None, None

    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        marker = _normalise(line)
        if file_title is None and not sections and mode == "body" and TITLE_RE.match(line):
            file_title = TITLE_RE.match(line)["text"].strip()
            continue
        if marker in FAQ_MARKERS:
            close_question()
            mode, faq_block_line = "faq", number
            continue
        if marker in KEYWORD_MARKERS:
            close_question()
            mode, keyword_block_line = "keywords", number
            continue

        if mode == "faq":
            if match := QUESTION_RE.match(line):
                close_question()
                if not match["text"].strip():
                    raise ArticleImportError("„V:” zonder vraag.", line=number)
                question = (match["text"].strip(), number)
            elif match := ANSWER_RE.match(line):
                if question is None:
                    raise ArticleImportError(
                        "„A:” zonder vraag ervoor (verwacht eerst een regel met „V:”).",
                        line=number,
                    )
                if answer is not None:
                    raise ArticleImportError(
                        "Tweede „A:” bij dezelfde vraag; begin een nieuwe vraag met „V:”.",
                        line=number,
                    )
                answer = [match["text"].strip()] if match["text"].strip() else []
            elif question is not None and answer is not None:
                answer.append(line)  # an answer of more than one paragraph
            else:
                raise ArticleImportError(
                    "In het blok „Vragen & Antwoorden” hoort elke regel bij een vraag („V:”) "
                    "of een antwoord („A:”).",
                    line=number,
                )
        elif mode == "keywords":
            match = LIST_ITEM_RE.match(line)
            keyword = (match["text"] if match else line).strip()
            if keyword.casefold() not in {k.casefold() for k in keywords}:
                keywords.append(keyword)
        elif is_heading(line):
            sections.append(Section(heading=line, line=number))
        else:
            if QUESTION_RE.match(line) or ANSWER_RE.match(line):
                raise ArticleImportError(
                    "Een vraag of antwoord („V:”/„A:”) buiten het blok „Vragen & Antwoorden”.",
                    line=number,
                )
            if not sections:
                sections.append(Section(heading=None, line=number))
            sections[-1].paragraphs.append(line)
            sections[-1].paragraph_lines.append(number)
    close_question()

    if faq_block_line and not faqs:
        raise ArticleImportError(
            "Het blok „Vragen & Antwoorden” bevat geen vragen.", line=faq_block_line
        )
    if keyword_block_line and not keywords:
        raise ArticleImportError("De lijst met zoekwoorden is leeg.", line=keyword_block_line)
    if not any(section.paragraphs for section in sections):
        raise ArticleImportError("Het bestand bevat geen alinea's tekst.", line=1)

    derived = not (title or file_title)
    final_title = (title or file_title or _derive_title(sections)).strip()
    return ParsedArticle(
        title=final_title,
        title_derived=derived,
        sections=sections,
        faqs=faqs,
        keywords=keywords,
    )


def _derive_title(sections: list[Section]) -> str:
    headings = [s.heading for s in sections if s.heading]
    for heading in headings:
        if _normalise(heading) not in GENERIC_HEADINGS:
            return heading
    if headings:
        return headings[0]
    words = next(p for s in sections for p in s.paragraphs).split()
    return " ".join(words[:8]).rstrip(".,;:")


def find_mentions(lines: list[tuple[int, str]]) -> Mentions:
    """Which magnesium forms and "…-collectie" collections the given (line, text) pairs name."""
    mentions = Mentions()
    for number, text in lines:
        for form, pattern in FORM_RES.items():
            if pattern.search(text):
                mentions.forms.setdefault(form, []).append(number)
        for match in COLLECTION_RE.finditer(text):
            mentions.collections.setdefault(match["name"], []).append(number)
    return mentions


# --- Proposals: what the catalogue holds of what the post names ------------------------------


@dataclass
class FormProposal:
    form: str
    lines: list[int]
    products: list = field(default_factory=list)


@dataclass
class CategoryProposal:
    name: str
    lines: list[int]
    category: object | None = None


@dataclass
class Proposals:
    forms: list[FormProposal] = field(default_factory=list)
    categories: list[CategoryProposal] = field(default_factory=list)
    # position of the FAQ in the file -> products its question and answer name
    faq_products: dict[int, list] = field(default_factory=dict)

    @property
    def products(self) -> list:
        seen, ordered = set(), []
        for proposal in self.forms:
            for product in proposal.products:
                if product.pk not in seen:
                    seen.add(product.pk)
                    ordered.append(product)
        return ordered

    @property
    def category_objects(self) -> list:
        return [p.category for p in self.categories if p.category is not None]


def _products_by_form(forms: Iterable[str]) -> dict[str, list]:
    forms = list(forms)
    if not forms:
        return {}
    # The form is a catalogue attribute, so new products of a form are proposed without
    # touching this code; children inherit it from their parent and are left out.
    rows = ProductAttributeValue.objects.filter(
        attribute__code=MAGNESIUM_FORM_ATTRIBUTE,
        value_multi_option__option__in=forms,
        product__is_public=True,
    ).values_list("product_id", "value_multi_option__option")
    by_form: dict[str, list[int]] = {}
    for product_id, form in rows:
        by_form.setdefault(form, []).append(product_id)
    ids = {pk for pks in by_form.values() for pk in pks}
    products = {
        p.pk: p
        for p in Product.objects.filter(pk__in=ids)
        .exclude(structure=Product.CHILD)
        .order_by("title")
    }
    return {
        form: sorted((products[pk] for pk in set(pks) if pk in products), key=lambda p: p.title)
        for form, pks in by_form.items()
    }


def _category_for(name: str):
    candidates = [name, *name.split()]
    for candidate in candidates:
        category = (
            Category.objects.filter(name__iexact=candidate).order_by("depth").first()
            or Category.objects.filter(slug=slugify(candidate)).order_by("depth").first()
        )
        if category is not None:
            return category
    return None


def import_proposals(parsed: ParsedArticle) -> Proposals:
    """Products (by magnesium form) and categories ("…-collectie") the post mentions."""
    mentions = find_mentions(parsed.text_lines())
    faq_mentions = [
        find_mentions([(faq.line, f"{faq.question} {faq.answer}")]) for faq in parsed.faqs
    ]
    all_forms = set(mentions.forms) | {form for m in faq_mentions for form in m.forms}
    by_form = _products_by_form(all_forms)
    proposals = Proposals()
    for form in FORM_WORDS:  # fixed order: the order of the catalogue's forms
        if form in mentions.forms:
            proposals.forms.append(
                FormProposal(form=form, lines=mentions.forms[form], products=by_form.get(form, []))
            )
    for name, lines in mentions.collections.items():
        proposals.categories.append(
            CategoryProposal(name=name, lines=lines, category=_category_for(name))
        )
    for index, faq_mention in enumerate(faq_mentions):
        products, seen = [], set()
        for form in FORM_WORDS:
            for product in by_form.get(form, []) if form in faq_mention.forms else []:
                if product.pk not in seen:
                    seen.add(product.pk)
                    products.append(product)
        if products:
            proposals.faq_products[index] = products
    return proposals
