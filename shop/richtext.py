"""The one HTML sanitising policy of the shop: every rich text shown as HTML passes through here.

Staff write HTML in Oscar's dashboard (product, category, offer and range descriptions, the legal
flatpages) and Markdown in the Kennisbank (guides, FAQ answers: content.markup renders it, then
cleans it here). Whatever they stored, a page gets only the allow-listed tags and attributes, and
links only to http(s), mailto or a path on this site. The sanitising happens on output, so a row
written before this policy, by the admin, a data migration or a `QuerySet.update()` is cleaned too.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "u", "ul",
})  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
# Relative URLs stay allowed (links within the shop); any other scheme, javascript:, data: and
# vbscript: among them, is dropped with its attribute.
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Tags whose content must go with them, not be left behind as text.
CLEAN_CONTENT_TAGS = frozenset(
    {"script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript"}
)
# Staff links: the target page gets no handle on ours and no ranking from the shop.
LINK_REL = "noopener nofollow"


def clean_html(html: str | None, *, link_rel: str = LINK_REL) -> str:
    """`html` with only the allow-listed tags, attributes and URL schemes left."""
    return nh3.clean(
        str(html or ""),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel=link_rel,
        strip_comments=True,
    )


def rich_text(html: str | None) -> SafeString:
    """Stored staff HTML, cleaned, ready for a template."""
    return mark_safe(clean_html(html))  # noqa: S308 - cleaned by the allow-list above


class RichTextFields:
    """A model instance whose named rich-text fields read as cleaned HTML, everything else as is.

    Oscar's templates print some rich texts with `|safe` in the middle of a block (the category
    description around the listing, the offer description in the offer pages): shadowing the
    object with this one (`{% with category=category|rich_text_fields:"description" %}` around
    `{{ block.super }}`) cleans them without copying Oscar's markup.
    """

    def __init__(self, obj, fields: tuple[str, ...]):
        self._obj = obj
        # "benefit.description": the benefit reads as an object whose description is cleaned.
        self._fields = {f for f in fields if "." not in f}
        self._nested: dict[str, list[str]] = {}
        for field in fields:
            if "." in field:
                head, rest = field.split(".", 1)
                self._nested.setdefault(head, []).append(rest)

    def __getattr__(self, name):
        value = getattr(self._obj, name)
        if name in self._fields:
            return rich_text(value) if value else value
        if name in self._nested and value is not None:
            return RichTextFields(value, tuple(self._nested[name]))
        return value

    def __str__(self) -> str:
        return str(self._obj)
