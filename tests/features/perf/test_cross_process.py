"""Invalidation across processes with the `make run` defaults (no REDIS_URL): the cache is files
that every process on the machine shares (shop.settings.cache_settings), so a write in another
process (`manage.py import_article`, the shell) is seen by this one within a second."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from shop.cache.pagecache import current_version, version_is_shared
from shop.settings import cache_settings

ROOT = Path(__file__).resolve().parents[3]
GUIDE = ROOT / "tests" / "content" / "data" / "magnesium-sport-herstel.txt"
WITHIN_SECONDS = 1.0


@pytest.fixture
def default_setup(settings, tmp_path):
    """This process with the cache of `make run`, in a directory of its own."""
    cache_dir = tmp_path / "cache"
    settings.CACHES = cache_settings("", cache_dir=cache_dir)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    settings.SHOP_PAGE_CACHE_SECONDS = 600
    return cache_dir


def in_another_process(code: str, *, cache_dir: Path, database_url: str, check) -> float:
    """Run `code` in `manage.py shell` with the `make run` settings and this cache directory, and
    return the seconds from the end of its write until `check()` holds in this process (the
    other process is still shutting down meanwhile); fails after WITHIN_SECONDS."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="shop.settings",
        DJANGO_DEBUG="1",
        DJANGO_CACHE_DIR=str(cache_dir),
        DATABASE_URL=database_url,
    )
    script = f"{code}\nimport time\nprint('written', time.time(), flush=True)"
    other = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for line in other.stdout:
            if line.startswith("written "):
                written_at = float(line.split()[1])
                break
        else:
            other.wait(timeout=60)
            pytest.fail(f"the other process failed: {other.stderr.read()}")
        while not check():
            assert time.time() - written_at < WITHIN_SECONDS, "not seen within a second"
            time.sleep(0.005)
        return time.time() - written_at
    finally:
        other.communicate(timeout=60)


def test_a_version_bump_in_another_process_is_seen_here_within_a_second(default_setup, tmp_path):
    before = current_version()
    assert version_is_shared(before) and current_version() == before
    latency = in_another_process(
        "from shop.cache.pagecache import expire_all; expire_all()",
        cache_dir=default_setup,
        database_url=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        check=lambda: current_version() != before,
    )
    print(f"\ncatalogue version bumped in another process, seen here after {latency * 1000:.1f} ms")
    assert version_is_shared(current_version())


def database_url() -> str:
    """The test database, for another process."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_guide_imported_by_another_process_is_on_the_kennisbank_here_within_a_second(
    default_setup,
):
    kennisbank = reverse("content:article-list")
    assert Client().get(kennisbank).status_code == 200
    stored = Client().get(kennisbank)
    assert stored["X-Page-Cache"] == "hit" and "sport en herstel" not in stored.content.decode()

    latency = in_another_process(
        "from django.core.management import call_command\n"
        f"call_command('import_article', {str(GUIDE)!r}, '--publish')",
        cache_dir=default_setup,
        database_url=database_url(),
        check=lambda: "Magnesium bij sport en herstel" in Client().get(kennisbank).content.decode(),
    )
    print(
        f"\nguide imported in another process, on /kennisbank/ here after {latency * 1000:.1f} ms"
    )
