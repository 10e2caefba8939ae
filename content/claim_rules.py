"""The claim checker's rules: which sentences are health claims and which of those are allowed.

The design is "not authorised means not allowed". A sentence is read clause by clause:
- whole authorised wordings of the register (`content/claims_data/register.json`, Reg. (EU)
  432/2012) are found first, with the nutrient they speak of, and taken out of the sentence;
- what is left is read for anything that ties a food, nutrient, product, "het"/"dit", or the
  writer ("mijn kuitkrampen waren over") to an effect on body or mind. That is a health claim,
  and since it is not a whole authorised wording it is not allowed;
- medicinal claims (preventing, treating, curing, relieving a disease or complaint) and
  disease-risk claims are errors whatever the subject (Reg. (EU) 1169/2011 art. 7(3));
- a negation ("geen", "niet", ...) only silences the clause it stands in, so "Dit is geen
  medicijn, maar het verlicht wel je hoofdpijn" is still read as a claim;
- dose advice above the upper level (EFSA/SCF: 250 mg a day of supplemental magnesium) is an error.

`analyse()` returns every issue found in one sentence; `content.claims` turns them into the
verdicts and findings the rest of the shop uses.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from shop.catalogue.facts import claim_min_share

DATA_DIR = Path(__file__).parent / "claims_data"

I = re.IGNORECASE  # noqa: E741


def _re(pattern: str) -> re.Pattern:
    return re.compile(pattern, I)


# --- Lexicon ---------------------------------------------------------------------------------

# Diseases and complaints, by group (the group names the medicinal rule: medicinal.<group>).
CONDITIONS = [
    ("anxiety", r"\bangst\w*|\w*angstig\w*|\bpaniek\w*|anxiolytisch\w*|\bfobie\w*"),
    ("depression", r"depressi\w*|depressief|antidepress\w*|stemmingsstoornis\w*|\bsomberheid"),
    (
        "neurodegenerative",
        r"neurodegenerati\w*|alzheimer\w*|parkinson\w*|dementie\w*|cognitieve\s+achteruitgang",
    ),
    ("sleep_disorder", r"slapeloosheid|insomnia|slaapstoornis\w*|slaapproblem\w*|slaappil\w*"),
    (
        "cardiovascular",
        r"hart-?\s+en\s+vaatziekte\w*|hartziekte\w*|hoge\s+bloeddruk|hypertensie|"
        r"hartritmestoornis\w*|hartkloppingen",
    ),
    (
        "other",
        r"\bdiabetes\b|osteoporose|burn-?out|\badhd\b|\bpms\b|\bpms-\w+|premenstru\w*|obstipatie|"
        r"constipatie|\bastma\b|migraine\w*|\w*hoofdpijn\w*|\w*kramp\w*|\w*pijn\b|\bziekte\w*|"
        r"\w*ziekten\b|\baandoening\w*|\bstoornis\w*|\w*klachten\b|\bacne\b|\beczeem\b|\bjeuk\b|"
        r"\bgriep\w*|verkoudheid|ontsteking\w*|rusteloze\s+benen|\bkater\b|botbreuk\w*|"
        r"infectie\w*|\bartrose\b|\breuma\w*|oogleden|\bkanker\w*|\btinnitus\b|\bdiarree\b|"
        r"\bmisselijkheid\b|\bverkouden\w*|\bziek\b|\bziekjes?\b|\bvirus\w*|\bvirale?\b|"
        r"\bbacteri\w*|\bziekteverwekker\w*|\bjetlag\b|\ballergie\w*|\ballergisch\w*|"
        r"\bhooikoorts\b|\bkoorts\w*|\bhoest\w*|\bbloedarmoede\b|\bkwaal\w*|\bkwaaltjes\b|"
        r"\bhersenmist\b|\bbrainfog\b|\bopgeblazen\b|\brimpels?\b|\bcellulitis\b|\bpuistjes\b|"
        r"\bwinterblues\b|\bwinterdip\b|\blusteloo\w*|\bfutloo\w*|\bsomber\w*|\bpiekeren\b|"
        r"\bnervositeit\b|\bzenuwachtig\w*|\buitgeput\b|\buitputting\b|\boverprikkel\w*|"
        r"\boverspannen\w*|\boverspanning\b|\bverstopping\b|\bmaagzuur\b(?!remmer)|\breflux\b|"
        r"\bartritis\b|\bjicht\b|\bspataderen\b|\bopvlieger\w*|\bprikkelbare\s+darm\b|\bpds\b|"
        r"\bibs\b|\btintelingen\b|\bfibromyalgie\b|\bslaapapneu\b|\bsnurk\w*|\bnachtmerrie\w*|"
        r"\bhyperventil\w*|\bpsoriasis\b|\brosacea\b|\bkoortslip\w*|\bherpes\b|\bbotontkalking\b|"
        r"\brachitis\b|\bhartaanval\w*|\bhartinfarct\w*|\bberoerte\w*|\btrombose\b|"
        r"\bsuikerziekte\b|\binsulineresistent\w*|\bneerslachtig\w*|\bvergeetachtig\w*|"
        r"\bspierzwakte\b|\bchronische\s+vermoeidheid\b|\bhoge\s+cholesterol\b|\bafwijking\w*|"
        r"\bneuraalbuis\w*|\bopen\s+ruggetje\b|\bsnotter\w*|\bsnotneus\w*|\bloopneus\b|"
        r"\bverstopte\s+neus\b|\bkeelpijn\b|\bhalsklachten\b",
    ),
]

# Effects on body or mind: what a health claim is about.
TARGETS = [
    (
        "sleep",
        r"\w*slaap\w*|\bslapen\b|\bsleep\b|\bnachtrust\b|\bavondrust\b|\bin\s+slaap\b|"
        r"\bsliep\w*|uitgerust|wakker|\w+slap(en|end)\b|\bwoel\w*|\bnachtmerrie\w*",
    ),
    (
        "mind",
        r"\brust\b|\brustig\w*|\bontspan\w*|\bkalm\w*|\w*stress\w*|gestrest|\bstemming\w*|"
        r"\bhumeur\w*|\bgemoed\w*|\w*onrust\w*|\bgelukkig\w*|\bvrolijk\w*|\bopgewekt\w*|"
        r"\blevenslust\w*|\blevenskwaliteit\b|\bleven\s+(veranderd|gered|verbeterd)\b|"
        r"\b(verandert|veranderde|redde|redt)\s+(mijn|je|jouw)\s+leven\b|\bzin\s+in\s+(het\s+)?leven\b|\blevensvreugde\b|\bzelfvertrouwen\b|\bmotivatie\b|\bin\s+je\s+vel\b|\bzen\b|\bgoede\s+zin\b|\bemotione\w*|\bveerkracht\w*|\w*welzijn\w*|\bmentale?\b|"
        r"\bmentaal\b|\bpsycholog\w*|\bprikkel\w*|\bhoofd\b|\brelax\w*|\bcalm\w*|\bmood\b|"
        r"\bbalans\b|\bprikkelbaar\w*|\bge[iï]rriteerd\w*|\bgevoel\w*|\bserotonine\b|\bgeest\b|"
        r"\bgeestelijk\w*|\bdopamine\b|\bchagrijn\w*|\bhumeurig\w*|\blontje\b|\bgeduld\w*|\bstemmingswisseling\w*|\bstressbestendig\w*",
    ),
    (
        "brain",
        r"\w*geheugen\w*|\bconcentr\w*|\bfocus\w*|\bcognit\w*|\bleer\w*|\w*hersen\w*|\bbrein\b|"
        r"\bsynap\w*|\bneuron\w*|\bneura\w*|\bneurolog\w*|\bgaba\b|\bbdnf\b|\bnootrop\w*|"
        r"\bbrain\b|\bslimmer\b|\bscherp\w*|\bhelder\w*|\balert\w*|\bvergeet\w*|\bdenkvermogen\b|"
        r"\bdenkkracht\b|\bmind\b",
    ),
    ("nerves", r"\w*zenuw\w*|\bneurotransmitter\w*"),
    (
        "energy",
        r"\benergie\w*|\benergiek\w*|\benergy\b|\bvermoeid\w*|\bmoeheid\b|\bmoe\b|\bfit\b|"
        r"\bfitter\b|\bvitalit\w*|\bvitaal\b|\bpuf\b|\bpit\b|\bpep\b|\w*dip\b|\buithouding\w*|\bkracht\w*|\bconditie\b|\bboost\w*|\bmelatonine\b|\boppepper\w*|\bopkikker\w*|\bduwtje\s+in\s+de\s+rug\b|\bander\s+mens\b|\bherboren\b",
    ),
    (
        "muscle",
        r"\w*spier\w*|\bkramp\w*|\bherstel\w*|\bprestatie\w*|\bpresteer\w*|\bpresteert\b|"
        r"\buithoudingsvermogen\b|\btraining\b|\brecupera\w*|\bblessure\w*|\bsoepel\w*|\bgewricht\w*|"
        r"\bstabieler\b|\bevenwicht(sgevoel)?\b|\bvalpartij\w*|\bvalrisico\w*|\bspiermassa\b",
    ),
    ("bones", r"\bbot(ten)?\b|\bskelet\w*"),
    ("teeth", r"\btand(en)?\b|\bgebit\b"),
    (
        "immune",
        r"\bweerstand\w*|\bimmu\w*|\bafweer\w*|\bbestand\s+tegen\b|\bde\s+winter\s+(\w+\s+)?door\b",
    ),
    ("heart", r"\bhart\b|\bhart-|\bbloedvat\w*|\bvaten\b|\bbloeddruk\w*|\bcholesterol\w*"),
    # "haar" is also "her": hair only after a word that goes with hair, and not before a verb
    # ("tot je haar annuleert").
    (
        "skin",
        r"\bhuid\b|\bnagels?\b|\bharen\b|\bhaaruitval\b|\bhaar\s+en\s+nagels\b|"
        r"\b(je|jouw|uw|het|normaal|normale|gezond\w*|mooi\w*|glanzend\w*|sterk\w*|dik\w*|dun\w*)"
        r"\s+haar\b(?!\s+(?!een\b|geen\b)\w+(t|en)\b)|\b(mijn|m'n)\s+haar\b",
    ),
    ("vision", r"\bogen\b|\bgezichtsvermogen\b|\bzicht\b"),
    (
        "body",
        r"\blichaam\b|\bgezondheid\b|\bgezond\b(?!\s+(eten|eet\w*|leven|voedingspatroon|eetpatroon|"
        r"dieet|recept\w*|ontbijt|tussendoortje\w*|koken))|\bspijsvertering\w*|\bdarm\w*|\bstoelgang\b|"
        r"\bhormo\w*|\bcortisol\w*|\bbloedsuiker\w*|\bovergang\b|\bmenstrua\w*|\bstofwisseling\b|"
        r"\bmetabolisme\b|\benzym\w*|\bsterker\b|\bweerbaar\w*|\btestosteron\w*|\blibido\b|"
        r"\bvruchtba\w*|\bfertilit\w*|\bpotentie\b|\bgenezing\w*|\w+genezing\b|\bwond\w*|"
        r"\bbloedsomloop\b|\bdoorbloeding\b|\bcirculatie\b|\bademhaling\b|\blongen\b|\blever\b|"
        r"\bnieren\b|\bontgift\w*|\bdetox\w*|\w*veroudering\w*|\banti-?aging\b|\bcellen\b|"
        r"\b\w+gezond\b|\bhart\w{0,3}gezond\w*|\bsuikerhuishouding\b|\bglucose\w*|\binsuline\w*|"
        r"\bhuishouding\b|\bverbranding\b",
    ),
]

# Words and phrases that say something has an effect.
EFFECT = _re(
    r"\bhelpt\b|\bhelpen\b|\bhielp\w*|\bgeholpen\b|\bondersteun\w*|\bversnel\w*|\bwapen\b|"
    r"\bpepmiddel\w*|\bkickstart\w*|\bbevorder\w*|\bverbeter\w*|"
    r"\bversterk\w*|\bstimuleer\w*|\bstimuleren\b|\bactiveer\w*|\bverhoo?g\w*|\bverlaa?g\w*|"
    r"\bverminder\w*|\bzorgt\b|\bzorgen\b|\bgeeft\b|\bgeven\b|\bbrengt\b|\bbrengen\b|"
    r"\bmaakt\s+(je|jou|u)\s+\w+(?![^,.;]*\baan\b)|\bblijf\w*|\bword\w*\s+(je|u|jij)\b|\btegen\b|\bmaken\s+(je|jou|u)\s+\w+|\bhoudt\b|\bhouden\b|\blaten?\s+je\b|"
    r"\bwerkt\b|\bwerken\b|\bkalmeer\w*|\bkalmerend\w*|\bontspant\b|\bontspannend\w*|"
    r"\bherstel\w*|\bboost\w*|\bgoed\s+voor\b|\bgunstig\w*|\bbelangrijk\s+voor\b|\bessentieel\b|"
    r"\bonmisbaar\b|\bnodig\s+(voor|heeft)\b|\bbetrokken\s+bij\b|\bspeelt\b|\brol\s+(bij|in)\b|"
    r"\bideaal\b|\bperfect\b|\bgeschikt\s+voor\s+(mensen|iedereen|wie|vrouwen|mannen|sporters)\b|"
    r"\bde\s+beste\b|\bkies\w*\b|\baanrader\b|\bsteun\b|\bsupport\b|\bgeheim\b|\banti-?\w+|"
    r"\bdankzij\b|\bsneller\b|\bdieper\b|\bbeter\b|\brustiger\b|\bfitter\b|\benergieker\b|"
    r"\bscherpt\b|\bvaart\b|\buitkomst\b|\btot\s+rust\b|\bin\s+balans\b|\bin\s+slaap\b|"
    r"\bverkort\w*|\bverleng\w*|\boptima\w*|\bbewezen\b|\beffect\w*|\bsynerg\w*|\bwonderen\b|"
    r"\bstop\b|\bforte\b|\bvoor\s+(een\s+|je\s+|jouw\s+|meer\s+|minder\s+)?"
    r"((?!(de|die|deze|onze|elke|iedere|welke|zulke)\b)\w+(e|er|ere|ste)\s+|helder\w*\s+|rustig\w*\s+|ontspannen\s+|extra\s+){0,2}(TARGET)|\bbereikt\b|"
    r"\bstabiliseer\w*|\bvertraag\w*|\bbescherm\w*|\bnormaliseer\w*|\bregenereer\w*|\bversoepel\w*|\bontlast\w*|\bopkrik\w*|"
    r"\bkrikt\b|\boppep\w*|\bpakt\b|\baanpakken\b|\btegengaan\b|\bgaat\b(\s+\S+){0,3}?\s+tegen\b|"
    r"\bvult\b|\baanvul\w*|\bopla(den|adt)\b|\bmaakt\s+dat\b|\bzorgde\w*|\bgaf\b|\bgaven\b|"
    r"\bmaakte\b|\bhield\b|\bbracht\b|\bwerkte\b|\bverbeterde\b|\bversterkte\b|"
    r"\bvoel\w*\s+(je|ik|me|zich)\b|\bblijf\w*\s+(je\s+)?(fit|gezond|scherp|ontspannen)|"
    r"\b(soepel|fit|gezond|scherp|ontspannen|rustig|sterk)\w*\s+blijv\w*|"
    r"\bmet\s+(\S+\s+){1,3}?(slaap|voel|ben|word|kom|sta|herstel|presteer|concentreer)\w*\s+(je|jij|u)\b|"
    r"\brustig\w*\s+hoofd\b|\bweer\s+tot\b|\bmet\s+kalmerende\b|\bontwikkeld\s+(om|voor)\b|"
    r"\bvoedt\b|\bvoeding\s+voor\b|\bhersenvoeding\b|\bslaapmiddel\b|\bmineraal\s+bij\b|"
    r"\bontspanningsmineraal\b|\bgenoemd\b|\btopconditie\b|\bstralend\b|(?<!onder\s)\binvloed\w*|"
    r"\bbeïnvloed\w*|\breguleer\w*|\breguler\w*|\bmoduleer\w*|\bmoduleert\b|\bbehoud\w*|"
    r"\bpotentieel\b|\bvoordel\w*|\bbij\s+te\s+dragen\b|\bbijdra\w*|\bverbonden\s+met\b|"
    r"\bvan\s+(vitaal\s+)?belang\b|\bstaat\s+bekend\b|\bwaarborg\w*".replace(
        "TARGET", "|".join(p for _n, p in TARGETS)
    )
)

MEDICINAL = _re(
    r"\bgene(es|est|zen|zing)\w*|\bbehandel\w*|\bverlicht\w*|\bverzacht\w*|\bbestrijd\w*|"
    r"\bvoorkom\w*|\bvoorkomen\b|\bbescherm\w*|\btegen\b|\bverhelp\w*|\bhelpt\b|\bhelpen\b|"
    r"\bhielp\w*|\bbij\b|\bwerkt\b|\bwerken\b|\bverminder\w*|\bverkort\w*|\bremt\b|\bremmen\b|"
    r"\bverdwijn\w*|\bverdwenen\b|\bweg\b|\bover\b|\baf\b|\buitkomst\b|\boplos\w*|\boplost\b|"
    r"\b(lost|lossen|loste|losten)\b(\s+\S+){0,4}?\s+op\b|"
    r"\bwonderen\b|\bverlaa?g\w*|\bbespaard\b|\bbaat\b|\baangeraden\b|\baanbevolen\b|"
    r"\baanrader\b|\bgebruikt\s+bij\b|\bde\s+beste\b|\bdraaglijk\w*|\bverleden\s+tijd\b|"
    r"\bminder\b|\bverlost\b|\bvan\s+\w+\s+af\b|\bdoet\b|\balternatief\b|\bremedie\w*|\bstop\b|"
    r"\bontwikkeld\s+voor\b|\b(mensen|vrouwen|mannen|kinderen|iedereen)\s+(met|die)\b|"
    r"\bgeschikt\s+voor\b|\bnauwelijks\b|\bamper\b"
)

NEGATION = _re(r"\b(geen|niet|nooit|niets|nergens|onvoldoende\s+bewijs|niet\s+bewezen)\b")
# "niet meer", "geen hoofdpijn meer": a change for the better, not a negation.
CHANGE = _re(
    r"\b(niet|geen|nooit)\b(\s+\S+){0,4}?\s+meer\b(?!\s+dan)|\bniet\s+voor\s+niets\b|"
    r"\bniet\s+alleen\b|\bniet\s+zonder\s+reden\b|\bgeen\s+toeval\b|\bniet\s+(tevreden|blij)\b|"
    r"\bniet\s+(één|een)\s+keer\b|\bgeen\s+(één|enkele)\s+keer\b"
)
# Effects claimed without naming what they act on: "het werkt al binnen een paar dagen".
BARE_EFFECT = _re(
    r"\b(het|dit|deze|magnesium|ze|(deze|onze|dit|ons)\s+(formule|product|supplement|capsules?|"
    r"tabletten|poeder|mix|middel|blend))\s+(werkt|werkte|helpt|hielp)\s+(al\s+|echt\s+|heel\s+|"
    r"wel\s+)?(binnen|na|snel|direct|meteen|echt|goed|wonderen|uitstekend|prima)\b|"
    r"\b(werkt|werkte|helpt|hielp)\s+(het|dit|deze|ze)\s+(\w+\s+){0,2}?(pas\s+)?"
    r"(echt|goed|snel|beter|het\s+best)\b|\bmet\s+(goed|groot|zichtbaar|merkbaar)\s+resultaat\b|"
    r"\b(het|dit|dat|ze)\s+(scheelt|scheelde)\s+(echt|veel|enorm|flink|een\s+hoop|heel\s+veel|"
    r"zoveel|een\s+stuk)\b|"
    r"\b(het|dit|deze|ze|magnesium|zink|omega-3|visolie|vitamine\s+\w+|(deze|onze|dit|ons)\s+"
    r"(formule|product|supplement|capsules?|tabletten|poeder|mix|middel|blend))\s+(ondersteunt|"
    r"steunt|helpt)\s+(je|jou|u)\b(?!\s+(graag|verder|bij\s+(het\s+)?(kiezen|bestellen)))|"
    r"\b(merk|voel|ervaar|zie)\w*\s+(je|u|jij)\s+(al\s+|snel\s+|zelf\s+|direct\s+)?"
    r"(het\s+|een\s+)?(verschil|effect|resultaat)|\b(het\s+)?(verschil|effect|resultaat)\s+"
    r"(al\s+|snel\s+|zelf\s+|direct\s+|meteen\s+)?(merken|voelen|ervaren|zien)\b|"
    r"\b(je|u|jij)\s+(er\s+)?(\S+\s+){0,2}?(verschil|effect|resultaat|resultaten)\s+(van\s+)?"
    r"(merkt|voelt|ervaart|ziet)\b|\b(merk|voel|ervaar)\w*\s+(\S+\s+){0,3}?(verschil|effect|"
    r"resultaat|resultaten)\b|\bvoel\w*\s+((ik|je|jij|me|mij|zich|u)\s+){1,2}(\w+\s+){0,2}?(beter|fitter|"
    r"top|herboren|lekkerder|energieker|jonger)\b|\b(klinisch|wetenschappelijk)\s+(bewezen|getest)\b|"
    r"\b(bewezen|zeer|super|uiterst|heel)\s+(effectief|werkzaam)\b"
)
# "Magnesium hielp mij door een zware periode": a personal story of an effect.
HELPED_ME = _re(
    r"\b(hielp|helpt|helpen|hielpen|heeft\s+(\w+\s+)?geholpen)\s+(mij|me|ons|mijn|m'n)\b|"
    r"\b(mij|me|ons)\s+(\w+\s+)?(geholpen|erdoorheen|er\s+doorheen)\b|\bdoor\s+\w+\s+"
    r"(zware|moeilijke|drukke|stressvolle)\s+(periode|tijd)\b"
)
# Words that are medicinal by themselves ("anxiolytische eigenschappen", "angstverlichting").
MEDICINAL_WORDS = _re(
    r"\banxiolytisch\w*|\bantidepressie\w*|\bantidepressief\w*|\bneuroprotect\w*|"
    r"\bangstverlicht\w*|\bangstbehandel\w*|\btherapeutisch\w*|\bgeneeskrachtig\w*"
)
MEDICINAL_AGAINST = _re(r"\btegen\b(\s+\S+){0,6}")

FIRST_PERSON = _re(r"\b(ik|mij|me|mijn|m'n|mn)\b")
STORY = _re(
    r"\bsinds\w*\b|\bna\s+(\w+\s+)?(dag|dagen|week|weken|maand|maanden)\b|\bbinnen\b|"
    r"\beindelijk\b|\bweer\b|\bweg\b|\bover\b|\bverdwenen\b|\bminder\b|\bbeter\b|\bfitter\b|"
    r"\brustiger\b|\buitgerust\b|\bverschil\b|\bverleden\s+tijd\b|\bterug\b|\bafgevallen\b|"
    r"\bverlost\b|\bstabieler\b|\bsoepeler\b|\bzachter\b|\bdraaglijk\w*|\bhelpt\b|\bhielp\w*|"
    r"\bwerkt\b|\baanrader\b|\bbespaard\b|\bgedaald\b|\btrekt\b|\bmerk\w*\b|\bdoor\b|"
    r"\bstopte\b|\bgeraakt\b|\bveel\b|\bstuk\b|\bheeft\b|\bkan\b|\bnauwelijks\b|\bamper\b|"
    r"\bbijna\s+geen\b|\bnog\s+maar\b"
)

SLIMMING = _re(
    r"\bafval\w*|\bafgevallen\b|vetverbrand\w*|\bvet\s+(te\s+)?verbrand\w*|\bverbrand\w*\s+vet\b|"
    r"\bkilo'?s?\b|gewichtsverlies|\bgewicht\s+(te\s+)?(verliezen|verlagen|kwijt)|\bop\s+gewicht\b|"
    r"\bslank\w*|\bafslank\w*|\bverzadigd\b|\beetlust\b|"
    r"\btrek\s+in\b|\bsnoep\w*\s+(je\s+)?minder\b|\bminder\s+snoep\w*|\bbuikvet\b|\blichaamsvet\b|"
    r"\bvetpercentage\b|\bvetmassa\b|\bvetverlies\b|\bvetopslag\b|\bvet\b(\s+\S+){0,3}?\s+(kwijt|"
    r"verliezen|verbranden|smelten|afbreken)\b|\bhongergevoel\w*|\beetbui\w*|\bcravings?\b|"
    r"\bsnaai\w*|\bmaatje\s+minder\b|\bgewichtsbeheer\w*|\bgewicht\w*\s+(\w+\s+){0,2}?(kwijt|"
    r"verlies|afnemen|omlaag|beheersen|onder\s+controle)\b|\bvetverbrander\w*|\bvetkiller\w*"
)
DEFICIENCY = _re(
    r"\b\w*tekort\w*\b.*\b(leidt|leiden|veroorzaakt|gevolg|kan|kunnen|zorgt)\b|"
    r"\bzonder\s+(voldoende|genoeg)\s+\w+.*\b(kan|kunnen|niet)\b"
)
# Promising to make up for a deficiency ("onze tabletten verhelpen een tekort") treats a condition.
DEFICIENCY_REMEDY = _re(
    r"\b(verhelp\w*|behandel\w*|bestrijd\w*|genee?s\w*|oplos\w*|(lost|lossen|loste|losten)\b(\s+\S+){0,4}?\s+op|"
    r"tegen)\b(\s+\S+){0,4}?\s+\w*tekort\w*|\w*tekort\w*\b(\s+\S+){0,3}?\s+(verhelp\w*|"
    r"behandel\w*|weg|verdwe\w*|verholpen|opgelost)\b|"
    r"\b(lost|lossen|loste|losten)\b(\s+\S+){0,3}?\s+\w*tekort\w*(\s+\S+){0,3}?\s+op\b"
)
RECOMMEND = _re(
    r"\bprobe(e)?r\w*|\bmoeite\s+waard\b|\boverweeg\w*|\baan\s+te\s+raden\b|\baanrader\b|"
    r"\bkies\s+(dan|voor)\b|\bgrijp\w*\s+naar\b|\bneem\s+(dan|eens)\b"
)
# What a story credits its result to: a negated complaint is then the result ("geen verkoudheid
# gehad, dankzij deze zink"), not a denial.
ATTRIBUTION = _re(
    r"\bdankzij\b|\bsinds\b(\s+\S+){0,4}?\s+(gebruik|neem|slik|nam|slikte|gebruikte)\w*\b|"
    r"\bsinds\s+(ik|ze|hij|we|wij)\s+(\S+\s+){0,3}?(magnesium|zink|vitamine|omega|visolie|dit|deze|het)\b"
)
DISEASE_RISK = _re(
    r"\b(risico|kans)\s+op\b(?!(\s+\S+){0,3}?\s+(laxerend\w*|bijwerking\w*|diarree|misselijk\w*|"
    r"(darm|maag|buik)\w*klachten|dunne\s+ontlasting)\b)"
)
MEDICINE_COMPARE = _re(
    r"(?<!geen\s)(?<!niet\s)\b(alternatief\s+voor|in\s+plaats\s+van|in\s+tegenstelling\s+tot|"
    r"beter\s+dan|net\s+zo\s+goed\s+als|vervangt)\s+(\w+\s+){0,3}?"
    r"(medicijn\w*|medicatie|geneesmiddel\w*|antidepressiva|slaappil\w*|slaapmiddel\w*|"
    r"pijnstiller\w*)"
)
# Advice to see a doctor, contra-indications and side effects: about health, but not claims.
CAUTION = _re(
    r"\b(arts|huisarts|apotheker|dokter|verloskundige)\b.*\b(overleg\w*|contact|raadple\w*|"
    r"ga\s+naar|advies)\b|\b(hulp|zoek\w*)\b.*\b(arts|huisarts|dokter|psycholoog)\b|\b(overleg\w*|contact|raadpleeg\w*|ga\s+naar)\b.*\b(arts|huisarts|"
    r"apotheker|dokter|verloskundige)\b|\braadpleg\w*\s+(je|jouw|uw|een|de)\s+(huis)?arts\b|"
    r"\bvoorzichtig\b|\bniet\s+(gebruiken|geschikt)\b|\bgeen\s+medisch\s+advies\b"
)

# Side effects of taking a supplement ("krijgen darmklachten van magnesiumoxide") are about
# health but claim nothing for the product, unless a remedy is promised in the same sentence.
SIDE_EFFECT = _re(
    r"\b(darm|maag|buik)\w*klachten\b|\bmaagpijn\b|\bbuikpijn\b|\bdiarree\b|\bmisselijk\w*|"
    r"\bbuikkramp\w*|\b(dunne|dunnere|zachte|zachtere|losse|lossere|waterige)\s+ontlasting\b|"
    r"\blaxerend\w*|(?<!geen\s)(?<!zonder\s)\bbijwerking\w*|\b(bij|in)\s+(te\s+)?(hoge|grote)\s+"
    r"(doses|dosis|doseringen|hoeveelheden)\b"
)
REMEDY = _re(
    r"\btegen\b|\bhelpt\b|\bhelpen\b|\bhielp\w*|\bverhelp\w*|\bverlicht\w*|\bvoorkom\w*|"
    r"\bverminder\w*|\bweg\b|\bremt\b|\bterug\w*|\bverdwe\w*|\bniet\s+meer\b|\bgeen\s+\w+\s+meer\b|"
    r"\bgene(es|est|zen)\w*|\bbehandel\w*|\bverdwe\w*|\bverlost\b|\boplos\w*|\bremedie\w*|"
    r"\b(lost|lossen|loste|losten)\b(\s+\S+){0,4}?\s+op\b"
)

# Amounts per day (dose advice) and what marks a sentence as dose advice.
AMOUNT = _re(
    r"(\d+(?:[.,]\d+)?)(?:\s*(?:tot|-|–|à|a)\s*(\d+(?:[.,]\d+)?))?\s*(mg|milligram|µg|mcg|"
    r"microgram)\b"
)
PER_DAY = _re(
    r"\bper\s+(dag|dagdos\w*)\b|\bdagelijks\w*|\bdagdos\w*|\bdaags\b|\bper\s+capsule\b|"
    r"\bper\s+tablet\b|\btot\s+\d"
)
FOOD_INTAKE = _re(r"\b(uit\s+voeding|adequate\s+inname|referentie-inname|adh|behoefte)\b")
# "400 mg magnesium (107% van de referentie-inname)": a product's declared dose, not food intake.
# The percentage follows the amount; "15% van de referentie-inname van 375 mg" names the NRV.
DECLARED_DOSE = _re(
    r"\d\s*(mg|milligram)\b[^%.;]{0,40}?\(?\s*\d+\s*%\s*(van\s+de\s+)?"
    r"(referentie-inname|ri|nrv|adh)\b"
)
# An amount above the upper level named as a warning ("meer dan 350 mg per dag kan diarree
# geven", "ligt boven de bovengrens") is no advice to take it, unless it is also endorsed.
DOSE_WARNING = _re(
    r"\bbovengrens\b|\bte\s+(hoog|veel)\b|\bbijwerking\w*|\blaxerend\w*|\bdiarree\b|"
    r"\bdunne\s+ontlasting\b|\b(darm|maag|buik)\w*klachten\b|\bmisselijk\w*|\blet\s+op\b|"
    r"\bafgeraden\b|\bvermijd\w*|\bniet\s+(meer\s+dan|boven|aan\s+te\s+raden)\b|\boverschrijd\w*|"
    r"\b(een|het|wettelijke?)\s+maximum\b|\btoegelaten\b|\btoegestaan\b"
)
DOSE_ENDORSE = _re(
    r"\b(is|zijn)\s+(\w+\s+)?veilig\b|\bveilig\s+(te|om)\b|\b(kun|kan|kunt|kunnen)\s+(\w+\s+)?"
    r"(veilig|gerust|prima)\b|\bgerust\b|\braden\s+(we|wij|ik|jullie)\b|\b(we|wij|ik)\s+"
    r"(raden|adviseren)\b|(?<!niet\s)\baanbevolen\b|\baanrader\b|\bbouw\w*\s+(\w+\s+)?op\b|"
    r"\bverhoog\w*\b|\bgeen\s+(probleem|risico|bezwaar)\b|\bzonder\s+(problemen|zorgen|risico)\b|\bneem\s+(dan\s+)?(gerust|dagelijks)\b"
)
# "2.000 mg van het zout", "400 mg magnesiumcitraat": the amount of a compound, not of the element.
COMPOUND_AMOUNT = _re(
    r"^\s*(van\s+(het|dit|dat)\s+zout|magnesium\w+|magnesium\s+(l-)?\w+(aat|ide)\b)"
)
# "2 tabletten van 200 mg", "3 capsules à 150 mg": the amount taken is N times X.
UNITS_OF = _re(
    r"\b(\d+)\s*(?:x\s*)?(capsules?|tabletten?|tabs?|softgels?|schepjes?|sachets?|zakjes?|"
    r"kauwtabletten?)\s+(?:van|à|a|met|elk)\s+(\d+(?:[.,]\d+)?)\s*mg\b"
)
ADVICE = _re(
    r"\b(neem|nemen|slik|slikken|gebruik|raden|adviseren)\b|'s\s+(avonds|ochtends|middags)"
)
DOUBLE_DOSE = _re(r"\bdosis\s+(\w+\s+)?verdubbel\w*|\bdubbele\s+dosis\b")

AUTH_VERB = _re(
    r"\b(draagt|dragen)\s+((?:\w+\s+){0,3}?)bij\s+(tot|aan)\b|\bbij\s*(draagt|dragen)\s+(tot|aan)\b|"
    r"\bbijdraagt\s+(\w+\s+)?(tot|aan)\b|\bbijdragen\s+(tot|aan)\b"
)
ROLE_VERB = _re(r"\b(speelt|spelen)\s+(?:een\s+)?(\w+\s+)?rol\s+bij\b")
NEEDED_VERB = _re(r"\b(is|zijn)\s+nodig\s+voor\b")
ALLOWED_ADVERB = _re(r"^(ook|mede|eveneens|daarnaast|onder\s+meer|tevens)$")

CLAUSE_SPLIT = re.compile(
    r"\s*(?:[,;:()–—?!]|\s-\s|\bmaar\b|\bwant\b|\bdus\b|\bzodat\b|\bwaardoor\b|"
    r"\bterwijl\b|\bomdat\b|\btoch\b)\s*",
    I,
)
AND_SPLIT = re.compile(r"\s+\ben\b\s+", I)


# --- The register ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """One authorised claim of one nutrient."""

    nutrient: str
    key: str
    wording: str  # the official Dutch object, e.g. "een normale psychologische functie"
    verb: str  # "contribute", "role" or "needed"
    pattern: re.Pattern
    min_amount: Decimal | None
    of: tuple[str, ...]

    @property
    def sentence(self) -> str:
        """The whole authorised wording, e.g. 'Magnesium draagt bij tot een normale ...'."""
        label = register().labels[self.nutrient]
        if self.verb == "role":
            return f"{label} speelt een rol bij {self.wording}"
        if self.verb == "needed":
            return f"{label} is nodig voor {self.wording}"
        plural = " en " in label
        return f"{label} {'dragen' if plural else 'draagt'} bij tot {self.wording}"


@dataclass(frozen=True)
class Register:
    claims: dict[str, dict[str, Claim]]  # nutrient -> key -> claim
    names: list[tuple[str, re.Pattern]]  # nutrient -> how texts name it, longest first
    labels: dict[str, str]
    units: dict[str, str]
    nrv: dict[str, Decimal]
    upper_level: dict[str, Decimal]


def _object_pattern(wording: str) -> re.Pattern:
    """A wording as a pattern: articles optional, "tot"/"aan" optional before it, spaces free."""
    words = wording.split()
    parts = []
    for word in words:
        if word in ("de", "het", "een"):
            parts.append(r"(?:(?:de|het|een)\s+)?")
        else:
            parts.append(re.escape(word).replace(r"\-", "-") + r"\s+")
    body = "".join(parts)
    body = body[: -len(r"\s+")] if body.endswith(r"\s+") else body
    return re.compile(r"(?:(?:tot|aan)\s+)?(?:(?:de|het|een)\s+)?" + body + r"\b", I)


@cache
def register() -> Register:
    """The authorised claims per nutrient, from content/claims_data/register.json."""
    data = json.loads((DATA_DIR / "register.json").read_text(encoding="utf-8"))
    claims: dict[str, dict[str, Claim]] = {}
    names = []
    labels, units, nrv, upper = {}, {}, {}, {}
    for nutrient, info in data["nutrients"].items():
        labels[nutrient] = info["label"]
        units[nutrient] = info["unit"]
        if "nrv" in info:
            nrv[nutrient] = Decimal(str(info["nrv"]))
        if "upper_level" in info:
            upper[nutrient] = Decimal(str(info["upper_level"]))
        names.append((nutrient, info["names"]))
        claims[nutrient] = {}
        for key, spec in info["claims"].items():
            if isinstance(spec, list):
                spec = {"wordings": spec}
            for index, wording in enumerate(spec["wordings"]):
                verb = "contribute"
                for marker, name in (("@role ", "role"), ("@needed ", "needed")):
                    if wording.startswith(marker):
                        verb, wording = name, wording.removeprefix(marker)
                claim = Claim(
                    nutrient=nutrient,
                    key=key if index == 0 else f"{key}~{index}",
                    wording=wording,
                    verb=verb,
                    pattern=_object_pattern(wording),
                    min_amount=Decimal(str(spec["min"])) if "min" in spec else None,
                    of=tuple(spec.get("of", [nutrient])),
                )
                claims[nutrient][claim.key] = claim
    # Longest names first, so "epa en dha" wins over "epa" and "vitamine b12" over "b12".
    compiled = sorted(
        ((n, _re(r"\b(?:" + p + r")\b")) for n, p in names),
        key=lambda item: -max(len(alt) for alt in item[1].pattern.split("|")),
    )
    return Register(claims, compiled, labels, units, nrv, upper)


def nutrient_mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, nutrient) for every nutrient named in `text`, without overlaps."""
    found: list[tuple[int, int, str]] = []
    for nutrient, pattern in register().names:
        for m in pattern.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e, _n in found):
                found.append((m.start(), m.end(), nutrient))
    return sorted(found)


def claim_minimum(claim: Claim) -> Decimal | None:
    """Least amount per daily dose the claim needs: its own, or the 'source of' share of the NRV
    (shop.catalogue.facts.claim_min_share: 15%)."""
    if claim.min_amount is not None:
        return claim.min_amount
    nrv = register().nrv.get(claim.nutrient)
    return nrv * claim_min_share() if nrv is not None else None


# --- Analysis ----------------------------------------------------------------------------------


@dataclass
class Issue:
    rule: str
    claim: Claim | None = None  # the claim concerned or suggested
    target: str = ""
    detail: str = ""


@dataclass
class Analysis:
    """What the rules found in one sentence."""

    authorised: list[Claim] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    nutrients: list[str] = field(default_factory=list)
    signals: dict[str, int] = field(default_factory=dict)  # features for the model
    rest: str = ""  # the sentence with its authorised wordings blanked out


def _targets(text: str) -> list[str]:
    return [name for name, pattern in _TARGETS if pattern.search(text)]


_TARGETS = [(name, _re(p)) for name, p in TARGETS]
_CONDITIONS = [(name, _re(p)) for name, p in CONDITIONS]


def _conditions(text: str) -> list[str]:
    found = [(m.start(), name) for name, p in _CONDITIONS if (m := p.search(text))]
    return [name for _s, name in sorted(found)]


def _negated(clause: str, *, attributed: bool = False) -> bool:
    """Whether a negation silences `clause`; in a sentence that credits a result to something
    (`attributed`), a negated complaint is that result."""
    if attributed and _conditions(clause):
        return False
    return bool(NEGATION.search(clause)) and not CHANGE.search(clause)


HARD_STOP = re.compile(r"[.?!;:]+")
CAMEL = re.compile(r"(?<=[a-zà-ÿ])(?=[A-Z])")


def open_runs(text: str, *, attributed: bool = False) -> list[str]:
    """The parts of a sentence a negation does not reach: runs of clauses without one.

    Runs stop at a negated clause and at ".", "?", "!", ";" and ":"; within a run an effect
    and what it acts on may stand in different clauses ("ondersteunt een diepe, ongestoorde
    nachtrust").
    """
    runs = []
    for block in HARD_STOP.split(text):
        current: list[str] = []
        for clause in clauses(block):
            if _negated(clause, attributed=attributed):
                if current:
                    runs.append(", ".join(current))
                current = []
            else:
                current.append(clause)
        if current:
            runs.append(", ".join(current))
    return runs


def clauses(text: str) -> list[str]:
    """The clauses of a sentence: a negation only reaches the clause it stands in.

    Split at punctuation and at "maar", "want", "dus", ...; a clause with a negation is split
    once more at "en", so "niet verslavend en helpt tegen angst" keeps its second half.
    """
    result = []
    for clause in CLAUSE_SPLIT.split(text):
        if not clause or not clause.strip():
            continue
        if NEGATION.search(clause) and not CHANGE.search(clause):
            result += [part for part in AND_SPLIT.split(clause) if part.strip()]
        else:
            result.append(clause)
    return result


def _find_authorised(text: str, context: dict[str, Decimal] | None, result: Analysis) -> str:
    """Find authorised wordings; returns `text` with them blanked out. Records issues."""
    reg = register()
    mentions = nutrient_mentions(text)
    spans = []
    for verb_name, verb_re in (
        ("contribute", AUTH_VERB),
        ("role", ROLE_VERB),
        ("needed", NEEDED_VERB),
    ):
        for m in verb_re.finditer(text):
            before = [n for n in mentions if n[1] <= m.start()]
            if not before:
                continue
            # The subject: the nutrients named in the words before the verb (up to a clause mark).
            last_end = before[-1][1]
            if re.search(r"[.;:!?]", text[last_end : m.start()]):
                continue
            subject_nutrients = []
            for s, e, n in reversed(before):
                gap = text[e : (subject_nutrients[-1][0] if subject_nutrients else m.start())]
                if subject_nutrients and not re.fullmatch(r"\s*(,|en|,\s*en)?\s*", gap):
                    break
                subject_nutrients.append((s, n))
            nutrients = [n for _s, n in subject_nutrients]
            # Only the verb and its objects are taken out: whatever stands between the subject
            # and the verb ("Magnesium maakt je sterker en draagt bij tot ...") is still read.
            start = m.start()
            adverb = ""
            if verb_name == "contribute" and m.group(2):
                adverb = m.group(2).strip()
            if verb_name == "contribute" and m.group(6):
                adverb = m.group(6).strip()
            if verb_name == "role" and m.group(2):
                adverb = m.group(2).strip()
            pos = m.end()
            matched: list[Claim] = []
            while True:
                rest = text[pos:]
                best: Claim | None = None
                best_m = None
                for nutrient in nutrients + [k for k in reg.claims if k not in nutrients]:
                    for claim in reg.claims[nutrient].values():
                        if claim.verb != verb_name:
                            continue
                        cm = claim.pattern.match(rest.lstrip())
                        if cm and (best_m is None or cm.end() > best_m.end()):
                            best, best_m = claim, cm
                if best is None:
                    break
                matched.append(best)
                pos += (len(rest) - len(rest.lstrip())) + best_m.end()
                joiner = re.match(
                    r"\s*(,\s*)?(en|alsook)\s+(?=(tot|aan|de|het|een|normale?)\b)", text[pos:], I
                )
                if not joiner:
                    break
                pos += joiner.end()
            if not matched:
                # "draagt bij tot" with an object the register does not hold: a claim of its own.
                result.issues.append(Issue("unauthorised", target="", detail="object"))
                continue
            spans.append((start, pos))
            for claim in matched:
                base_key = claim.key.split("~")[0]
                owners = [n for n in nutrients if base_key in reg.claims[n] or claim.nutrient == n]
                if claim.nutrient not in nutrients and not owners:
                    result.issues.append(Issue("wrong_nutrient", claim=claim))
                    continue
                if adverb and not ALLOWED_ADVERB.match(adverb):
                    result.issues.append(Issue("altered_wording", claim=claim, detail=adverb))
                    continue
                for nutrient in nutrients:
                    own = reg.claims[nutrient].get(base_key)
                    if own is None and claim.nutrient != nutrient:
                        if nutrient in ("epa", "dha") and claim.nutrient == "epa_dha":
                            continue
                        result.issues.append(Issue("wrong_nutrient", claim=claim))
                        break
                else:
                    result.authorised.append(claim)
                    issue = _condition_issue(claim, context)
                    if issue:
                        result.issues.append(issue)
    blanked = text
    for s, e in spans:
        blanked = blanked[:s] + " " * (e - s) + blanked[e:]
    return blanked


def _condition_issue(claim: Claim, context: dict[str, Decimal | None] | None) -> Issue | None:
    """Condition of use: does the product deliver enough of the nutrient per daily dose?"""
    if context is None:
        return None
    parts = claim.of if claim.min_amount is not None else (claim.nutrient,)
    present = [p for p in parts if p in context]
    if not present:
        return Issue("condition_of_use", claim=claim, detail="absent")
    minimum = claim_minimum(claim)
    if minimum is None:
        return None
    known = [context[p] for p in present if context[p] is not None]
    total = sum(known, Decimal(0))
    if total >= minimum:
        return None
    if len(known) < len(present):
        return Issue("condition_unverified", claim=claim)
    return Issue("condition_of_use", claim=claim, detail=f"{total} < {minimum}")


def _dose_issues(text: str, context: dict[str, Decimal] | None, result: Analysis) -> None:
    reg = register()
    mentioned = {n for _s, _e, n in nutrient_mentions(text)}
    if DOUBLE_DOSE.search(text):
        result.issues.append(Issue("dose_above_upper_level", detail="double"))
        return
    units = UNITS_OF.search(text)
    if units and not (mentioned - {"magnesium"}) and (PER_DAY.search(text) or ADVICE.search(text)):
        total = int(units.group(1)) * Decimal(units.group(3).replace(",", "."))
        if total > reg.upper_level["magnesium"] and (
            DOSE_ENDORSE.search(text) or not DOSE_WARNING.search(text)
        ):
            result.issues.append(Issue("dose_above_upper_level", detail=f"magnesium {total}"))
            return
    for m in AMOUNT.finditer(text):
        unit = "µg" if m.group(3).lower() in ("µg", "mcg", "microgram") else "mg"
        if COMPOUND_AMOUNT.match(text[m.end() :]):
            continue
        high = max(Decimal(g.replace(",", ".")) for g in m.groups()[:2] if g)
        # Which nutrient the amount is of: the nearest one named; for mg without any named,
        # magnesium (the shop's product) unless the product context says otherwise.
        near = [n for s, e, n in nutrient_mentions(text) if reg.units.get(n) == unit]
        nutrient = None
        if near:
            nutrient = min(
                near,
                key=lambda n: min(
                    abs(s - m.start()) for s, _e, nn in nutrient_mentions(text) if nn == n
                ),
            )
        elif unit == "mg" and not (mentioned - {"magnesium"}):
            if context is None or "magnesium" in context or not context:
                nutrient = "magnesium"
        if nutrient is None or nutrient not in reg.upper_level:
            continue
        if nutrient == "magnesium":
            if not PER_DAY.search(text):
                continue
            if FOOD_INTAKE.search(text) and not DECLARED_DOSE.search(text):
                continue
        if high > reg.upper_level[nutrient]:
            if DOSE_WARNING.search(text) and not DOSE_ENDORSE.search(text):
                continue
            # A product's own declared daily dose (a label line) is no advice in the text: the
            # product itself delivers more than the upper level, which a person should check.
            rule = "declared_dose" if DECLARED_DOSE.search(text) else "dose_above_upper_level"
            result.issues.append(Issue(rule, detail=f"{nutrient} {high}"))
            return


# The statement art. 10(2)(a) of Reg. (EC) 1924/2006 asks for next to a health claim.
VARIED_DIET_STATEMENT = _re(
    r"\b(een\s+)?gevarieerd\w*\s+en\s+evenwichtig\w*\s+(voedingspatroon|eetpatroon|voeding|dieet)"
    r"(\s+en\s+een\s+gezonde\s+levensstijl)?(\s+(zijn|is)\s+belangrijk(\s+voor\s+(je|jouw|uw|de|een\s+"
    r"goede)\s+gezondheid)?)?"
)

# Names of an area of health, not of an effect: a topic label such as "Mentale gezondheid"
# promises nothing; "Ontspanning & slaap" (a state to reach) stays a claim.
HEALTH_AREA = _re(
    r"\b((mentale?|mentaal|psychische?|lichamelijke?|fysieke?|algemene?)\s+)?gezondheid\b"
)

# "Lees hier alles over magnesium en slaap": a pointer to a text about a topic, no claim itself.
TOPIC_POINTER = _re(r"^(lees|ontdek|bekijk|meer|alles)\b[^.]*?\bover\b")

APPLICATION = _re(r"^(.*?)\s+(voor|op)\s+de\s+huid$")


def _topic_label(text: str) -> bool:
    """A heading or name that only names a nutrient and what its register wordings are about.

    "Magnesium en het zenuwstelsel", "magnesium psychologische functie" name a topic in the
    register's own words; "Magnesiumchloride olie spray voor de huid" says where it is applied.
    Names of effects the register does not hold ("Ontspanning & slaap") stay claims.
    """
    if (m := APPLICATION.match(text.strip(" ."))) and not _targets(m.group(1).lower()):
        return True
    mentions = nutrient_mentions(text)
    if not mentions:
        return False
    if _heading_topic(text, mentions):
        return True
    words = set()
    for nutrient in {n for _s, _e, n in mentions}:
        for claim in register().claims.get(nutrient, {}).values():
            words.update(re.findall(r"[\wÀ-ÿ-]+", claim.wording.lower()))
    rest = text
    for start, end, _n in reversed(mentions):
        rest = rest[:start] + rest[end:]
    content = [
        w
        for w in re.findall(r"[\wÀ-ÿ-]+", rest.lower())
        if w not in ("en", "je", "jouw", "het", "de", "een", "van", "bij", "in")
    ]
    return bool(content) and all(w in words for w in content)


# A heading "<nutrient> en <topic>" ("Zink en je weerstand in de winter", "Magnesium en sport")
# names what a text is about; a verb, an effect or a better state makes it a claim again.
HEADING_AND = _re(r"^\s*(en|&|\+)\s+")
STATE_WORDS = _re(
    r"\b(betere?|diepere?|sterkere?|rustigere?|gezondere?|fittere?|meer|minder|optimale?|maximale?|"
    r"extra|top|super\w*)\b|\b(is|zijn|wordt|worden|helpt|werkt|geeft|maakt|houdt|houden|zorgt)\b"
)


def _heading_topic(text: str, mentions: list[tuple[int, int, str]]) -> bool:
    """Whether `text` is a heading that pairs a nutrient with a topic, claiming nothing."""
    if mentions[0][0] > 0 and text[: mentions[0][0]].strip():
        return False
    end = mentions[0][1]
    for start, stop, _n in mentions[1:]:  # "Zink en vitamine C en ..." : the nutrients first
        if HEADING_AND.fullmatch(text[end:start] + " ") or not text[end:start].strip():
            end = stop
        else:
            break
    joined = HEADING_AND.match(text[end:])
    if not joined:
        return False
    topic = text[end + joined.end() :].strip(" .?:")
    words = re.findall(r"[\wÀ-ÿ'-]+", topic)
    return 0 < len(words) <= 6 and not EFFECT.search(topic) and not STATE_WORDS.search(topic)


def _near_claim(clause: str, nutrients: list[str]) -> Claim | None:
    """An authorised object used with another verb ("zorgt voor een normale spierfunctie")."""
    claims = register().claims
    for nutrient in [n for n in nutrients if claims.get(n)] + ["magnesium"]:
        for claim in claims[nutrient].values():
            if claim.pattern.search(clause):
                return claim
    return None


def analyse(sentence: str, *, context: dict[str, Decimal] | None = None) -> Analysis:
    """Every issue the rules find in one sentence; `context`: the product's nutrients per day."""
    text = " ".join(sentence.split())
    result = Analysis()
    result.nutrients = [n for _s, _e, n in nutrient_mentions(text)]
    rest = _find_authorised(text, context, result)
    # The art. 10(2)(a) statement is required next to a health claim: never a claim itself.
    rest = VARIED_DIET_STATEMENT.sub(lambda m: " " * len(m.group(0)), rest)
    result.rest = " ".join(rest.split())
    _dose_issues(text, context, result)

    # Compound names speak of their parts: "BrainBoost", "SlaapWel", "RustMix".
    rest = CAMEL.sub(" ", rest)
    lowered = rest.lower()
    side_effect = bool(SIDE_EFFECT.search(lowered) and not REMEDY.search(lowered))
    caution = bool(CAUTION.search(lowered)) or side_effect
    attributed = bool(ATTRIBUTION.search(lowered))
    if MEDICINAL_WORDS.search(lowered) and not _negated(lowered) and not caution:
        result.issues.append(Issue(f"medicinal.{(_conditions(lowered) or ['other'])[0]}"))
    if MEDICINE_COMPARE.search(lowered):
        result.issues.append(Issue("medicinal.other", detail="compare"))
    if DISEASE_RISK.search(lowered) and not _negated(lowered):
        result.issues.append(Issue("disease_risk"))
    if SLIMMING.search(lowered) and not (NEGATION.search(lowered) and not CHANGE.search(lowered)):
        result.issues.append(Issue("slimming"))
    runs = open_runs(lowered, attributed=attributed)
    if not caution and any(DEFICIENCY_REMEDY.search(run) for run in runs):
        result.issues.append(Issue("medicinal.other", detail="deficiency"))
    if DEFICIENCY.search(lowered) and _targets(lowered):
        result.issues.append(Issue("deficiency"))

    if not caution and not _negated(lowered) and BARE_EFFECT.search(lowered):
        result.issues.append(Issue("unauthorised", detail="bare"))
    for m in MEDICINAL_AGAINST.finditer(lowered):
        window = m.group(0)
        before = lowered[max(0, m.start() - 40) : m.start()]
        if caution or re.search(r"\b(geen|niet)\b", before.split(",")[-1]):
            continue
        if _conditions(window):
            result.issues.append(Issue(f"medicinal.{_conditions(window)[0]}", detail="tegen"))
        elif _targets(window):
            result.issues.append(Issue("unauthorised", target=_targets(window)[0], detail="tegen"))

    if not caution and RECOMMEND.search(lowered) and any(_conditions(run) for run in runs):
        result.issues.append(Issue(f"medicinal.{_conditions(lowered)[0]}", detail="recommend"))

    first_person = bool(FIRST_PERSON.search(lowered))
    if first_person and HELPED_ME.search(lowered) and not _negated(lowered):
        result.issues.append(Issue("testimonial", detail="helped"))
    open_cues = 0  # runs of clauses, not negated, that name an effect on body or mind
    all_targets = _targets(lowered)
    for c in runs:
        targets = _targets(c)
        conditions = _conditions(c)
        if targets or conditions:
            open_cues += 1
        changed = bool(CHANGE.search(c))
        # A story of a side effect of one form and a switch to another claims nothing.
        if (
            first_person
            and (targets or conditions)
            and (STORY.search(c) or changed)
            and not side_effect
        ):
            result.issues.append(Issue("testimonial", target=(targets or conditions)[0]))
            continue
        if conditions and not caution and (MEDICINAL.search(c) or EFFECT.search(c) or changed):
            rule = "testimonial" if first_person else f"medicinal.{conditions[0]}"
            if first_person:
                result.issues.append(Issue("testimonial", target=conditions[0]))
            else:
                result.issues.append(Issue(rule, target=conditions[0]))
            continue
        if conditions and not caution and re.search(r"\btegen\b|\bbij\b", c):
            result.issues.append(Issue(f"medicinal.{conditions[0]}"))
            continue
        if targets and not caution and (EFFECT.search(c) or changed):
            near = _near_claim(c, result.nutrients)
            if near is not None:
                result.issues.append(Issue("altered_wording", claim=near, target=targets[0]))
            else:
                result.issues.append(Issue("unauthorised", target=targets[0]))
            continue
    # A name or a heading: a few words, no verb, naming an effect ("Ontspanning & slaap").
    words = re.findall(r"[\wÀ-ÿ'-]+", rest)
    name_targets = _targets(HEALTH_AREA.sub(" ", rest).lower())
    if not result.issues and len(words) <= 6 and name_targets and not caution:
        if not re.search(r"\b(is|zijn|wordt|worden|heeft|hebben|bevat|bevatten)\b", rest, I) and (
            not _topic_label(rest)
        ):
            result.issues.append(Issue("unauthorised", target=name_targets[0], detail="name"))
    result.targets = all_targets
    # A short label that only names an area of health ("Mentale gezondheid"): a topic, which
    # the model is not asked about either.
    topic_label = (
        bool(len(words) <= 6 and all_targets and not name_targets)
        or bool(TOPIC_POINTER.search(lowered.strip()))
        or (len(words) <= 8 and _topic_label(rest))
    )
    result.signals = {
        "topic_label": int(topic_label),
        "auth": len(result.authorised),
        "targets": len(all_targets),
        "conditions": len(_conditions(lowered)),
        "negation": int(bool(NEGATION.search(lowered))),
        "first_person": int(first_person),
        "effect": int(bool(EFFECT.search(lowered))),
        "caution": int(caution),
        "open_cues": open_cues,
    }
    for issue in result.issues:
        result.signals[issue.rule.split(".")[0]] = 1
    return result
