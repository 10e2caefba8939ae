from django.contrib import admin

from content.models import (
    Article,
    ArticleCategory,
    ArticleProduct,
    Faq,
    FaqCategory,
    FaqProduct,
    Topic,
)


class ArticleProductInline(admin.TabularInline):
    model = ArticleProduct
    raw_id_fields = ["product"]
    extra = 0


class ArticleCategoryInline(admin.TabularInline):
    model = ArticleCategory
    extra = 0


class FaqProductInline(admin.TabularInline):
    model = FaqProduct
    raw_id_fields = ["product"]
    extra = 0


class FaqCategoryInline(admin.TabularInline):
    model = FaqCategory
    extra = 0


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "published_at", "updated_at"]
    list_filter = ["status", "topics"]
    search_fields = ["title", "lead", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
    inlines = [ArticleProductInline, ArticleCategoryInline]


@admin.register(Faq)
class FaqAdmin(admin.ModelAdmin):
    list_display = ["question", "article", "status", "position"]
    list_filter = ["status", "topics"]
    search_fields = ["question", "answer"]
    filter_horizontal = ["topics"]
    inlines = [FaqProductInline, FaqCategoryInline]
