from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from content import services
from content.importer import ArticleImportError


class Command(BaseCommand):
    help = (
        "Importeer een tekstbestand in het formaat van de seed-gids als gids met FAQ's en "
        "zoekwoorden, en stel productlinks voor op basis van de genoemde magnesiumvormen."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="pad naar het tekstbestand (UTF-8)")
        parser.add_argument("--publish", action="store_true", help="meteen publiceren")
        parser.add_argument("--title", help="titel (anders afgeleid uit de tekst)")
        parser.add_argument("--slug", default="", help="slug (anders afgeleid uit de titel)")
        parser.add_argument("--author", default="", help="auteur")
        parser.add_argument(
            "--link", action="store_true", help="de voorgestelde product- en categorielinks leggen"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Kan {path} niet lezen: {exc.strerror}.") from exc
        try:
            result = services.article_import_file(
                data=data,
                title=options["title"],
                publish=options["publish"],
                link=options["link"],
                slug=options["slug"],
                author=options["author"],
            )
        except ArticleImportError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        except ValidationError as exc:
            messages = "; ".join(
                f"{name}: {' '.join(errors)}" for name, errors in exc.message_dict.items()
            )
            raise CommandError(f"{path}: niet geïmporteerd: {messages}") from exc
        self.report(result, linked=options["link"])

    def report(self, result, *, linked: bool):
        article = result.article
        verb = "Aangemaakt" if result.created else "Bijgewerkt"
        self.stdout.write(
            f"{verb}: „{article.title}” ({article.get_status_display().lower()}, "
            f"slug {article.slug}): {len(result.headings)} secties, {len(result.faqs)} FAQ's, {len(article.keywords)} zoekwoorden."
        )
        proposals = result.proposals
        if not proposals.forms and not proposals.categories:
            self.stdout.write("Geen magnesiumvormen of collecties genoemd.")
        for form in proposals.forms:
            lines = ", ".join(str(n) for n in sorted(set(form.lines)))
            names = ", ".join(f"{p.title} ({p.upc})" for p in form.products) or "geen producten"
            self.stdout.write(f"Vorm {form.form} (regel {lines}) → {names}")
        for proposal in proposals.categories:
            lines = ", ".join(str(n) for n in sorted(set(proposal.lines)))
            target = proposal.category.full_name if proposal.category else "geen categorie gevonden"
            self.stdout.write(f"Collectie „{proposal.name}” (regel {lines}) → {target}")
        if linked:
            self.stdout.write(
                f"Gelinkt: {result.linked_products} producten, "
                f"{result.linked_categories} categorieën."
            )
        elif proposals.products or proposals.category_objects:
            self.stdout.write("Gebruik --link om deze voorstellen als links op te slaan.")
