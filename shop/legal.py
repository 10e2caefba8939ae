"""The shop's legal pages (contact, shipping and returns, withdrawal, privacy, terms) as flatpages.

The texts are what a small Dutch webshop in food supplements publishes; company details that
differ per shop (address, KvK and btw numbers) are marked as demo values and are edited by staff
under Dashboard › Inhoud › Pagina's once the pages exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.db import transaction


@dataclass(frozen=True)
class LegalPage:
    url: str
    title: str
    content: str


COMPANY = (
    "Magnesiumwinkel B.V. (demogegevens), Voorbeeldstraat 12, 3511 AB Utrecht, "
    "KvK 00000000, btw-id NL000000000B01"
)

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
  <li>Standaardverzending: € 4,95; gratis vanaf € 40 (inclusief btw).</li>
  <li>Ophalen: gratis, op afspraak na onze bevestiging dat je bestelling klaarligt.</li>
</ul>
<h2>Betalen per bankoverschrijving</h2>
<p>Na je bestelling ontvang je een e-mail met ons rekeningnummer, het bedrag en je bestelnummer als
omschrijving. We versturen je bestelling zodra de betaling op onze rekening staat, meestal binnen
één werkdag na je overboeking. Is er na 14 dagen niets ontvangen, dan vervalt de bestelling.</p>
<h2>Retourneren</h2>
<p>Je mag je bestelling binnen 14 dagen na ontvangst zonder opgave van reden retourneren (zie
<a href="/herroepingsrecht/">herroepingsrecht</a>). Stuur het product ongeopend en onbeschadigd
terug, met de verzegeling intact: om hygiënische en veiligheidsredenen nemen we geopende
voedingssupplementen niet terug. De kosten van het terugsturen zijn voor jou, tenzij het product
beschadigd of verkeerd was.</p>
<h2>Beschadigd of verkeerd geleverd?</h2>
<p>Meld het binnen 14 dagen via <a href="/contact/">contact</a>, met een foto. We sturen kosteloos een
nieuw product of betalen het bedrag terug.</p>
""",
    ),
    LegalPage(
        url="/herroepingsrecht/",
        title="Herroepingsrecht (14 dagen bedenktijd)",
        content="""
<p class="lead">Als consument heb je bij een aankoop op afstand 14 dagen bedenktijd.</p>
<h2>Hoe lang</h2>
<p>De bedenktijd gaat in op de dag nadat je (of iemand die je hebt aangewezen) het product hebt
ontvangen. Bestaat een bestelling uit meerdere zendingen, dan telt de dag na ontvangst van de
laatste zending.</p>
<h2>Hoe je herroept</h2>
<p>Laat ons binnen de bedenktijd ondubbelzinnig weten dat je de overeenkomst herroept, per e-mail
aan <a href="mailto:winkel@example.nl">winkel@example.nl</a> of met het modelformulier hieronder.
Stuur het product daarna binnen 14 dagen terug.</p>
<h2>Terugbetaling</h2>
<p>We betalen het aankoopbedrag inclusief de standaardverzendkosten binnen 14 dagen na je melding
terug, op het rekeningnummer waarvan je betaalde. We mogen wachten tot we het product hebben
ontvangen of je hebt aangetoond dat je het hebt teruggestuurd.</p>
<h2>Uitzondering: verzegelde producten</h2>
<p>Voedingssupplementen zijn verzegeld geleverd. Om gezondheidsbeschermende of hygiënische
redenen vervalt het herroepingsrecht als je de verzegeling na levering hebt verbroken
(artikel 6:230p sub f onder 5 BW).</p>
<h2>Modelformulier voor herroeping</h2>
<blockquote>
<p>Aan: Magnesiumwinkel B.V., winkel@example.nl</p>
<p>Ik deel u hierbij mede dat ik onze overeenkomst betreffende de verkoop van de volgende
producten herroep: [producten]. Besteld op: [datum]; ontvangen op: [datum].
Naam: [naam]. Adres: [adres]. Datum: [datum].</p>
</blockquote>
""",
    ),
    LegalPage(
        url="/privacy/",
        title="Privacyverklaring",
        content=f"""
<p class="lead">We verwerken alleen de gegevens die we nodig hebben om je bestelling af te handelen,
en verkopen ze nooit door.</p>
<h2>Wie is verantwoordelijk</h2>
<p>{COMPANY}. Vragen over privacy: <a href="mailto:winkel@example.nl">winkel@example.nl</a>.</p>
<h2>Welke gegevens en waarom</h2>
<ul>
  <li>Naam, adres en e-mailadres: om je bestelling te leveren en je daarover te informeren
  (uitvoering van de overeenkomst).</li>
  <li>Telefoonnummer, als je het opgeeft: voor vragen over de bezorging.</li>
  <li>Bestel- en betaalgegevens: voor onze administratie (wettelijke plicht; we bewaren ze
  7 jaar).</li>
  <li>Een account, als je er een aanmaakt: je adressen en bestelgeschiedenis, tot je het account
  opheft.</li>
</ul>
<h2>Cookies</h2>
<p>We gebruiken alleen functionele cookies die de winkel nodig heeft: je winkelmand, je sessie
en beveiliging tegen vervalste formulieren. Geen tracking- of advertentiecookies, en er worden
geen gegevens naar analyse- of advertentiediensten gestuurd.</p>
<h2>Met wie we gegevens delen</h2>
<p>Alleen met de vervoerder die je pakket bezorgt en met onze bank voor het verwerken van je
overboeking.</p>
<h2>Je rechten</h2>
<p>Je mag je gegevens inzien, laten corrigeren of laten verwijderen, en bezwaar maken tegen de
verwerking. Mail ons; we reageren binnen een maand. Ben je het niet eens met hoe we met je
gegevens omgaan, dan kun je een klacht indienen bij de Autoriteit Persoonsgegevens.</p>
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
<p>Alle prijzen zijn in euro en inclusief 9% btw. Verzendkosten staan vóór het afronden van je
bestelling vermeld. Kennelijke vergissingen in het aanbod binden ons niet.</p>
<h2>3. De overeenkomst</h2>
<p>De overeenkomst komt tot stand zodra je de bestelling plaatst; je ontvangt direct een
bevestiging per e-mail. Betaal je per bankoverschrijving, dan leveren we na ontvangst van de
betaling.</p>
<h2>4. Levering</h2>
<p>We leveren in Nederland en België, in de regel binnen 1 tot 3 werkdagen na betaling, uiterlijk
binnen 30 dagen. Lukt dat niet, dan mag je de bestelling kosteloos ontbinden.</p>
<h2>5. Herroepingsrecht</h2>
<p>Je hebt 14 dagen bedenktijd; zie <a href="/herroepingsrecht/">herroepingsrecht</a> voor de
voorwaarden en de uitzondering voor geopende verzegelde producten.</p>
<h2>6. Garantie en klachten</h2>
<p>Producten voldoen aan de overeenkomst en aan de Europese regels voor voedingssupplementen.
Klachten meld je binnen bekwame tijd via <a href="/contact/">contact</a>; we reageren binnen 14
dagen. Kom je er met ons niet uit, dan kun je je geschil voorleggen via het Europese
ODR-platform (ec.europa.eu/consumers/odr).</p>
<h2>7. Gebruik van supplementen</h2>
<p>Overschrijd de aanbevolen dagelijkse dosis niet. Een voedingssupplement is geen vervanging
van een gevarieerd en evenwichtig voedingspatroon en een gezonde leefstijl. Buiten bereik van
jonge kinderen bewaren.</p>
<h2>8. Toepasselijk recht</h2>
<p>Op deze voorwaarden en elke overeenkomst is Nederlands recht van toepassing.</p>
""",
    ),
)


def legal_pages_publish(*, site: Site | None = None) -> list[FlatPage]:
    """Create the legal flatpages on `site` (the current site by default); existing ones are kept."""
    site = site or Site.objects.get_current()
    pages = []
    with transaction.atomic():
        for page in PAGES:
            flatpage = FlatPage.objects.filter(url=page.url).first()
            if flatpage is None:
                flatpage = FlatPage(url=page.url, title=page.title, content=page.content.strip())
                flatpage.full_clean()
                flatpage.save()
            # Staff may have edited the text: only make sure the page is on this site.
            flatpage.sites.add(site)
            pages.append(flatpage)
    return pages
