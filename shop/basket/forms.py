from django import forms as django_forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.basket import forms
from oscar.forms import widgets


class AddToBasketForm(forms.AddToBasketForm):
    """Oscar's add-to-basket form.

    `choice_labels=False` (the add view, which only validates): a parent's variant choices are
    labelled with titles instead of each variant's attribute summary (its attribute values and
    its parent's, read per variant), and the chosen variant is taken from the prefetched public
    variants (shop.basket.views.BasketAddView.get_product) instead of read again."""

    def __init__(self, basket, product, *args, choice_labels=True, **kwargs):
        self.choice_labels = choice_labels
        super().__init__(basket, product, *args, **kwargs)

    def _create_parent_product_fields(self, product):
        if self.choice_labels:
            return super()._create_parent_product_fields(product)
        # Oscar's choices and unavailable variants, without the labels.
        choices, disabled_values = [], []
        for child in product.get_public_children():
            info = self.basket.strategy.fetch_for_product(child)
            if not info.availability.is_available_to_buy:
                disabled_values.append(child.id)
            choices.append((child.id, child.get_title()))
        self.fields["child_id"] = django_forms.ChoiceField(
            choices=tuple(choices),
            label=_("Variant"),
            widget=widgets.AdvancedSelect(disabled_values=disabled_values),
        )

    def clean_child_id(self):
        children = self.parent_product.get_public_children()
        if self.choice_labels or not isinstance(children, list):
            return super().clean_child_id()
        # The field's choices are these public variants, so the posted one is among them.
        wanted = str(self.cleaned_data["child_id"])
        self.child_product = next(c for c in children if str(c.id) == wanted)  # pylint: disable=W0201
        return self.cleaned_data["child_id"]

    def cleaned_options(self):
        # Oscar reads the product's options (a query) even when it has none; has_options comes
        # from the add view's product query.
        if not self.parent_product.has_options:
            return []
        return super().cleaned_options()
