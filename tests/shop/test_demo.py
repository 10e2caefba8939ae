"""The demo data loader: the magnesium collection the README promises, loadable twice."""

import pytest
from oscar.apps.catalogue.models import Category, Product

from shop import demo

pytestmark = pytest.mark.django_db

FORMS = {"bisglycinaat", "citraat", "malaat", "L-threonaat", "tauraat", "oxide", "chloride"}


def test_demo_catalogue_loads_twice_without_duplicates():
    first = demo.load_catalogue()
    demo.load_offers()
    products, images = Product.objects.count(), sum(p.images.count() for p in Product.objects.all())
    second = demo.load_catalogue()
    demo.load_offers()
    assert first == second
    assert Product.objects.count() == products
    assert sum(p.images.count() for p in Product.objects.all()) == images


def test_demo_catalogue_covers_the_collection():
    counts = demo.load_catalogue()
    assert counts["magnesium"] >= 12
    magnesium = Category.objects.get(slug="magnesium", depth=1)
    children = {c.name for c in magnesium.get_children()}
    assert children == {"Capsules", "Tabletten", "Poeder en vloeibaar"}
    aanvullend = Category.objects.get(slug="aanvullend")
    assert {p.title.split()[0] for p in aanvullend.product_set.all()} >= {"Vitamine", "Omega-3"}

    forms, combinations = set(), 0
    for product in (
        Product.objects.browsable()
        .filter(categories__in=[magnesium, *magnesium.get_children()])
        .distinct()
    ):
        product_forms = {o.option for o in product.attr.magnesium_form}
        forms |= product_forms
        combinations += len(product_forms) > 1
        assert product.images.exists()
    assert forms >= FORMS
    assert combinations >= 1

    parent = Product.objects.get(upc="MG-BIS-100")
    assert parent.is_parent
    assert parent.children.count() == 3
    assert sorted(c.attr.units_per_pack for c in parent.children.all()) == [60, 120, 240]


def test_packshot_is_a_png_label():
    from PIL import Image

    content = demo.packshot("Magnesiumcitraat 150 mg", "citraat", 150)
    image = Image.open(content)
    assert image.format == "PNG"
    assert image.size == (800, 800)
