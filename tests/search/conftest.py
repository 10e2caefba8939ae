"""A searchable shop: the demo catalogue plus guides and FAQs written here, and things that
must never be found (a draft guide, a non-public product, a draft FAQ)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

GUIDES = {
    "beter-slapen": dict(
        title="Beter slapen met magnesium",
        lead="Slaap je slecht? Zo helpt magnesium je 's avonds tot rust te komen.",
        body="## Nachtrust\n\nWie moeilijk in slaap valt, kiest vaak magnesiumbisglycinaat "
        "voor het slapengaan. Glycinaat is zacht voor de maag.",
        keywords=["slapen", "nachtrust", "slaapproblemen", "bisglycinaat"],
    ),
    "spierkrampen": dict(
        title="Spierkrampen en magnesium",
        lead="Last van nachtelijke kuitkrampen na het sporten?",
        body="Magnesium draagt bij tot een normale spierfunctie. Malaat en citraat worden door "
        "sporters veel gebruikt.",
        keywords=["kramp", "spierkramp", "sport", "malaat"],
    ),
    "stress-en-angst": dict(
        title="Magnesium bij stress en angstige gevoelens",
        lead="Piekeren, onrust en angst: wat zegt het onderzoek over magnesium?",
        body="Magnesium draagt bij tot een normale psychologische functie. Tauraat en "
        "bisglycinaat worden vaak genoemd.",
        keywords=["angst", "stress", "piekeren", "onrust"],
    ),
    "threonaat-geheugen": dict(
        title="Magnesium L-threonaat en je geheugen",
        lead="L-threonaat is de vorm die in studies naar geheugen en concentratie opduikt.",
        body="Magnesium-L-threonaat (Magtein) bereikt de hersenen. Focus en geheugen.",
        keywords=["threonaat", "geheugen", "concentratie", "focus"],
    ),
    "magnesiumvormen": dict(
        title="Welke magnesiumvorm kies je?",
        lead="Bisglycinaat, citraat, malaat, oxide, tauraat of chloride: de verschillen.",
        body="Magnesiumoxide bevat veel magnesium per gram maar wordt minder goed opgenomen. "
        "Citraat is goed oplosbaar; chloride kun je op de huid sprayen.",
        keywords=["magnesiumvorm", "opneembaarheid", "oxide", "citraat"],
    ),
    "magnesium-tekort": dict(
        title="Magnesiumtekort herkennen",
        lead="Vermoeidheid, spiertrekkingen en een slechte nachtrust kunnen op een tekort wijzen.",
        body="Een tekort aan magnesium ontstaat bij een eenzijdig dieet. Ingrediënten met veel "
        "magnesium: noten, peulvruchten, volkoren granen.",
        keywords=["tekort", "vermoeidheid", "symptomen"],
    ),
}

FAQS = [
    ("Wanneer neem ik magnesium in voor het slapen?", "Een uur voor het slapengaan.", True),
    (
        "Helpt magnesium tegen kramp in de kuit?",
        "Magnesium draagt bij tot een normale spierfunctie.",
        True,
    ),
    ("Is magnesiumoxide goed opneembaar?", "Oxide wordt minder goed opgenomen dan citraat.", True),
    ("Geheime conceptvraag over slapen", "Nog niet klaar.", False),
]


def build_search_shop():
    """Load the demo catalogue and write the guides and FAQs above; returns hidden objects."""
    from oscar.apps.catalogue.models import Product

    from content import services
    from content.models import Faq
    from shop.demo import load_catalogue

    load_catalogue()
    for slug, fields in GUIDES.items():
        article = services.article_create(slug=slug, author="Redactie", **fields)
        services.article_publish(article=article)
    draft = services.article_create(
        slug="geheime-conceptgids",
        title="Geheime conceptgids over slapen en glycinaat",
        lead="Concept",
        body="slapen",
        keywords=["slapen"],
    )
    scheduled = services.article_create(
        slug="geplande-gids", title="Geplande gids over slapen", lead="", body="slapen"
    )
    services.article_publish(article=scheduled, published_at=timezone.now() + timedelta(days=3))
    for question, answer, published in FAQS:
        faq = services.faq_create(question=question, answer=answer)
        if published:
            services.faq_publish(faq=faq)
    from oscar.test.factories import create_product

    hidden = create_product(
        upc="MG-HIDDEN", title="Magnesium Slaapgeheim glycinaat", price="9.95", num_in_stock=5
    )
    # Taken off the shelf: no longer public, so never in search, listings or the sitemap.
    Product.objects.filter(pk=hidden.pk).update(is_public=False)
    return {
        "draft_guide": draft,
        "scheduled_guide": scheduled,
        "hidden_product": hidden,
        "draft_faq": Faq.objects.get(question__startswith="Geheime"),
    }


@pytest.fixture
def search_shop(db, django_capture_on_commit_callbacks):
    # Product documents are indexed when the transaction commits (shop.search.indexing); a
    # test never commits, so run the callbacks the shop's writes registered, as a commit would.
    with django_capture_on_commit_callbacks(execute=True):
        return build_search_shop()


@pytest.fixture
def relevance_shop(db, django_capture_on_commit_callbacks):
    """The search shop plus the demo's seed guide and its FAQs (the relevance set's shop)."""
    from content.demo import load_seed_guide

    with django_capture_on_commit_callbacks(execute=True):
        hidden = build_search_shop()
        load_seed_guide()
    return hidden
