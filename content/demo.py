"""Demo content: the user's seed guide, kept as imported (revision 1) and published as the
editorial team's compliant edit (revision 2), so the diff between the two shows the claim gate.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction

from content import importer, services
from content.dashboard import gate
from content.dashboard import services as dashboard_services
from content.dashboard.models import Revision
from content.models import Article

SEED_GUIDE = "magnesium-mentale-gezondheid.txt"
# The same post after the editorial team rewrote its claims to authorised wordings: same eight
# sections, the same five questions (rephrased where the question itself made a claim), ten
# keywords, dose advice within EFSA's 250 mg/day, no links to other shops.
EDITED_GUIDE = "magnesium-mentale-gezondheid-redactie.txt"
SEED_SLUG = "magnesium-mentale-gezondheid"
SEED_TOPIC = "Magnesium in het dagelijks leven"
SEED_AUTHOR = "Redactie Magnesiumwinkel"
EDIT_SUMMARY = "Redactie: claims herschreven naar toegelaten bewoordingen; gepubliceerd"
EDITED_SOURCES = "\n".join(
    [
        "- Verordening (EU) nr. 432/2012 (lijst van toegestane gezondheidsclaims), bijlage: "
        "magnesium.",
        "- EFSA NDA Panel, Scientific Opinion on Dietary Reference Values for magnesium, "
        "EFSA Journal 2015;13(7):4186.",
        "- Scientific Committee on Food (2001), Opinion on the Tolerable Upper Intake Level of "
        "magnesium (250 mg/dag uit supplementen).",
        "- Uitvoeringsverordening (EU) 2024/2694 (magnesium L-threonaat als nieuw voedingsmiddel).",
        "- Richtlijn 2002/46/EG, bijlage II (vormen van magnesium in voedingssupplementen).",
    ]
)


def _fixture(name: str) -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / name


@transaction.atomic
def guide_apply_edit(*, article: Article, parsed: importer.ParsedArticle, user=None) -> Article:
    """Replace the guide's text and its FAQs (by position) with `parsed`, publish them, and
    record the whole edit as one revision of the guide (and one per FAQ)."""
    services.article_update(
        article=article,
        title=parsed.title[:200],
        lead=parsed.lead,
        body=parsed.body,
        keywords=parsed.keywords,
        seo_description=parsed.lead[:170],
        sources=EDITED_SOURCES,
    )
    gate.publish_check(article)  # the edit passes the claim gate an editor's publish goes through
    services.article_publish(article=article)
    faqs = list(article.faqs.order_by("position", "pk"))
    if len(faqs) != len(parsed.faqs):
        raise ValueError("The edit must keep the guide's questions one for one.")
    for faq, edited in zip(faqs, parsed.faqs, strict=True):
        services.faq_update(faq=faq, question=edited.question, answer=edited.answer)
        gate.publish_check(faq)
        services.faq_publish(faq=faq, published_at=article.published_at)
        dashboard_services.revision_record(obj=faq, user=user, action=EDIT_SUMMARY)
    dashboard_services.revision_record(obj=article, user=user, action=EDIT_SUMMARY)
    return article


def load_seed_guide(path: Path | None = None, edited: Path | None = None) -> Article:
    """The seed guide: imported as written (revision 1, a draft) and published as the compliant
    edit (revision 2), linked to the products it discusses.

    Idempotent: a guide that already has its edit is left as it is.
    """
    article = Article.objects.filter(slug=SEED_SLUG).first()
    revisions = Revision.objects.for_object(article).count() if article else 0
    if revisions >= 2:
        return article
    if revisions == 0:
        # Also for a guide loaded before revisions were kept: the import becomes revision 1.
        topic = services.topic_get_or_create(name=SEED_TOPIC)
        parsed = importer.parse(importer.decode((path or _fixture(SEED_GUIDE)).read_bytes()))
        with transaction.atomic():
            result = services.article_import(
                parsed=parsed, link=True, slug=SEED_SLUG, author=SEED_AUTHOR, topics=[topic]
            )
            dashboard_services.revision_record(obj=result.article, action="Geïmporteerd")
            for faq in result.faqs:
                dashboard_services.revision_record(obj=faq, action="Geïmporteerd")
        article = result.article
    edit = importer.parse(importer.decode((edited or _fixture(EDITED_GUIDE)).read_bytes()))
    return guide_apply_edit(article=article, parsed=edit)
