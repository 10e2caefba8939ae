"""The `xkey` header of shared pages (features.edge.tags), read by Varnish to purge them by tag."""

from __future__ import annotations

from features.edge.tags import page_tags

HEADER = "xkey"


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else ""


class CacheTagMiddleware:
    """Tags every shared page (features.perf marks its render `shared_render`); private pages get
    none, a proxy never stores them. Sits right below features.perf's SharedPageMiddleware, which
    keeps the header with the stored page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "shared_render", False) and HEADER not in response:
            response[HEADER] = " ".join(page_tags(_view_name(request), None))
        return response

    def process_template_response(self, request, response):
        if getattr(request, "shared_render", False):
            tags = page_tags(_view_name(request), response.context_data)
            response[HEADER] = " ".join(tags)
        return response
