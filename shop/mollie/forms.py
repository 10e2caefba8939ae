from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class RefundForm(forms.Form):
    """A (partial) refund of a Mollie payment, entered by staff in euro ('12,50' or '12.50')."""

    amount = forms.DecimalField(
        label=_("Bedrag (€)"),
        max_digits=10,
        decimal_places=2,
        localize=True,
        error_messages={
            "required": _("Vul het bedrag in dat je wilt terugbetalen."),
            "invalid": _("Vul een bedrag in, bijvoorbeeld 12,50."),
            "max_decimal_places": _("Gebruik hoogstens twee cijfers achter de komma."),
            "max_digits": _("Dat bedrag is te groot."),
            "max_whole_digits": _("Dat bedrag is te groot."),
        },
    )
    # One key per rendered form: the same form posted twice is one refund at Mollie.
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, refundable: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.refundable = refundable
        self.fields["amount"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError(_("Het bedrag moet groter zijn dan € 0,00."))
        if amount > self.refundable:
            raise forms.ValidationError(
                _("Je kunt hoogstens € %(max)s terugbetalen.")
                % {"max": f"{self.refundable:.2f}".replace(".", ",")}
            )
        return amount
