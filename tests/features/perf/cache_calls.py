"""Counting a cache's calls in tests: only those made from outside the cache (Django's
BaseCache.set_many calls set() once per entry, which is not another call of the caller's)."""

from __future__ import annotations


def outermost_calls(monkeypatch, cache, names, keep=lambda name, args: True) -> list:
    """Record (name, args) of each call of `names` on `cache` that the cache did not make itself
    and that `keep(name, args)` accepts; the list fills as the test runs."""
    calls, inside = [], []
    for name in names:
        original = getattr(cache, name)

        def recording(*args, _original=original, _name=name, **kwargs):
            if not inside and keep(_name, args):
                calls.append((_name, args))
            inside.append(_name)
            try:
                return _original(*args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(cache, name, recording)
    return calls
