"""The claim gate as the dashboard forks' publish check (shop.dashboard.hooks)."""

from __future__ import annotations

from oscar.core.loading import get_model

from content.dashboard import gate

Product = get_model("catalogue", "Product")


def claim_gate(obj, *, texts: list[tuple[str, str]] | None = None) -> None:
    """Raise ClaimGateError when `obj` holds error-level claims without an override; a product's
    form texts are checked with the label texts its attributes will show."""
    if texts is not None and isinstance(obj, Product):
        texts = [*texts, *gate.attribute_texts(obj)]
    gate.publish_check(obj, texts=texts)
