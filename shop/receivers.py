"""Thin signal receivers of the shop app, connected in ShopConfig.ready()."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from shop.facts import missing_label_facts


def guard_label_facts(sender, instance, raw=False, **kwargs) -> None:
    """Refuse to save a public supplement that lacks required label facts, on any write path.

    The dashboard form shows the same check as a form error first; this catches the admin,
    the shell, imports and the demo loader.
    """
    if raw or not instance.is_public:
        return
    missing = missing_label_facts(instance)
    if missing:
        raise ValidationError(
            {
                "is_public": (
                    f"'{instance.title or instance.upc}' kan niet openbaar worden gemaakt zolang "
                    f"verplichte etiketgegevens ontbreken: {', '.join(missing)}."
                )
            },
            code="label_facts_missing",
        )
