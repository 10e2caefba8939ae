from django.urls import path

from shop import views

app_name = "shop"

urlpatterns = [
    path("magnesiumvormen/", views.FormComparisonView.as_view(), name="form-comparison"),
    path("dashboard/claims/", views.ClaimsReportView.as_view(), name="claims-report"),
]
