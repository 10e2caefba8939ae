"""Choices shared by the models and their QuerySets (kept apart to avoid an import cycle)."""

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "Concept"
    PUBLISHED = "published", "Gepubliceerd"


class LinkSource(models.TextChoices):
    # Body links are derived from references in the Markdown and rewritten on every save;
    # manual and imported links are curated and survive edits of the text.
    MANUAL = "manual", "Handmatig"
    BODY = "body", "Verwijzing in tekst"
    IMPORT = "import", "Voorstel van import"
