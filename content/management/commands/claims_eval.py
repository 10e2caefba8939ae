"""Print the claim checker's precision and recall on the labelled set (development and held-out)."""

from __future__ import annotations

from collections import Counter

from django.core.management.base import BaseCommand

from content import claims_eval


class Command(BaseCommand):
    help = (
        "Precisie en recall van de claimchecker op de gelabelde zinnen (flag = positief), "
        "op het ontwikkeldeel en het achtergehouden deel."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--errors",
            action="store_true",
            help="Toon de fout beoordeelde zinnen van het ontwikkeldeel (nooit van het "
            "achtergehouden deel: die blijven ongezien).",
        )

    def handle(self, *args, errors=False, **options):
        parts = (("development", claims_eval.DEVELOPMENT), ("held-out", claims_eval.HELDOUT))
        for name, path in parts:
            examples = claims_eval.load(path)
            labels = Counter((e.kind, e.label) for e in examples)
            result = claims_eval.score(examples)
            self.stdout.write(f"{name:<12} {result.summary()}")
            strict = claims_eval.score(examples, errors_only=True)
            self.stdout.write(f"{'  errors only':<12} {strict.summary()}")
            kinds = sorted({k for k, _l in labels})
            self.stdout.write(
                "             "
                + ", ".join(f"{k} {labels[(k, 'ok')]} ok/{labels[(k, 'flag')]} flag" for k in kinds)
            )
            if errors and path == claims_eval.DEVELOPMENT:
                for example, rule in result.wrong:
                    self.stdout.write(f"  {example.label}->{rule}\t{example.sentence}")
