"""The shop's legal pages (contact, shipping and returns, withdrawal, privacy, terms) as flatpages.

The texts are what a small Dutch webshop in food supplements publishes; company details that
differ per shop (address, KvK and btw numbers) are marked as demo values and are edited by staff
under Dashboard › Inhoud › Pagina's once the pages exist.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.db import transaction

from shop.shipping.methods import Standard


@dataclass(frozen=True)
class LegalPage:
    url: str
    title: str
    content: str


COMPANY = (
    "Magnesiumwinkel B.V. (demogegevens), Voorbeeldstraat 12, 3511 AB Utrecht, "
    "KvK 00000000, btw-id NL000000000B01"
)

# What the home page, the footer and the shipping method promise too (one place: settings and the
# Standard shipping method), written into the texts as they are published.
DELIVERY_WORKDAYS = settings.SHOP_DELIVERY_WORKDAYS.replace("-", " tot ")
FREE_SHIPPING_FROM = f"€ {Standard.free_from_incl_tax:.0f}"

PAGES: tuple[LegalPage, ...] = (
    LegalPage(
        url="/contact/",
        title="Contact",
        content=f"""
<p class="lead">Een vraag over een product, je bestelling of een retour? We helpen je graag.</p>
<h2>Klantenservice</h2>
<ul>
  <li>E-mail: <a href="mailto:winkel@example.nl">winkel@example.nl</a> (antwoord binnen één werkdag)</li>
  <li>Telefoon: 030 000 00 00 (werkdagen van 9.00 tot 17.00 uur)</li>
</ul>
<p>Vermeld bij een vraag over een bestelling altijd je bestelnummer; dat staat in de bevestigingsmail.</p>
<h2>Bedrijfsgegevens</h2>
<p>{COMPANY}.</p>
<h2>Advies</h2>
<p>Wij geven algemene productinformatie, geen medisch advies. Gebruik je medicijnen, ben je zwanger,
geef je borstvoeding of heb je een verminderde nierfunctie? Overleg dan eerst met je arts of
apotheker voordat je een supplement gaat gebruiken.</p>
""",
    ),
    LegalPage(
        url="/verzending-en-retour/",
        title="Verzending en retour",
        content="""
<p class="lead">We verzenden naar Nederland en België. Op werkdagen vóór 15.00 uur besteld is
dezelfde dag verstuurd, zodra je betaling binnen is.</p>
<h2>Verzendkosten</h2>
<ul>
  <li>Standaardverzending: € 4,95; gratis vanaf """
        + FREE_SHIPPING_FROM
        + """ (inclusief btw).</li>
  <li>Ophalen: gratis, op afspraak na onze bevestiging dat je bestelling klaarligt.</li>
</ul>
<h2>Betalen per bankoverschrijving</h2>
<p>Na je bestelling ontvang je een e-mail met ons rekeningnummer, het bedrag en je bestelnummer als
omschrijving. We versturen je bestelling zodra de betaling op onze rekening staat, meestal binnen
één werkdag na je overboeking. Is er na 14 dagen niets ontvangen, dan vervalt de bestelling.</p>
<h2>Retourneren</h2>
<p>Je mag je bestelling binnen 14 dagen na ontvangst zonder opgave van reden herroepen en
terugsturen (zie <a href="/herroepingsrecht/">herroepingsrecht</a>). De rechtstreekse kosten van
het terugsturen zijn voor jou. Voedingssupplementen met een verbroken verzegeling kun je niet
herroepen: ze zijn om redenen van gezondheidsbescherming en hygiëne niet geschikt om te worden
teruggezonden (artikel 6:230p onder f, 3° BW).</p>
<h2>Beschadigd, verkeerd of ondeugdelijk geleverd?</h2>
<p>Je hebt altijd recht op een product dat aan de overeenkomst voldoet (wettelijke garantie,
artikel 7:17 BW). Meld een gebrek binnen twee maanden nadat je het hebt ontdekt (artikel 7:23 BW)
via <a href="/contact/">contact</a>, het liefst met een foto. We sturen kosteloos een nieuw product
of betalen het bedrag terug; de kosten van het terugsturen zijn dan voor ons.</p>
""",
    ),
    LegalPage(
        url="/herroepingsrecht/",
        title="Herroepingsrecht (14 dagen bedenktijd)",
        content=f"""
<p class="lead">Als consument heb je bij een aankoop op afstand 14 dagen bedenktijd. Je hebt het
recht binnen die termijn zonder opgave van redenen de overeenkomst te herroepen.</p>
<h2>Hoe lang</h2>
<p>De herroepingstermijn verstrijkt 14 dagen na de dag waarop jij, of een door jou aangewezen derde
die niet de vervoerder is, het product fysiek in bezit krijgt. Bestaat een bestelling uit meerdere
zendingen, dan telt de dag waarop je de laatste zending ontvangt.</p>
<h2>Hoe je herroept</h2>
<p>Om het herroepingsrecht uit te oefenen, moet je ons ({COMPANY},
e-mail <a href="mailto:winkel@example.nl">winkel@example.nl</a>, telefoon 030 000 00 00) via een
ondubbelzinnige verklaring (bijvoorbeeld per post of e-mail) op de hoogte stellen van je beslissing
de overeenkomst te herroepen. Je kunt daarvoor het modelformulier hieronder gebruiken, maar dat
hoeft niet. Je bent op tijd als je je melding verstuurt voordat de herroepingstermijn is
verstreken.</p>
<h2>Gevolgen van de herroeping</h2>
<p>Als je de overeenkomst herroept, betalen we alle betalingen die we tot dan van je hebben
ontvangen, inclusief de leveringskosten (met uitzondering van extra kosten als je een andere
leveringswijze dan de goedkoopste standaardlevering hebt gekozen), uiterlijk 14 dagen nadat we op
de hoogte zijn gesteld van je beslissing terug. We betalen terug met hetzelfde betaalmiddel
waarmee je hebt betaald (bij een bankoverschrijving: naar het rekeningnummer waarvan je betaalde),
tenzij je uitdrukkelijk anders hebt ingestemd; in geen geval kost de terugbetaling je iets. We
mogen wachten met terugbetalen tot we het product hebben ontvangen of je hebt aangetoond dat je
het hebt teruggestuurd, al naar gelang welk tijdstip eerst valt.</p>
<h2>Terugsturen: kosten en waardevermindering</h2>
<p>Stuur het product onverwijld, en in ieder geval uiterlijk 14 dagen na de dag waarop je ons je
herroeping hebt meegedeeld, terug aan Magnesiumwinkel B.V., Voorbeeldstraat 12, 3511 AB Utrecht.
Je bent op tijd als je het product terugstuurt voordat de termijn van 14 dagen is verstreken.
<strong>De rechtstreekse kosten van het terugzenden van het product komen voor jouw
rekening.</strong></p>
<p>Je bent alleen aansprakelijk voor de waardevermindering van het product die het gevolg is van
een behandeling die verder gaat dan nodig is om de aard, de kenmerken en de werking van het product
vast te stellen (zoals je dat in een winkel zou doen).</p>
<h2>Uitzondering: verzegelde producten</h2>
<p>Voedingssupplementen worden verzegeld geleverd. Het herroepingsrecht geldt niet voor producten
die om redenen van gezondheidsbescherming of hygiëne niet geschikt zijn om te worden teruggezonden
en waarvan de verzegeling na de levering is verbroken (artikel 6:230p onder f, 3° BW). Ongeopende
producten met intacte verzegeling kun je wel herroepen.</p>
<h2>Modelformulier voor herroeping</h2>
<p>(Dit formulier alleen invullen en terugzenden als je de overeenkomst wilt herroepen.)</p>
<blockquote class="withdrawal-form">
<p>— Aan: Magnesiumwinkel B.V., Voorbeeldstraat 12, 3511 AB Utrecht,
winkel@example.nl</p>
<p>— Ik/Wij (*) deel/delen (*) u hierbij mede dat ik/wij (*) onze overeenkomst betreffende de
verkoop van de volgende goederen herroep/herroepen (*):</p>
<p>— Besteld op (*)/Ontvangen op (*):</p>
<p>— Naam/Namen consument(en):</p>
<p>— Adres consument(en):</p>
<p>— Handtekening van consument(en) (alleen wanneer dit formulier op papier wordt
ingediend):</p>
<p>— Datum:</p>
<p>(*) Doorhalen wat niet van toepassing is.</p>
</blockquote>
""",
    ),
    LegalPage(
        url="/privacy/",
        title="Privacyverklaring",
        content=f"""
<p class="lead">We verwerken alleen de gegevens die we nodig hebben om je bestelling af te handelen
en de winkel te laten werken, en verkopen ze nooit door.</p>
<h2>Wie is verantwoordelijk</h2>
<p>Verwerkingsverantwoordelijke: {COMPANY}. Vragen over privacy:
<a href="mailto:winkel@example.nl">winkel@example.nl</a>. We hebben geen functionaris voor
gegevensbescherming (dat is voor een winkel van onze omvang niet verplicht); deze contactgegevens
gelden voor alle privacyvragen.</p>
<h2>Welke gegevens, waarvoor, op welke grond en hoe lang</h2>
<ul>
  <li><strong>Bestelling</strong>: naam, bezorg- en factuuradres, e-mailadres en de bestelde
  producten, om je bestelling te leveren en je daarover te informeren. Grondslag: uitvoering van
  de overeenkomst (AVG art. 6 lid 1 onder b). Bewaartermijn: 7 jaar na de bestelling, omdat de
  fiscale bewaarplicht dat vraagt (art. 52 AWR; AVG art. 6 lid 1 onder c).</li>
  <li><strong>Telefoonnummer</strong>, als je het opgeeft: voor vragen over de bezorging.
  Grondslag: uitvoering van de overeenkomst. Het blijft bij de bestelling bewaard (zie
  hierboven).</li>
  <li><strong>Betaalgegevens</strong> (rekeningnummer en naam bij een bankoverschrijving): om je
  betaling te verwerken en bij een herroeping terug te betalen. Grondslag: uitvoering van de
  overeenkomst en wettelijke plicht. Bewaartermijn: 7 jaar (fiscale bewaarplicht).</li>
  <li><strong>Account</strong>, als je er een aanmaakt: e-mailadres, wachtwoord (alleen versleuteld
  opgeslagen), adressenboek en bestelgeschiedenis. Grondslag: uitvoering van de overeenkomst.
  Bewaartermijn: tot je het account opheft; daarna alleen wat de fiscale bewaarplicht vraagt.</li>
  <li><strong>Reviews</strong>: je naam zoals je die opgeeft, je beoordeling en tekst, gekoppeld
  aan je account. Reviews worden pas na controle getoond. Grondslag: toestemming (AVG art. 6 lid 1
  onder a), die je altijd kunt intrekken; we verwijderen de review dan. Bewaartermijn: zolang het
  product in de winkel staat, of tot je de review laat verwijderen.</li>
  <li><strong>Verlanglijstjes</strong>: de producten die je bewaart, gekoppeld aan je account.
  Grondslag: uitvoering van de overeenkomst (de dienst die je gebruikt). Bewaartermijn: tot je het
  lijstje of je account verwijdert.</li>
  <li><strong>Voorraadmeldingen</strong> (“mail me als het weer op voorraad is”): je e-mailadres
  en het product. Grondslag: toestemming. Bewaartermijn: tot de melding is verstuurd of je haar
  annuleert.</li>
  <li><strong>Beveiliging</strong>: IP-adres en gebruikersnaam bij inlogpogingen, om misbruik van
  accounts te voorkomen. Grondslag: gerechtvaardigd belang (AVG art. 6 lid 1 onder f: een veilige
  winkel). Bewaartermijn: uiterlijk 90 dagen.</li>
  <li><strong>Klantenservice</strong>: je e-mails en onze antwoorden. Grondslag: uitvoering van de
  overeenkomst of gerechtvaardigd belang (je vraag beantwoorden). Bewaartermijn: 2 jaar.</li>
</ul>
<h2>Ben je verplicht gegevens te geven?</h2>
<p>Naam, adres en e-mailadres zijn nodig om de overeenkomst te sluiten en uit te voeren: zonder die
gegevens kunnen we je bestelling niet leveren en niet bevestigen. Een telefoonnummer, een account,
reviews, verlanglijstjes en voorraadmeldingen zijn vrijwillig; zonder kun je gewoon bestellen.</p>
<h2>Cookies</h2>
<p>We gebruiken alleen functionele cookies die de winkel nodig heeft: je winkelmand, je sessie
en beveiliging tegen vervalste formulieren. Geen tracking- of advertentiecookies, en er worden
geen gegevens naar analyse- of advertentiediensten gestuurd.</p>
<h2>Ontvangers en verwerkers</h2>
<p>Met deze partijen sluiten we een verwerkersovereenkomst (AVG art. 28) of zij verwerken de
gegevens als zelfstandig verantwoordelijke:</p>
<ul>
  <li>onze hostingprovider (servers en database van de winkel, in de EU) — verwerker;</li>
  <li>onze e-maildienst, die bestelbevestigingen en voorraadmeldingen verstuurt (in de EU) —
  verwerker;</li>
  <li>de vervoerder die je pakket bezorgt (naam en adres) — zelfstandig verantwoordelijke;</li>
  <li>onze bank, voor het verwerken van je overboeking en terugbetalingen — zelfstandig
  verantwoordelijke;</li>
  <li>onze boekhouder en de Belastingdienst, voor zover de wet dat vraagt.</li>
</ul>
<p>We geven geen gegevens door aan landen buiten de Europese Economische Ruimte. We nemen geen
besluiten die uitsluitend op geautomatiseerde verwerking of profilering berusten.</p>
<h2>Je rechten</h2>
<p>Je hebt het recht op inzage in je gegevens, op rectificatie (correctie), op gegevenswissing
(“vergetelheid”), op beperking van de verwerking, op overdraagbaarheid van je gegevens en het recht
van bezwaar tegen verwerking op grond van gerechtvaardigd belang. Heb je toestemming gegeven, dan
kun je die altijd intrekken; dat doet niets af aan de verwerking van vóór de intrekking. Mail ons;
we reageren binnen een maand. Ben je het niet eens met hoe we met je gegevens omgaan, dan heb je
het recht een klacht in te dienen bij de Autoriteit Persoonsgegevens
(autoriteitpersoonsgegevens.nl).</p>
""",
    ),
    LegalPage(
        url="/algemene-voorwaarden/",
        title="Algemene voorwaarden",
        content=f"""
<p class="lead">Deze voorwaarden gelden voor elke bestelling bij Magnesiumwinkel.</p>
<h2>1. Wie we zijn</h2>
<p>{COMPANY}.</p>
<h2>2. Aanbod en prijzen</h2>
<p>Alle prijzen zijn in euro en inclusief btw (9% voor voedingssupplementen, 21% voor cosmetica
zoals magnesiumolie). Verzendkosten staan vóór het afronden van je bestelling vermeld. Kennelijke
vergissingen in het aanbod binden ons niet.</p>
<h2>3. De overeenkomst</h2>
<p>De overeenkomst komt tot stand zodra je op “Bestelling met betalingsverplichting” klikt; je
ontvangt direct een bevestiging per e-mail. Betaal je per bankoverschrijving, dan leveren we na
ontvangst van de betaling.</p>
<h2>4. Levering</h2>
<p>We leveren in Nederland en België, in de regel binnen """
        + DELIVERY_WORKDAYS
        + """ werkdagen na betaling, uiterlijk
binnen 30 dagen. Lukt dat niet, dan mag je de bestelling kosteloos ontbinden.</p>
<h2>5. Herroepingsrecht</h2>
<p>Je hebt 14 dagen bedenktijd; zie <a href="/herroepingsrecht/">herroepingsrecht</a> voor de
voorwaarden, het modelformulier, de kosten van terugzenden (voor jou) en de uitzondering voor
verzegelde producten waarvan de verzegeling is verbroken (artikel 6:230p onder f, 3° BW).</p>
<h2>6. Wettelijke garantie en klachten</h2>
<p>Je hebt recht op een product dat aan de overeenkomst voldoet: de wettelijke garantie
(artikel 7:17 BW) geldt altijd, naast eventuele extra toezeggingen van ons. Meld een gebrek binnen
twee maanden nadat je het hebt ontdekt (artikel 7:23 BW) via <a href="/contact/">contact</a>; we
reageren binnen 14 dagen. Een klacht over iets anders kun je op dezelfde manier melden.</p>
<h2>7. Geschillen</h2>
<p>Kom je er met ons niet uit, dan kun je het geschil voorleggen aan de bevoegde rechter. We zijn
niet aangesloten bij een geschilleninstantie (zoals De Geschillencommissie) en nemen niet deel aan
buitengerechtelijke geschillenbeslechting. (Het Europese ODR-platform bestaat sinds 20 juli 2025
niet meer.)</p>
<h2>8. Gebruik van supplementen</h2>
<p>Overschrijd de aanbevolen dagelijkse dosis niet. Een voedingssupplement is geen vervanging
van een gevarieerd en evenwichtig voedingspatroon en een gezonde leefstijl. Buiten bereik van
jonge kinderen bewaren.</p>
<h2>9. Toepasselijk recht</h2>
<p>Op deze voorwaarden en elke overeenkomst is Nederlands recht van toepassing. Woon je in een
ander land van de Europese Unie, zoals België, dan houd je daarnaast de bescherming van de
dwingende consumentenregels van het land waar je woont (artikel 6 lid 2 Verordening Rome I); deze
keuze voor Nederlands recht neemt die bescherming niet weg.</p>
""",
    ),
)

# SHA-256 of texts these pages shipped with before (stripped, as stored). A page whose stored text
# is one of them was never edited by staff, so publishing may bring it up to date; an edited page
# is left alone. The 2026-11 revision: ODR link gone, model withdrawal form, art. 7:23 BW, GDPR
# art. 13 privacy statement, "Bestelling met betalingsverplichting".
SUPERSEDED: dict[str, frozenset[str]] = {
    "/contact/": frozenset(),
    "/verzending-en-retour/": frozenset(
        {"c74897fe77f96ee9fc86aa56d56744d55046506707998bef0268b6a3a97663c6"}
    ),
    "/herroepingsrecht/": frozenset(
        {"20926fef7a7e715c8ed5d8a7834ea3278cb86aab49d2a534b0e0cd66334ee583"}
    ),
    "/privacy/": frozenset({"b82eadc2626488330b93f77ff6e14ecafe9c0fcf269fa7ec1f29fcc961c5ada7"}),
    "/algemene-voorwaarden/": frozenset(
        {
            "0d366c9ebd7110561aba8914e7503250fb57d4de7f7f31d45904e9b0548dd8d6",
            "2a8c93ff47d817f635ffe225f2bb642e0d2e497886f1ccc35ca75cc68a8a9e4a",
        }
    ),
}


def is_superseded(url: str, content: str) -> bool:
    """Whether `content` is an earlier shipped text of the page at `url` (never edited by staff)."""
    digest = hashlib.sha256(content.strip().encode("utf-8")).hexdigest()
    return digest in SUPERSEDED.get(url, frozenset())


def legal_pages_publish(*, site: Site | None = None) -> list[FlatPage]:
    """Create the legal flatpages on `site` (the current site by default).

    Existing pages are kept, except that a page still holding an earlier shipped text is updated.
    """
    site = site or Site.objects.get_current()
    pages = []
    with transaction.atomic():
        for page in PAGES:
            flatpage = FlatPage.objects.filter(url=page.url).first()
            if flatpage is None:
                flatpage = FlatPage(url=page.url, title=page.title, content=page.content.strip())
                flatpage.full_clean()
                flatpage.save()
            elif is_superseded(page.url, flatpage.content):
                flatpage.content = page.content.strip()
                flatpage.title = page.title
                flatpage.full_clean()
                flatpage.save()
            # Staff may have edited the text: then only make sure the page is on this site.
            flatpage.sites.add(site)
            pages.append(flatpage)
    return pages
