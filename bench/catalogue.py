"""The benchmark catalogues, built reproducibly (fixed seeds, no clock, no network).

* S = the demo data (`shop.demo`, what `manage.py load_demo` loads).
* L = the demo data plus generated products up to 5,000 browsable products in 50 categories,
  200 published guides and 400 FAQs linked to products and categories.
* XL = the same up to 50,000 products in 500 categories (four levels deep), 1,000 guides and
  2,000 FAQs; ours only (`make scale-xl`, bench/xl.py), stock Oscar is not measured on it.

Stock Oscar gets the *same* products through a spec: `dump_spec()` reads our catalogue into plain
JSON (categories by breadcrumb, products with attributes, stock records and image paths) and
`load_spec()` writes it with Oscar's own models only, so it also runs under
`bench.stock_settings`, where none of our apps is installed.

Command line (run.py calls these in child processes with the right settings module):
    python -m bench.catalogue ours --size L          # DJANGO_SETTINGS_MODULE=shop.settings
    python -m bench.catalogue ours --size XL         # idem, a few minutes
    python -m bench.catalogue dump --out spec.json   # idem
    python -m bench.catalogue stock --spec spec.json # DJANGO_SETTINGS_MODULE=bench.stock_settings
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SEED = 20261125
LARGE = {"products": 5000, "categories": 50, "guides": 200, "faqs": 400}
XLARGE = {"products": 50_000, "categories": 500, "guides": 1000, "faqs": 2000}
SIZES = {"L": LARGE, "XL": XLARGE}
# Products per round of bulk inserts: a round's rows (about ten per product) stay in memory.
CHUNK = 5000
# The product whose page, basket line and add-to-basket POST the benchmark measures: a standalone
# magnesium product of the demo data, so it exists in S and L and in both shops.
BENCH_UPC = "MG-BIS-200"
# The "customer" visitor of the benchmark: an account that logs in over HTTP (Oscar's login form,
# e-mail and password) and keeps a basket holding the bench product. Made by `prepare`.
BENCH_CUSTOMER_EMAIL = "klant@bench.example"
BENCH_CUSTOMER_PASSWORD = "bench-klant-wachtwoord-2026"
# Distinct packshot files shared by the generated products (like a shop with few photographers).
DISTINCT_IMAGES = 50

# Added to the demo's categories, in creation order (a new root comes before its children).
EXTRA_TREE = {
    "Magnesium": "Sport & herstel|Kinderen|Poeders|Vloeibaar|Combinaties|Zwangerschap",
    "Aanvullend": "Vitamine D|Vitamine B|Vitamine C|Omega-3|Zink|IJzer|Calcium|Selenium|Probiotica",
    "Kruiden & planten": "Ashwagandha|Rhodiola|Valeriaan|Kurkuma|Gember|Echinacea|Citroenmelisse"
    "|Passiebloem|Ginkgo",
    "Sport & energie": "Elektrolyten|Creatine|Eiwitten|Aminozuren|Pre-workout|Herstel|Uithouding"
    "|Hydratatie|Spierkrampen",
    "Huid, haar & nagels": "Collageen|Biotine|Hyaluronzuur|Silicium|Vitamine E|Keratine|MSM"
    "|Zinkcomplex",
}
DEMO_ROOTS = ("Magnesium", "Aanvullend")
EXTRA_CATEGORIES = [
    crumb
    for root, children in EXTRA_TREE.items()
    for crumb in (
        ([] if root in DEMO_ROOTS else [root]) + [f"{root} > {c}" for c in children.split("|")]
    )
]
BRANDS = [
    "Vitalis",
    "NordPure",
    "Orthica",
    "Lamberts",
    "Bonusan",
    "Puur Natuur",
    "Zonnegoed",
    "Kruidvat Select",
    "Natura Nova",
    "Vitakern",
    "Solaris",
    "Dutch Vital",
]
FORMS = ["bisglycinaat", "citraat", "malaat", "L-threonaat", "tauraat", "oxide", "chloride"]
DOSAGES = ["capsule", "tablet", "poeder", "vloeibaar"]


def _generated_categories() -> list[str]:
    """Categories past the hand-written tree (catalogue XL): every second-level category gets
    brand children, the first brand also dosage children (four levels deep), parents first."""
    seconds = [crumb for crumb in EXTRA_CATEGORIES if " > " in crumb]
    out = []
    for brand in BRANDS:
        for crumb in seconds:
            out.append(f"{crumb} > {brand}")
            if brand == BRANDS[0]:
                out += [f"{crumb} > {brand} > {dosage.capitalize()}" for dosage in DOSAGES]
    return out


GENERATED_CATEGORIES = _generated_categories()
SENTENCES = [
    "Magnesium draagt bij tot een normale werking van het zenuwstelsel.",
    "Magnesium draagt bij tot de vermindering van vermoeidheid en moeheid.",
    "Magnesium draagt bij tot een normale spierfunctie.",
    "Magnesium draagt bij tot een normale psychologische functie.",
    "De referentie-inname (NRV) voor magnesium is 375 mg per dag.",
    "Voor supplementen geldt een veilige bovengrens van 250 mg magnesium per dag.",
    "Neem het supplement bij voorkeur verdeeld over de dag, bij de maaltijd.",
    "Een voedingssupplement is geen vervanging van een gevarieerd voedingspatroon.",
    "Buiten bereik van jonge kinderen bewaren.",
    "De aanbevolen dagdosering niet overschrijden.",
    "Organische vormen zoals bisglycinaat en citraat worden doorgaans goed opgenomen.",
    "Bij een verminderde nierfunctie eerst overleggen met een arts.",
    "Magnesiumoxide bevat veel magnesium per milligram, maar wordt minder goed opgenomen.",
    "Groene bladgroenten, noten en volkoren producten bevatten van nature magnesium.",
]
TOPICS = ["Slaap", "Stress", "Sport", "Focus", "Spijsvertering", "Voeding", "Veiligheid", "Vormen"]


# --- pure plans (no database): the same arguments always give the same catalogue -------------


def category_plan(base: list[str], n_categories: int) -> list[str]:
    """Breadcrumbs of all categories: the demo's `base` then extras up to `n_categories`."""
    extra = max(0, n_categories - len(base))
    available = [*EXTRA_CATEGORIES, *GENERATED_CATEGORIES]
    if extra > len(available):
        raise ValueError(f"at most {len(base) + len(available)} categories")
    return [*base, *available[:extra]]


def leaves(breadcrumbs: list[str]) -> list[str]:
    """The breadcrumbs that are nobody's parent (where generated products go)."""
    return [b for b in breadcrumbs if not any(o.startswith(b + " > ") for o in breadcrumbs)]


def _paragraphs(rnd: random.Random, n: int) -> str:
    return "\n\n".join(" ".join(rnd.sample(SENTENCES, 4)) for _ in range(n))


def product_plan(*, n: int, breadcrumbs: list[str], seed: int = SEED) -> list[dict]:
    """`n` generated supplements spread round-robin over the leaf categories."""
    rnd = random.Random(seed)
    spots = leaves(breadcrumbs)
    products = []
    for i in range(n):
        category = spots[i % len(spots)]
        name = category.split(" > ")[-1]
        form = FORMS[i % len(FORMS)]
        dosage = DOSAGES[(i // len(FORMS)) % len(DOSAGES)]
        brand = BRANDS[(i // 3) % len(BRANDS)]
        mg = rnd.choice([100, 120, 150, 200, 250])
        pack = rnd.choice([30, 60, 90, 120, 180])
        is_magnesium = category.startswith("Magnesium")
        title = (
            f"{brand} Magnesium {form} {mg} mg {name.lower()}, {pack} stuks"
            if is_magnesium
            else f"{brand} {name} {dosage}, {pack} stuks"
        )
        attrs = {
            "dosage_form": dosage,
            "units_per_dose": rnd.choice([1, 2]),
            "units_per_pack": pack,
            "vegan": rnd.random() < 0.6,
            "ingredients": f"{name}, vulstof (cellulose), capsulewand (HPMC).",
            "usage": "Neem 1 tot 2 eenheden per dag bij de maaltijd.",
            "warnings": "De aanbevolen dagdosering niet overschrijden.",
        }
        if is_magnesium:
            attrs |= {"magnesium_form": [form], "elemental_mg": mg}
        products.append(
            {
                "upc": f"BENCH-{i + 1:05d}",
                "title": title,
                "description": _paragraphs(rnd, 2),
                "category": category,
                "price": f"{rnd.randrange(5, 50)}.95",
                "stock": rnd.randrange(5, 250),
                "image": i % DISTINCT_IMAGES,
                "attrs": attrs,
            }
        )
    return products


def content_plan(
    *, n_guides: int, n_faqs: int, product_upcs: list[str], breadcrumbs: list[str], seed: int = SEED
) -> dict:
    """Guides and FAQs with their product and category links (by UPC and breadcrumb)."""
    rnd = random.Random(seed + 1)
    # The first UPCs are the demo's magnesium products: every one of them gets guides and FAQs,
    # like a real shop where the knowledge base is written about the collection.
    guides = []
    for i in range(n_guides):
        topic = TOPICS[i % len(TOPICS)]
        linked = [product_upcs[i % min(len(product_upcs), 15)]]
        linked += rnd.sample(product_upcs, min(4, len(product_upcs)))
        guides.append(
            {
                "title": f"Gids {i + 1}: magnesium en {topic.lower()}",
                "slug": f"gids-{i + 1:03d}-magnesium-{topic.lower()}",
                "lead": " ".join(rnd.sample(SENTENCES, 2)),
                "body": "## Waarom\n\n"
                + _paragraphs(rnd, 6)
                + "\n\n## Hoe\n\n"
                + _paragraphs(rnd, 6),
                "topic": topic,
                "published_at": (datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=i)).isoformat(),
                "products": list(dict.fromkeys(linked)),
                "categories": rnd.sample(breadcrumbs, min(2, len(breadcrumbs))),
            }
        )
    faqs = []
    for i in range(n_faqs):
        linked = [product_upcs[i % min(len(product_upcs), 15)]]
        linked += rnd.sample(product_upcs, min(2, len(product_upcs)))
        faqs.append(
            {
                "question": f"Vraag {i + 1}: hoeveel magnesium heb ik nodig bij {TOPICS[i % 8].lower()}?",
                "answer": _paragraphs(rnd, 2),
                "guide": (i // 2) % n_guides if n_guides else None,
                "topic": TOPICS[i % len(TOPICS)],
                "position": i % 10,
                "published_at": (datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=i)).isoformat(),
                "products": list(dict.fromkeys(linked)),
                "categories": rnd.sample(breadcrumbs, min(1, len(breadcrumbs))),
            }
        )
    return {"guides": guides, "faqs": faqs}


# --- our shop -------------------------------------------------------------------------------


def demo_breadcrumbs() -> list[str]:
    data = json.loads((BASE_DIR / "fixtures" / "catalogue.json").read_text(encoding="utf-8"))
    crumbs = []
    for parent, children in data["categories"].items():
        crumbs += [parent, *(f"{parent} > {child}" for child in children)]
    return crumbs


def _packshots(count: int) -> list[str]:
    """`count` distinct 800x800 PNG files under MEDIA_ROOT (made once, reused by every build)."""
    from django.conf import settings

    from shop.demo import packshot

    names = []
    for i in range(count):
        rel = f"images/products/bench/packshot-{i:03d}.png"
        path = Path(settings.MEDIA_ROOT) / rel
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            form = FORMS[i % len(FORMS)]
            path.write_bytes(packshot(f"Bench supplement {i + 1}", form, 100 + i).read())
        names.append(rel)
    return names


def load_demo() -> None:
    """Catalogue S: exactly what `manage.py load_demo` loads."""
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())


def build_ours(
    *,
    products: int,
    categories: int,
    guides: int,
    faqs: int,
    seed: int = SEED,
) -> dict[str, int]:
    """Load the demo data, then add generated products, categories, guides and FAQs.

    `products` is the total of browsable products wanted (the demo's count towards it).
    Needs an empty (migrated) database: it refuses to add to an earlier build.
    """
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection, transaction
    from oscar.apps.catalogue.categories import create_from_breadcrumbs
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    if Product.objects.filter(upc__startswith="BENCH-").exists():
        raise RuntimeError("this database already holds a bench catalogue; use an empty one")
    load_demo()
    with transaction.atomic():
        crumbs = category_plan(demo_breadcrumbs(), categories)
        by_crumb = {crumb: create_from_breadcrumbs(crumb) for crumb in crumbs}
        n_generated = max(0, products - Product.objects.browsable().count())
        plan = product_plan(n=n_generated, breadcrumbs=crumbs, seed=seed)
        _bulk_products(plan, by_crumb)
        demo_upcs = list(
            Product.objects.browsable()
            .filter(upc__startswith="MG-")
            .order_by("upc")
            .values_list("upc", flat=True)
        )
        upcs = demo_upcs + [p["upc"] for p in plan]
        # Like products, guides and FAQs are totals: the demo's seed guide counts towards them.
        Article, Faq = apps.get_model("content", "Article"), apps.get_model("content", "Faq")
        plan = content_plan(
            n_guides=max(0, guides - Article.objects.count()),
            n_faqs=max(0, faqs - Faq.objects.count()),
            product_upcs=upcs,
            breadcrumbs=crumbs,
            seed=seed,
        )
        _bulk_content(plan, by_crumb)
    # Statistics for the tables just filled: without them the planner takes them for empty and
    # the indexing's per-product subqueries scan them whole (minutes on catalogue XL).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # bulk_create skips the signals that keep the stored search documents in step: the
    # project's own command rebuilds them, as after any bulk import.
    call_command("rebuild_search_index", stdout=sys.stderr)
    return counts()


def _bulk_products(plan: list[dict], by_crumb: dict) -> None:
    from oscar.core.loading import get_model

    from shop import demo

    AttributeOption = get_model("catalogue", "AttributeOption")
    Partner = get_model("partner", "Partner")

    product_class = demo.ensure_product_class()
    partner = Partner.objects.get(name=demo.load_catalogue_data()["partner"])
    images = _packshots(min(DISTINCT_IMAGES, len(plan)))
    attributes = {a.code: a for a in product_class.attributes.all()}
    options = {(o.group.name, o.option): o for o in AttributeOption.objects.select_related("group")}
    for first in range(0, len(plan), CHUNK):
        _bulk_product_rows(
            plan[first : first + CHUNK],
            by_crumb=by_crumb,
            product_class=product_class,
            partner=partner,
            images=images,
            attributes=attributes,
            options=options,
        )


def _bulk_product_rows(
    plan: list[dict], *, by_crumb, product_class, partner, images, attributes, options
) -> None:
    """One round of `_bulk_products`: these products and all their rows."""
    from django.utils.text import slugify
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    ProductCategory = get_model("catalogue", "ProductCategory")
    ProductImage = get_model("catalogue", "ProductImage")
    ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
    StockRecord = get_model("partner", "StockRecord")

    made = Product.objects.bulk_create(
        [
            Product(
                structure=Product.STANDALONE,
                product_class=product_class,
                upc=p["upc"],
                title=p["title"],
                slug=slugify(p["title"])[:128],
                description=p["description"],
                is_public=True,
            )
            for p in plan
        ],
        batch_size=1000,
    )
    links, stock, pictures, values, multi = [], [], [], [], []
    for product, p in zip(made, plan, strict=True):
        links.append(ProductCategory(product=product, category=by_crumb[p["category"]]))
        stock.append(
            StockRecord(
                product=product,
                partner=partner,
                partner_sku=p["upc"],
                price_currency="EUR",
                price=Decimal(p["price"]),
                num_in_stock=p["stock"],
            )
        )
        pictures.append(
            ProductImage(
                product=product, original=images[p["image"]], caption=p["title"], display_order=0
            )
        )
        for code, value in p["attrs"].items():
            value_row = ProductAttributeValue(product=product, attribute=attributes[code])
            if code == "magnesium_form":
                multi.append((value_row, [options[("Magnesiumvorm", v)] for v in value]))
            elif code == "dosage_form":
                value_row.value_option = options[("Toedieningsvorm", value)]
            else:
                setattr(value_row, f"value_{attributes[code].type}", value)
            values.append(value_row)
    _save_product_rows(links=links, stock=stock, pictures=pictures, values=values, multi=multi)


def _save_product_rows(*, links, stock, pictures, values, multi) -> None:
    """Write in bulk the rows that hang off saved products; `multi` pairs each multi-option
    value row with the options chosen for it."""
    from oscar.core.loading import get_model

    ProductCategory = get_model("catalogue", "ProductCategory")
    ProductImage = get_model("catalogue", "ProductImage")
    ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
    StockRecord = get_model("partner", "StockRecord")
    ProductCategory.objects.bulk_create(links, batch_size=2000)
    StockRecord.objects.bulk_create(stock, batch_size=2000)
    ProductImage.objects.bulk_create(pictures, batch_size=2000)
    ProductAttributeValue.objects.bulk_create(values, batch_size=2000)
    through = ProductAttributeValue.value_multi_option.through
    through.objects.bulk_create(
        [
            through(productattributevalue_id=row.pk, attributeoption_id=option.pk)
            for row, chosen in multi
            for option in chosen
        ],
        batch_size=2000,
    )


def _bulk_content(plan: dict, by_crumb: dict) -> None:
    from django.apps import apps
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    Topic = apps.get_model("content", "Topic")
    Article = apps.get_model("content", "Article")
    Faq = apps.get_model("content", "Faq")
    published = "published"
    pk_by_upc = dict(Product.objects.values_list("upc", "pk"))
    topics = {
        name: Topic.objects.get_or_create(
            slug=name.lower(), defaults={"name": name, "position": i}
        )[0]
        for i, name in enumerate(TOPICS)
    }
    articles = Article.objects.bulk_create(
        [
            Article(
                title=g["title"],
                slug=g["slug"],
                lead=g["lead"],
                body=g["body"],
                author="Redactie",
                status=published,
                published_at=datetime.fromisoformat(g["published_at"]),
            )
            for g in plan["guides"]
        ]
    )
    faqs = Faq.objects.bulk_create(
        [
            Faq(
                question=f["question"],
                answer=f["answer"],
                article=articles[f["guide"]] if f["guide"] is not None else None,
                position=f["position"],
                status=published,
                published_at=datetime.fromisoformat(f["published_at"]),
            )
            for f in plan["faqs"]
        ]
    )
    for owner, rows, model_name, key in (
        (articles, plan["guides"], "Article", "article"),
        (faqs, plan["faqs"], "Faq", "faq"),
    ):
        product_link = apps.get_model("content", f"{model_name}Product")
        category_link = apps.get_model("content", f"{model_name}Category")
        topic_link = apps.get_model("content", model_name).topics.through
        product_link.objects.bulk_create(
            [
                product_link(**{key: obj, "product_id": pk_by_upc[upc], "position": pos})
                for obj, row in zip(owner, rows, strict=True)
                for pos, upc in enumerate(row["products"])
            ],
            batch_size=2000,
        )
        category_link.objects.bulk_create(
            [
                category_link(**{key: obj, "category": by_crumb[crumb], "position": pos})
                for obj, row in zip(owner, rows, strict=True)
                for pos, crumb in enumerate(row["categories"])
            ],
            batch_size=2000,
        )
        topic_link.objects.bulk_create(
            [
                topic_link(**{f"{key}_id": obj.pk, "topic_id": topics[row["topic"]].pk})
                for obj, row in zip(owner, rows, strict=True)
            ]
        )


def counts() -> dict[str, int]:
    """What the current database holds (the figures the bench report prints)."""
    from django.apps import apps
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    out = {
        "products": Product.objects.browsable().count(),
        "variants": Product.objects.filter(structure=Product.CHILD).count(),
        "categories": get_model("catalogue", "Category").objects.count(),
        "stockrecords": get_model("partner", "StockRecord").objects.count(),
        "images": get_model("catalogue", "ProductImage").objects.count(),
    }
    if apps.is_installed("content"):
        out["guides"] = apps.get_model("content", "Article").objects.count()
        out["faqs"] = apps.get_model("content", "Faq").objects.count()
    return out


# --- the spec shared with stock Oscar -------------------------------------------------------


def _breadcrumbs_by_pk() -> dict[int, str]:
    from oscar.core.loading import get_model

    Category = get_model("catalogue", "Category")
    rows = list(Category.objects.order_by("path").values_list("pk", "path", "depth", "name"))
    name_by_path = {path: name for _, path, _, name in rows}
    step = Category.steplen
    return {
        pk: " > ".join(name_by_path[path[: step * d]] for d in range(1, depth + 1))
        for pk, path, depth, _ in rows
    }


def dump_spec() -> dict:
    """Our catalogue as plain data that Oscar's own models can load (see `load_spec`)."""
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    ProductAttribute = get_model("catalogue", "ProductAttribute")
    AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
    crumbs = _breadcrumbs_by_pk()
    attributes = [
        {
            "class": a.product_class.name,
            "code": a.code,
            "name": a.name,
            "type": a.type,
            "group": a.option_group.name if a.option_group_id else None,
        }
        for a in ProductAttribute.objects.select_related("product_class", "option_group").order_by(
            "pk"
        )
    ]
    products = []
    queryset = (
        Product.objects.order_by("structure", "pk")  # "child" sorts before "parent": fixed below
        .select_related("product_class", "parent")
        .prefetch_related(
            "categories",
            "stockrecords__partner",
            "images",
            "attribute_values__attribute",
            "attribute_values__value_option",
            "attribute_values__value_multi_option",
        )
    )
    for p in queryset:
        attrs = {}
        for v in p.attribute_values.all():
            kind = v.attribute.type
            if kind == "option":
                attrs[v.attribute.code] = v.value_option.option if v.value_option_id else None
            elif kind == "multi_option":
                attrs[v.attribute.code] = [o.option for o in v.value_multi_option.all()]
            else:
                attrs[v.attribute.code] = getattr(v, f"value_{kind}")
        products.append(
            {
                "upc": p.upc,
                "title": p.title,
                "slug": p.slug,
                "structure": p.structure,
                "parent": p.parent.upc if p.parent_id else None,
                "class": p.product_class.name if p.product_class_id else None,
                "description": p.description,
                "is_public": p.is_public,
                "categories": [crumbs[c.pk] for c in p.categories.all()],
                "stock": [
                    {
                        "partner": s.partner.name,
                        "sku": s.partner_sku,
                        "price": str(s.price),
                        "num_in_stock": s.num_in_stock,
                    }
                    for s in p.stockrecords.all()
                ],
                "images": [
                    {"original": i.original.name, "caption": i.caption, "order": i.display_order}
                    for i in p.images.all()
                ],
                "attrs": attrs,
            }
        )
    products.sort(key=lambda p: p["structure"] == "child")  # parents before their children
    return {
        "categories": list(crumbs.values()),
        "option_groups": {
            g.name: [o.option for o in g.options.all()]
            for g in AttributeOptionGroup.objects.prefetch_related("options")
        },
        "attributes": attributes,
        "products": products,
    }


def load_spec(spec: dict) -> dict[str, int]:
    """Write a `dump_spec()` catalogue with Oscar's own models into an empty database."""
    from django.db import transaction
    from oscar.apps.catalogue.categories import create_from_breadcrumbs
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    ProductClass = get_model("catalogue", "ProductClass")
    ProductAttribute = get_model("catalogue", "ProductAttribute")
    ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
    AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
    AttributeOption = get_model("catalogue", "AttributeOption")
    ProductCategory = get_model("catalogue", "ProductCategory")
    ProductImage = get_model("catalogue", "ProductImage")
    Partner = get_model("partner", "Partner")
    StockRecord = get_model("partner", "StockRecord")

    if Product.objects.exists():
        raise RuntimeError("this database already has products; use an empty one")
    with transaction.atomic():
        by_crumb = {crumb: create_from_breadcrumbs(crumb) for crumb in spec["categories"]}
        options = {}
        for group_name, names in spec["option_groups"].items():
            group = AttributeOptionGroup.objects.create(name=group_name)
            for name in names:
                options[(group_name, name)] = AttributeOption.objects.create(
                    group=group, option=name
                )
        classes, attributes = {}, {}
        for a in spec["attributes"]:
            if a["class"] not in classes:
                classes[a["class"]] = ProductClass.objects.create(
                    name=a["class"], requires_shipping=True, track_stock=True
                )
            group = AttributeOptionGroup.objects.get(name=a["group"]) if a["group"] else None
            attributes[(a["class"], a["code"])] = ProductAttribute.objects.create(
                product_class=classes[a["class"]],
                code=a["code"],
                name=a["name"],
                type=a["type"],
                option_group=group,
            )
        for p in spec["products"]:
            if p["class"] and p["class"] not in classes:
                classes[p["class"]] = ProductClass.objects.create(
                    name=p["class"], requires_shipping=True, track_stock=True
                )
        partners = {}
        made = {}
        for structure_pass in (False, True):  # parents and standalones, then children
            batch = [p for p in spec["products"] if (p["structure"] == "child") == structure_pass]
            rows = Product.objects.bulk_create(
                [
                    Product(
                        upc=p["upc"],
                        title=p["title"],
                        slug=p["slug"],
                        structure=p["structure"],
                        parent=made.get(p["parent"]),
                        product_class=classes.get(p["class"]),
                        description=p["description"],
                        is_public=p["is_public"],
                    )
                    for p in batch
                ],
                batch_size=1000,
            )
            made.update({row.upc: row for row in rows})
        links, stock, pictures, values, multi = [], [], [], [], []
        for p in spec["products"]:
            product = made[p["upc"]]
            klass = p["class"] or next(
                (q["class"] for q in spec["products"] if q["upc"] == p["parent"]), None
            )
            links += [
                ProductCategory(product=product, category=by_crumb[c]) for c in p["categories"]
            ]
            for s in p["stock"]:
                if s["partner"] not in partners:
                    partners[s["partner"]] = Partner.objects.create(name=s["partner"])
                stock.append(
                    StockRecord(
                        product=product,
                        partner=partners[s["partner"]],
                        partner_sku=s["sku"],
                        price_currency="EUR",
                        price=Decimal(s["price"]),
                        num_in_stock=s["num_in_stock"],
                    )
                )
            pictures += [
                ProductImage(
                    product=product,
                    original=i["original"],
                    caption=i["caption"],
                    display_order=i["order"],
                )
                for i in p["images"]
            ]
            for code, value in p["attrs"].items():
                attribute = attributes[(klass, code)]
                row = ProductAttributeValue(product=product, attribute=attribute)
                group = attribute.option_group.name if attribute.option_group_id else None
                if attribute.type == "multi_option":
                    multi.append((row, [options[(group, v)] for v in value]))
                elif attribute.type == "option":
                    row.value_option = options[(group, value)] if value else None
                else:
                    setattr(row, f"value_{attribute.type}", value)
                values.append(row)
        _save_product_rows(links=links, stock=stock, pictures=pictures, values=values, multi=multi)
    return counts()


def ensure_customer():
    """The bench's customer account (created once, its password reset when it differs); a
    plain customer, not staff. Works with our user model and stock Oscar's (Django's)."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=BENCH_CUSTOMER_EMAIL).order_by("pk").first()
    if user is None:
        user = user_model(email=BENCH_CUSTOMER_EMAIL, first_name="Bench", last_name="Klant")
        if hasattr(user, "username"):
            user.username = "bench-klant"
    if user.pk is None or not user.check_password(BENCH_CUSTOMER_PASSWORD) or not user.is_active:
        user.set_password(BENCH_CUSTOMER_PASSWORD)
        user.is_active = True
        user.save()
    return user


def prepare_for_load(upc: str = BENCH_UPC) -> None:
    """Reset what a previous run wrote: baskets go, the measured product gets ample stock, the
    customer account exists (`ensure_customer`).

    The add-to-basket POST is driven for 15 s by 16 connections; with the catalogue's real stock
    (a few dozen) Oscar would refuse the line after a few adds and the bench would time the
    refusal instead of the add.
    """
    from oscar.core.loading import get_model

    get_model("basket", "Basket").objects.all().delete()
    ensure_customer()
    get_model("partner", "StockRecord").objects.filter(product__upc=upc).update(
        num_in_stock=1_000_000, num_allocated=0
    )
    from django.apps import apps

    if apps.is_installed("features.perf"):
        # update() sends no signals: the cached pages, fragments and the add-to-basket's cached
        # product would still show the old stock (and refuse the line after a few adds).
        from shop.cache.pagecache import expire_all

        expire_all()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    ours = sub.add_parser(
        "ours", help="build our catalogue (S = demo data, L = 5,000 products, XL = 50,000)"
    )
    ours.add_argument("--size", choices=["S", *SIZES], required=True)
    sub.add_parser("dump", help="write our catalogue as a spec").add_argument(
        "--out", required=True
    )
    sub.add_parser("stock", help="load a spec into stock Oscar").add_argument(
        "--spec", required=True
    )
    sub.add_parser(
        "prepare", help="reset baskets, give the measured product ample stock, make the customer"
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    import django

    django.setup()
    if args.cmd == "ours":
        if args.size == "S":
            load_demo()
            result = counts()
        else:
            result = build_ours(**SIZES[args.size])
    elif args.cmd == "dump":
        Path(args.out).write_text(json.dumps(dump_spec(), ensure_ascii=False), encoding="utf-8")
        result = counts()
    elif args.cmd == "stock":
        result = load_spec(json.loads(Path(args.spec).read_text(encoding="utf-8")))
    else:
        prepare_for_load()
        result = counts()
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
