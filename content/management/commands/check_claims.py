"""Report the health claims that need attention; never changes any text."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.claims import ERROR, check_lines, scan_site


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

    def handle(self, *args, file=None, **options):
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
