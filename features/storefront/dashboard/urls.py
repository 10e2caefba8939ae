"""Mounted at /dashboard/winkel/ by shop/urls.py, ahead of Oscar's include."""

from django.apps import apps

urlpatterns, app_name, _namespace = apps.get_app_config("storefront_dashboard").urls
