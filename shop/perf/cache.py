"""A per-process memory in front of the shared cache, for entries that never change.

Every page and fragment the shop caches is stored under a key that names what it holds: the
catalogue version (shop.perf.pagecache) or a basket's stamp is part of the key, so a change makes
new keys instead of changing old values. Such entries can be kept in each worker's memory as
well: a repeated read costs no round trip to Redis. The version and the basket stamps themselves
change in place, so they stay in the shared cache only (`django.core.cache.cache`).

    CACHES["fragments"] = {
        "BACKEND": "shop.perf.cache.TieredCache",
        "OPTIONS": {"SHARED": "default", "LOCAL_TIMEOUT": 300, "LOCAL_MAX_ENTRIES": 5000},
    }
"""

from __future__ import annotations

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.utils import make_template_fragment_key

_MISSING = object()


class TieredCache(BaseCache):
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

    def _local_timeout(self, timeout):
        if timeout is DEFAULT_TIMEOUT or timeout is None:
            return self.local_timeout
        return min(timeout, self.local_timeout)

    def get(self, key, default=None, version=None):
        value = self.local.get(key, _MISSING, version=version)
        if value is _MISSING:
            value = self.shared.get(key, _MISSING, version=version)
            if value is _MISSING:
                return default
            self.local.set(key, value, version=version)
        return value

    def get_many(self, keys, version=None):
        found = self.local.get_many(keys, version=version)
        missing = [key for key in keys if key not in found]
        if missing:
            fetched = self.shared.get_many(missing, version=version)
            for key, value in fetched.items():
                self.local.set(key, value, version=version)
            found.update(fetched)
        return found

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.shared.set(key, value, timeout, version=version)
        self.local.set(key, value, self._local_timeout(timeout), version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        added = self.shared.add(key, value, timeout, version=version)
        if added:
            self.local.set(key, value, self._local_timeout(timeout), version=version)
        return added

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self.shared.touch(key, timeout, version=version)

    def delete(self, key, version=None):
        self.local.delete(key, version=version)
        return self.shared.delete(key, version=version)

    def has_key(self, key, version=None):
        return self.local.has_key(key, version=version) or self.shared.has_key(key, version=version)

    def clear(self):
        self.local.clear()
        self.shared.clear()


def fragments_cached(names, vary_on) -> bool:
    """Whether every template fragment `{% cache … <name> <vary_on…> using="fragments" %}` of
    `names` is stored: a view checks this to skip the reads only those fragments need."""
    keys = [make_template_fragment_key(name, vary_on) for name in names]
    return len(caches["fragments"].get_many(keys)) == len(keys)
