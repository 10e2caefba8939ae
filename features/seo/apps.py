from django.apps import AppConfig


class SeoConfig(AppConfig):
    """Search engines: structured data and meta tags (templatetags), sitemaps, robots.txt and
    redirects of renamed guides (services)."""

    name = "features.seo"
    label = "seo"
    verbose_name = "Vindbaarheid"
