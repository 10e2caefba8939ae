"""Forms of the Kennisbank dashboard: validation only; the views hand cleaned data to services."""

from __future__ import annotations

from django import forms
from django.core.files.base import ContentFile
from django.urls import reverse_lazy
from oscar.core.loading import get_class, get_model
from oscar.forms.widgets import DateTimePickerInput, MultipleRemoteSelect

from content.dashboard.images import SafeImageField
from content.models import Article, Faq, Topic
from content.services import ARTICLE_FIELDS, FAQ_FIELDS

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

ProductSelectMultiple = get_class("dashboard.catalogue.widgets", "ProductSelectMultiple")

STATUS_FILTERS = [
    ("", "Alle statussen"),
    ("concept", "Concept"),
    ("gepland", "Gepland"),
    ("gepubliceerd", "Gepubliceerd"),
]


class OrderedSelectMixin:
    """Render the selected options in the order of the value, which is the order of the links.

    Oscar's RemoteSelect renders them in database order; select2 submits them in DOM order,
    so without this a save would silently reorder the links.
    """

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        order = {str(v): i for i, v in enumerate(value)}
        for _group, options, _index in groups:
            options.sort(key=lambda option: order.get(str(option["value"]), len(order)))
        return groups


class OrderedProductSelect(OrderedSelectMixin, ProductSelectMultiple):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The "select2" class is what Oscar's dashboard.js looks for to wire the AJAX lookup.
        self.attrs["class"] = "select2 product-select"


class OrderedCategorySelect(OrderedSelectMixin, MultipleRemoteSelect):
    lookup_url = reverse_lazy("content_dashboard:kennisbank-category-lookup")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attrs["class"] = "select2 category-select"


class OrderedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A list of objects in the order they were submitted (duplicates dropped)."""

    def clean(self, value):
        chosen = super().clean(value)
        if not value:
            return []
        by_pk = {str(obj.pk): obj for obj in chosen}
        return [by_pk[key] for key in dict.fromkeys(str(v) for v in value) if key in by_pk]

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return [getattr(v, "pk", v) for v in value]
        return super().prepare_value(value)


def _product_field(label: str) -> OrderedModelMultipleChoiceField:
    return OrderedModelMultipleChoiceField(
        queryset=Product.objects.all(),
        required=False,
        label=label,
        widget=OrderedProductSelect,
        help_text="Zoek op productnaam; de volgorde van kiezen is de volgorde op de pagina.",
    )


def _category_field(label: str) -> OrderedModelMultipleChoiceField:
    return OrderedModelMultipleChoiceField(
        queryset=Category.objects.all(),
        required=False,
        label=label,
        widget=OrderedCategorySelect,
    )


class LinkFieldsMixin:
    """Fills the product and category pickers with the current links, in their order."""

    def _init_links(self):
        instance = self.instance
        if instance.pk:
            self.initial.setdefault(
                "products",
                list(
                    instance.product_links.order_by("position", "pk").values_list(
                        "product_id", flat=True
                    )
                ),
            )
            self.initial.setdefault(
                "categories",
                list(
                    instance.category_links.order_by("position", "pk").values_list(
                        "category_id", flat=True
                    )
                ),
            )


class ArticleForm(LinkFieldsMixin, forms.ModelForm):
    hero_image = SafeImageField(label="Hoofdafbeelding", required=False)
    keywords = forms.CharField(
        label="Zoekwoorden",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Eén zoekwoord per regel.",
    )
    products = _product_field("Gekoppelde producten")
    categories = _category_field("Gekoppelde categorieën")

    class Meta:
        model = Article
        fields = [*ARTICLE_FIELDS, "topics"]
        widgets = {
            "lead": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 24, "class": "markdown-editor no-widget-init"}),
            "sources": forms.Textarea(attrs={"rows": 4}),
            "topics": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = "Leeg laten: wordt gemaakt van de titel."
        if self.instance.pk:
            self.initial["keywords"] = "\n".join(self.instance.keywords or [])
        self._init_links()

    def clean_keywords(self) -> list[str]:
        lines = self.cleaned_data.get("keywords", "").replace(",", "\n").splitlines()
        return list(dict.fromkeys(line.strip() for line in lines if line.strip()))

    def service_fields(self) -> dict:
        """The cleaned values content.services.article_create/update take as fields."""
        data = self.cleaned_data
        names = ("title", "lead", "body", "author", "seo_title", "seo_description", "sources")
        fields = {name: data[name] for name in names}
        fields["keywords"] = data["keywords"]
        if data.get("slug"):
            fields["slug"] = data["slug"]
        image = data.get("hero_image")
        if image is False:
            fields["hero_image"] = ""
        elif isinstance(image, ContentFile):
            fields["hero_image"] = image
        return fields


class FaqForm(LinkFieldsMixin, forms.ModelForm):
    products = _product_field("Gekoppelde producten")
    categories = _category_field("Gekoppelde categorieën")

    class Meta:
        model = Faq
        fields = [*FAQ_FIELDS, "topics"]
        widgets = {
            "answer": forms.Textarea(attrs={"rows": 10, "class": "markdown-editor no-widget-init"}),
            "topics": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = Article.objects.order_by("title")
        self._init_links()

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in FAQ_FIELDS}


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["name", "slug", "description", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = "Leeg laten: wordt gemaakt van de naam."


class PublishForm(forms.Form):
    published_at = forms.DateTimeField(
        label="Publiceren op",
        required=False,
        widget=DateTimePickerInput,
        help_text="Leeg laten om nu te publiceren; een datum in de toekomst plant de publicatie in.",
    )


class SearchForm(forms.Form):
    q = forms.CharField(label="Zoeken", required=False)
    status = forms.ChoiceField(label="Status", choices=STATUS_FILTERS, required=False)
    topic = forms.ModelChoiceField(
        label="Onderwerp",
        queryset=Topic.objects.all(),
        required=False,
        empty_label="Alle onderwerpen",
        to_field_name="slug",
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Tekstbestand (.txt)",
        help_text="Een bericht in het formaat van de voorbeeldgids; wordt een conceptgids.",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,text/plain"}),
    )
    title = forms.CharField(label="Titel", required=False, help_text="Leeg: uit het bestand.")
    link = forms.BooleanField(
        label="Voorgestelde producten en categorieën direct koppelen", required=False, initial=True
    )
    topics = forms.ModelMultipleChoiceField(
        label="Onderwerpen",
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    MAX_BYTES = 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("Het bestand is te groot: maximaal 1 MB.")
        return upload
