"""Builders for supplement products with label facts (shared by the facts/gate/UL/comparison tests)."""

from __future__ import annotations

from decimal import Decimal

from oscar.apps.catalogue.models import AttributeOption, Product

from shop.demo import ensure_product_class
from shop.partner.models import Partner, StockRecord


def make_supplement(
    *,
    upc: str,
    title: str | None = None,
    mg: int | None = 150,
    forms: tuple[str, ...] = ("citraat",),
    price: str = "9.95",
    units_per_dose: int = 1,
    units_per_pack: int = 60,
    dosage_form: str = "tablet",
    description: str = "",
    is_public: bool = True,
    **overrides,
) -> Product:
    """A standalone public supplement with every required label fact (override to remove one)."""
    product_class = ensure_product_class()
    product = Product(
        upc=upc,
        title=title or f"Testsupplement {upc}",
        product_class=product_class,
        structure=Product.STANDALONE,
        description=description,
        is_public=is_public,
    )
    values = {
        "magnesium_form": list(
            AttributeOption.objects.filter(group__name="Magnesiumvorm", option__in=forms)
        ),
        "elemental_mg": mg,
        "units_per_dose": units_per_dose,
        "units_per_pack": units_per_pack,
        "dosage_form": AttributeOption.objects.get(
            group__name="Toedieningsvorm", option=dosage_form
        ),
        "vegan": True,
        "ingredients": "Magnesiumcitraat, vulstof (cellulose).",
        "usage": f"Neem {units_per_dose} per dag.",
        **overrides,
    }
    for code, value in values.items():
        if value is not None and value != []:
            setattr(product.attr, code, value)
    product.save()
    partner, _ = Partner.objects.get_or_create(name="Testpartner")
    StockRecord.objects.create(
        product=product, partner=partner, partner_sku=upc, price=Decimal(price), num_in_stock=20
    )
    return product
