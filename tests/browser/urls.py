"""The project's URLs plus uploaded media, for the live server the browser suite drives."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from shop.urls import urlpatterns as shop_urlpatterns

# Media is served by Django only here: the live server runs with DEBUG off.
urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *shop_urlpatterns,
]
