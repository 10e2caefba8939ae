"""Thin signal receivers of the shop app, connected in ShopConfig.ready()."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.db.models import Q
from oscar.core.loading import get_model

from shop.catalogue.facts import (
    definition_removal_refusals,
    label_fact_removal_refusal,
    missing_label_facts,
)
from shop.search.indexing import schedule_products

ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")


def sync_site(sender, using="default", **kwargs) -> None:
    """After `migrate`: the Site row carries the shop's domain and name (settings.SHOP_SITE_DOMAIN,
    OSCAR_SHOP_NAME) instead of the example.com that django.contrib.sites creates."""
    wanted = {"domain": settings.SHOP_SITE_DOMAIN, "name": settings.OSCAR_SHOP_NAME}
    site = Site.objects.using(using).filter(pk=settings.SITE_ID).first()
    if site is None or any(getattr(site, field) != value for field, value in wanted.items()):
        Site.objects.using(using).update_or_create(pk=settings.SITE_ID, defaults=wanted)
        Site.objects.clear_cache()


def guard_label_facts(sender, instance, raw=False, **kwargs) -> None:
    """Refuse to save a public supplement that lacks required label facts, on any write path.

    The dashboard form shows the same check as a form error first; this catches the admin,
    the shell, imports and the demo loader.
    """
    if raw or not instance.is_public:
        return
    missing = missing_label_facts(instance)
    if missing:
        raise ValidationError(
            {
                "is_public": (
                    f"'{instance.title or instance.upc}' kan niet openbaar worden gemaakt zolang "
                    f"verplichte etiketgegevens ontbreken: {', '.join(missing)}."
                )
            },
            code="label_facts_missing",
        )


def guard_label_fact_removal(sender, instance, origin=None, **kwargs) -> None:
    """Refuse to delete a required label fact of a public supplement on its own (shell, import):
    the product would stay public and buyable with an incomplete label. Deleting the product
    itself, whose values go with it, is not refused. (Oscar's attribute API deletes a value that
    is cleared, so a product saved with a cleared fact meets guard_label_facts.) The last line
    only: the admin and the dashboard refuse in their forms first (shop/admin.py,
    shop/dashboard/catalogue/forms.py), with the same message."""
    if getattr(origin, "model", type(origin)) is not sender:
        return
    refusal = label_fact_removal_refusal(instance)
    if refusal:
        raise ValidationError(refusal, code="label_fact_required")


def guard_label_fact_definition(sender, instance, **kwargs) -> None:
    """Refuse to delete an attribute definition or option (an option group's too: its options go
    with it) that a public supplement's required label fact is made of: the delete would take the
    fact from the product while it stays public. The admin and the dashboard refuse in their forms
    first (shop/admin.py, shop/dashboard/catalogue/formsets.py), with the same message."""
    if sender is ProductAttribute:
        refusals = definition_removal_refusals(attributes=[instance])
    else:
        refusals = definition_removal_refusals(options=[instance])
    if refusals:
        raise ValidationError(refusals, code="label_fact_required")


# --- Search index maintenance ----------------------------------------------------------------
# Index upkeep, like cache invalidation: whatever writes a product (dashboard, admin, shell,
# import) keeps its stored search document in step. Each receiver only collects product ids;
# shop.search.indexing computes the documents in one statement after the commit.


def reindex_product(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    schedule_products([instance.pk, instance.parent_id])


def reindex_owner_product(sender, instance, raw=False, **kwargs) -> None:
    """A row that belongs to one product: a category link, an attribute value, a stock record.

    A child's row reindexes its parent (shop.search.indexing looks the parent up).
    """
    if raw:
        return
    schedule_products([instance.product_id])


def reindex_category_products(sender, instance, raw=False, **kwargs) -> None:
    """A category renamed or hidden changes the documents of everything in it and below it."""
    if raw or not instance.path:
        return
    schedule_products(
        ProductCategory.objects.filter(category__path__startswith=instance.path)
        .values_list("product_id", flat=True)
        .distinct()
    )


def reindex_option_products(sender, instance, raw=False, **kwargs) -> None:
    """A renamed attribute option (a magnesium form) changes the products carrying it."""
    if raw:
        return
    schedule_products(
        ProductAttributeValue.objects.filter(
            Q(value_option=instance) | Q(value_multi_option=instance)
        )
        .values_list("product_id", flat=True)
        .distinct()
    )


def reindex_multi_option_products(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """Options added to / removed from a multi-option value (product.attr.magnesium_form)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        schedule_products([instance.product_id])
    elif pk_set:
        schedule_products(
            ProductAttributeValue.objects.filter(pk__in=pk_set).values_list("product_id", flat=True)
        )


def reindex_product_categories(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """product.categories.add()/remove()/set(): the through rows skip post_save."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        schedule_products([instance.pk])
    elif pk_set:
        schedule_products(pk_set)
