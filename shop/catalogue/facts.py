"""Supplement facts: the one place where a product's label facts and derived figures are computed.

Everything a customer or staff member sees about a supplement's dose (product page, listings,
guide product cards, the form comparison, the basket notice, the claim checker's condition of use)
comes from `supplement_facts()` here, or, for sorting a listing in the database, from
`price_per_day_expression()`, which computes the same figure in SQL.

Reference values (NRV, upper level, label statements, forms) are data from
`fixtures/magnesium-facts.json`, never literals in code or templates.

Required label facts (`missing_label_facts`):
- every supplement (product class "voedingssupplement"): dosage form, units per daily dose,
  units per pack, ingredients and usage. A child product reads its parent's values where it has
  none of its own; a parent product (which is not sold itself) does not need units per pack, its
  children do;
- a magnesium product (a magnesium form is set, or it sits in the Magnesium category tree) also:
  magnesium form and elemental magnesium per daily dose.
Vegan and warnings are shown when known but are not required by the labelling rules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, NullIf, Round
from oscar.core.loading import get_class, get_model

from shop.partner.strategy import own_price

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
StockRecord = get_model("partner", "StockRecord")


CENT = Decimal("0.01")
SUPPLEMENT_CLASS_SLUG = "voedingssupplement"
MAGNESIUM_CATEGORY_SLUG = "magnesium"

# Attribute codes of the "Voedingssupplement" product class (see shop/demo.py).
MAGNESIUM_FORM_ATTRIBUTE = "magnesium_form"
INT_ATTRIBUTES = ("elemental_mg", "units_per_dose", "units_per_pack")
TEXT_ATTRIBUTES = ("ingredients", "usage", "warnings")

# Dutch names of the facts, used in gate messages; they match the attribute names in the
# product class, but the message must not depend on how staff renamed an attribute.
FACT_LABELS = {
    "dosage_form": "toedieningsvorm",
    "units_per_dose": "eenheden per dagdosering",
    "units_per_pack": "eenheden per verpakking",
    "ingredients": "ingrediënten",
    "usage": "gebruik",
    MAGNESIUM_FORM_ATTRIBUTE: "magnesiumvorm",
    "elemental_mg": "elementair magnesium per dagdosering (mg)",
}
SUPPLEMENT_REQUIRED = ("dosage_form", "units_per_dose", "units_per_pack", "ingredients", "usage")
MAGNESIUM_REQUIRED = (MAGNESIUM_FORM_ATTRIBUTE, "elemental_mg")

# How one unit of each dosage form is counted in "Aanbevolen dagelijkse dosis: 2 tabletten".
DOSE_UNITS = {
    "capsule": ("capsule", "capsules"),
    "tablet": ("tablet", "tabletten"),
    "poeder": ("portie", "porties"),
    "vloeibaar": ("doseereenheid", "doseereenheden"),
}


@cache
def domain_facts() -> dict:
    """The domain data (NRV, upper level, label statements, forms, claims) from the fixtures."""
    path = Path(settings.BASE_DIR) / "fixtures" / "magnesium-facts.json"
    return json.loads(path.read_text(encoding="utf-8"))


def nrv_mg() -> int:
    """Nutrient reference value for magnesium (mg per day)."""
    return domain_facts()["nrv_mg"]


def upper_level_mg() -> int:
    """EFSA/SCF tolerable upper intake level for supplemental magnesium (mg per day)."""
    return domain_facts()["efsa"]["upper_level_supplemental_mg_per_day"]


def claim_min_share() -> Decimal:
    """The share of a nutrient's NRV a daily dose must hold before a health claim may be made for
    it ('source of', Reg. (EC) 1924/2006 Annex: 15%), for every nutrient the shop sells."""
    return Decimal(domain_facts()["source_claim_min_pct_nrv"]) / 100


def claim_min_mg() -> Decimal:
    """Least elemental magnesium per daily dose for a 'source of magnesium' (15% NRV)."""
    return Decimal(nrv_mg()) * claim_min_share()


def pct_nrv(mg: int | None) -> int | None:
    """Whole percent of the NRV, rounded half up as labels show it."""
    if mg is None:
        return None
    return int((Decimal(mg) * 100 / nrv_mg()).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _option_text(value) -> str | None:
    if value is None:
        return None
    return getattr(value, "option", None) or str(value)


def _raw_value(product, code: str):
    """The in-memory attribute value of `product`, falling back to its parent's for a child."""
    value = getattr(product.attr, code, None)
    if is_blank(value) and product.is_child and product.parent_id:
        value = getattr(product.parent.attr, code, None)
    return value


def is_blank(value) -> bool:
    """Whether an attribute value (or a form's cleaned value for it) holds no fact."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if hasattr(value, "exists") and hasattr(value, "all"):  # a multi-option manager/queryset
        return not value.exists()
    if isinstance(value, list | tuple | set):
        return not value
    return False


def _forms(value) -> list[str]:
    if is_blank(value):
        return []
    # A QuerySet is iterated as it is: .all() would clone it and drop prefetched rows.
    items = value if isinstance(value, QuerySet) or not hasattr(value, "all") else value.all()
    return [_option_text(item) for item in items]


def is_supplement(product) -> bool:
    """Whether `product` (or, for a child, its parent) is of the supplement product class."""
    product_class = product.get_product_class()
    return product_class is not None and product_class.slug == SUPPLEMENT_CLASS_SLUG


def in_magnesium_tree(product) -> bool:
    """Whether `product` (or its parent) sits in the Magnesium category or one of its children."""
    owner = product.parent if product.is_child and product.parent_id else product
    if not owner.pk:
        return False
    root = Category.objects.filter(slug=MAGNESIUM_CATEGORY_SLUG, depth=1).first()
    if root is None:
        return False
    return owner.categories.filter(path__startswith=root.path).exists()


@dataclass(frozen=True)
class SupplementFacts:
    """Label facts of one product per daily dose, with the figures derived from its live price."""

    product: object
    magnesium_forms: list[str] = field(default_factory=list)
    elemental_mg: int | None = None
    units_per_dose: int | None = None
    units_per_pack: int | None = None
    dosage_form: str | None = None
    vegan: bool | None = None
    ingredients: str = ""
    usage: str = ""
    warnings: str = ""
    price: Decimal | None = None  # incl. btw, of the pack these facts describe
    currency: str = "EUR"
    # For a parent product: the facts of the variant with the lowest price per day ("vanaf").
    from_variant: object | None = None

    @property
    def is_magnesium(self) -> bool:
        return bool(self.magnesium_forms) or self.elemental_mg is not None

    @property
    def pct_nrv(self) -> int | None:
        return pct_nrv(self.elemental_mg)

    @property
    def nrv_mg(self) -> int:
        return nrv_mg()

    @property
    def upper_level_mg(self) -> int:
        return upper_level_mg()

    @property
    def servings_per_pack(self) -> int | None:
        """Whole daily doses in one pack (a partial dose left over is not a serving)."""
        if not self.units_per_pack or not self.units_per_dose:
            return None
        return self.units_per_pack // self.units_per_dose

    @property
    def price_per_day(self) -> Decimal | None:
        if self.price is None or not self.servings_per_pack:
            return None
        return (self.price / self.servings_per_pack).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def price_per_100mg(self) -> Decimal | None:
        if self.price is None or not self.servings_per_pack or not self.elemental_mg:
            return None
        total_mg = self.servings_per_pack * self.elemental_mg
        return (self.price * 100 / total_mg).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def exceeds_upper_level(self) -> bool:
        return self.elemental_mg is not None and self.elemental_mg > upper_level_mg()

    @property
    def meets_claim_condition(self) -> bool:
        """At least a 'source of magnesium' per daily dose, the condition of every claim."""
        return self.elemental_mg is not None and self.elemental_mg >= claim_min_mg()

    @property
    def dose_text(self) -> str:
        """The recommended daily dose in words, e.g. "2 tabletten"."""
        if not self.units_per_dose:
            return ""
        singular, plural = DOSE_UNITS.get(self.dosage_form or "", ("eenheid", "eenheden"))
        return f"{self.units_per_dose} {singular if self.units_per_dose == 1 else plural}"

    @property
    def label_statements(self) -> list[dict]:
        """The mandatory label statements (Directive 2002/46/EC), filled in for this product."""
        statements = []
        for item in domain_facts()["mandatory_label_statements"]["items"]:
            text = item["nl"]
            if item["id"] == "daily_dose":
                if not self.dose_text:
                    continue
                text = text.format(dose=self.dose_text)
            elif item["id"] == "amount_per_dose":
                if self.elemental_mg is None:
                    continue
                text = text.format(mg=self.elemental_mg, pct=self.pct_nrv)
            elif item["id"] == "name" and self.is_magnesium:
                text = f"{text} met magnesium"
            statements.append({"id": item["id"], "text": text})
        # A form authorised as a novel food with a required statement (L-threonate, Reg. (EU)
        # 2024/2694: adults only, not in pregnancy or while breastfeeding).
        for form in domain_facts()["forms"]:
            novel_food = form.get("novel_food")
            if novel_food and form.get("shop_option") in self.magnesium_forms:
                statements.append(
                    {"id": f"novel_food.{form['key']}", "text": novel_food["label_statement_nl"]}
                )
        return statements


def _values(product) -> dict:
    forms = _forms(_raw_value(product, MAGNESIUM_FORM_ATTRIBUTE))
    dosage_form = _option_text(_raw_value(product, "dosage_form"))
    values = {"magnesium_forms": forms, "dosage_form": dosage_form}
    for code in INT_ATTRIBUTES:
        raw = _raw_value(product, code)
        values[code] = None if raw is None else int(raw)
    for code in TEXT_ATTRIBUTES:
        raw = _raw_value(product, code)
        values[code] = (raw or "").strip()
    vegan = _raw_value(product, "vegan")
    values["vegan"] = None if vegan is None else bool(vegan)
    return values


def _strategy(request=None):
    return get_class("partner.strategy", "Selector")().strategy(request=request)


def supplement_facts(product, *, request=None, strategy=None, variants=None) -> SupplementFacts:
    """The facts of `product`; for a parent, those of its variant with the lowest price per day.

    `variants`: a parent's public variants when the caller read them already (with their stock
    records and attribute values, `parent` set), else they are read here.
    """
    strategy = strategy or _strategy(request)
    if product.is_parent:
        # get_public_children(): the product page's prefetched variants, else a query.
        children = sorted(
            variants if variants is not None else product.get_public_children(),
            key=lambda c: c.pk,
        )
        variants = [supplement_facts(child, strategy=strategy) for child in children]
        priced = [f for f in variants if f.price_per_day is not None]
        if priced:
            cheapest = min(priced, key=lambda f: (f.price_per_day, f.product.pk))
            return SupplementFacts(
                **{**_values(product), "units_per_pack": cheapest.units_per_pack},
                product=product,
                price=cheapest.price,
                currency=cheapest.currency,
                from_variant=cheapest.product,
            )
        return SupplementFacts(product=product, **_values(product))
    info = strategy.fetch_for_product(product)
    price = info.price.incl_tax if info.price.exists and info.price.is_tax_known else None
    currency = info.price.currency if info.price.exists else "EUR"
    return SupplementFacts(product=product, price=price, currency=currency, **_values(product))


def required_label_facts(product) -> list[str]:
    """Attribute codes of the label facts `product` must carry before it may be public."""
    if not is_supplement(product):
        return []
    required = list(SUPPLEMENT_REQUIRED)
    if product.is_parent:
        required.remove("units_per_pack")
    forms = _forms(_raw_value(product, MAGNESIUM_FORM_ATTRIBUTE))
    if forms or in_magnesium_tree(product):
        required += MAGNESIUM_REQUIRED
    return required


def missing_label_facts(product) -> list[str]:
    """Dutch names of the required label facts `product` lacks (empty when complete).

    Reads the in-memory `product.attr` values, because Oscar saves attribute values after the
    product row: a guard on the product's save must see what is about to be saved.
    """
    return [
        FACT_LABELS[code]
        for code in required_label_facts(product)
        if is_blank(_raw_value(product, code))
    ]


def label_fact_lost(value) -> str | None:
    """The Dutch name of the required label fact a public product would lose if its attribute
    `value` were deleted, else None. A variant may lose its own value of a fact its parent
    carries."""
    product = value.product
    code = value.attribute.code
    if not product.is_public or code not in required_label_facts(product):
        return None
    if product.is_child and product.parent_id:
        if not is_blank(getattr(product.parent.attr, code, None)):
            return None
    return FACT_LABELS[code]


def label_fact_removal_refusal(value) -> str | None:
    """The Dutch reason why attribute `value` may not be removed (a public supplement would lose a
    required label fact), else None."""
    lost = label_fact_lost(value)
    if lost is None:
        return None
    product = value.product
    return (
        f"'{product.title or product.upc}' is openbaar en heeft '{lost}' op het etiket nodig: "
        "zet het product eerst offline."
    )


def definition_removal_refusals(*, attributes=(), options=()) -> list[str]:
    """The Dutch reasons why these attribute definitions and attribute options may not be deleted:
    deleting them deletes (or, for a multi-option fact, empties) the values built on them, and a
    public supplement would lose a required label fact (label_fact_removal_refusal). One per
    product, in product order; empty when nothing stands in the way."""
    attribute_ids = {attribute.pk for attribute in attributes}
    option_ids = {option.pk for option in options}
    if not attribute_ids and not option_ids:
        return []
    values = (
        ProductAttributeValue.objects.filter(
            Q(attribute__in=attribute_ids)
            | Q(value_option__in=option_ids)
            | Q(value_multi_option__in=option_ids)
        )
        .select_related("attribute", "product", "product__parent", "product__product_class")
        .prefetch_related("value_multi_option")
        .distinct()
        .order_by("product_id", "pk")
    )
    refusals = []
    for value in values:
        kept_options = {option.pk for option in value.value_multi_option.all()} - option_ids
        survives = (
            value.attribute_id not in attribute_ids
            and value.value_option_id not in option_ids
            and kept_options
        )
        if survives:
            continue  # a multi-option fact that keeps one of its options
        refusal = label_fact_removal_refusal(value)
        if refusal and refusal not in refusals:
            refusals.append(refusal)
    return refusals


@dataclass(frozen=True)
class BasketDose:
    """The daily magnesium doses of the magnesium products in a basket, added up."""

    products: list[SupplementFacts]

    @property
    def total_mg(self) -> int:
        return sum(f.elemental_mg for f in self.products)

    @property
    def upper_level_mg(self) -> int:
        return upper_level_mg()

    @property
    def exceeds_upper_level(self) -> bool:
        return self.total_mg > upper_level_mg()


def elemental_mg_of(products) -> dict[int, int]:
    """Elemental magnesium per daily dose by product id, a child's own or else its parent's,
    read in one query for all of `products` (those without the fact are left out)."""
    owners = {p.pk for p in products} | {p.parent_id for p in products if p.parent_id}
    rows = ProductAttributeValue.objects.filter(
        attribute__code="elemental_mg", product_id__in=owners
    ).select_related("attribute")
    mg = {row.product_id: int(row.value) for row in rows if row.value is not None}
    found = {}
    for product in products:
        value = mg.get(product.pk, mg.get(product.parent_id))
        if value is not None:
            found[product.pk] = value
    return found


def basket_daily_dose(basket) -> BasketDose:
    """The magnesium products in `basket`, each counted once, with their summed daily dose.

    Quantity does not multiply the dose: two packs of one product are still one daily dose, and
    so are two pack sizes of one product (variants of the same parent). Only the dose is read,
    not the facts' prices: the notice shows none.
    """
    products = [line.product for line in basket.all_lines() if line.product is not None]
    mg = elemental_mg_of(products)
    seen: dict[int, SupplementFacts] = {}
    for product in products:
        key = product.parent_id if product.is_child else product.pk
        if key not in seen and mg.get(product.pk):
            seen[key] = SupplementFacts(product=product, elemental_mg=mg[product.pk])
    return BasketDose(products=list(seen.values()))


# --- The same price per day in SQL, for sorting listings in the database ---------------------


def _attr_int(code: str, product_ref):
    return Subquery(
        ProductAttributeValue.objects.filter(product_id=product_ref, attribute__code=code).values(
            "value_integer"
        )[:1],
        output_field=IntegerField(),
    )


def _own_price_per_day():
    """Price per day of a standalone or child product, per row of a Product queryset."""
    units_per_pack = Coalesce(
        _attr_int("units_per_pack", OuterRef("pk")),
        _attr_int("units_per_pack", OuterRef("parent_id")),
    )
    units_per_dose = Coalesce(
        _attr_int("units_per_dose", OuterRef("pk")),
        _attr_int("units_per_dose", OuterRef("parent_id")),
    )
    # Integer division on both PostgreSQL and SQLite: whole servings, as servings_per_pack.
    servings = NullIf(ExpressionWrapper(units_per_pack / units_per_dose, IntegerField()), 0)
    return Round(
        ExpressionWrapper(own_price() / servings, DecimalField(max_digits=12, decimal_places=6)),
        2,
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


def price_per_day_expression():
    """SQL for the price per daily dose incl. btw (a parent: its cheapest variant's), or NULL."""
    cheapest_child = (
        Product.objects.filter(parent_id=OuterRef("pk"), is_public=True)
        .annotate(child_price_per_day=_own_price_per_day())
        .filter(child_price_per_day__isnull=False)
        .order_by("child_price_per_day", "pk")
        .values("child_price_per_day")[:1]
    )
    return Coalesce(
        _own_price_per_day(),
        Subquery(cheapest_child, output_field=DecimalField(max_digits=12, decimal_places=2)),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


__all__ = [
    "MAGNESIUM_FORM_ATTRIBUTE",
    "BasketDose",
    "basket_daily_dose",
    "SupplementFacts",
    "domain_facts",
    "in_magnesium_tree",
    "is_supplement",
    "label_fact_lost",
    "missing_label_facts",
    "required_label_facts",
    "nrv_mg",
    "pct_nrv",
    "price_per_day_expression",
    "supplement_facts",
    "upper_level_mg",
]
