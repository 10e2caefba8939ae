"""The claim gate in the dashboard's edit pages: findings inline next to their sentences, and
the Compliance panel (state of the gate, the override form, who overrode when and why)."""

from __future__ import annotations

from django import template

from content.dashboard import gate
from content.dashboard.models import ClaimOverride

register = template.Library()


@register.inclusion_tag("content/dashboard/partials/claim_inline.html")
def claim_inline(text: str, field: str = "") -> dict:
    """The sentences of `text` that need attention, each with its note and authorised wording."""
    return {"lines": gate.annotate(text or ""), "field": field}


@register.inclusion_tag("content/dashboard/partials/claim_gate.html", takes_context=True)
def claim_gate_panel(context, obj) -> dict:
    """Whether `obj` may be public as it stands, and the Compliance override for it."""
    request = context.get("request")
    if obj is None or getattr(obj, "pk", None) is None:
        return {"obj": None}
    texts = gate.item_texts(obj)
    return {
        "obj": obj,
        "kind": gate.kind_of(obj),
        "errors": gate.claim_errors(texts),
        "override": gate.valid_override(obj, texts),
        "overrides": ClaimOverride.objects.for_object(obj).select_related("user")[:10],
        "can_override": gate.can_override(getattr(request, "user", None)),
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }
