"""Every save keeps a revision; a restore gives the exact text back; the diff shows lines."""

import pytest

from content.dashboard import services
from content.dashboard.models import Revision

pytestmark = pytest.mark.django_db

FIRST = "## Inleiding\n\nMagnesium helpt bij vermoeidheid.\n\nRegel drie blijft."


def _edit(article, user, body):
    return services.article_save(
        user=user,
        article=article,
        fields={"title": article.title, "body": body},
        topics=article.topics.all(),
    )


def test_three_edits_then_restoring_the_first_gives_back_its_exact_text(editor, article):
    _edit(article, editor, FIRST)
    first = Revision.objects.for_object(article).first()
    for n in (2, 3, 4):
        _edit(article, editor, f"## Versie {n}\n\nAndere tekst {n}.\n\nRegel drie blijft.")
    assert Revision.objects.for_object(article).count() == 5  # create + 4 edits

    services.revision_restore(revision=first, user=editor)

    article.refresh_from_db()
    assert article.body == FIRST
    latest = Revision.objects.for_object(article).first()
    assert latest.summary.startswith("Teruggezet naar versie van")
    assert latest.user == editor
    assert latest.snapshot["body"] == FIRST


def test_a_revision_records_who_and_which_fields_changed(editor, article):
    _edit(article, editor, "Nieuwe tekst")
    revision = Revision.objects.for_object(article).first()
    assert revision.user == editor
    assert revision.summary == "Gewijzigd: tekst"


def test_the_diff_shows_the_changed_lines_only_as_changes(editor, article):
    _edit(article, editor, "een\ntwee\ndrie")
    old = Revision.objects.for_object(article).first()
    _edit(article, editor, "een\nTWEE\ndrie")
    diffs = services.revision_diff(old=old.snapshot, new=services.snapshot(article))
    assert [d.name for d in diffs] == ["body"]
    kinds = [(line.kind, line.text) for line in diffs[0].lines if line.kind != "hunk"]
    assert ("del", "twee") in kinds
    assert ("add", "TWEE") in kinds
    assert ("ctx", "een") in kinds


def test_the_diff_page_highlights_the_changed_lines(client, editor, article):
    _edit(article, editor, "een\ntwee")
    old = Revision.objects.for_object(article).first()
    _edit(article, editor, "een\ndrie")
    client.force_login(editor)
    html = client.get(
        f"/dashboard/kennisbank/gidsen/{article.pk}/versies/{old.pk}/"
    ).content.decode()
    assert '<pre class="diff-del px-2">− twee</pre>' in html
    assert '<pre class="diff-add px-2">+ drie</pre>' in html


def test_restore_through_the_dashboard_is_itself_a_revision(client, editor, article):
    original = article.body
    _edit(article, editor, "Iets heel anders")
    first = Revision.objects.for_object(article).last()
    client.force_login(editor)
    response = client.post(
        f"/dashboard/kennisbank/gidsen/{article.pk}/versies/{first.pk}/terugzetten/"
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == original
    assert Revision.objects.for_object(article).count() == 3


def test_restore_brings_back_the_ordered_product_links(editor, article, product):
    from oscar.test import factories

    other = factories.create_product(upc="MG-CIT-150", title="Citraat")
    services.article_save(
        user=editor, article=article, fields={"title": article.title},
        topics=[], products=[other, product], categories=[],
    )  # fmt: skip
    snapshot_revision = Revision.objects.for_object(article).first()
    services.article_save(
        user=editor, article=article, fields={"title": article.title},
        topics=[], products=[product], categories=[],
    )  # fmt: skip
    services.revision_restore(revision=snapshot_revision, user=editor)
    assert list(
        article.product_links.order_by("position").values_list("product_id", flat=True)
    ) == [other.pk, product.pk]


def test_faq_saves_keep_revisions_and_restore(editor, faq):
    services.faq_save(user=editor, faq=faq, fields={"answer": "Nieuw antwoord"}, topics=[])
    first = Revision.objects.for_object(faq).last()
    services.revision_restore(revision=first, user=editor)
    faq.refresh_from_db()
    assert faq.answer == "'s Avonds."
