from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView, TemplateView
from oscar.core.loading import get_model

from content.markup import render_markdown
from content.models import Article, Faq, Topic
from content.references import resolve_urls

Product = get_model("catalogue", "Product")


def product_cards_queryset(article: Article):
    """The guide's public linked products, in link order, with everything a card needs.

    Fixed number of queries whatever the number of products: stock records, images and public
    children (with their stock records, for a parent's "vanaf" price) are prefetched. Oscar's
    base_queryset() would also prefetch all children and the options, which the card never
    shows (it has no option form), three queries more.
    """
    return (
        Product.objects.select_related("product_class")
        .prefetch_related("stockrecords", "images")
        .prefetch_public_children(
            queryset=Product.objects.public().prefetch_related("stockrecords")
        )
        .filter(article_links__article=article, is_public=True)
        .order_by("article_links__position", "article_links__pk")
    )


class ArticleListView(ListView):
    """Published guides, optionally of one topic (`?onderwerp=<slug>`)."""

    template_name = "content/article_list.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        queryset = Article.objects.published().prefetch_related("topics")
        self.topic = None
        slug = self.request.GET.get("onderwerp")
        if slug:
            self.topic = get_object_or_404(Topic, slug=slug)
            queryset = queryset.for_topic(self.topic)
        return queryset

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["topic"] = self.topic
        ctx["topics"] = Topic.objects.with_published_articles()
        return ctx


@method_decorator(transaction.non_atomic_requests, name="dispatch")  # reads only
class ArticleDetailView(DetailView):
    """A published guide with its table of contents, product cards and FAQs."""

    template_name = "content/article_detail.html"
    context_object_name = "article"
    preview = False

    def get_queryset(self):
        return Article.objects.published()

    def get_faqs(self):
        faqs = self.object.faqs.all()
        return faqs if self.preview else faqs.published()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["preview"] = self.preview
        article = self.object
        prefetch_related_objects([article], "topics")
        faqs = list(self.get_faqs())
        # One resolution for the body, the sources and every answer: one query per kind.
        urls = resolve_urls([article.body, article.sources, *(faq.answer for faq in faqs)])
        # The guide's product links say which guide they came from (`?gids=`): a click and a
        # later basket addition are credited to it (features.storefront.attribution). The same for
        # every reader, so the page stays shared. Not in the staff preview (no reader's click).
        link_query = "" if self.preview else f"?gids={article.pk}"
        urls = {
            key: f"{url}{link_query}" if key.startswith("product:") else url
            for key, url in urls.items()
        }
        body = render_markdown(article.body, urls=urls)
        ctx.update(
            body_html=body.html,
            toc=body.toc,
            sources_html=render_markdown(article.sources, urls=urls).html
            if article.sources.strip()
            else "",
            faqs=[(faq, render_markdown(faq.answer, urls=urls).html) for faq in faqs],
            products=product_cards_queryset(article),
            product_link_query=link_query,
            preview=self.preview,
        )
        return ctx


class ArticlePreviewView(ArticleDetailView):
    """Any guide, drafts and scheduled ones included, for staff only."""

    preview = True

    def dispatch(self, request, *args, **kwargs):
        # A 404, not a login redirect: customers must not learn that a draft exists.
        if not (request.user.is_active and request.user.is_staff):
            raise Http404("Deze gids bestaat niet.")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.visible_to(self.request.user).prefetch_related("topics")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["robots"] = "noindex, nofollow"
        return ctx


class FaqListView(TemplateView):
    """All published FAQs, grouped by topic (FAQs without a topic last)."""

    template_name = "content/faq_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        faqs = list(
            Faq.objects.published()
            .select_related("article")
            .prefetch_related(Prefetch("topics", queryset=Topic.objects.all()))
            .order_by("article__title", "position", "pk")
        )
        urls = resolve_urls(faq.answer for faq in faqs)
        groups: dict[Topic | None, list] = {}
        for faq in faqs:
            entry = (faq, render_markdown(faq.answer, urls=urls).html)
            for topic in faq.topics.all() or [None]:
                groups.setdefault(topic, []).append(entry)
        ordered = sorted(
            groups.items(),
            key=lambda item: (item[0] is None, item[0].position if item[0] else 0, str(item[0])),
        )
        ctx["groups"] = ordered
        ctx["faq_count"] = len(faqs)
        return ctx
