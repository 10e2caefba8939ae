"""The login logs of django-axes are not kept forever (issue 14): the README's production cron
runs axes' own cleanup, which deletes access logs older than 30 days and keeps newer ones; login
attempts older than the cool-off go at the next login."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


def _cron_commands() -> list[str]:
    """The manage.py commands of the README's production cron lines (five time fields)."""
    lines = re.findall(r"^(?:\S+\s+){5}cd \S+ && (.+)$", README.read_text(), flags=re.M)
    return [command for line in lines for command in re.findall(r"manage\.py ([^&#]+)", line)]


def test_the_production_cron_runs_the_axes_log_cleanup():
    commands = [" ".join(command.split()) for command in _cron_commands()]
    assert "axes_reset_logs --age 30" in commands, commands
    assert "axes_reset_failure_logs --age 30" in commands, commands


def _log(model, days_ago: int, username: str):
    row = model.objects.create(
        username=username,
        ip_address="203.0.113.7",
        user_agent="test",
        path_info="/",
        **({"locked_out": False} if model is AccessFailureLog else {}),
    )
    model.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - timedelta(days=days_ago))
    return row


@pytest.mark.parametrize(
    ("model", "command"),
    [(AccessLog, "axes_reset_logs"), (AccessFailureLog, "axes_reset_failure_logs")],
)
def test_the_cron_cleanup_removes_old_rows_and_keeps_new_ones(model, command):
    old = _log(model, 31, "oud@example.nl")
    recent = _log(model, 29, "nieuw@example.nl")
    for command_line in _cron_commands():
        name, *args = command_line.split()
        if name == command:
            call_command(name, *args)
    assert not model.objects.filter(pk=old.pk).exists()
    assert model.objects.filter(pk=recent.pk).exists()


def test_attempts_older_than_the_cool_off_go_at_the_next_login(settings):
    stale = AccessAttempt.objects.create(
        username="oud@example.nl",
        ip_address="203.0.113.8",
        user_agent="test",
        path_info="/accounts/login/",
        failures_since_start=3,
    )
    AccessAttempt.objects.filter(pk=stale.pk).update(
        attempt_time=timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME + 1)
    )
    Client().post(
        "/accounts/login/",
        {"login-username": "iemand@example.nl", "login-password": "fout", "login_submit": "1"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert not AccessAttempt.objects.filter(pk=stale.pk).exists()
    assert AccessAttempt.objects.filter(username="iemand@example.nl").exists()
