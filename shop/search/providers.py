"""The documents other apps give the search: a registry of providers (issue 16).

The search fork sits below the Kennisbank and never imports it. An app whose rows the search
page shows (content: guides and FAQs) registers one provider per kind of document in its
AppConfig.ready(); indexing, the vocabulary, the results page, the suggestions and the rebuild
command iterate the registered providers. Products are the search's own (shop.search.indexing).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model, QuerySet


class DocumentProvider:
    """One kind of searchable document owned by another app; subclass and register()."""

    # "gids", "vraag": how services and the index name the kind.
    kind: str = ""
    # The rows' model, for the counts and the statistics of its table.
    model: type[Model]
    # The group's name on the results page and in the suggestions ("guides").
    group: str = ""
    # "gidsen": the rebuild command's count.
    label_plural: str = ""
    # Hits shown on the results page; 0: the kind is not shown there.
    limit: int = 0
    # Hits in the suggestions; 0: the kind is not suggested.
    suggestion_limit: int = 0
    # An empty group is searched again with one word fewer required (engine.Query.relaxed).
    relax_when_empty: bool = False
    # The fields the results page shows of a hit (QuerySet.only); empty: all of them. Texts the
    # page does not show (a guide's body, the stored search documents) are long to read.
    shown: tuple[str, ...] = ()

    def published(self) -> QuerySet:
        """The rows a visitor may find."""
        raise NotImplementedError

    def search(self, queryset: QuerySet, query: Any, *, candidates: int | None = None) -> QuerySet:
        """`queryset` narrowed to hits of the parsed `query`, best first."""
        raise NotImplementedError

    def results(self, query: Any) -> list:
        """The results page's hits of `query` (at most `limit`), with the `shown` fields."""
        published = self.published()
        if self.shown:
            published = published.only(*self.shown)
        return list(self.search(published, query)[: self.limit])

    def suggestions(self, query: Any, *, candidates: int) -> list[dict]:
        """Label and URL of the first `suggestion_limit` hits of the typed `query`."""
        raise NotImplementedError

    def vocabulary_texts(self, queryset: QuerySet) -> Iterable[str]:
        """The texts of these published rows whose words a typo is corrected to."""
        raise NotImplementedError

    def index(self, *, ids: list[int] | None, connection) -> None:
        """(Re)compute the stored search documents of these rows (None: all), PostgreSQL only."""
        raise NotImplementedError


_providers: dict[str, DocumentProvider] = {}


def register(provider: DocumentProvider) -> None:
    """Add `provider` (once per kind: a second registration of a kind replaces the first)."""
    _providers[provider.kind] = provider


def providers() -> list[DocumentProvider]:
    """The registered providers, in registration order."""
    return list(_providers.values())


def get(kind: str) -> DocumentProvider:
    """The provider of `kind` (KeyError when no app registered it)."""
    return _providers[kind]
