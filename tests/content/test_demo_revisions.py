"""The demo's seed guide: revision 1 is the import exactly as written, revision 2 (the published
one) the editorial team's compliant edit with the same structure."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from content import importer
from content.claims import ERROR, check_text
from content.dashboard.models import Revision
from content.demo import load_seed_guide
from content.models import Article
from shop.catalogue.facts import upper_level_mg
from shop.demo import load_catalogue

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SEED = importer.parse((FIXTURES / "magnesium-mentale-gezondheid.txt").read_text(encoding="utf-8"))
EDIT = importer.parse(
    (FIXTURES / "magnesium-mentale-gezondheid-redactie.txt").read_text(encoding="utf-8")
)


def errors(snapshot: dict, faq_snapshots: list[dict]) -> list:
    texts = [snapshot["title"], snapshot["lead"], snapshot["body"]]
    texts += [part for faq in faq_snapshots for part in (faq["question"], faq["answer"])]
    return [f for text in texts for f in check_text(text) if f.severity == ERROR]


@pytest.fixture
def guide():
    load_catalogue()
    return load_seed_guide()


def _revisions(obj) -> list[Revision]:
    return list(reversed(Revision.objects.for_object(obj)))  # oldest first


def test_revision_1_is_the_import_exactly_and_revision_2_is_live(guide):
    first, second = _revisions(guide)
    assert first.summary == "Geïmporteerd"
    assert first.snapshot["body"] == SEED.body and first.snapshot["lead"] == SEED.lead
    assert first.snapshot["keywords"] == SEED.keywords and len(SEED.keywords) == 10
    assert first.snapshot["status"] == "draft"
    assert len(SEED.headings) == 8 and len(SEED.faqs) == 5
    faqs = list(guide.faqs.order_by("position"))
    assert [_revisions(f)[0].snapshot["answer"] for f in faqs] == [f.answer for f in SEED.faqs]

    guide.refresh_from_db()
    assert guide.is_live and second.snapshot["status"] == "published"
    assert second.snapshot["body"] == guide.body == EDIT.body


def test_revision_2_keeps_the_structure_eight_sections_five_questions_ten_keywords(guide):
    assert len(EDIT.headings) == len(SEED.headings) == 8
    assert len(EDIT.faqs) == len(SEED.faqs) == 5
    assert len(EDIT.keywords) == 10
    faqs = list(guide.faqs.order_by("position"))
    assert [f.question for f in faqs] == [f.question for f in EDIT.faqs]
    assert all(f.status == "published" for f in faqs)
    # Two questions are kept word for word; the other three made a claim themselves and were
    # rephrased on the same subject, in the same place.
    assert SEED.faqs[4].question == EDIT.faqs[4].question
    assert "geheugen" in EDIT.faqs[3].question and "mentaal welzijn" in EDIT.faqs[0].question


def test_revision_1_has_error_findings_and_revision_2_none(guide):
    faqs = list(guide.faqs.order_by("position"))
    first, second = _revisions(guide)
    first_errors = errors(first.snapshot, [_revisions(f)[0].snapshot for f in faqs])
    second_errors = errors(second.snapshot, [_revisions(f)[-1].snapshot for f in faqs])
    print(
        f"\nseed guide error findings: revision 1 {len(first_errors)}, revision 2 {len(second_errors)}"
    )
    assert len(first_errors) >= 40
    assert second_errors == []


def test_revision_2_advises_at_most_the_upper_level_and_links_no_other_shop(guide):
    text = " ".join([guide.title, guide.lead, guide.body, guide.sources])
    text += " ".join(f"{f.question} {f.answer}" for f in guide.faqs.all()) + " ".join(
        guide.keywords
    )
    assert "topvitamine" not in text.lower() and ".com" not in text
    doses = [int(mg) for mg in re.findall(r"(\d+)\s*mg[^.]*?per dag", text)]
    assert doses and max(doses) <= upper_level_mg()
    assert "250–500" not in text


def test_loading_the_demo_again_keeps_two_revisions(guide):
    again = load_seed_guide()
    assert again.pk == guide.pk and Article.objects.count() == 1
    assert len(_revisions(again)) == 2
