"""Admin adjustments for third-party apps."""

from django.contrib import admin
from django.http import HttpResponseNotAllowed
from post_office.admin import EmailAdmin
from post_office.models import Email


class OutboxEmailAdmin(EmailAdmin):
    """django-post-office's mail admin, except that "resend" sends only on POST: on GET it sent
    the mail again, so a link or an image tag opened by an admin did it (found by the GET crawl,
    tests/shop/test_get_changes_nothing.py). The list's "requeue" action (a POST) still resends."""

    def resend(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return super().resend(request, pk)


admin.site.unregister(Email)
admin.site.register(Email, OutboxEmailAdmin)
