"""Warnings on the edit page: references customers cannot follow, and health-claim findings."""

from __future__ import annotations

from dataclasses import dataclass

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
    from content.linkcheck import find_link_problems

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
    """Health-claim findings, once content.claims exists; none before."""
    try:
        from content import claims
    except ImportError:
        return []
    check = getattr(claims, "check_text", None) or getattr(claims, "find_claims", None)
    if check is None:
        return []
    text = "\n".join([obj.lead, obj.body]) if isinstance(obj, Article) else obj.answer
    findings = []
    for finding in check(text):
        findings.append(
            Warning(
                kind="claim",
                text=str(getattr(finding, "message", finding)),
                line=getattr(finding, "line", None),
            )
        )
    return findings


def edit_page_warnings(obj: Article | Faq) -> list[Warning]:
    """Everything the editor should fix before (or after) publishing."""
    return link_warnings(obj) + claim_warnings(obj)
