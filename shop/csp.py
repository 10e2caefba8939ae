"""The Content-Security-Policy of every page (django-csp): the storefront's, and the staff pages'.

Staff pages (Oscar's dashboard, Django's admin) get SHOP_CSP_STAFF instead of the storefront's
policy: Oscar's dashboard templates run inline scripts that no nonce can reach (see settings).
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import default_config
from django.conf import settings


def is_staff_path(path: str) -> bool:
    """Whether `path` is a staff page (the dashboard or the admin)."""
    return path.startswith(tuple(settings.SHOP_CSP_STAFF_PREFIXES))


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, with the staff policy on staff paths."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and is_staff_path(request.path_info):
            parts.config = default_config(settings.SHOP_CSP_STAFF)
        return parts
