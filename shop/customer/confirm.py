"""Account actions that Oscar performs on GET happen on POST only; a GET asks first (issue 14).

A link (in a page, an e-mail or an image tag on another site) then changes nothing by itself:
it opens a page whose button posts, with the CSRF token, to the same URL.
"""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme


class ConfirmByPost:
    """GET and HEAD show `confirm_question` with a button that posts to the same URL; POST acts
    (Oscar's RedirectView runs get() for a post; views with only get() get a post())."""

    confirm_question = ""
    confirm_button = "Bevestigen"

    def dispatch(self, request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            return self.confirm(request)
        return super().dispatch(request, *args, **kwargs)

    def confirm(self, request):
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = ""
        context = {
            "question": self.confirm_question,
            "button": self.confirm_button,
            "next": next_url,
        }
        return TemplateResponse(request, "customer/confirm_action.html", context)
