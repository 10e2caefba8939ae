from django.db import migrations

COUNTRIES = [
    # iso2, iso3, numeric, name, printable name, display order
    ("NL", "NLD", "528", "Netherlands", "Nederland", 10),
    ("BE", "BEL", "056", "Belgium", "België", 5),
]


def add_countries(apps, schema_editor):
    Country = apps.get_model("address", "Country")
    for code, code3, num, name, printable, order in COUNTRIES:
        Country.objects.update_or_create(
            iso_3166_1_a2=code,
            defaults={
                "iso_3166_1_a3": code3,
                "iso_3166_1_numeric": num,
                "name": name,
                "printable_name": printable,
                "display_order": order,
                "is_shipping_country": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("address", "0001_initial")]

    operations = [migrations.RunPython(add_countries, migrations.RunPython.noop)]
