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
    """The customer's choice: bank transfer, or one of Mollie's methods offered right now
    (shop.mollie.services.payment_methods); a method not offered is refused."""

    method = forms.ChoiceField(
        label=_("Hoe wil je betalen?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies een betaalmethode."),
            "invalid_choice": _("Kies een van de getoonde betaalmethoden."),
        },
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = choices
