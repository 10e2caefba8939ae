"""The release id: what versions the fragments cache (pages, product cards, listings, menus).

Pages and fragments are stored under keys that change with the rows they show (the catalogue
version, per-product stamps), not with the code that renders them: without a release in the key,
a deploy that changes a template, a template tag or a translation would serve what the old code
rendered until it expires (up to twenty minutes), pointing at static files the new release may no
longer have. The release id is Django's cache VERSION of the fragments cache
(shop.settings.cache_settings): every release reads and writes only its own entries, the workers
and servers of one release share theirs, and a rolling deploy never mixes the two.

SHOP_RELEASE (the environment) names it, e.g. a git commit; by default it is a digest of the
sources that shape a rendered page, read once at start-up (about 450 files, a few milliseconds).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

# The folders whose files shape a rendered page: code, templates, static files, translations.
SOURCE_DIRS = ("shop", "content", "features", "templates", "locale")
SKIPPED_DIRS = {"__pycache__", "node_modules"}


def _sources(base_dir: Path):
    for folder in SOURCE_DIRS:
        root = base_dir / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not SKIPPED_DIRS.intersection(path.relative_to(base_dir).parts):
                yield path


def release_id(base_dir: Path) -> str:
    """A short digest of the names and contents of the sources under `base_dir`."""
    digest = hashlib.sha256()
    for path in _sources(base_dir):
        digest.update(path.relative_to(base_dir).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]
