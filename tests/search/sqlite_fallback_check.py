# Run by test_views.test_sqlite_fallback_finds_a_product_name_and_a_guide_title inside
# `manage.py shell -c` against a fresh SQLite database.
from django.db import connection
from oscar.apps.catalogue.models import Product

from content.models import Article
from shop.search import engine
from tests.search.conftest import build_search_shop

build_search_shop()
query = engine.parse("Magnesium L-Threonaat 144 mg")
products = engine.filter_products(Product.objects.browsable(), query).order_by("-relevance")
guides = engine.filter_articles(
    Article.objects.published(), engine.parse("Spierkrampen en magnesium")
)
print(f"vendor={connection.vendor}")
for product in products[:3]:
    print(f"product={product.upc}")
for guide in guides[:3]:
    print(f"guide={guide.slug}")

# The forgiving parts on SQLite: the page, a relaxed search, "Bedoelde u" and the suggestions
# never fail; names and synonyms still apply (no typo correction there).
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

setup_test_environment()
client = Client()
for q in ["magnesium malate", "fish oil", "malaat xqzvw", "qqqqqq", "magnesium 200mg"]:
    response = client.get("/search/", {"q": q})
    upcs = [p.upc for p in response.context["products"]][:3]
    print(f"page {q}={response.status_code} {','.join(upcs)}")
response = client.get("/search/suggesties/", {"q": "glycin"})
labels = [item["label"] for item in response.json()["products"]]
print(f"suggest={response.status_code} {'|'.join(labels)}")
