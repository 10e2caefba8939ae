"""The form comparison page ("Welke magnesiumvorm past bij mij?")."""

from __future__ import annotations

from django.views.generic import TemplateView

from features.comparison.table import form_comparison


class FormComparisonView(TemplateView):
    """ "Welke magnesiumvorm past bij mij?": every form with its products, from catalogue data."""

    template_name = "shop/form_comparison.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["forms"] = form_comparison(request=self.request)
        return ctx
