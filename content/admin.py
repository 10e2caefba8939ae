"""The Django admin for content, saving through the services as the dashboard editor does.

The forms and inlines are Django's; the writes are not: a save calls content.dashboard.services
(revision, links, search document, redirect of a renamed slug, claim gate) and a delete
object_delete(), so an edit here leaves the content as consistent as one in the dashboard.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import construct_change_message
from django.core.exceptions import ValidationError

from content import services as content_services
from content.choices import Status
from content.dashboard import gate, services
from content.models import (
    Article,
    ArticleCategory,
    ArticleProduct,
    Faq,
    FaqCategory,
    FaqProduct,
    Topic,
)
from content.services import ARTICLE_FIELDS, FAQ_FIELDS


class LinkInline(admin.TabularInline):
    fields = ["position", "source"]
    readonly_fields = ["source"]
    extra = 0


class ArticleProductInline(LinkInline):
    model = ArticleProduct
    fields = ["product", *LinkInline.fields]
    raw_id_fields = ["product"]


class ArticleCategoryInline(LinkInline):
    model = ArticleCategory
    fields = ["category", *LinkInline.fields]


class FaqProductInline(LinkInline):
    model = FaqProduct
    fields = ["product", *LinkInline.fields]
    raw_id_fields = ["product"]


class FaqCategoryInline(LinkInline):
    model = FaqCategory
    fields = ["category", *LinkInline.fields]


class GatedForm(forms.ModelForm):
    """Refuses to save a published item whose text has claim errors no override covers, as the
    dashboard editor does (a message on the form, not an error page)."""

    def _post_clean(self):
        super()._post_clean()
        if self.instance.status == Status.PUBLISHED and not self.errors:
            try:
                gate.publish_check(self.instance)
            except ValidationError as exc:
                self.add_error(None, exc)


def _link_targets(formsets, target_field: str) -> list:
    """The targets the link inlines keep, in the order of their position."""
    rows = [
        form.cleaned_data
        for formset in formsets
        if target_field in formset.form.base_fields
        for form in formset.forms
        if form.cleaned_data.get(target_field) and not form.cleaned_data.get("DELETE")
    ]
    return [row[target_field] for row in sorted(rows, key=lambda row: row.get("position") or 0)]


class ServiceSavedAdmin(admin.ModelAdmin):
    """Saves the item with its links in save_related(), where the inlines are at hand, through
    the `save_service`; publishing and unpublishing go through the dashboard services too."""

    form = GatedForm
    field_names: frozenset[str] = frozenset()

    def save_model(self, request, obj, form, change):
        # Saved with its links and topics by save_related(): one service call.
        pass

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        old = self.model.objects.get(pk=form.instance.pk) if change else None
        fields = {name: data[name] for name in self.field_names if name in data}
        if fields.get("hero_image") is False:  # "clear" ticked
            fields["hero_image"] = ""
        if old is None:
            fields.update(status=data["status"], published_at=data.get("published_at"))
        saved = self.save_service(
            user=request.user,
            obj=old,
            fields=fields,
            topics=data.get("topics", ()),
            products=_link_targets(formsets, "product"),
            categories=_link_targets(formsets, "category"),
        )
        if old is not None:
            self._save_status(request, saved, data["status"], data.get("published_at"))
        form.instance.pk = saved.pk

    def _save_status(self, request, obj, status: str, published_at) -> None:
        if status == Status.PUBLISHED:
            # The admin's widget shows whole seconds: an unchanged date is not a new publication.
            shown = obj.published_at and obj.published_at.replace(microsecond=0)
            if obj.status != status or shown != published_at:
                self.publish_service(obj, user=request.user, published_at=published_at)
        elif obj.status == Status.PUBLISHED:
            self.unpublish_service(obj, user=request.user)

    def construct_change_message(self, request, form, formsets, add=False):
        # The inlines' rows were written by the service, not by the formsets.
        return construct_change_message(form, [], add)

    def delete_model(self, request, obj):
        services.object_delete(obj=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.object_delete(obj=obj)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {name: data[name] for name in ("name", "slug", "description", "position")}
        if change:
            topic = services.topic_update(topic=Topic.objects.get(pk=obj.pk), **fields)
        else:
            topic = content_services.topic_create(**fields)
        obj.pk = topic.pk

    def delete_model(self, request, obj):
        services.object_delete(obj=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.object_delete(obj=obj)


@admin.register(Article)
class ArticleAdmin(ServiceSavedAdmin):
    list_display = ["title", "status", "published_at", "updated_at"]
    list_filter = ["status", "topics"]
    search_fields = ["title", "lead", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
    inlines = [ArticleProductInline, ArticleCategoryInline]
    field_names = ARTICLE_FIELDS

    def save_service(self, *, obj, **kwargs) -> Article:
        return services.article_save(article=obj, **kwargs)

    def publish_service(self, obj, **kwargs) -> Article:
        return services.article_publish(article=obj, **kwargs)

    def unpublish_service(self, obj, **kwargs) -> Article:
        return services.article_unpublish(article=obj, **kwargs)


@admin.register(Faq)
class FaqAdmin(ServiceSavedAdmin):
    list_display = ["question", "article", "status", "position"]
    list_filter = ["status", "topics"]
    search_fields = ["question", "answer"]
    filter_horizontal = ["topics"]
    inlines = [FaqProductInline, FaqCategoryInline]
    field_names = FAQ_FIELDS

    def save_service(self, *, obj, **kwargs) -> Faq:
        return services.faq_save(faq=obj, **kwargs)

    def publish_service(self, obj, **kwargs) -> Faq:
        return services.faq_publish(faq=obj, **kwargs)

    def unpublish_service(self, obj, **kwargs) -> Faq:
        return services.faq_unpublish(faq=obj, **kwargs)
