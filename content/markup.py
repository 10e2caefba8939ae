"""Markdown to safe HTML: markdown-it-py renders, nh3 sanitises, references become URLs.

`render_markdown` is pure: it touches no database. Callers resolve the references of a text
first (content.references.resolve_urls) and pass the result in as `urls`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.token import Token

from shop.richtext import clean_html

REFERENCE_RE = re.compile(r"^(?P<kind>product|category|guide):(?P<key>[^\s/?#]+)$", re.I)

# The allow-list (tags, attributes, URL schemes) is the shop's one policy: shop.richtext.
# Guide links keep their own rel: most point at the shop's product pages, which must keep ranking.
LINK_REL = "noopener noreferrer"


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


class Rendered(NamedTuple):
    html: str
    toc: list[Heading]


def reference_key(kind: str, key: str) -> str:
    """The lookup key of a reference in the `urls` mapping, e.g. "product:MG-BIS-200"."""
    kind = kind.lower()
    # UPCs are matched case-insensitively, slugs are lower case by construction.
    return f"{kind}:{key.upper() if kind == 'product' else key.lower()}"


def parse_reference(href: str) -> tuple[str, str] | None:
    """(kind, key) for an href like "product:MG-BIS-200", None for an ordinary URL."""
    match = REFERENCE_RE.match(href.strip())
    if not match:
        return None
    return match["kind"].lower(), match["key"]


def _markdown() -> MarkdownIt:
    # html=False: raw HTML typed by staff is escaped as text before nh3 even sees it.
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def _unique_anchor(text: str, seen: set[str]) -> str:
    base = slugify(text)[:60].strip("-") or "sectie"
    anchor, n = base, 2
    while anchor in seen:
        anchor, n = f"{base}-{n}", n + 1
    seen.add(anchor)
    return anchor


def _resolve_links(children: list[Token], urls: Mapping[str, str]) -> list[Token]:
    """Swap reference hrefs for real URLs; unwrap references that resolve to nothing."""
    result: list[Token] = []
    drop_closers: list[bool] = []
    for token in children:
        if token.type == "link_open":
            parsed = parse_reference(str(token.attrGet("href") or ""))
            if parsed is None:
                drop_closers.append(False)
                result.append(token)
                continue
            url = urls.get(reference_key(*parsed))
            if url:
                token.attrSet("href", url)
                drop_closers.append(False)
                result.append(token)
            else:
                # A deleted or hidden product: keep the words, lose the link.
                drop_closers.append(True)
            continue
        if token.type == "link_close":
            if drop_closers and drop_closers.pop():
                continue
        result.append(token)
    return result


def render_markdown(text: str, *, urls: Mapping[str, str] | None = None) -> Rendered:
    """Safe HTML and the table of contents (its ## and ### headings) of a Markdown text."""
    urls = urls or {}
    md = _markdown()
    tokens = md.parse(text or "")
    toc: list[Heading] = []
    seen: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in {"h2", "h3", "h4"}:
            inline = tokens[index + 1]
            title = (
                "".join(
                    child.content for child in (inline.children or []) if child.type == "text"
                ).strip()
                or inline.content
            )
            anchor = _unique_anchor(title, seen)
            token.attrSet("id", anchor)
            if token.tag in {"h2", "h3"}:
                toc.append(Heading(level=int(token.tag[1]), text=title, anchor=anchor))
        if token.type == "inline" and token.children:
            token.children = _resolve_links(token.children, urls)
    html = md.renderer.render(tokens, md.options, {})
    return Rendered(html=sanitize_html(html), toc=toc)


def sanitize_html(html: str) -> str:
    """HTML with only the allow-listed tags, attributes and URL schemes left."""
    return clean_html(html, link_rel=LINK_REL)


def plain_text(text: str) -> str:
    """The words of a Markdown text without markup (for descriptions and JSON-LD)."""
    html = render_markdown(text).html
    return re.sub(r"\s+", " ", nh3.clean(html, tags=set())).strip()
