"""Factories for content models, and builders for the catalogue state content tests need.

Oscar's own models come from oscar.test.factories; these build guides, FAQs and topics.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from oscar.test.factories import create_product

from content.choices import Status
from content.models import Article, Faq, Topic


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


def make_product(*, upc: str, title: str | None = None, price: str = "9.95", stock: int = 10):
    """A plain public product with one stock record (not a supplement: no label rules)."""
    return create_product(
        upc=upc,
        title=title or f"Product {upc}",
        product_class="Testproduct",
        price=Decimal(price),
        num_in_stock=stock,
        partner_name="Magnesiumwinkel",
    )


def make_magnesium_product(
    *, upc: str, title: str, forms: list[str], price: str = "19.95", stock: int = 10
):
    """A public supplement with complete label facts and the given magnesium forms."""
    from oscar.apps.catalogue.models import AttributeOption, Product
    from oscar.apps.partner.models import Partner, StockRecord

    from shop.demo import ensure_product_class

    product_class = ensure_product_class()
    product = Product(product_class=product_class, upc=upc, title=title, is_public=True)
    product.attr.magnesium_form = list(
        AttributeOption.objects.filter(group__name="Magnesiumvorm", option__in=forms)
    )
    product.attr.elemental_mg = 150
    product.attr.units_per_dose = 2
    product.attr.units_per_pack = 60
    product.attr.dosage_form = AttributeOption.objects.get(
        group__name="Toedieningsvorm", option="capsule"
    )
    product.attr.ingredients = "Magnesium, capsulewand (HPMC)."
    product.attr.usage = "Neem dagelijks 2 capsules met water."
    product.save()
    partner, _ = Partner.objects.get_or_create(name="Magnesiumwinkel")
    StockRecord.objects.create(
        product=product,
        partner=partner,
        partner_sku=upc,
        price=Decimal(price),
        num_in_stock=stock,
    )
    return product
