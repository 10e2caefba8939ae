"""Prepare the soak's database and list what the load test visits (run inside the shop's
environment by soak.run): the demo catalogue's stock is raised so ten minutes of orders never sell
a product out, and the pages, products to buy and search terms are written as JSON."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import django

STOCK = 1_000_000
SEARCH_TERMS = ["magnesium", "slaap", "bisglycinaat", "citraat", "kramp", "vitamine", "magnesum"]


def prepare() -> dict:
    # Models and URLs only once django.setup() has run (main).
    from django.urls import reverse
    from oscar.apps.catalogue.models import Category, Product
    from oscar.apps.partner.strategy import Selector

    from content.models import Article
    from shop.partner.models import StockRecord

    StockRecord.objects.update(num_in_stock=STOCK, num_allocated=0)
    strategy = Selector().strategy()
    products = list(Product.objects.browsable())
    buyable = [
        p
        for p in Product.objects.filter(is_public=True, structure__in=["standalone", "child"])
        if strategy.fetch_for_product(p).availability.is_available_to_buy
    ]
    return {
        "pages": [
            reverse("catalogue:index"),
            reverse("content:article-list"),
            reverse("content:faq-list"),
            reverse("shop:form-comparison"),
        ],
        "categories": [c.get_absolute_url() for c in Category.objects.filter(is_public=True)],
        "products": [{"pk": p.pk, "url": p.get_absolute_url()} for p in products],
        "buyable": [
            {"pk": p.pk, "url": p.get_absolute_url(), "title": p.get_title()} for p in buyable
        ],
        "guides": [a.get_absolute_url() for a in Article.objects.published()],
        "search": reverse("search:search"),
        "search_terms": SEARCH_TERMS,
        "private": reverse("shop:private"),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    django.setup()
    paths = prepare()
    if not paths["buyable"]:
        raise SystemExit("the demo catalogue has no product that can be bought")
    Path(args.out).write_text(json.dumps(paths, indent=1))
    print(
        f"{len(paths['products'])} products, {len(paths['buyable'])} buyable, "
        f"{len(paths['categories'])} categories, {len(paths['guides'])} guides"
    )


if __name__ == "__main__":
    main()
