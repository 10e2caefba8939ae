"""Print the claim checker's precision and recall on the labelled set, or on any labelled file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content import claims_eval


class Command(BaseCommand):
    help = (
        "Precisie en recall van de claimchecker op de gelabelde zinnen (flag = positief), "
        "op het ontwikkeldeel; met --file PATH op een ander bestand in hetzelfde formaat "
        "(alleen totalen en per soort tekst, nooit zinnen)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--errors",
            action="store_true",
            help="Toon de fout beoordeelde zinnen van het ontwikkeldeel (nooit van --file).",
        )
        parser.add_argument(
            "--file",
            dest="path",
            help="Meet dit TSV-bestand (soort, label, reden, context, zin; # is commentaar) in "
            "plaats van het ontwikkeldeel: alleen totalen en per soort tekst, nooit zinnen. "
            "Elke meting van een achtergehouden deel telt: noteer ze in "
            "content/claims_data/README.md.",
        )

    def handle(self, *args, errors=False, path=None, **options):
        if path:
            if errors:
                raise CommandError(
                    "--errors geldt alleen voor het ontwikkeldeel, niet voor --file."
                )
            try:
                examples = claims_eval.load(Path(path))
            except (OSError, ValueError, ArithmeticError) as exc:
                # Only the file name: a parse error message would quote the line it failed on.
                raise CommandError(
                    f"{Path(path).name} is niet te lezen als gelabelde zinnen."
                ) from exc
            name = Path(path).name
        else:
            examples = claims_eval.load_development()
            name = "development"
        result = claims_eval.score(examples)
        self.stdout.write(f"{name} {result.summary()}")
        strict = claims_eval.score(examples, errors_only=True)
        self.stdout.write(f"  errors only {strict.summary()}")
        for kind in sorted({e.kind for e in examples}):
            part = claims_eval.score([e for e in examples if e.kind == kind])
            self.stdout.write(f"  {kind:<10} {part.summary()}")
        if errors:
            for example, rule in result.wrong:
                self.stdout.write(f"  {example.label}->{rule}\t{example.sentence}")
