"""The claim gate: nothing with error-level health claims becomes public, unless Compliance
gives a written override for that exact text; the override is in the history and the report."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.timezone import localtime
from oscar.apps.catalogue.models import Category, Product
from oscar.apps.catalogue.reviews.models import ProductReview
from oscar.core.loading import get_class

from content.dashboard import gate, services
from content.dashboard.models import ClaimOverride, Revision
from content.models import Article
from tests.factories import make_supplement, make_user
from tests.shop.test_label_gate import _form_data

pytestmark = pytest.mark.django_db

CLAIM = "Magnesium geneest depressie."
REASON = "Citaat uit een wetenschappelijke bron, als citaat gemarkeerd; juridisch getoetst."


@pytest.fixture
def compliance(db):
    if not Group.objects.filter(name="Compliance").exists():
        import_module("content.dashboard.migrations.0004_compliance_role").create_group(apps)
    return make_user("compliance", role="Compliance")


@pytest.fixture
def claim_guide(editor):
    return services.article_save(
        user=editor,
        fields={"title": "Over magnesium", "lead": "Intro.", "body": f"## Kop\n\n{CLAIM}"},
        topics=[],
    )


def test_compliance_role_has_the_override_permission_and_editors_do_not(compliance, editor):
    assert compliance.has_perm(gate.OVERRIDE_PERMISSION)
    assert not editor.has_perm(gate.OVERRIDE_PERMISSION)


def test_editor_is_blocked_from_publishing_a_guide_with_claim_errors(client, editor, claim_guide):
    with pytest.raises(gate.ClaimGateError) as excinfo:
        services.article_publish(article=claim_guide, user=editor)
    message = " ".join(excinfo.value.messages)
    assert "kan niet openbaar worden" in message and CLAIM in message
    assert "Magnesium draagt bij tot een normale psychologische functie" in message

    client.force_login(editor)
    response = client.post(
        f"/dashboard/kennisbank/gidsen/{claim_guide.pk}/publiceren/", follow=True
    )
    claim_guide.refresh_from_db()
    assert not claim_guide.is_live and claim_guide.status == Article.Status.DRAFT
    texts = [str(m) for m in response.context["messages"]]
    assert any("kan niet openbaar worden" in t and CLAIM in t for t in texts), texts


def test_editor_sees_each_finding_inline_next_to_its_sentence(client, editor, claim_guide):
    client.force_login(editor)
    html = client.get(f"/dashboard/kennisbank/gidsen/{claim_guide.pk}/").content.decode()
    marked = html.index(f'<mark class="claim-sentence claim-error">{CLAIM}</mark>')
    note = html.index("claim-note", marked)
    suggestion = html.index("Magnesium draagt bij tot een normale psychologische functie", note)
    # The note follows its sentence directly, inside the same line of the text.
    assert html.index("</p>", marked) > suggestion
    assert 'data-line="3"' in html  # the body's third line
    assert "claim-gate-blocked" in html and "claim-override-form" not in html  # no override


def test_editor_cannot_give_an_override(client, editor, claim_guide):
    with pytest.raises(PermissionDenied):
        services.claim_override_grant(obj=claim_guide, user=editor, reason=REASON)
    client.force_login(editor)
    url = f"/dashboard/kennisbank/claimcontrole/gids/{claim_guide.pk}/uitzondering/"
    response = client.post(url, {"reason": REASON})
    assert response.status_code in (302, 403)
    assert not ClaimOverride.objects.exists()


def test_compliance_override_is_recorded_with_who_when_and_why(
    client, editor, compliance, claim_guide
):
    client.force_login(compliance)
    page = client.get(f"/dashboard/kennisbank/gidsen/{claim_guide.pk}/").content.decode()
    assert "claim-override-form" in page
    too_short = client.post(
        f"/dashboard/kennisbank/claimcontrole/gids/{claim_guide.pk}/uitzondering/",
        {"reason": "ok", "next": f"/dashboard/kennisbank/gidsen/{claim_guide.pk}/"},
    )
    assert too_short.status_code == 302 and not ClaimOverride.objects.exists()
    client.post(
        f"/dashboard/kennisbank/claimcontrole/gids/{claim_guide.pk}/uitzondering/",
        {"reason": REASON, "next": f"/dashboard/kennisbank/gidsen/{claim_guide.pk}/"},
    )
    override = ClaimOverride.objects.get()
    assert override.user == compliance and override.reason == REASON
    assert override.findings[0]["sentence"] == CLAIM and override.created_at

    # In the revision history: who, when and the reason.
    revision = Revision.objects.for_object(claim_guide).first()
    assert revision.user == compliance and REASON in revision.summary
    history = client.get(f"/dashboard/kennisbank/gidsen/{claim_guide.pk}/versies/").content.decode()
    assert REASON in history and compliance.email in history
    assert localtime(revision.created_at).strftime("%d-%m-%Y %H:%M") in history

    # In the claims report: item, who, when, reason.
    report = client.get("/dashboard/claims/").content.decode()
    assert "claim-overrides" in report and claim_guide.title in report
    assert compliance.email in report and REASON in report
    assert localtime(override.created_at).strftime("%d-%m-%Y %H:%M") in report

    # Now the editor may publish this text ...
    services.article_publish(article=claim_guide, user=editor)
    claim_guide.refresh_from_db()
    assert claim_guide.is_live
    # ... but not a changed text: the override covers what Compliance read.
    with pytest.raises(ValidationError, match="kan niet openbaar worden"):
        services.article_save(
            user=editor,
            article=claim_guide,
            fields={"title": claim_guide.title, "body": f"{CLAIM} Magnesium verlicht angst."},
            topics=[],
        )
    claim_guide.refresh_from_db()
    assert "angst" not in claim_guide.body


def test_a_live_guide_cannot_be_edited_to_hold_claim_errors(editor):
    article = services.article_save(
        user=editor, fields={"title": "Veilig", "body": "Over magnesiumvormen."}, topics=[]
    )
    services.article_publish(article=article, user=editor)
    with pytest.raises(gate.ClaimGateError):
        services.article_save(
            user=editor, article=article, fields={"title": "Veilig", "body": CLAIM}, topics=[]
        )
    article.refresh_from_db()
    assert article.body == "Over magnesiumvormen." and article.is_live


def test_faq_gate_blocks_publishing_and_live_edits(editor):
    faq = services.faq_save(
        user=editor, fields={"question": "Helpt het?", "answer": CLAIM}, topics=[]
    )
    with pytest.raises(gate.ClaimGateError):
        services.faq_publish(faq=faq, user=editor)
    ok = services.faq_save(
        user=editor, fields={"question": "Wanneer?", "answer": "Bij de maaltijd."}, topics=[]
    )
    services.faq_publish(faq=ok, user=editor)
    with pytest.raises(gate.ClaimGateError):
        services.faq_save(user=editor, faq=ok, fields={"answer": CLAIM}, topics=[])


def test_a_guides_faqs_with_claim_errors_block_the_guide(editor):
    article = services.article_save(
        user=editor, fields={"title": "Gids", "body": "Over vormen."}, topics=[]
    )
    services.faq_save(
        user=editor,
        fields={"question": "Helpt het?", "answer": CLAIM, "article": article},
        topics=[],
    )
    with pytest.raises(gate.ClaimGateError, match="Helpt het"):
        services.article_publish(article=article, user=editor)


def test_product_form_refuses_a_public_product_with_claim_errors(compliance):
    from shop.demo import ensure_product_class

    product_class = ensure_product_class()
    ProductForm = get_class("dashboard.catalogue.forms", "ProductForm")
    data = _form_data(attr_usage="Neem 2 capsules per dag.", description=CLAIM)
    form = ProductForm(product_class, data=data)
    assert not form.is_valid()
    assert "kan niet openbaar worden" in " ".join(form.non_field_errors())
    form = ProductForm(product_class, data={**data, "is_public": ""})
    assert form.is_valid(), form.errors  # hidden, it may be saved and fixed

    # A claim in the product's name is caught as well ("Avondrust"-style names).
    form = ProductForm(
        product_class,
        data={**data, "description": "", "title": "Magnesium tegen slapeloosheid"},
    )
    assert not form.is_valid()

    # With an override for exactly this text, Compliance lets it through.
    product = make_supplement(upc="GATE-1", description=CLAIM, is_public=False)
    services.claim_override_grant(obj=product, user=compliance, reason=REASON)
    same_text = {
        **data,
        "upc": "GATE-1",
        "title": product.title,
        "attr_ingredients": product.attr.ingredients,
        "attr_usage": product.attr.usage,
    }
    form = ProductForm(product_class, instance=product, data=same_text)
    assert form.is_valid(), form.errors
    # Any other text (here the usage) is a new decision for Compliance.
    form = ProductForm(
        product_class, instance=product, data={**same_text, "attr_usage": "Neem 2 per dag."}
    )
    assert not form.is_valid()


def test_category_form_refuses_a_claim_as_a_category_name():
    CategoryForm = get_class("dashboard.catalogue.forms", "CategoryForm")
    data = {"name": "Magnesium tegen depressie", "description": "", "is_public": "on",
            "treebeard_position": "first-child", "treebeard_ref_node": ""}  # fmt: skip
    form = CategoryForm(data=data)
    assert not form.is_valid()
    assert "kan niet openbaar worden" in " ".join(form.non_field_errors())
    form = CategoryForm(data={**data, "name": "Capsules"})
    assert form.is_valid(), form.errors
    assert not Category.objects.filter(name="Magnesium tegen depressie").exists()


def test_review_with_claim_errors_cannot_be_approved(client, superuser):
    product = make_supplement(upc="REV-1")
    review = ProductReview.objects.create(
        product=product, title="Top", body="Dit product geneest mijn depressie.", score=5,
        status=ProductReview.FOR_MODERATION, name="Klant", email="k@example.nl",
    )  # fmt: skip
    Form = get_class("dashboard.reviews.forms", "DashboardProductReviewForm")
    form = Form(
        instance=review,
        data={"title": "Top", "body": review.body, "score": 5, "status": ProductReview.APPROVED},
    )
    assert not form.is_valid() and "kan niet openbaar worden" in str(form.errors["status"])

    client.force_login(superuser)
    client.post(
        "/dashboard/reviews/",
        {"action": "update_selected_review_status", "selected_review": [review.pk],
         "status": ProductReview.APPROVED},
    )  # fmt: skip
    review.refresh_from_db()
    assert review.status == ProductReview.FOR_MODERATION
    assert not Product.objects.get(pk=product.pk).reviews.filter(status=ProductReview.APPROVED)


AUTHORISED_ONLY = "## Kop\n\nMagnesium draagt bij tot een normale spierfunctie."


def test_a_guide_with_an_authorised_claim_but_without_the_art_10_2_statements_is_blocked(editor):
    guide = services.article_save(
        user=editor,
        fields={"title": "Over magnesium", "lead": "Intro.", "body": AUTHORISED_ONLY},
        topics=[],
    )
    with pytest.raises(gate.ClaimGateError) as excinfo:
        services.article_publish(article=guide, user=editor)
    assert {f.field for f in excinfo.value.findings} == {gate.STATEMENTS_FIELD}
    assert {f.finding.rule for f in excinfo.value.findings} == {
        "statement_missing.varied_diet",
        "statement_missing.quantity",
    }
    assert "gevarieerd en evenwichtig voedingspatroon" in " ".join(excinfo.value.messages)

    body = AUTHORISED_ONLY + (
        "\n\nEen gevarieerd en evenwichtig voedingspatroon en een gezonde levensstijl zijn "
        "belangrijk. Het gunstige effect wordt verkregen bij een dagelijkse inname van ten minste "
        "56 mg magnesium."
    )
    guide = services.article_save(
        user=editor,
        article=guide,
        fields={"title": guide.title, "lead": guide.lead, "body": body},
        topics=[],
    )
    services.article_publish(article=guide, user=editor)
    guide.refresh_from_db()
    assert guide.status == Article.Status.PUBLISHED
