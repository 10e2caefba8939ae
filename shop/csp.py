"""The Content-Security-Policy of every page (django-csp): the storefront's, and the staff pages'.

Staff pages (Oscar's dashboard, Django's admin) get SHOP_CSP_STAFF instead of the storefront's
policy: Oscar's dashboard templates run inline scripts that no nonce can reach (see settings).
"""

from __future__ import annotations

import functools

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy, default_config
from django.conf import settings
from django.core.signals import setting_changed

# What django-csp's view decorators (csp_update, csp_replace, csp, csp_exempt) set on a response
# to give it a policy of its own.
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


def is_staff_path(path: str) -> bool:
    """Whether `path` is a staff page (the dashboard or the admin)."""
    return path.startswith(tuple(settings.SHOP_CSP_STAFF_PREFIXES))


@functools.cache
def settings_policies(staff: bool) -> tuple[str, str]:
    """The policy and the report-only policy that the settings give a storefront (or a staff)
    page, as django-csp builds them."""
    config = default_config(settings.SHOP_CSP_STAFF) if staff else None
    return build_policy(config=config), build_policy(report_only=True)


def _settings_changed(*, setting, **kwargs) -> None:
    if setting in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY") or (
        setting.startswith("SHOP_CSP_")
    ):
        settings_policies.cache_clear()


setting_changed.connect(_settings_changed, dispatch_uid="shop.csp.settings_policies")


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, with the staff policy on staff paths.

    django-csp builds both headers from the settings anew for every response; a response whose
    policy is the settings' (no nonce was used, no decorator gave it one of its own, no URL
    prefix is excluded) gets them built once per process instead (a sixth of the time a page
    served from the page cache took). Every other response goes through django-csp's own."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and is_staff_path(request.path_info):
            parts.config = default_config(settings.SHOP_CSP_STAFF)
        return parts

    def process_response(self, request, response):
        if not self._has_settings_policy(request, response):
            return super().process_response(request, response)
        policy, report_only = settings_policies(is_staff_path(request.path_info))
        if policy and HEADER not in response:
            response[HEADER] = policy
        if report_only and HEADER_REPORT_ONLY not in response:
            response[HEADER_REPORT_ONLY] = report_only
        # As django-csp: a template that asks for a nonce after this point fails loudly.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @staticmethod
    def _has_settings_policy(request, response) -> bool:
        if getattr(request, "_csp_nonce", None) is not None:
            return False
        if any(hasattr(response, name) for name in _PER_RESPONSE):
            return False
        if settings.DEBUG and response.status_code in (404, 500):
            return False  # django-csp leaves Django's debug pages alone
        return not any(
            (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
            for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
        )
