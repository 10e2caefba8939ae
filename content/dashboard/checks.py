"""Warnings on the edit page: references customers cannot follow, and health-claim findings."""

from __future__ import annotations

from dataclasses import dataclass

from content.claims import check_text
from content.linkcheck import find_link_problems
from content.models import Article, Faq


@dataclass(frozen=True)
class Warning:
    kind: str  # "link" or "claim"
    text: str
    line: int | None = None
    broken: bool = True


def _source_labels(obj: Article | Faq) -> set[str]:
    # content.linkcheck labels its findings "gids <slug>" and "vraag <pk> (gids <slug>)".
    if isinstance(obj, Article):
        labels = {f"gids {obj.slug}"}
        labels |= {f"vraag {pk} (gids {obj.slug})" for pk in obj.faqs.values_list("pk", flat=True)}
        return labels
    suffix = f" (gids {obj.article.slug})" if obj.article_id else ""
    return {f"vraag {obj.pk}{suffix}"}


def link_warnings(obj: Article | Faq) -> list[Warning]:
    """The link check's findings for this guide (and its FAQs) or this FAQ."""
    labels = _source_labels(obj)
    return [
        Warning(
            kind="link",
            text=f"{problem.source}: {problem.target} {problem.problem}",
            line=problem.line,
            broken=problem.broken,
        )
        for problem in find_link_problems()
        if problem.source in labels
    ]


def claim_warnings(obj: Article | Faq) -> list[Warning]:
    """Health-claim findings (content.claims) in the guide's intro and text, or the answer."""
    if isinstance(obj, Article):
        parts = [("intro", obj.lead), ("tekst", obj.body)]
    else:
        parts = [("antwoord", obj.answer)]
    return [
        Warning(kind="claim", text=f"{label}: {finding.message}", line=finding.line)
        for label, text in parts
        for finding in check_text(text or "", source=label)
    ]


def edit_page_warnings(obj: Article | Faq) -> list[Warning]:
    """Everything the editor should fix before (or after) publishing."""
    return link_warnings(obj) + claim_warnings(obj)
