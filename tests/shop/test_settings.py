"""Deployment settings: production configuration passes Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="shop.settings",
        DJANGO_SECRET_KEY="x7#kd93-production-grade-secret-key-9f8e7d6c5b4a3210-zyxwvu",
        DJANGO_ALLOWED_HOSTS="shop.example.nl",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/magnesiumshop",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_stops_production_start_up():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="shop.settings")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_debug_runs_without_secret_key():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="shop.settings", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_settings_come_from_environment(settings):
    assert settings.LANGUAGE_CODE == "nl"
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert settings.OSCAR_DEFAULT_CURRENCY == "EUR"
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _prepare_threshold(value: str):
    return run_manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['prepare_threshold'])",
        DJANGO_SETTINGS_MODULE="shop.settings",
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/magnesiumshop",
        DJANGO_DB_PREPARE_THRESHOLD=value,
    )


def test_prepared_statements_can_be_tuned_or_turned_off_and_bad_values_are_named():
    assert _prepare_threshold("3").stdout.split()[-1] == "3"
    assert _prepare_threshold("off").stdout.split()[-1] == "None"  # behind PgBouncer
    result = _prepare_threshold("vijf")
    assert result.returncode != 0
    assert "DJANGO_DB_PREPARE_THRESHOLD must be a whole number or 'off', not 'vijf'" in (
        result.stderr
    )
