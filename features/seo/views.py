"""robots.txt: keep crawlers out of the basket, checkout, account and dashboard pages."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


def disallowed_paths() -> list[str]:
    """Path prefixes of pages that are personal or staff-only (never worth indexing)."""
    return [
        reverse("basket:summary"),
        reverse("checkout:index"),
        reverse("customer:summary"),
        reverse("dashboard:index"),
        reverse("search:search"),  # endless parameter combinations; products have sitemaps
    ]


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in disallowed_paths()]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
