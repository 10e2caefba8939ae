from django.urls import path

from shop import views
from shop.perf.views import basket_summary

app_name = "shop"

urlpatterns = [
    path("magnesiumvormen/", views.FormComparisonView.as_view(), name="form-comparison"),
    path("winkelmand/samenvatting/", basket_summary, name="basket-summary"),
    path("dashboard/claims/", views.ClaimsReportView.as_view(), name="claims-report"),
]
