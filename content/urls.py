from django.urls import path

from content import views

app_name = "content"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="article-list"),
    path("veelgestelde-vragen/", views.FaqListView.as_view(), name="faq-list"),
    path("voorbeeld/<int:pk>/", views.ArticlePreviewView.as_view(), name="article-preview"),
    path("<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
]
