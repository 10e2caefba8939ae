"""The dashboard forks' hooks: features register checks there, the forks never import them."""

import pytest
from django.core.exceptions import ValidationError

from content.dashboard.usage import hidden_product_warning
from features.compliance.gates import claim_gate
from shop.dashboard import hooks


def test_the_compliance_feature_registers_the_claim_gate():
    assert claim_gate in hooks._publish_checks


def test_the_kennisbank_registers_its_hidden_product_warning():
    assert hidden_product_warning in hooks._hidden_warnings


def test_a_registered_check_refuses_and_is_registered_once(monkeypatch):
    monkeypatch.setattr(hooks, "_publish_checks", [])
    seen = []

    def refuse(obj, *, texts=None):
        seen.append((obj, texts))
        raise ValidationError("nee")

    hooks.register_publish_check(refuse)
    hooks.register_publish_check(refuse)
    with pytest.raises(ValidationError):
        hooks.publish_check("item", texts=[("titel", "x")])
    assert seen == [("item", [("titel", "x")])]


def test_hidden_warnings_leave_out_checks_without_a_message(monkeypatch):
    monkeypatch.setattr(hooks, "_hidden_warnings", [])
    hooks.register_hidden_warning(lambda product: None)
    hooks.register_hidden_warning(lambda product: f"{product} is verborgen")
    assert hooks.hidden_warnings("p") == ["p is verborgen"]
