"""Dashboard views of the storefront: thin; reads in storefront.report, writes in services."""

from __future__ import annotations

import csv
import datetime

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, UpdateView

from features.storefront import report, services
from features.storefront.attribution import MEMORY_SECONDS
from features.storefront.dashboard.forms import HomePageForm
from features.storefront.models import HomePage

DEFAULT_DAYS = 30
COLUMNS = [
    ("title", "Gids"),
    ("views", "Weergaven"),
    ("clicks", "Klikken naar producten"),
    ("baskets", "Winkelmanden"),
    ("orders", "Bestellingen"),
    ("revenue", "Omzet"),
]


class HomePageUpdateView(UpdateView):
    """The home page's texts and featured products (one row; created on the first save)."""

    form_class = HomePageForm
    template_name = "storefront/dashboard/homepage_form.html"

    def get_object(self, queryset=None):
        return HomePage.objects.current()

    def form_valid(self, form):
        services.homepage_save(form=form)
        messages.success(self.request, "De homepage is bijgewerkt.")
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("storefront_dashboard:homepage-update")


class PeriodForm(forms.Form):
    van = forms.DateField(
        label="Van", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    tot = forms.DateField(
        label="Tot en met", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("van") and data.get("tot") and data["van"] > data["tot"]:
            raise forms.ValidationError("De begindatum ligt na de einddatum.")
        return data


class GuideRevenueView(TemplateView):
    """Kennisbank → omzet: per guide over a period, views, clicks to products, baskets, orders
    and revenue that followed; sortable, and as CSV with ?formaat=csv."""

    template_name = "storefront/dashboard/guide_revenue.html"

    def period(self, form) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        data = form.cleaned_data if form.is_valid() else {}
        end = data.get("tot") or today
        start = data.get("van") or end - datetime.timedelta(days=DEFAULT_DAYS - 1)
        return start, end

    def get(self, request, *args, **kwargs):
        form = PeriodForm(request.GET or None)
        start, end = self.period(form)
        if not form.is_bound:
            form = PeriodForm(initial={"van": start, "tot": end})
        sort = request.GET.get("sorteer", "revenue")
        sort = sort if sort in report.SORTS else "revenue"
        rows = report.guide_revenue(start=start, end=end, sort=sort)
        if request.GET.get("formaat") == "csv":
            return self.csv(rows, start, end)
        query = request.GET.copy()
        query.pop("sorteer", None)
        query.pop("formaat", None)
        context = self.get_context_data(
            form=form,
            rows=rows,
            total=report.totals(rows),
            start=start,
            end=end,
            sort=sort,
            query=query.urlencode(),
            memory_hours=MEMORY_SECONDS // 3600,
            columns=COLUMNS,
        )
        return self.render_to_response(context)

    def csv(self, rows, start, end) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="kennisbank-omzet-{start.isoformat()}-{end.isoformat()}.csv"'
        )
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            [
                "gids",
                "weergaven",
                "klikken naar producten",
                "winkelmanden",
                "bestellingen",
                "omzet incl. btw",
            ]
        )
        for row in rows:
            writer.writerow(
                [
                    row.title,
                    row.views,
                    row.clicks,
                    row.baskets,
                    row.orders,
                    f"{row.revenue:.2f}".replace(".", ","),
                ]
            )
        return response
