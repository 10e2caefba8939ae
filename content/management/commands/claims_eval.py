"""Print the claim checker's precision and recall on the labelled set (development, held-out)."""

from __future__ import annotations

from collections import Counter

from django.core.management.base import BaseCommand

from content import claims_eval


class Command(BaseCommand):
    help = (
        "Precisie en recall van de claimchecker op de gelabelde zinnen (flag = positief), "
        "op het ontwikkeldeel; met --heldout ook op het achtergehouden deel (heldout2.tsv)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--errors",
            action="store_true",
            help="Toon de fout beoordeelde zinnen van het ontwikkeldeel (nooit van het "
            "achtergehouden deel: die blijven ongezien).",
        )
        parser.add_argument(
            "--heldout",
            action="store_true",
            help="Meet ook het achtergehouden deel (alleen totalen en per soort tekst). Elke "
            "meting telt: noteer ze in content/claims_data/README.md.",
        )

    def handle(self, *args, errors=False, heldout=False, **options):
        parts = [("development", claims_eval.load_development())]
        if heldout:
            parts.append(("held-out", claims_eval.load(claims_eval.HELDOUT)))
        for name, examples in parts:
            labels = Counter((e.kind, e.label) for e in examples)
            result = claims_eval.score(examples)
            self.stdout.write(f"{name:<12} {result.summary()}")
            strict = claims_eval.score(examples, errors_only=True)
            self.stdout.write(f"{'  errors only':<12} {strict.summary()}")
            kinds = sorted({k for k, _l in labels})
            for kind in kinds:
                part = claims_eval.score([e for e in examples if e.kind == kind])
                self.stdout.write(f"  {kind:<10} {part.summary()}")
            if errors and name == "development":
                for example, rule in result.wrong:
                    self.stdout.write(f"  {example.label}->{rule}\t{example.sentence}")
