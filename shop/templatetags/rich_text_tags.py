"""Staff HTML on pages: `{{ product.description|rich_text }}` instead of Oscar's `|safe`.

The policy lives in shop.richtext; these filters only make it reachable from templates.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from shop import richtext

register = template.Library()


@register.filter
def rich_text(value) -> SafeString:
    """Stored staff HTML with only the allow-listed tags, attributes and links left."""
    return richtext.rich_text(value)


@register.filter
def rich_text_fields(obj, fields: str):
    """`obj` whose comma-separated `fields` read as cleaned HTML (see RichTextFields)."""
    if obj is None or obj == "":
        return obj
    return richtext.RichTextFields(obj, tuple(f.strip() for f in fields.split(",")))


@register.filter
def rich_text_each(objects, fields: str) -> list:
    """Each object of `objects` as rich_text_fields would give it."""
    return [rich_text_fields(obj, fields) for obj in objects or ()]
