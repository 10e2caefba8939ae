"""Cosmetic products (applied to the skin, such as a magnesium chloride 'oil' spray).

A cosmetic is not a food (Regulation (EC) 1223/2009): it has no supplement facts and no health
claims, is taxed at the standard btw rate, and carries the label fields of art. 19 instead. It is
a product class of its own ("Cosmetica"), so the label gate, facts and claim checks for
supplements never apply to it.
"""

from __future__ import annotations

from dataclasses import dataclass

COSMETIC_CLASS_SLUG = "cosmetica"

# code -> Dutch label, in the order the product page shows them (Reg. (EC) 1223/2009 art. 19).
LABEL_FIELDS = {
    "function": "Functie",
    "content_ml": "Inhoud (ml)",
    "inci": "Ingrediënten (INCI)",
    "usage": "Gebruik",
    "precautions": "Voorzorgsmaatregelen",
    "period_after_opening": "Houdbaarheid na opening",
    "responsible_person": "Verantwoordelijke persoon",
}


def is_cosmetic(product) -> bool:
    """Whether `product` (or, for a child, its parent) is of the cosmetic product class."""
    product_class = product.get_product_class()
    return product_class is not None and product_class.slug == COSMETIC_CLASS_SLUG


@dataclass(frozen=True)
class LabelField:
    code: str
    label: str
    value: str


def cosmetic_label(product) -> list[LabelField]:
    """The cosmetic label fields `product` has values for, in label order."""
    if not is_cosmetic(product):
        return []
    fields = []
    for code, label in LABEL_FIELDS.items():
        value = getattr(product.attr, code, None)
        if value in (None, "") and product.is_child and product.parent_id:
            value = getattr(product.parent.attr, code, None)
        if value not in (None, ""):
            fields.append(LabelField(code=code, label=label, value=str(value)))
    return fields
