"""The synonyms a new shop starts with (staff edit them in the dashboard), and the search
documents and vocabulary built anew: product documents now hold the usage text, guide documents
the questions of their FAQs, and the vocabulary is new.
"""

from django.db import migrations

from shop.search.text import words

DEFAULT_SYNONYMS = [
    "nacht, avond, slapen, slaap, nachtrust, inslapen, slapeloosheid",
    "sport, sporten, sporter, sporters, training, spieren, spierfunctie",
    "poeder, drank, drankje, bruis, bruisend, oplossen",
    "kramp, krampen, spierkramp, kuitkramp",
    "moe, moeheid, vermoeid, vermoeidheid, energie",
    "stress, spanning, onrust, piekeren",
    "angst, angstig, angstige",
    "geheugen, vergeetachtig, concentratie, focus, hersenen",
    "vloeibaar, druppels",
    "vegan, veganistisch, plantaardig, plantaardige",
    "huid, uitwendig",
]


def terms(value: str) -> list[str]:
    return [" ".join(words(part)) for part in value.split(",") if words(part)]


def add_synonyms(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for value in DEFAULT_SYNONYMS:
        if not Synonym.objects.filter(words=value).exists():
            Synonym.objects.create(words=value, terms=terms(value))


def remove_synonyms(apps, schema_editor):
    apps.get_model("search", "Synonym").objects.filter(words__in=DEFAULT_SYNONYMS).delete()


def rebuild_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The indexer's SQL and the current models: it writes columns this migration does not touch.
    from shop.search.indexing import rebuild

    rebuild(connection=schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_synonyms_and_vocabulary"),
        ("shop", "0007_legal_pages_2026"),
        ("content", "0002_search_document"),
    ]

    operations = [
        migrations.RunPython(add_synonyms, remove_synonyms),
        migrations.RunPython(rebuild_index, migrations.RunPython.noop),
    ]
