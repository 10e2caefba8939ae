from django.urls import path

from features.storefront import views

app_name = "storefront"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
]
