from django.urls import path

from shop import views
from shop.perf.views import private

app_name = "shop"

urlpatterns = [
    path("magnesiumvormen/", views.FormComparisonView.as_view(), name="form-comparison"),
    path("persoonlijk/", private, name="private"),
    path("dashboard/claims/", views.ClaimsReportView.as_view(), name="claims-report"),
]
