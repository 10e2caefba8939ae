"""Test settings: shop.settings plus fast, isolated test overrides."""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/magnesiumshop")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_CONN_MAX_AGE", "0")

from shop.settings import *  # noqa: E402, F403

ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
OSCAR_BASKET_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# One memory for both aliases (same LOCATION), so cache.clear() empties the fragments too.
CACHES = {
    alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    for alias in ("default", "fragments")
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
THUMBNAIL_DEBUG = True
# The shared-page cache is off in tests (a test's rows change between requests without the
# signals a real edit sends); tests/features/perf switches it on where it is the subject.
SHOP_PAGE_CACHE_SECONDS = 0
SHOP_SHARED_STRICT = True
