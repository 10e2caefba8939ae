"""Checks that features above the dashboard forks plug into them, so that the forks never import
those features: the compliance feature registers the claim gate (features.compliance.apps), the
Kennisbank its warning about hidden products that guides link to (content.dashboard.apps).
Registered in an AppConfig.ready(); registering the same function twice keeps one."""

from __future__ import annotations

from collections.abc import Callable

# check(obj, texts=None): raises ValidationError when `obj` may not be public with `texts`
# ((label, text) pairs about to be saved; None: the texts `obj` holds now).
PublishCheck = Callable[..., object]
# warning(product): a message for staff after `product` was hidden, or None.
HiddenWarning = Callable[[object], str | None]

_publish_checks: list[PublishCheck] = []
_hidden_warnings: list[HiddenWarning] = []


def register_publish_check(check: PublishCheck) -> None:
    """Run `check` whenever a dashboard form or action is about to make something public."""
    if check not in _publish_checks:
        _publish_checks.append(check)


def register_hidden_warning(warning: HiddenWarning) -> None:
    """Ask `warning` for a message whenever the dashboard hides a product that was public."""
    if warning not in _hidden_warnings:
        _hidden_warnings.append(warning)


def publish_check(obj, *, texts: list[tuple[str, str]] | None = None) -> None:
    """Raise the first registered check's ValidationError for `obj` (with `texts`), if any."""
    for check in _publish_checks:
        check(obj, texts=texts)


def hidden_warnings(product) -> list[str]:
    """The registered warnings about `product` having been hidden."""
    return [message for warning in _hidden_warnings if (message := warning(product))]
