import re

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import forms as oscar_forms
from oscar.apps.checkout.forms import *  # noqa: F403

NL_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s*([A-Z]{2})$")
BE_POSTCODE = re.compile(r"^[1-9][0-9]{3}$")


class ShippingAddressForm(oscar_forms.ShippingAddressForm):
    """Dutch/Belgian address: Dutch labels, no state/line3, postcode checked and normalised."""

    labels = {
        "first_name": _("Voornaam"),
        "last_name": _("Achternaam"),
        "line1": _("Straat en huisnummer"),
        "line2": _("Toevoeging (optioneel)"),
        "line4": _("Plaats"),
        "postcode": _("Postcode"),
        "country": _("Land"),
        "phone_number": _("Telefoonnummer (optioneel)"),
        "notes": _("Opmerking voor de bezorger (optioneel)"),
    }

    class Meta(oscar_forms.ShippingAddressForm.Meta):
        fields = [
            "first_name",
            "last_name",
            "line1",
            "line2",
            "postcode",
            "line4",
            "country",
            "phone_number",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.labels.items():
            if name in self.fields:
                self.fields[name].label = label
        for field in self.fields.values():
            field.error_messages["required"] = _("Dit veld is verplicht.")
        if "country" in self.fields:
            self.fields["country"].error_messages["invalid_choice"] = _(
                "We bezorgen alleen in Nederland en België."
            )

    def clean(self):
        cleaned = super().clean()
        postcode = (cleaned.get("postcode") or "").strip().upper()
        country = cleaned.get("country") or getattr(self.instance, "country", None)
        if not postcode or country is None:
            return cleaned
        # Oscar's own check accepts "1234AB" but stores it unformatted; the shop stores the
        # PostNL form "1234 AB" so labels and address-book matches are consistent.
        if country.iso_3166_1_a2 == "NL":
            match = NL_POSTCODE.match(postcode)
            if not match:
                self.add_error(
                    "postcode",
                    _(
                        "Vul een geldige Nederlandse postcode in: 4 cijfers en 2 letters, bijv. 1234 AB."
                    ),
                )
                return cleaned
            postcode = f"{match.group(1)} {match.group(2)}"
        elif country.iso_3166_1_a2 == "BE":
            if not BE_POSTCODE.match(postcode):
                self.add_error(
                    "postcode",
                    _("Vul een geldige Belgische postcode in: 4 cijfers, bijv. 2000."),
                )
                return cleaned
        cleaned["postcode"] = postcode
        self.instance.postcode = postcode
        return cleaned

    def _post_clean(self):
        # The form is invalid anyway; Oscar's model check would repeat the postcode error in
        # its own (partly English) words.
        if self.has_error("postcode"):
            return
        super()._post_clean()


class PaymentMethodForm(forms.Form):
    """The customer's choice between bank transfer and the demo card gateway."""

    BANK_TRANSFER = "bankoverschrijving"
    DEMO_CARD = "demo-betaalkaart"
    CHOICES = (
        (BANK_TRANSFER, _("Bankoverschrijving")),
        (DEMO_CARD, _("Demo-betaalkaart")),
    )

    method = forms.ChoiceField(
        label=_("Hoe wil je betalen?"),
        choices=CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies een betaalmethode."),
            "invalid_choice": _("Kies Bankoverschrijving of Demo-betaalkaart."),
        },
    )


class DemoCardForm(forms.Form):
    """Card number for the demo gateway; it is only checked, never stored."""

    number = forms.CharField(
        label=_("Kaartnummer"),
        max_length=32,
        help_text=_("Demo: 4242 4242 4242 4242 wordt goedgekeurd, elk ander nummer geweigerd."),
        error_messages={"required": _("Vul een kaartnummer in.")},
    )

    def clean_number(self):
        number = re.sub(r"[\s-]", "", self.cleaned_data["number"])
        if not number.isdigit() or not 12 <= len(number) <= 19 or not _luhn_ok(number):
            raise forms.ValidationError(_("Dit is geen geldig kaartnummer."))
        return number


def _luhn_ok(number: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0
