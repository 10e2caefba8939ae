"""The project's URLs plus two control pages for the XSS browser test: the corpus unsanitised,
with no policy and with the storefront's policy (they prove the detector sees what runs)."""

from csp.decorators import csp_exempt
from django.http import HttpResponse
from django.urls import path

from shop.urls import urlpatterns as shop_urlpatterns
from tests.security.payloads import html_batch


def raw_corpus(request):
    return HttpResponse(f"<!DOCTYPE html><html><body>{html_batch()}</body></html>")


urlpatterns = [
    path("xss-control/no-policy/", csp_exempt()(raw_corpus)),
    path("xss-control/storefront-policy/", raw_corpus),
    *shop_urlpatterns,
]
