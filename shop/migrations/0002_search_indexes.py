"""Dutch full-text and trigram search: extensions, an immutable unaccent and GIN indexes.

The index expressions must stay identical to those in shop/search/engine.py, or PostgreSQL
cannot use the indexes. SQLite (the demo default) gets none of this: shop.search falls back.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

# unaccent() is only STABLE (it reads its dictionary by search path); index expressions need
# IMMUTABLE, so a wrapper names the dictionary explicitly (the PostgreSQL docs' own advice).
FUNCTION = """
CREATE OR REPLACE FUNCTION shop_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
"""

INDEXES = {
    "shop_product_search_doc": (
        "catalogue_product USING gin (("
        "setweight(to_tsvector('dutch'::regconfig, shop_unaccent(COALESCE(title, ''))), 'A') || "
        "setweight(to_tsvector('dutch'::regconfig, shop_unaccent(COALESCE(description, ''))), 'C')"
        "))"
    ),
    "shop_product_search_trgm": (
        "catalogue_product USING gin ((shop_unaccent(COALESCE(title, ''))) gin_trgm_ops)"
    ),
    "shop_article_search_doc": (
        "content_article USING gin (("
        "setweight(to_tsvector('dutch'::regconfig, shop_unaccent(COALESCE(title, ''))), 'A') || "
        "setweight(to_tsvector('dutch'::regconfig, shop_unaccent(COALESCE(keywords::text, ''))), 'B') || "
        "setweight(to_tsvector('dutch'::regconfig, shop_unaccent(COALESCE(lead, '') || ' ' || COALESCE(body, ''))), 'C')"
        "))"
    ),
    "shop_article_search_trgm": (
        "content_article USING gin ((shop_unaccent(COALESCE(title, '') || ' ' || COALESCE(keywords::text, ''))) gin_trgm_ops)"
    ),
    "shop_faq_search_doc": (
        "content_faq USING gin (("
        "setweight(to_tsvector('dutch'::regconfig, shop_unaccent(COALESCE(question, ''))), 'A') || "
        "setweight(to_tsvector('dutch'::regconfig, shop_unaccent(COALESCE(answer, ''))), 'C')"
        "))"
    ),
    "shop_faq_search_trgm": (
        "content_faq USING gin ((shop_unaccent(COALESCE(question, ''))) gin_trgm_ops)"
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS shop_unaccent(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0001_delivery_countries"),
        ("catalogue", "0032_category_exclude_from_menu_category_long_description"),
        ("content", "0001_initial"),
    ]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(create, drop),
    ]
