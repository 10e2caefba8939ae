from django.urls import path

from features.comparison.views import FormComparisonView
from features.compliance.views import ClaimsReportView
from features.perf.views import private

app_name = "shop"

urlpatterns = [
    path("magnesiumvormen/", FormComparisonView.as_view(), name="form-comparison"),
    path("persoonlijk/", private, name="private"),
    path("dashboard/claims/", ClaimsReportView.as_view(), name="claims-report"),
]
