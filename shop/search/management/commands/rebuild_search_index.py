"""Recompute every stored search document (products, and each provider's: guides, FAQs), one
statement per kind.

For writes that skipped the signals and services, such as bulk_create in bench.catalogue.
"""

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from shop.models import ProductSearchDocument
from shop.search import providers
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
        counts = [f"{ProductSearchDocument.objects.count()} producten"]
        counts += [
            f"{provider.model._default_manager.count()} {provider.label_plural}"
            for provider in providers.providers()
        ]
        self.stdout.write(
            f"Zoekindex opnieuw opgebouwd in {time.perf_counter() - start:.1f} s: "
            f"{', '.join(counts)}."
        )
