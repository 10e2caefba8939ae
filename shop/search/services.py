"""Write paths of the search app: the synonyms staff edit.

Saving or deleting a synonym makes every stored shared page stale (features.perf's receiver, connected
in SearchConfig.ready): search pages are stored per normalised query and would otherwise keep the
results of the old synonyms. Nothing is reindexed: synonyms apply when a query is parsed.
"""

from __future__ import annotations

from shop.search.models import Synonym
from shop.search.text import words


def synonym_terms(value: str) -> list[str]:
    """'Nacht, avond , slapen' -> ['nacht', 'avond', 'slapen']: folded, deduplicated, in order."""
    terms: list[str] = []
    for part in value.split(","):
        term = " ".join(words(part))
        if term and term not in terms:
            terms.append(term)
    return terms


def synonym_save(*, words_: str, synonym: Synonym | None = None) -> Synonym:
    """Create (no `synonym`) or change a synonym group from its comma-separated words."""
    synonym = synonym or Synonym()
    synonym.words = ", ".join(part.strip() for part in words_.split(",") if part.strip())
    synonym.terms = synonym_terms(words_)
    synonym.full_clean()
    synonym.save()
    return synonym


def synonym_delete(*, synonym: Synonym) -> None:
    """Delete a synonym group."""
    synonym.delete()
