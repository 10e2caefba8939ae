"""The staff report of the health claims that need attention across the site."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from content.claims import ERROR, scan_site
from content.dashboard.models import ClaimOverride


@method_decorator(staff_member_required, name="dispatch")
class ClaimsReportView(TemplateView):
    """Staff report of the health claims that need attention across the site."""

    template_name = "shop/dashboard/claims_report.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        findings = scan_site()
        ctx["findings"] = findings
        ctx["errors"] = sum(1 for f in findings if f.severity == ERROR)
        ctx["warnings"] = len(findings) - ctx["errors"]
        # Who let an item be public despite its claim errors, when and why (content.dashboard.gate).
        ctx["overrides"] = ClaimOverride.objects.select_related("user", "content_type")[:100]
        return ctx
