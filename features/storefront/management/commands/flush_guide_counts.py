from django.core.management.base import BaseCommand

from features.storefront.services import guide_counts_flush


class Command(BaseCommand):
    help = "Write the guide views and product-link clicks counted in the cache to the database."

    def handle(self, *args, **options):
        written = guide_counts_flush()
        self.stdout.write(f"{written} gidstellingen weggeschreven.")
