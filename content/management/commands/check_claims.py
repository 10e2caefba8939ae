"""Report the health claims that need attention; never changes any text."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.claims import ERROR, check_lines, check_text, scan_site, statement_findings
from content.dashboard.models import Revision
from content.models import Article


class Command(BaseCommand):
    help = (
        "Controleert gezondheidsclaims in gidsen, FAQ's, productomschrijvingen en reviews, of met "
        "--file in een UTF-8-tekstbestand (één zin per regel). Eindigt met een foutcode bij fouten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            help="Controleer dit UTF-8-bestand, één zin per regel, zonder productcontext.",
        )

        parser.add_argument(
            "--revisions",
            metavar="SLUG",
            help="Tel per revisie van deze gids (met de FAQ's zoals ze bij die revisie waren) de "
            "fouten en waarschuwingen; verandert niets.",
        )

    def _revisions(self, slug: str) -> None:
        article = Article.objects.filter(slug=slug).first()
        if article is None:
            raise CommandError(f"Geen gids met slug {slug!r}.")
        revisions = list(reversed(Revision.objects.for_object(article)))  # oldest first
        faqs = [list(reversed(Revision.objects.for_object(f))) for f in article.faqs.all()]
        for number, revision in enumerate(revisions, start=1):
            snap = revision.snapshot
            # Each FAQ as it stood at this revision: its latest revision not after this one.
            faq_snaps = [
                next(
                    (r for r in reversed(rs) if r.created_at <= revision.created_at), rs[0]
                ).snapshot
                for rs in faqs
                if rs
            ]
            texts = [("titel", snap["title"]), ("intro", snap["lead"]), ("tekst", snap["body"])]
            texts += [
                (label, faq[key])
                for faq in faq_snaps
                for label, key in (("vraag", "question"), ("antwoord", "answer"))
            ]
            findings = [f for _label, text in texts for f in check_text(text or "")]
            statements = statement_findings(texts[:3])
            errors = sum(f.severity == ERROR for f in findings)
            self.stdout.write(
                f"revisie {number} ({revision.summary}, {snap.get('status')}): "
                f"{errors} fout(en), {len(findings) - errors} waarschuwing(en) in de zinnen; "
                f"art. 10 lid 2: {sum(f.severity == ERROR for f in statements)} fout(en), "
                f"{sum(f.severity != ERROR for f in statements)} waarschuwing(en)"
            )

    def handle(self, *args, file=None, revisions=None, **options):
        if revisions:
            self._revisions(revisions)
            return
        if file:
            path = Path(file)
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except FileNotFoundError as exc:
                raise CommandError(f"Bestand niet gevonden: {file}") from exc
            except UnicodeDecodeError as exc:
                raise CommandError(f"{file} is geen UTF-8-tekst.") from exc
            findings = check_lines(lines, source=str(path))
            for finding in findings:
                self.stdout.write(finding.as_line())
        else:
            findings = scan_site()
            for finding in findings:
                self.stdout.write(f"{finding.source}\t{finding.as_line()}")
                if finding.suggestion:
                    self.stdout.write(f"\t\tsuggestie: {finding.suggestion}")
        errors = sum(1 for f in findings if f.severity == ERROR)
        warnings = len(findings) - errors
        summary = f"{errors} fout(en), {warnings} waarschuwing(en)."
        if errors:
            raise CommandError(summary)
        self.stderr.write(summary)
