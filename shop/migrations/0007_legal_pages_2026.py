from django.db import migrations


def update(apps, schema_editor):
    # Brings pages that still hold the text shipped by 0003 up to date; edited pages stay.
    from features.legal.pages import PAGES, is_superseded

    FlatPage = apps.get_model("flatpages", "FlatPage")
    for page in PAGES:
        flatpage = FlatPage.objects.filter(url=page.url).first()
        if flatpage is not None and is_superseded(page.url, flatpage.content):
            flatpage.content = page.content.strip()
            flatpage.title = page.title
            flatpage.save(update_fields=["content", "title"])


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0006_listing_indexes"),
        ("flatpages", "0001_initial"),
    ]

    operations = [migrations.RunPython(update, migrations.RunPython.noop)]
