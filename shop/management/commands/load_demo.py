from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from content import demo as content_demo
from features.legal.pages import legal_pages_publish
from shop import demo


class Command(BaseCommand):
    help = "Load the demo shop: the magnesium collection, offers and (in DEBUG) a staff account."

    def handle(self, *args, **options):
        counts = demo.load_catalogue()
        demo.load_offers()
        self.stdout.write(
            "Catalogus: {products} producten ({magnesium} magnesium, {variants} varianten), "
            "{categories} categorieën.".format(**counts)
        )
        guide = content_demo.load_seed_guide()
        self.stdout.write(
            f"Kennisbank: gids „{guide.title}” met {guide.faqs.count()} FAQ's, "
            f"{len(guide.keywords)} zoekwoorden en "
            f"{guide.product_links.count()} gekoppelde producten."
        )
        pages = legal_pages_publish()
        self.stdout.write(f"Juridische pagina's: {', '.join(page.url for page in pages)}.")
        if settings.DEBUG:
            user_model = get_user_model()
            email = "beheer@example.nl"
            if not user_model.objects.filter(email=email).exists():
                user_model.objects.create_superuser(
                    username="beheer", email=email, password="beheer-demo"
                )
            self.stdout.write(
                f"Dashboard: /dashboard/ met {email} / beheer-demo (alleen in DEBUG)."
            )
