"""The shop's cache backends: a per-process memory in front of the shared cache, and the shared
caches themselves, Redis (REDIS_URL) or files (the default set-up), built to fail softly.

TieredCache: every page and fragment the shop caches is stored under a key that names what it
holds: the catalogue version (shop.cache.pagecache) or a basket's stamp is part of the key, so a
change makes new keys instead of changing old values. Such entries can be kept in each worker's
memory as well: a repeated read costs no round trip to Redis. The version and the basket stamps
themselves change in place, so they stay in the shared cache only (`django.core.cache.cache`).

    CACHES["fragments"] = {
        "BACKEND": "shop.cache.backends.TieredCache",
        "OPTIONS": {"SHARED": "default", "LOCAL_TIMEOUT": 300, "LOCAL_MAX_ENTRIES": 5000},
    }

A cache that fails (Redis down, full or hanging) makes pages slower, never wrong and never an
error: RedisCache reads a failure as a miss and never lets a failed write leave the value it
replaces readable, PausingConnectionPool stops waiting for a Redis that just failed, and
TieredCache keeps its local memory whatever the shared cache does. shop.settings.cache_settings
puts them together.
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache as DjangoRedisCache
from redis import Connection, ConnectionPool, Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sorl.thumbnail.kvstores import redis_kvstore
from sorl.thumbnail.kvstores.base import KVStoreBase

logger = logging.getLogger(__name__)

_MISSING = object()


class TieredCache(BaseCache):
    """Never raises for the shared cache: a shared cache that fails reads as a miss and a write
    to it is skipped, while this process's memory keeps working.

    Every key is read and written at this cache's VERSION (the release, shop.release) in both
    tiers: one release never reads what another stored."""

    def __init__(self, location, params):
        options = dict(params.get("OPTIONS") or {})
        self.shared_alias = options.pop("SHARED", "default")
        self.local_timeout = options.pop("LOCAL_TIMEOUT", 300)
        local_max = options.pop("LOCAL_MAX_ENTRIES", 5000)
        super().__init__({**params, "OPTIONS": options})
        self.local = LocMemCache(
            f"shop-tiered-{location}",
            {"TIMEOUT": self.local_timeout, "OPTIONS": {"MAX_ENTRIES": local_max}},
        )

    @property
    def shared(self):
        return caches[self.shared_alias]

    def _shared(self, method: str, *args, failed=None, **kwargs):
        try:
            return getattr(self.shared, method)(*args, **kwargs)
        except Exception:  # noqa: BLE001 - the shared cache failing must not fail the page
            logger.warning("Shared cache %r failed on %s", self.shared_alias, method, exc_info=True)
            return failed

    def _version(self, version):
        """The release's version (settings: VERSION = SHOP_RELEASE) unless a call names one."""
        return self.version if version is None else version

    def _local_timeout(self, timeout):
        if timeout is DEFAULT_TIMEOUT or timeout is None:
            return self.local_timeout
        return min(timeout, self.local_timeout)

    def get(self, key, default=None, version=None):
        version = self._version(version)
        value = self.local.get(key, _MISSING, version=version)
        if value is _MISSING:
            value = self._shared("get", key, _MISSING, version=version, failed=_MISSING)
            if value is _MISSING:
                return default
            self.local.set(key, value, version=version)
        return value

    def get_shared(self, key, default=None, version=None):
        """The shared cache's value of `key` (another process may have replaced it), kept in
        this process's memory too."""
        version = self._version(version)
        value = self._shared("get", key, _MISSING, version=version, failed=_MISSING)
        if value is _MISSING:
            return default
        self.local.set(key, value, version=version)
        return value

    def get_many(self, keys, version=None):
        version = self._version(version)
        found = self.local.get_many(keys, version=version)
        missing = [key for key in keys if key not in found]
        if missing:
            fetched = self._shared("get_many", missing, version=version, failed={})
            for key, value in fetched.items():
                self.local.set(key, value, version=version)
            found.update(fetched)
        return found

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        version = self._version(version)
        self._shared("set", key, value, timeout, version=version)
        self.local.set(key, value, self._local_timeout(timeout), version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        """One shared write for all of `data` (a Redis pipeline), and each kept here too."""
        version = self._version(version)
        self._shared("set_many", data, timeout, version=version)
        self.local.set_many(data, self._local_timeout(timeout), version=version)
        return []

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        version = self._version(version)
        added = self._shared("add", key, value, timeout, version=version, failed=False)
        if added:
            self.local.set(key, value, self._local_timeout(timeout), version=version)
        return bool(added)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        version = self._version(version)
        return bool(self._shared("touch", key, timeout, version=version, failed=False))

    def delete(self, key, version=None):
        version = self._version(version)
        self.local.delete(key, version=version)
        return bool(self._shared("delete", key, version=version, failed=False))

    def has_key(self, key, version=None):
        version = self._version(version)
        return self.local.has_key(key, version=version) or bool(
            self._shared("has_key", key, version=version, failed=False)
        )

    def clear(self):
        self.local.clear()
        self._shared("clear")

    def clear_local(self) -> None:
        """Drop this process's copies only; the shared cache keeps its entries."""
        self.local.clear()


class FileCache(FileBasedCache):
    """Django's file cache (the default set-up's cache, shared by every process on the machine),
    with its size checked every CULL_EVERY writes of a process instead of on each: Django lists
    the whole directory on every set, 3 ms at 1,000 entries and 30 ms at 10,000."""

    CULL_EVERY = 1000
    _writes = itertools.count()

    def _cull(self):
        if next(self._writes) % self.CULL_EVERY == 0:
            super()._cull()


class RedisPaused(RedisConnectionError):
    """Redis failed moments ago: the call is not tried (PausingConnectionPool)."""


class PausingConnectionPool(ConnectionPool):
    """A pool that stops trying a Redis that failed to connect or answer for
    `pause_after_failure` seconds: a Redis that is down or hangs costs each process one socket
    timeout per pause, not one per cache call (a page makes a dozen). After the pause the next
    call tries again, so the cache comes back by itself once Redis does.

    django-redis: OPTIONS "CONNECTION_POOL_CLASS" (this class) and "CONNECTION_POOL_KWARGS"
    {"pause_after_failure": seconds}. A paused call raises RedisPaused, a ConnectionError, which
    django-redis ignores (IGNORE_EXCEPTIONS) like any other.
    """

    def __init__(self, connection_class=None, *args, pause_after_failure: float = 1.0, **kwargs):
        self.pause_after_failure = pause_after_failure
        self.paused_until = 0.0
        base = connection_class or Connection
        # The URL's connection class (TCP, TLS or Unix socket) that also reports its failures.
        reporting = type(base.__name__, (_ReportsFailures, base), {"pausing_pool": self})
        super().__init__(reporting, *args, **kwargs)

    def pause(self, error: Exception) -> None:
        if time.monotonic() >= self.paused_until:
            logger.warning(
                "Redis failed (%s): the cache is skipped for %.1f s",
                error,
                self.pause_after_failure,
            )
        self.paused_until = time.monotonic() + self.pause_after_failure

    def get_connection(self, *args, **kwargs):
        left = self.paused_until - time.monotonic()
        if left > 0:
            raise RedisPaused(f"Redis failed moments ago; tried again in {left:.2f} s")
        return super().get_connection(*args, **kwargs)


class _ReportsFailures:
    """A redis-py connection that pauses its pool when it cannot connect, send or read."""

    pausing_pool: PausingConnectionPool

    def _reporting(self, method: str, *args, **kwargs):
        try:
            return getattr(super(), method)(*args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError) as error:
            self.pausing_pool.pause(error)
            raise

    def connect_check_health(self, *args, **kwargs):
        return self._reporting("connect_check_health", *args, **kwargs)

    def send_packed_command(self, *args, **kwargs):
        return self._reporting("send_packed_command", *args, **kwargs)

    def read_response(self, *args, **kwargs):
        return self._reporting("read_response", *args, **kwargs)


class RedisCache(DjangoRedisCache):
    """django-redis for a Redis that may be down, full or slow (OPTIONS "IGNORE_EXCEPTIONS"):
    a call that fails reads as a miss, and a value that a failed set or delete was meant to
    replace is deleted, at once or, when Redis takes no command at all, before this process's
    next read reaches it. So no read returns a catalogue version, session or stamp older than the
    last write: a Redis that refuses writes (full, noeviction) still takes DEL. Deleting is always
    safe here: every value is derived (sessions are rows in the database behind the cache).
    """

    # Keys whose replacement failed and that are not deleted yet, by server: shared by the
    # cache objects of one process (Django makes one per thread).
    _unsettled: dict[str, set] = {}
    _unsettled_lock = threading.Lock()
    MAX_UNSETTLED = 10000

    def __init__(self, server, params):
        super().__init__(server, params)
        with self._unsettled_lock:
            self._pending = self._unsettled.setdefault(str(server), set())
        if self.logger is not None:
            self.logger = _QuietWhilePaused(self.logger)

    def _settle(self) -> None:
        if not self._pending:
            return
        with self._unsettled_lock:
            keys = list(self._pending)
        if super().delete_many(keys) is not None:
            with self._unsettled_lock:
                self._pending.difference_update(keys)

    def _forget(self, key, version) -> None:
        """Delete what a failed write was meant to replace, or remember to."""
        made = self.client.make_key(key, version=version)
        if super().delete(made) is None:
            with self._unsettled_lock:
                if len(self._pending) < self.MAX_UNSETTLED:
                    self._pending.add(made)

    def get(self, key, default=None, version=None, client=None):
        self._settle()
        return super().get(key, default, version=version, client=client)

    def get_many(self, *args, **kwargs):
        self._settle()
        return super().get_many(*args, **kwargs)

    def has_key(self, *args, **kwargs):
        self._settle()
        return super().has_key(*args, **kwargs)

    def add(self, *args, **kwargs):
        self._settle()
        return super().add(*args, **kwargs)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, client=None, **kwargs):
        self._settle()
        stored = super().set(key, value, timeout, version=version, client=client, **kwargs)
        if stored is None and client is None and not kwargs.get("nx"):
            self._forget(key, version)  # None: an ignored failure (else True or False)
        return stored

    def delete(self, key, version=None, prefix=None, client=None):
        self._settle()
        deleted = super().delete(key, version=version, prefix=prefix, client=client)
        if deleted is None and client is None:
            self._forget(key, version)
        return deleted

    def delete_many(self, keys, version=None, client=None):
        self._settle()
        keys = list(keys)
        deleted = super().delete_many(keys, version=version, client=client)
        if deleted is None and client is None:
            for key in keys:
                self._forget(key, version)
        return deleted


class _QuietWhilePaused:
    """django-redis's logger for ignored exceptions, minus the calls a paused pool skipped:
    the failure that started the pause is logged, the dozen calls after it are not."""

    def __init__(self, wrapped: logging.Logger):
        self.wrapped = wrapped

    def exception(self, msg, *args, **kwargs):
        error = sys.exc_info()[1]
        if isinstance(error, RedisPaused) or isinstance(
            getattr(error, "__cause__", None), RedisPaused
        ):
            self.wrapped.debug(msg, *args, exc_info=True)
            return
        self.wrapped.exception(msg, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.wrapped, name)


class ThumbnailKVStore(redis_kvstore.KVStore):
    """sorl-thumbnail's Redis KVStore (its records of which thumbnails exist) on the shop's
    terms: socket timeouts and the pausing pool of the cache, and a Redis that fails reads as
    "not known yet" (sorl then asks the storage whether the thumbnail file exists) and drops the
    write. sorl's own opens a connection without timeouts and raises every Redis error. Kept in
    Redis, not as rows: a listing on a cold cache reads no row per product image."""

    def __init__(self):  # pylint: disable=super-init-not-called
        KVStoreBase.__init__(self)  # sorl's __init__ only builds the connection replaced here
        pool = PausingConnectionPool.from_url(
            settings.THUMBNAIL_REDIS_URL,
            socket_timeout=settings.REDIS_TIMEOUT,
            socket_connect_timeout=settings.REDIS_CONNECT_TIMEOUT,
            pause_after_failure=settings.REDIS_PAUSE,
        )
        self.connection = Redis(connection_pool=pool)

    def _guarded(self, method: str, *args, failed=None):
        try:
            return getattr(super(), method)(*args)
        except RedisError as error:
            logger.warning("Thumbnail records in Redis unavailable (%s)", error)
            return failed

    def _get_raw(self, key):
        return self._guarded("_get_raw", key)

    def _set_raw(self, key, value):
        return self._guarded("_set_raw", key, value)

    def _delete_raw(self, *keys):
        return self._guarded("_delete_raw", *keys)

    def _find_keys_raw(self, prefix):
        return self._guarded("_find_keys_raw", prefix, failed=[])
