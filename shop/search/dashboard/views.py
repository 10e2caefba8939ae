"""Dashboard views for synonyms: list, create, change, delete (writes through services)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.views import generic

from shop.search import services
from shop.search.models import Synonym

LIST_URL = reverse_lazy("search_dashboard:synonym-list")


class SynonymForm(forms.Form):
    words = forms.CharField(
        label="Woorden",
        max_length=500,
        help_text="Woorden of woordgroepen die voor een klant hetzelfde betekenen, gescheiden "
        "door komma's, bijvoorbeeld: nacht, avond, slapen, slaap. Een zoekopdracht met een van "
        "deze woorden vindt ook de andere; de wijziging geldt meteen.",
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class SynonymListView(generic.ListView):
    model = Synonym
    template_name = "search/dashboard/synonym_list.html"
    context_object_name = "synonyms"
    paginate_by = 50


class SynonymFormView(generic.FormView):
    form_class = SynonymForm
    template_name = "search/dashboard/synonym_form.html"
    object = None

    def get_initial(self):
        return {"words": self.object.words} if self.object else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)

    def form_valid(self, form):
        try:
            synonym = services.synonym_save(words_=form.cleaned_data["words"], synonym=self.object)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("words", message)
            return self.form_invalid(form)
        messages.success(self.request, f"Synoniemen “{synonym}” opgeslagen.")
        return HttpResponseRedirect(LIST_URL)


class SynonymCreateView(SynonymFormView):
    pass


class SynonymUpdateView(SynonymFormView):
    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(Synonym, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class SynonymDeleteView(generic.DeleteView):
    model = Synonym
    template_name = "search/dashboard/synonym_delete.html"
    success_url = LIST_URL

    def form_valid(self, form):
        services.synonym_delete(synonym=self.object)
        messages.success(self.request, f"Synoniemen “{self.object}” verwijderd.")
        return HttpResponseRedirect(self.get_success_url())
