"""Demo content: the user's seed guide, imported as a published guide with its FAQs."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from content import services

SEED_GUIDE = "magnesium-mentale-gezondheid.txt"
SEED_TOPIC = "Mentale gezondheid"


def load_seed_guide(path: Path | None = None) -> services.ImportResult:
    """Import (or update) the seed guide as published, linked to the products it discusses.

    Idempotent: the importer keys on the slug, updates FAQs by question and only adds links
    that are not there yet.
    """
    path = path or Path(settings.BASE_DIR) / "fixtures" / SEED_GUIDE
    topic = services.topic_get_or_create(name=SEED_TOPIC)
    return services.article_import_file(
        data=path.read_bytes(),
        publish=True,
        link=True,
        slug="magnesium-mentale-gezondheid",
        author="Redactie Magnesiumwinkel",
        topics=[topic],
    )
