"""Train the claim checker's second-opinion model on the development set and write its weights."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Traint het tweede-meningmodel van de claimchecker op het ontwikkeldeel van de gelabelde "
        "zinnen (scikit-learn, vaste seed) en schrijft content/claims_data/model.json."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cv",
            action="store_true",
            help="Schrijf niets; toon de 5-voudige kruisvalidatie op het ontwikkeldeel (model "
            "alleen, en regels plus model; de regels zelf zijn niet te kruisvalideren).",
        )
        parser.add_argument(
            "--by-file",
            action="store_true",
            help="Schrijf niets; toon per bestand van het ontwikkeldeel de cijfers van een model "
            "dat op de andere bestanden is getraind (model alleen, en regels plus model).",
        )

    def handle(self, *args, cv=False, by_file=False, **options):
        try:
            # Imported here: claims_training needs scikit-learn, an optional extra.
            from content import claims_training
        except ImportError as exc:  # scikit-learn is an extra, not needed to run the shop
            raise CommandError(
                f"scikit-learn ontbreekt ({exc}); installeer met: pip install '.[claims]'"
            ) from exc
        if cv:
            for name, figures in claims_training.cross_validate().items():
                self.stdout.write(f"{name:<8} {_line(figures)}")
            return
        if by_file:
            for path, parts in claims_training.cross_validate_by_file().items():
                for name, figures in parts.items():
                    self.stdout.write(f"{path:<24} {name:<8} {_line(figures)}")
            return
        model = claims_training.train()
        claims_training.write(model)
        self.stdout.write(
            f"{len(model['weights'])} gewichten, drempel {model['threshold']}, "
            f"kruisvalidatie op ontwikkeldeel: precisie {model['cv_precision_at_threshold']}, "
            f"recall {model['cv_recall_at_threshold']}"
        )


def _line(figures: dict) -> str:
    return (
        f"precisie {figures['precision']}, recall {figures['recall']} (tp={figures['tp']}, "
        f"fp={figures['fp']}, fn={figures['fn']}, tn={figures['tn']})"
    )
