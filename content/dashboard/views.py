"""Thin views of the Kennisbank dashboard: lists, forms that call one service, revisions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import generic
from oscar.core.loading import get_model
from oscar.views.generic import ObjectLookupView

from content import services as content_services
from content.choices import Status
from content.dashboard import gate, services
from content.dashboard.checks import edit_page_warnings
from content.dashboard.forms import (
    ArticleForm,
    FaqForm,
    ImportForm,
    PublishForm,
    SearchForm,
    TopicForm,
)
from content.dashboard.models import Revision
from content.importer import ArticleImportError
from content.markup import render_markdown
from content.models import Article, Faq, Topic
from content.references import resolve_urls
from shop.dashboard.lookup import CheckedLookupArgs

Category = get_model("catalogue", "Category")

PAGE_SIZE = 20


def _status_filter(queryset, status: str):
    now = timezone.now()
    if status == "concept":
        return queryset.filter(status=Status.DRAFT)
    if status == "gepland":
        return queryset.filter(status=Status.PUBLISHED, published_at__gt=now)
    if status == "gepubliceerd":
        return queryset.filter(status=Status.PUBLISHED, published_at__lte=now)
    return queryset


class FilteredListView(generic.ListView):
    """A list with Oscar's dashboard look: search, status and topic filter, pagination."""

    paginate_by = PAGE_SIZE
    search_fields: tuple[str, ...] = ()

    def get_queryset(self):
        queryset = super().get_queryset().prefetch_related("topics")
        self.form = SearchForm(self.request.GET or None)
        if self.form.is_valid():
            data = self.form.cleaned_data
            if data["q"]:
                query = Q()
                for name in self.search_fields:
                    query |= Q(**{f"{name}__icontains": data["q"]})
                queryset = queryset.filter(query)
            queryset = _status_filter(queryset, data["status"])
            if data["topic"]:
                queryset = queryset.filter(topics=data["topic"])
        return queryset

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = self.form
        ctx["now"] = timezone.now()
        params = self.request.GET.copy()
        params.pop("page", None)
        ctx["query_string"] = params.urlencode()
        return ctx


class ArticleListView(FilteredListView):
    model = Article
    template_name = "content/dashboard/article_list.html"
    context_object_name = "articles"
    search_fields = ("title", "slug", "lead", "body")


class FaqListView(FilteredListView):
    model = Faq
    template_name = "content/dashboard/faq_list.html"
    context_object_name = "faqs"
    search_fields = ("question", "answer")

    def get_queryset(self):
        return super().get_queryset().select_related("article")


class TopicListView(generic.ListView):
    model = Topic
    template_name = "content/dashboard/topic_list.html"
    context_object_name = "topics"
    paginate_by = PAGE_SIZE


class ItemFormMixin:
    """Saves a guide or FAQ with its links through `save_service`; a save the services refuse
    (the claim gate) is an error on the form."""

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            self.object = self.save_service(
                obj=self.object,
                user=self.request.user,
                fields=form.service_fields(),
                topics=data["topics"],
                products=data["products"],
                categories=data["categories"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.saved_message())
        return HttpResponseRedirect(self.get_success_url())


class ArticleFormMixin(ItemFormMixin):
    model = Article
    form_class = ArticleForm
    template_name = "content/dashboard/article_form.html"
    context_object_name = "article"

    def save_service(self, *, obj, **kwargs) -> Article:
        return services.article_save(article=obj, **kwargs)

    def saved_message(self) -> str:
        return f"Gids “{self.object.title}” is opgeslagen."

    def get_success_url(self):
        return reverse("content_dashboard:kennisbank-article-update", args=[self.object.pk])


class ArticleCreateView(ArticleFormMixin, generic.CreateView):
    def get_form_kwargs(self):
        self.object = None
        return super().get_form_kwargs()


class ArticleUpdateView(ArticleFormMixin, generic.UpdateView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        article = self.object
        ctx["publish_form"] = PublishForm()
        ctx["warnings"] = edit_page_warnings(article)
        ctx["revisions"] = Revision.objects.for_object(article).select_related("user")[:5]
        ctx["faqs"] = article.faqs.all()
        ctx["is_scheduled"] = article.status == Status.PUBLISHED and not article.is_live
        ctx["now"] = timezone.now()
        return ctx


class ArticlePublishView(generic.detail.SingleObjectMixin, generic.FormView):
    model = Article
    form_class = PublishForm
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        when = form.cleaned_data["published_at"]
        try:
            services.article_publish(article=self.object, user=self.request.user, published_at=when)
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
        else:
            if self.object.is_live:
                messages.success(self.request, f"“{self.object.title}” is gepubliceerd.")
            else:
                moment = timezone.localtime(self.object.published_at)
                messages.success(
                    self.request,
                    f"“{self.object.title}” wordt gepubliceerd op {moment:%d-%m-%Y om %H:%M}.",
                )
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form):
        messages.error(self.request, "Ongeldige publicatiedatum: gebruik dd-mm-jjjj uu:mm.")
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return reverse("content_dashboard:kennisbank-article-update", args=[self.object.pk])


class ArticleUnpublishView(generic.detail.SingleObjectMixin, generic.View):
    model = Article
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        article = self.get_object()
        services.article_unpublish(article=article, user=request.user)
        messages.success(request, f"“{article.title}” is weer een concept.")
        return HttpResponseRedirect(
            reverse("content_dashboard:kennisbank-article-update", args=[article.pk])
        )


class ObjectDeleteView(generic.DeleteView):
    template_name = "content/dashboard/object_delete.html"

    def form_valid(self, form):
        services.object_delete(obj=self.object)
        messages.success(self.request, f"“{self.object}” is verwijderd.")
        return HttpResponseRedirect(self.get_success_url())


class ArticleDeleteView(ObjectDeleteView):
    model = Article
    success_url = reverse_lazy("content_dashboard:kennisbank-article-list")


class FaqDeleteView(ObjectDeleteView):
    model = Faq
    success_url = reverse_lazy("content_dashboard:kennisbank-faq-list")


class TopicDeleteView(ObjectDeleteView):
    model = Topic
    success_url = reverse_lazy("content_dashboard:kennisbank-topic-list")


def render_guide_preview(*, title: str, lead: str, body: str, sources: str) -> str:
    """The guide as customers see it: the same resolution, rendering and sanitising."""
    urls = resolve_urls([body, sources])
    rendered = render_markdown(body, urls=urls)
    return render_to_string(
        "content/dashboard/partials/guide_preview.html",
        {
            "title": title,
            "lead": lead,
            "body_html": rendered.html,
            "toc": rendered.toc,
            "sources_html": render_markdown(sources, urls=urls).html if sources.strip() else "",
        },
    )


class ArticlePreviewView(generic.DetailView):
    """The saved guide rendered as customers would see it, inside the dashboard."""

    model = Article
    template_name = "content/dashboard/article_preview.html"
    context_object_name = "article"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        article = self.object
        ctx["preview_html"] = render_guide_preview(
            title=article.title, lead=article.lead, body=article.body, sources=article.sources
        )
        return ctx


class MarkdownPreviewView(generic.View):
    """Live preview: the posted, unsaved Markdown rendered exactly like the guide page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        html = render_guide_preview(
            title=request.POST.get("title", ""),
            lead=request.POST.get("lead", ""),
            body=request.POST.get("body", ""),
            sources=request.POST.get("sources", ""),
        )
        return HttpResponse(html)


class RevisionMixin:
    """Revisions of one guide or FAQ, addressed as <pk>/versies/<revision_pk>/."""

    owner_model: type = Article
    update_url_name = "content_dashboard:kennisbank-article-update"
    revisions_url_name = "content_dashboard:kennisbank-article-revisions"

    def get_owner(self):
        return get_object_or_404(self.owner_model, pk=self.kwargs["pk"])

    def get_revision(self, owner):
        revision = Revision.objects.for_object(owner).filter(pk=self.kwargs["revision_pk"]).first()
        if revision is None:
            raise Http404("Deze versie bestaat niet.")
        return revision

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            owner=self.owner,
            owner_kind="gids" if self.owner_model is Article else "vraag",
            update_url=reverse(self.update_url_name, args=[self.owner.pk]),
            revisions_url=reverse(self.revisions_url_name, args=[self.owner.pk]),
            restore_url_name=self.restore_url_name,
            diff_url_name=self.diff_url_name,
        )
        return ctx


class ArticleRevisionMixin(RevisionMixin):
    owner_model = Article
    diff_url_name = "content_dashboard:kennisbank-article-diff"
    restore_url_name = "content_dashboard:kennisbank-article-restore"


class FaqRevisionMixin(RevisionMixin):
    owner_model = Faq
    update_url_name = "content_dashboard:kennisbank-faq-update"
    revisions_url_name = "content_dashboard:kennisbank-faq-revisions"
    diff_url_name = "content_dashboard:kennisbank-faq-diff"
    restore_url_name = "content_dashboard:kennisbank-faq-restore"


class RevisionListView(generic.ListView):
    template_name = "content/dashboard/revision_list.html"
    context_object_name = "revisions"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.owner = self.get_owner()
        return Revision.objects.for_object(self.owner).select_related("user")


class RevisionDiffView(generic.TemplateView):
    template_name = "content/dashboard/revision_diff.html"

    def get_context_data(self, **kwargs):
        self.owner = self.get_owner()
        revision = self.get_revision(self.owner)
        ctx = super().get_context_data(**kwargs)
        ctx["revision"] = revision
        # Old on the left, current on the right: "-" lines are what a restore brings back.
        ctx["diffs"] = services.revision_diff(
            old=revision.snapshot, new=services.snapshot(self.owner)
        )
        return ctx


class RevisionRestoreView(generic.View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.owner = self.get_owner()
        revision = self.get_revision(self.owner)
        try:
            services.revision_restore(revision=revision, user=request.user)
        except ValidationError as exc:
            messages.error(request, "Terugzetten mislukt: " + " ".join(exc.messages))
        else:
            messages.success(
                request, "De oude versie is teruggezet (en als nieuwe versie bewaard)."
            )
        return HttpResponseRedirect(reverse(self.update_url_name, args=[self.owner.pk]))


class ArticleRevisionListView(ArticleRevisionMixin, RevisionListView):
    pass


class ArticleRevisionDiffView(ArticleRevisionMixin, RevisionDiffView):
    pass


class ArticleRevisionRestoreView(ArticleRevisionMixin, RevisionRestoreView):
    pass


class FaqRevisionListView(FaqRevisionMixin, RevisionListView):
    pass


class FaqRevisionDiffView(FaqRevisionMixin, RevisionDiffView):
    pass


class FaqRevisionRestoreView(FaqRevisionMixin, RevisionRestoreView):
    pass


class FaqFormMixin(ItemFormMixin):
    model = Faq
    form_class = FaqForm
    template_name = "content/dashboard/faq_form.html"
    context_object_name = "faq"

    def save_service(self, *, obj, **kwargs) -> Faq:
        return services.faq_save(faq=obj, **kwargs)

    def saved_message(self) -> str:
        return "De vraag is opgeslagen."

    def get_success_url(self):
        return reverse("content_dashboard:kennisbank-faq-update", args=[self.object.pk])


class FaqCreateView(FaqFormMixin, generic.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("gids", "").isdigit():
            initial["article"] = int(self.request.GET["gids"])
        return initial


class FaqUpdateView(FaqFormMixin, generic.UpdateView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["warnings"] = edit_page_warnings(self.object)
        ctx["revisions"] = Revision.objects.for_object(self.object).select_related("user")[:5]
        ctx["now"] = timezone.now()
        return ctx


class TopicFormMixin:
    model = Topic
    form_class = TopicForm
    template_name = "content/dashboard/topic_form.html"
    success_url = reverse_lazy("content_dashboard:kennisbank-topic-list")

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if self.object is None:
                content_services.topic_create(**data)
            else:
                services.topic_update(topic=self.object, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Onderwerp “{data['name']}” is opgeslagen.")
        return HttpResponseRedirect(self.success_url)


class TopicCreateView(TopicFormMixin, generic.CreateView):
    def get_form_kwargs(self):
        self.object = None
        return super().get_form_kwargs()


class TopicUpdateView(TopicFormMixin, generic.UpdateView):
    pass


class ArticleImportView(generic.FormView):
    """Upload a post in the seed's format; it becomes a draft guide with FAQs and links."""

    form_class = ImportForm
    template_name = "content/dashboard/article_import.html"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            result = services.article_import(
                user=self.request.user,
                data=data["file"].read(),
                title=data["title"] or None,
                link=data["link"],
                topics=data["topics"],
            )
        except ArticleImportError as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        article = result.article
        verb = "aangemaakt" if result.created else "bijgewerkt"
        messages.success(
            self.request,
            f"Conceptgids “{article.title}” {verb} met {len(result.faqs)} vragen, "
            f"{result.linked_products} gekoppelde producten en "
            f"{result.linked_categories} categorieën.",
        )
        return HttpResponseRedirect(
            reverse("content_dashboard:kennisbank-article-update", args=[article.pk])
        )


class CategoryLookupView(CheckedLookupArgs, ObjectLookupView):
    """JSON for the select2 category picker, the twin of Oscar's product lookup."""

    def get_queryset(self):
        return Category.objects.order_by("path")

    def lookup_filter(self, qs, term):
        return qs.filter(Q(name__icontains=term) | Q(slug__icontains=term))

    def format_object(self, obj):
        return {"id": obj.pk, "text": obj.full_name}


class ClaimOverrideCreateView(generic.View):
    """Compliance gives a written override for one item's claim errors (content.dashboard.gate)."""

    http_method_names = ["post"]

    def post(self, request, kind, pk):
        try:
            model = gate.model_for(kind)
        except LookupError as exc:
            raise Http404("Onbekend soort item.") from exc
        obj = get_object_or_404(model, pk=pk)
        try:
            services.claim_override_grant(
                obj=obj, user=request.user, reason=request.POST.get("reason", "")
            )
        except ValidationError as exc:
            messages.error(request, "Geen uitzondering vastgelegd: " + " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"Uitzondering op de claimcontrole vastgelegd voor “{gate.item_label(obj)}”; "
                "het item kan nu openbaar worden zolang de tekst niet verandert.",
            )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("shop:claims-report")
        return HttpResponseRedirect(target)
