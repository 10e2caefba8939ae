"""Permanent redirects for pages whose URL changed (django.contrib.redirects): small
infrastructure, called by whatever moves a URL (content.services for a renamed guide)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db import transaction


@transaction.atomic
def redirect_record_move(*, old_path: str, new_path: str) -> None:
    """Make `old_path` answer 301 → `new_path` (and re-point redirects that led to `old_path`).

    Served by django.contrib.redirects' fallback middleware, which only acts on a 404: a page
    that later takes the old path back wins over its redirect.
    """
    if not old_path or old_path == new_path:
        return
    site_id = settings.SITE_ID
    # A → B, then B → C: A goes straight to C, never through a chain.
    Redirect.objects.filter(site_id=site_id, new_path=old_path).update(new_path=new_path)
    # The new path is a live page again: it must not redirect anywhere.
    Redirect.objects.filter(site_id=site_id, old_path=new_path).delete()
    redirect, _ = Redirect.objects.get_or_create(site_id=site_id, old_path=old_path)
    redirect.new_path = new_path
    redirect.full_clean()
    redirect.save()
