"""Demo data: the magnesium collection from fixtures/catalogue.json, with generated packshots.

Every function is idempotent: loading twice updates what is there and creates nothing twice.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model
from PIL import Image, ImageDraw, ImageFont

from shop.catalogue.facts import MAGNESIUM_FORM_ATTRIBUTE
from shop.cosmetics import COSMETIC_CLASS_SLUG, LABEL_FIELDS

AttributeOption = get_model("catalogue", "AttributeOption")
AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
Voucher = get_model("voucher", "Voucher")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

FIXTURES = Path(settings.BASE_DIR) / "fixtures"

MAGNESIUM_FORMS = [
    "bisglycinaat",
    "citraat",
    "malaat",
    "L-threonaat",
    "tauraat",
    "oxide",
    "chloride",
]
DOSAGE_FORMS = ["capsule", "tablet", "poeder", "vloeibaar"]

# code -> (name, type, option group name or None)
ATTRIBUTES = {
    MAGNESIUM_FORM_ATTRIBUTE: ("Magnesiumvorm", ProductAttribute.MULTI_OPTION, "Magnesiumvorm"),
    "elemental_mg": ("Elementair magnesium per dagdosering (mg)", ProductAttribute.INTEGER, None),
    "units_per_dose": ("Eenheden per dagdosering", ProductAttribute.INTEGER, None),
    "units_per_pack": ("Eenheden per verpakking", ProductAttribute.INTEGER, None),
    "dosage_form": ("Toedieningsvorm", ProductAttribute.OPTION, "Toedieningsvorm"),
    "vegan": ("Vegan", ProductAttribute.BOOLEAN, None),
    "ingredients": ("Ingrediënten", ProductAttribute.TEXT, None),
    "usage": ("Gebruik", ProductAttribute.TEXT, None),
    "warnings": ("Waarschuwingen", ProductAttribute.TEXT, None),
}

# The cosmetic class's attributes (shop.cosmetics.LABEL_FIELDS): label fields, not food facts.
COSMETIC_ATTRIBUTES = {
    code: (label, ProductAttribute.INTEGER if code == "content_ml" else ProductAttribute.TEXT)
    for code, label in LABEL_FIELDS.items()
}

FORM_COLOURS = {
    "bisglycinaat": (46, 94, 140),
    "citraat": (214, 150, 32),
    "malaat": (88, 140, 60),
    "L-threonaat": (110, 70, 140),
    "tauraat": (32, 128, 128),
    "oxide": (120, 120, 120),
    "chloride": (40, 110, 170),
}


def load_catalogue_data() -> dict:
    """The demo catalogue as written in fixtures/catalogue.json."""
    return json.loads((FIXTURES / "catalogue.json").read_text(encoding="utf-8"))


def ensure_product_class(name: str = "Voedingssupplement") -> ProductClass:
    """The supplement product class with its attributes and option groups."""
    product_class, _ = ProductClass.objects.get_or_create(
        slug="voedingssupplement",
        defaults={"name": name, "requires_shipping": True, "track_stock": True},
    )
    groups = {
        "Magnesiumvorm": MAGNESIUM_FORMS,
        "Toedieningsvorm": DOSAGE_FORMS,
    }
    for group_name, options in groups.items():
        group, _ = AttributeOptionGroup.objects.get_or_create(name=group_name)
        for option in options:
            AttributeOption.objects.get_or_create(group=group, option=option)
    for code, (label, attr_type, group_name) in ATTRIBUTES.items():
        group = AttributeOptionGroup.objects.get(name=group_name) if group_name else None
        ProductAttribute.objects.update_or_create(
            product_class=product_class,
            code=code,
            defaults={"name": label, "type": attr_type, "option_group": group, "required": False},
        )
    return product_class


def ensure_cosmetic_class() -> ProductClass:
    """The cosmetic product class (a product for the skin is no food) with its label fields."""
    product_class, _ = ProductClass.objects.get_or_create(
        slug=COSMETIC_CLASS_SLUG,
        defaults={"name": "Cosmetica", "requires_shipping": True, "track_stock": True},
    )
    for code, (label, attr_type) in COSMETIC_ATTRIBUTES.items():
        ProductAttribute.objects.update_or_create(
            product_class=product_class,
            code=code,
            defaults={"name": label, "type": attr_type, "required": False},
        )
    return product_class


def packshot(title: str, form: str, mg: int | None) -> ContentFile:
    """An 800x800 PNG label with the product's name, form and dose."""
    colour = FORM_COLOURS.get(form, (150, 60, 60))
    img = Image.new("RGB", (800, 800), (246, 244, 239))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((200, 110, 600, 720), radius=48, fill=colour)
    draw.rectangle((250, 70, 550, 130), fill=(60, 60, 60))
    draw.rectangle((230, 300, 570, 560), fill=(255, 255, 255))
    big = ImageFont.load_default(size=44)
    mid = ImageFont.load_default(size=30)
    words, lines, line = title.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=mid) > 320 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    y = 315
    for text in lines[:4]:
        draw.text((400, y), text, font=mid, fill=(30, 30, 30), anchor="ma")
        y += 38
    if mg:
        draw.text((400, 600), f"{mg} mg", font=big, fill=(255, 255, 255), anchor="ma")
    draw.text((400, 660), form, font=mid, fill=(255, 255, 255), anchor="ma")
    buffer = io.BytesIO()
    img.save(buffer, format="PNG", optimize=True)
    return ContentFile(buffer.getvalue())


def _set_attributes(product: Product, values: dict) -> None:
    for code in ATTRIBUTES:
        if code not in values or values[code] is None:
            continue
        value = values[code]
        if code == MAGNESIUM_FORM_ATTRIBUTE:
            value = list(
                AttributeOption.objects.filter(group__name="Magnesiumvorm", option__in=value)
            )
        elif code == "dosage_form":
            value = AttributeOption.objects.get(group__name="Toedieningsvorm", option=value)
        setattr(product.attr, code, value)


def _upsert_product(
    *, product_class, upc, title, structure, parent=None, description="", values=None
) -> Product:
    product = Product.objects.filter(upc=upc).first() or Product(upc=upc)
    product.title = title
    product.structure = structure
    product.parent = parent
    product.product_class = None if parent else product_class
    product.description = description
    product.is_public = True
    _set_attributes(product, values or {})
    product.save()
    return product


def _stock(*, partner: Partner, product: Product, price: str, stock: int) -> None:
    StockRecord.objects.update_or_create(
        product=product,
        partner=partner,
        defaults={
            "partner_sku": product.upc,
            "price_currency": "EUR",
            "price": Decimal(price),
            "num_in_stock": stock,
        },
    )


def _image(product: Product, form: str, mg: int | None) -> None:
    if product.images.exists():
        return
    image = ProductImage(product=product, caption=product.title, display_order=0)
    image.original.save(f"{product.upc.lower()}.png", packshot(product.title, form, mg), save=False)
    image.save()


# Category names of earlier demo versions that were health claims (Reg. (EC) 1924/2006 art. 1(3)):
# loading the demo removes them.
RETIRED_CATEGORIES = [
    "Ontspanning & slaap",
    "Focus & geheugen",
    "Energie & spieren",
    "Spijsvertering",
]


def _categories(tree: dict) -> dict[str, Category]:
    for name in RETIRED_CATEGORIES:
        for category in Category.objects.filter(name=name):
            category.delete()
    found = {}
    for parent, children in tree.items():
        found[parent] = create_from_breadcrumbs(parent)
        for child in children:
            found[child] = create_from_breadcrumbs(f"{parent} > {child}")
    return found


@transaction.atomic
def load_catalogue() -> dict[str, int]:
    """Create or update the demo catalogue; returns counts of what it holds afterwards."""
    data = load_catalogue_data()
    product_class = ensure_product_class(data["product_class"])
    partner, _ = Partner.objects.get_or_create(name=data["partner"])
    categories = _categories(data["categories"])

    for item in data["magnesium"]:
        values = {k: item.get(k) for k in ATTRIBUTES}
        children = item.get("children")
        product = _upsert_product(
            product_class=product_class,
            upc=item["upc"],
            title=item["title"],
            structure=Product.PARENT if children else Product.STANDALONE,
            description=item["description"],
            values=values,
        )
        wanted = [categories[name] for name in ["Magnesium", *item["categories"]]]
        ProductCategory.objects.filter(product=product).exclude(category__in=wanted).delete()
        for category in wanted:
            ProductCategory.objects.get_or_create(product=product, category=category)
        _image(product, item[MAGNESIUM_FORM_ATTRIBUTE][0], item["elemental_mg"])
        if not children:
            _stock(partner=partner, product=product, price=item["price"], stock=item["stock"])
        for child in children or []:
            child_product = _upsert_product(
                product_class=product_class,
                upc=child["upc"],
                title=child["title"],
                structure=Product.CHILD,
                parent=product,
                values={"units_per_pack": child["units_per_pack"]},
            )
            _stock(
                partner=partner, product=child_product, price=child["price"], stock=child["stock"]
            )

    cosmetic_class = ensure_cosmetic_class()
    for item in data.get("cosmetics", []):
        product = _upsert_product(
            product_class=cosmetic_class,
            upc=item["upc"],
            title=item["title"],
            structure=Product.STANDALONE,
            description=item["description"],
        )
        # A product that was a supplement before keeps no food facts or food categories.
        product.attribute_values.exclude(attribute__product_class=cosmetic_class).delete()
        for code in COSMETIC_ATTRIBUTES:
            if item.get(code) is not None:
                setattr(product.attr, code, item[code])
        product.attr.save()
        ProductCategory.objects.filter(product=product).exclude(
            category__in=[categories[name] for name in item["categories"]]
        ).delete()
        for name in item["categories"]:
            ProductCategory.objects.get_or_create(product=product, category=categories[name])
        _image(product, "chloride", None)
        _stock(partner=partner, product=product, price=item["price"], stock=item["stock"])

    for item in data["complementary"]:
        values = {k: item.get(k) for k in ATTRIBUTES}
        product = _upsert_product(
            product_class=product_class,
            upc=item["upc"],
            title=item["title"],
            structure=Product.STANDALONE,
            description=item["description"],
            values=values,
        )
        ProductCategory.objects.get_or_create(product=product, category=categories["Aanvullend"])
        _image(product, item["title"], None)
        _stock(partner=partner, product=product, price=item["price"], stock=item["stock"])

    return {
        "products": Product.objects.browsable().count(),
        "magnesium": Product.objects.browsable()
        .filter(categories__in=categories["Magnesium"].get_descendants_and_self())
        .distinct()
        .count(),
        "variants": Product.objects.filter(structure=Product.CHILD).count(),
        "categories": Category.objects.count(),
    }


@transaction.atomic
def load_offers() -> None:
    """A site offer on the magnesium collection and the welcome voucher WELKOM10."""
    collection = Category.objects.get(slug="magnesium", depth=1)
    magnesium_range, _ = Range.objects.get_or_create(
        name="Magnesium-collectie", defaults={"is_public": True}
    )
    magnesium_range.included_categories.add(collection)
    condition, _ = Condition.objects.get_or_create(
        range=magnesium_range, type=Condition.COUNT, value=3
    )
    benefit, _ = Benefit.objects.get_or_create(
        range=magnesium_range, type=Benefit.PERCENTAGE, value=Decimal("5.00")
    )
    ConditionalOffer.objects.update_or_create(
        name="5% korting vanaf 3 magnesiumproducten",
        defaults={
            "description": "Koop 3 of meer producten uit de magnesium-collectie en krijg 5% korting.",
            "offer_type": ConditionalOffer.SITE,
            "condition": condition,
            "benefit": benefit,
            "status": ConditionalOffer.OPEN,
        },
    )

    everything, _ = Range.objects.get_or_create(
        name="Alle producten", defaults={"includes_all_products": True}
    )
    voucher_condition, _ = Condition.objects.get_or_create(
        range=everything, type=Condition.COUNT, value=1
    )
    voucher_benefit, _ = Benefit.objects.get_or_create(
        range=everything, type=Benefit.PERCENTAGE, value=Decimal("10.00")
    )
    voucher_offer, _ = ConditionalOffer.objects.update_or_create(
        name="Welkomstkorting WELKOM10",
        defaults={
            "offer_type": ConditionalOffer.VOUCHER,
            "condition": voucher_condition,
            "benefit": voucher_benefit,
        },
    )
    voucher, _ = Voucher.objects.update_or_create(
        code="WELKOM10",
        defaults={
            "name": "Welkomstkorting",
            "usage": Voucher.MULTI_USE,
            "start_datetime": timezone.now() - timezone.timedelta(days=1),
            "end_datetime": timezone.now() + timezone.timedelta(days=365 * 5),
        },
    )
    voucher.offers.add(voucher_offer)
