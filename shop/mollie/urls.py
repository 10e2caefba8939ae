from django.urls import path

from shop.mollie import views

app_name = "mollie"

urlpatterns = [
    path("betalen/webhook/", views.webhook, name="webhook"),
    path("betalen/<str:order_number>/", views.payment_start, name="start"),
    path("betalen/<str:order_number>/<str:hash>/terug/", views.payment_return, name="return"),
    path("dashboard/mollie/<str:number>/terugbetalen/", views.payment_refund, name="refund"),
]
