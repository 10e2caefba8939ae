"""Recompute every stored search document (products, guides, FAQs) in three statements.

For writes that skipped the signals and services, such as bulk_create in bench.catalogue.
"""

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from shop.search.indexing import rebuild


class Command(BaseCommand):
    help = "Bouwt de zoekindex (producten, gidsen, veelgestelde vragen) opnieuw op."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("Geen PostgreSQL: de eenvoudige zoekfunctie heeft geen index nodig.")
            return
        start = time.perf_counter()
        with transaction.atomic():
            rebuild()
        from content.models import Article, Faq
        from shop.models import ProductSearchDocument

        self.stdout.write(
            f"Zoekindex opnieuw opgebouwd in {time.perf_counter() - start:.1f} s: "
            f"{ProductSearchDocument.objects.count()} producten, "
            f"{Article.objects.count()} gidsen, {Faq.objects.count()} vragen."
        )
