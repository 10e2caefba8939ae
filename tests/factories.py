"""The test suite's one set of factories and builders.

Content (guides, FAQs, topics) with factory_boy; catalogue products, plain or supplements with
every label fact; staff users; and the checkout walked through its real views. Oscar's own
models come from oscar.test.factories, which these build on.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from importlib import import_module

import factory
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from oscar.apps.catalogue.models import AttributeOption, Product
from oscar.apps.voucher.models import Voucher
from oscar.test.factories import ConditionalOfferFactory, RangeFactory, create_product

from content.choices import Status
from content.models import Article, Faq, Topic
from shop.demo import ensure_product_class
from shop.offer.models import Benefit, Condition, ConditionalOffer
from shop.partner.models import Partner, StockRecord

# --- Content ----------------------------------------------------------------------------------


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Onderwerp {n}")
    slug = factory.Sequence(lambda n: f"onderwerp-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Gids {n}")
    slug = factory.Sequence(lambda n: f"gids-{n}")
    lead = "Een korte inleiding."
    body = "## Eerste deel\n\nTekst van de gids.\n"
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))

    class Params:
        draft = factory.Trait(status=Status.DRAFT, published_at=None)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
        )


class FaqFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Faq

    question = factory.Sequence(lambda n: f"Vraag {n}?")
    answer = "Een antwoord."
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))

    class Params:
        draft = factory.Trait(status=Status.DRAFT, published_at=None)


# --- Catalogue --------------------------------------------------------------------------------


def make_product(
    *,
    upc: str | None = None,
    title: str | None = None,
    price: str = "9.95",
    stock: int = 10,
    product_class: str = "Testproduct",
) -> Product:
    """A plain public, stock-tracked product with one stock record at a price incl. btw (not a
    supplement: no label rules)."""
    return create_product(
        upc=upc,
        title=title or f"Product {upc}",
        product_class=product_class,
        price=Decimal(price),
        num_in_stock=stock,
        partner_name="Magnesiumwinkel",
    )


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
    stock: int = 20,
    partner: str = "Testpartner",
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
    partner, _ = Partner.objects.get_or_create(name=partner)
    StockRecord.objects.create(
        product=product, partner=partner, partner_sku=upc, price=Decimal(price), num_in_stock=stock
    )
    return product


def make_parent_supplement(
    *, upc: str, title: str, stock_by_pack: dict[int, int], price: str = "21.95"
) -> tuple[Product, list[Product]]:
    """A public parent supplement (not sold itself, so without a pack size or stock record) and
    one child per pack size, `<upc>-<pack>`, in stock as `stock_by_pack` says."""
    parent = make_supplement(upc=upc, title=title, units_per_pack=None, is_public=False)
    parent.structure = Product.PARENT
    parent.is_public = True
    parent.save()
    partner = parent.stockrecords.get().partner
    children = []
    for pack, stock in stock_by_pack.items():
        child = Product(
            parent=parent, structure=Product.CHILD, upc=f"{upc}-{pack}", title=f"{pack} stuks"
        )
        child.attr.units_per_pack = pack
        child.save()
        StockRecord.objects.create(
            product=child,
            partner=partner,
            partner_sku=child.upc,
            price=Decimal(price),
            num_in_stock=stock,
        )
        children.append(child)
    parent.stockrecords.all().delete()
    return parent, children


# --- Staff -----------------------------------------------------------------------------------


def make_user(username: str, *, role: str | None = None, staff: bool = False, superuser=False):
    """A user; with `role`, staff in that group (the content_dashboard migration's roles)."""
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(
            username=username, email=f"{username}@example.nl", password="geheim-wachtwoord-1"
        )
    user = User.objects.create_user(
        username=username,
        email=f"{username}@example.nl",
        password="geheim-wachtwoord-1",
        is_staff=staff or role is not None,
    )
    if role:
        if not Group.objects.filter(name=role).exists():
            # A transactional test (the browser test) flushed the migration's groups.
            import_module("content.dashboard.migrations.0002_roles").create_groups(apps)
        user.groups.add(Group.objects.get(name=role))
    return user


# --- Checkout --------------------------------------------------------------------------------


ADDRESS = {
    "first_name": "Anna",
    "last_name": "de Vries",
    "line1": "Oudegracht 12",
    "line2": "",
    "postcode": "3511ab",
    "line4": "Utrecht",
    "country": "NL",
    "phone_number": "",
    "notes": "",
}


def ensure_countries() -> None:
    """NL and BE as shipping countries, as the data migration adds them (transactional tests
    flush the migration's rows)."""
    import_module("shop.migrations.0001_delivery_countries").add_countries(apps, None)


def add_to_basket(client, product, quantity: int = 1):
    """Post the product page's add-to-basket form."""
    return client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})


def checkout_to_preview(
    client,
    *,
    email: str | None = "klant@example.nl",
    address: dict | None = None,
    shipping: str = "standaard",
    payment: str = "bankoverschrijving",
):
    """Walk gateway, address, shipping method and payment method; return the last response."""
    if email is not None:
        response = client.post(
            reverse("checkout:index"), {"username": email, "options": "anonymous"}
        )
        assert response.status_code == 302, response.content[:2000]
    response = client.post(reverse("checkout:shipping-address"), address or ADDRESS)
    assert response.status_code == 302, response.content[:3000]
    response = client.post(reverse("checkout:shipping-method"), {"method_code": shipping})
    assert response.status_code == 302, response.content[:3000]
    response = client.post(reverse("checkout:payment-method"), {"method": payment})
    assert response.status_code == 302, response.content[:3000]
    return response


def place_order(client, **card):
    """Post "place order" from the preview page (with the demo card number if given)."""
    return client.post(reverse("checkout:preview"), {"action": "place_order", **card})


def make_voucher(code: str = "EENMALIG", usage: str | None = None):
    """A voucher valid from yesterday for a month, giving 10% off everything (single use unless
    `usage` says otherwise)."""
    everything = RangeFactory(includes_all_products=True)
    offer = ConditionalOfferFactory(
        offer_type=ConditionalOffer.VOUCHER,
        condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=everything, type=Benefit.PERCENTAGE, value=10),
    )
    voucher = Voucher.objects.create(
        name=code,
        code=code,
        usage=usage or Voucher.SINGLE_USE,
        start_datetime=timezone.now() - timedelta(days=1),
        end_datetime=timezone.now() + timedelta(days=30),
    )
    voucher.offers.add(offer)
    return voucher
