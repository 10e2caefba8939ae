from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations


def publish(apps, schema_editor):
    # The texts live in features.legal.pages so the demo loader and this migration share one copy.
    from features.legal.pages import PAGES

    FlatPage = apps.get_model("flatpages", "FlatPage")
    Site = apps.get_model("sites", "Site")
    site = Site.objects.order_by("pk").first()
    if site is None:
        # On a fresh database django.contrib.sites adds its default site only after all
        # migrations (post_migrate); create that same site now so the pages have one.
        site = Site.objects.create(
            pk=getattr(settings, "SITE_ID", 1), domain="example.com", name="example.com"
        )
        # An explicit pk leaves PostgreSQL's sequence behind; reset it as Django does there.
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Site]):
                cursor.execute(sql)
    for page in PAGES:
        flatpage, _ = FlatPage.objects.get_or_create(
            url=page.url, defaults={"title": page.title, "content": page.content.strip()}
        )
        flatpage.sites.add(site)


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0002_search_indexes"),
        ("flatpages", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
