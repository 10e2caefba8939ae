"""The Kennisbank section of Oscar's dashboard: guides, FAQs and topics for staff."""

from django.urls import path
from oscar.core.application import OscarDashboardConfig
from oscar.core.loading import get_class

from shop.dashboard import hooks


def _perms(*codenames: str) -> list[str]:
    return [f"content.{codename}" for codename in codenames]


class ContentDashboardConfig(OscarDashboardConfig):
    # An Oscar dashboard config, not a plain AppConfig, so that Oscar's own permission
    # decorators (post_process_urls) guard every view and the navigation's default
    # access function can look the permissions of these URLs up.
    name = "content.dashboard"
    label = "content_dashboard"
    verbose_name = "Kennisbank"
    namespace = "content_dashboard"
    default_auto_field = "django.db.models.BigAutoField"

    # Anything not listed below still needs a staff account.
    default_permissions = ["is_staff"]

    def configure_permissions(self):
        DashboardPermission = get_class("dashboard.permissions", "DashboardPermission")
        staff = DashboardPermission.staff
        view_article = [*staff, *_perms("view_article")]
        change_article = [*staff, *_perms("view_article", "change_article")]
        view_faq = [*staff, *_perms("view_faq")]
        change_faq = [*staff, *_perms("view_faq", "change_faq")]
        self.permissions_map = {
            "kennisbank-article-list": view_article,
            "kennisbank-article-create": [*staff, *_perms("view_article", "add_article")],
            "kennisbank-article-import": [*staff, *_perms("view_article", "add_article")],
            "kennisbank-article-update": change_article,
            "kennisbank-article-publish": change_article,
            "kennisbank-article-unpublish": change_article,
            "kennisbank-article-delete": [*staff, *_perms("view_article", "delete_article")],
            "kennisbank-article-preview": view_article,
            "kennisbank-article-revisions": view_article,
            "kennisbank-article-diff": view_article,
            "kennisbank-article-restore": change_article,
            "kennisbank-markdown-preview": view_article,
            "kennisbank-category-lookup": [*staff, "catalogue.view_category"],
            "kennisbank-faq-list": view_faq,
            "kennisbank-faq-create": [*staff, *_perms("view_faq", "add_faq")],
            "kennisbank-faq-update": change_faq,
            "kennisbank-faq-delete": [*staff, *_perms("view_faq", "delete_faq")],
            "kennisbank-faq-revisions": view_faq,
            "kennisbank-faq-diff": view_faq,
            "kennisbank-faq-restore": change_faq,
            "kennisbank-topic-list": [*staff, *_perms("view_topic")],
            "kennisbank-topic-create": [*staff, *_perms("view_topic", "add_topic")],
            "kennisbank-topic-update": [*staff, *_perms("view_topic", "change_topic")],
            "kennisbank-topic-delete": [*staff, *_perms("view_topic", "delete_topic")],
            "kennisbank-claim-override": [*staff, "content_dashboard.override_claims"],
        }

    def ready(self):
        self.configure_permissions()
        # Imported here: it loads content's models, which need the app registry ready.
        from content.dashboard.usage import hidden_product_warning

        hooks.register_hidden_warning(hidden_product_warning)

    def get_urls(self):
        # Imported here: the views import models, which need the app registry ready.
        from content.dashboard import views

        urls = [
            path("gidsen/", views.ArticleListView.as_view(), name="kennisbank-article-list"),
            path(
                "gidsen/nieuw/",
                views.ArticleCreateView.as_view(),
                name="kennisbank-article-create",
            ),
            path(
                "gidsen/importeren/",
                views.ArticleImportView.as_view(),
                name="kennisbank-article-import",
            ),
            path(
                "gidsen/<int:pk>/",
                views.ArticleUpdateView.as_view(),
                name="kennisbank-article-update",
            ),
            path(
                "gidsen/<int:pk>/publiceren/",
                views.ArticlePublishView.as_view(),
                name="kennisbank-article-publish",
            ),
            path(
                "gidsen/<int:pk>/depubliceren/",
                views.ArticleUnpublishView.as_view(),
                name="kennisbank-article-unpublish",
            ),
            path(
                "gidsen/<int:pk>/verwijderen/",
                views.ArticleDeleteView.as_view(),
                name="kennisbank-article-delete",
            ),
            path(
                "gidsen/<int:pk>/voorbeeld/",
                views.ArticlePreviewView.as_view(),
                name="kennisbank-article-preview",
            ),
            path(
                "gidsen/<int:pk>/versies/",
                views.ArticleRevisionListView.as_view(),
                name="kennisbank-article-revisions",
            ),
            path(
                "gidsen/<int:pk>/versies/<int:revision_pk>/",
                views.ArticleRevisionDiffView.as_view(),
                name="kennisbank-article-diff",
            ),
            path(
                "gidsen/<int:pk>/versies/<int:revision_pk>/terugzetten/",
                views.ArticleRevisionRestoreView.as_view(),
                name="kennisbank-article-restore",
            ),
            path(
                "voorbeeld/",
                views.MarkdownPreviewView.as_view(),
                name="kennisbank-markdown-preview",
            ),
            path(
                "categorie-zoeken/",
                views.CategoryLookupView.as_view(),
                name="kennisbank-category-lookup",
            ),
            path("vragen/", views.FaqListView.as_view(), name="kennisbank-faq-list"),
            path("vragen/nieuw/", views.FaqCreateView.as_view(), name="kennisbank-faq-create"),
            path("vragen/<int:pk>/", views.FaqUpdateView.as_view(), name="kennisbank-faq-update"),
            path(
                "vragen/<int:pk>/verwijderen/",
                views.FaqDeleteView.as_view(),
                name="kennisbank-faq-delete",
            ),
            path(
                "vragen/<int:pk>/versies/",
                views.FaqRevisionListView.as_view(),
                name="kennisbank-faq-revisions",
            ),
            path(
                "vragen/<int:pk>/versies/<int:revision_pk>/",
                views.FaqRevisionDiffView.as_view(),
                name="kennisbank-faq-diff",
            ),
            path(
                "vragen/<int:pk>/versies/<int:revision_pk>/terugzetten/",
                views.FaqRevisionRestoreView.as_view(),
                name="kennisbank-faq-restore",
            ),
            path(
                "claimcontrole/<str:kind>/<int:pk>/uitzondering/",
                views.ClaimOverrideCreateView.as_view(),
                name="kennisbank-claim-override",
            ),
            path("onderwerpen/", views.TopicListView.as_view(), name="kennisbank-topic-list"),
            path(
                "onderwerpen/nieuw/",
                views.TopicCreateView.as_view(),
                name="kennisbank-topic-create",
            ),
            path(
                "onderwerpen/<int:pk>/",
                views.TopicUpdateView.as_view(),
                name="kennisbank-topic-update",
            ),
            path(
                "onderwerpen/<int:pk>/verwijderen/",
                views.TopicDeleteView.as_view(),
                name="kennisbank-topic-delete",
            ),
        ]
        return self.post_process_urls(urls)
