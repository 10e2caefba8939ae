from django.core.management.base import BaseCommand

from features.perf.viewcounts import flush_views


class Command(BaseCommand):
    help = (
        "Schrijf de in de cache getelde productweergaven en toevoegingen aan de winkelmand weg "
        "naar Oscar's ProductRecord, en die van ingelogde klanten naar hun UserRecord."
    )

    def handle(self, *args, **options):
        written = flush_views()
        self.stdout.write(f"{written} weergaven en toevoegingen weggeschreven.")
