"""The authentication backends of the shop: Oscar's (e-mail) and Django's (username), whose
get_user reads the signed-in user from the shared cache.

Every request of a signed-in visitor loads their user row (django.contrib.auth.get_user): here
it is kept in the cache under the user's id, so such a request (the private parts of a shared
page, an add to basket) needs no query for it. The session is verified against the kept row as
against the database's (its password hash: a changed password signs every session out). Any
save or delete of a user removes the kept row, at once and again when the writing transaction
commits (receivers below, connected in shop.customer.apps); a write that sends no signal (a
queryset update()) is seen within USER_SECONDS. A cache that fails is skipped: the row is read
from the database.
"""

from __future__ import annotations

import logging

from django.contrib.auth import backends
from django.core.cache import cache
from django.db import transaction
from oscar.apps.customer import auth_backends

logger = logging.getLogger(__name__)

USER_SECONDS = 300


def _key(user_id) -> str:
    return f"shop:user:{user_id}"


class CachedUserMixin:
    def get_user(self, user_id):
        try:
            user = cache.get(_key(user_id))
        except Exception:  # noqa: BLE001 - the database has it
            logger.warning("The signed-in user could not be read from the cache", exc_info=True)
            user = None
        if user is not None:
            return user if self.user_can_authenticate(user) else None
        # The backend's own read: None for a user who does not exist or may not sign in.
        user = super().get_user(user_id)
        if user is not None:
            try:
                cache.set(_key(user_id), user, USER_SECONDS)
            except Exception:  # noqa: BLE001
                logger.warning("The signed-in user could not be kept in the cache", exc_info=True)
        return user


class EmailBackend(CachedUserMixin, auth_backends.EmailBackend):
    """Oscar's: signs in with the e-mail address."""


class ModelBackend(CachedUserMixin, backends.ModelBackend):
    """Django's: signs in with the username (the admin's login)."""


def forget_user(sender, instance=None, raw=False, **kwargs) -> None:
    """A saved or deleted user is read from the database again: now, and once the transaction
    commits (a request that read the old row meanwhile may have kept it)."""
    if raw or instance is None or instance.pk is None:
        return
    key = _key(instance.pk)

    def delete():
        try:
            cache.delete(key)
        except Exception:  # noqa: BLE001
            logger.error("A signed-in user kept in the cache could not be removed", exc_info=True)

    delete()
    transaction.on_commit(delete)
