# Wat de dienst zegt als een verzoek misgaat: titels en uitleg van elk probleem, en één
# bericht per fout veld of per foute regel. Korte zinnen, gewone woorden (B1, "je").
# Houd en/problems.ftl gelijk: een test vergelijkt de twee.

## Titels en uitleg van elk soort probleem

problem-malformed-json-title = De inhoud is geen geldige JSON
problem-malformed-query-title = De zoekvraag in het adres klopt niet
problem-unauthorized-title = Je moet eerst inloggen
problem-forbidden-title = Dit mag niet
problem-forbidden-detail = Met jouw rol mag je dit niet doen.
problem-not-found-title = Niet gevonden
problem-not-found-detail = We kunnen dit niet vinden, of het is niet van jou.
problem-no-route-title = Dit adres bestaat niet
problem-no-route-detail = Dit adres bestaat niet in de API. Kijk op /docs.
problem-method-not-allowed-title = Deze methode kan hier niet
problem-method-not-allowed-detail = Dit adres kan alleen { $allow }.
problem-conflict-title = Dit botst
problem-payload-too-large-title = Het verzoek is te groot
problem-payload-too-large-detail = De inhoud is groter dan { $limit } bytes. Dat is te veel.
problem-unsupported-media-type-title = Verkeerd soort inhoud
problem-unsupported-media-type-detail = Stuur de inhoud als { $expected }.
problem-validation-failed-title = Sommige velden kloppen niet
problem-validation-one-detail = { $field }: { $message }
problem-validation-many-detail = { $count } velden kloppen niet. Hieronder staat elk veld.
problem-bad-rows-title = Sommige regels kloppen niet. Er is niets ingelezen.
problem-bad-rows-detail = { $count ->
    [one] 1 regel klopt niet. Verbeter die en stuur het hele bestand opnieuw.
   *[other] { $count } regels kloppen niet. Verbeter ze en stuur het hele bestand opnieuw.
}
problem-illegal-transition-title = Dit kan nu niet
problem-illegal-transition-detail = Dit kan nu niet ({ $action }). De status is nu: { $state }.
problem-illegal-transition-allowed-detail = Dit kan nu niet ({ $action }). De status is nu: { $state }. Wel mogelijk: { $allowed }.
problem-rate-limited-title = Te vaak geprobeerd
problem-rate-limited-detail = { $minutes ->
    [one] Je hebt het te vaak geprobeerd. Probeer het over 1 minuut opnieuw.
   *[other] Je hebt het te vaak geprobeerd. Probeer het over { $minutes } minuten opnieuw.
}
problem-database-unavailable-title = De dienst is even niet bereikbaar
problem-database-unavailable-detail = We kunnen de database niet bereiken. Probeer het over een minuut opnieuw.
problem-server-busy-title = Het is nu erg druk
problem-server-busy-detail = Veel mensen loggen nu tegelijk in. Probeer het over { $seconds } seconden opnieuw.
problem-internal-error-title = Er ging bij ons iets mis
problem-internal-error-detail = Probeer het opnieuw. Gebeurt het vaker? Meld het dan bij de medewerkers van de pool.

## De inhoud of het adres als geheel

json-syntax = De inhoud is geen geldige JSON. Kijk op regel { $line }, teken { $column }.
json-unreadable = We konden de inhoud niet lezen.
upload-unreadable = We konden het bestand niet lezen.
query-invalid = De zoekvraag in het adres klopt niet.
query-missing = De zoekvraag in het adres mist { $name }.
query-problem = De zoekvraag in het adres klopt niet: { $problem }.
query-nul = Er staat een NUL-teken (%00) in het adres. Haal het weg.

## Inloggen

unauthorized-sign-in-first = Log eerst in. Stuur het token als "Authorization: Bearer" met het token.
unauthorized-header-unreadable = We kunnen de Authorization-header niet lezen.
unauthorized-header-scheme = De Authorization-header moet "Bearer" met het token zijn.
unauthorized-expired = Je bent niet meer ingelogd, of je login klopt niet. Log opnieuw in.
unauthorized-account-gone = Dit account is uitgezet of bestaat niet meer.
unauthorized-disabled = Dit account is uitgezet.
unauthorized-wrong-credentials = Het e-mailadres of het wachtwoord klopt niet.
unauthorized-sign-in-link-used = Deze link om in te loggen werkt niet meer. Vraag een nieuwe aan.
unauthorized-invitation-used = Deze uitnodiging werkt niet meer. Vraag de beheerder om een nieuwe.
unauthorized-reset-link-used = Deze link voor een nieuw wachtwoord werkt niet meer. Vraag een nieuwe aan.
unauthorized-metrics = De cijfers zijn niet openbaar. Stuur het token voor de cijfers mee als bearer token.

## Botsingen met wat er al is

conflict-duplicate-field = Een ander record heeft al deze { $field }.
conflict-duplicate = Dit bestaat al.
conflict-reference = Dit wijst naar iets dat niet bestaat, of dat nog in gebruik is.
conflict-same-time = Iemand anders veranderde dit op hetzelfde moment. Probeer het opnieuw.
conflict-open-request = Deze student heeft hiervoor al een open aanvraag.
conflict-loan-changed = De lening veranderde op hetzelfde moment. Probeer het opnieuw.
conflict-device-proposed = Dit apparaat is aan een student aangeboden. Wijs dat aanbod af om het vrij te maken.
conflict-device-reserved = Dit apparaat ligt klaar voor een lening. Het gaat terug naar de pool als de ophaaltijd voorbij is.
conflict-plan-ends = Het databundel stopt op { $day }. Dat is te snel om het uit te lenen. Verleng de bundel eerst (actie renew_plan).
conflict-student-email = Er is op je school al een student met dit e-mailadres.
conflict-student-has-kit = Deze student heeft nog spullen te leen. Wis de gegevens als alles terug is of is afgeschreven.
conflict-kit-taken = Die spullen zijn niet meer vrij, of de aanvraag is veranderd.
conflict-request-closed = De aanvraag van de student is gesloten. Wijs dit aanbod af.
conflict-last-admin = Dit is het laatste beheerdersaccount. Maak eerst een andere beheerder.
conflict-own-admin = Je kunt je eigen beheerdersrol niet weghalen.
conflict-own-account = Je kunt je eigen account niet uitzetten.
conflict-serial = Een ander apparaat van deze soort heeft dit serienummer al.

## Eén veld

field-required = Vul dit in.
field-empty = Dit mag niet leeg zijn.
field-one-line = Gebruik één regel, zonder enter.
field-at-most-chars = Gebruik hoogstens { $max } tekens.
field-at-least-chars = Gebruik minstens { $min } tekens.
field-control-chars = Haal de verborgen stuurtekens weg.
field-nul = Haal het NUL-teken weg.
field-between = Geef een getal van { $min } tot en met { $max }.
field-at-least = Geef een getal van minstens { $min }.
field-at-most = Geef een getal van hoogstens { $max }.
field-empty-list = Geef er minstens één.
field-at-least-items = Geef er minstens { $min }.
field-at-most-items = Geef er hoogstens { $max }.
field-unique-items = Geef elk maar één keer.
field-email = Dit is geen e-mailadres. Schrijf het zo: naam@voorbeeld.nl.
field-date = Geef een datum zoals 2026-09-01.
field-date-time = Geef een datum en tijd zoals 2026-09-01T09:30:00Z.
field-id = Dit is geen id van deze dienst.
field-unknown = Dit veld kennen we niet. Laat het weg.
field-invalid = Deze waarde klopt niet.
field-body-object = Stuur de velden als één JSON-object, tussen accolades.
field-breaks-rule = Dit past niet bij de regels voor dit record.
field-choice = Kies een van deze: { $options }.
field-language = Kies Nederlands (nl) of Engels (en).
field-type = { $expected ->
    [text] Geef een tekst.
    [whole-number] Geef een heel getal.
    [number] Geef een getal.
    [boolean] Geef true of false.
    [list] Geef een lijst.
    [object] Geef een groep velden.
   *[other] Laat dit leeg.
}
field-product-length = Gebruik 1 tot en met 100 tekens.
field-product-chars = Gebruik alleen letters, cijfers en - _ . +
field-serial-chars = Gebruik alleen letters, cijfers en - _ . /
field-device-kind = Kies laptop of wifi_dongle.
field-required-for-laptop = Vul dit in voor een laptop.
field-dongle-only = Dit is voor wifi-dongels, niet voor laptops.
field-laptop-only = Dit is voor laptops, niet voor wifi-dongels.
field-year-range = { $day } is geen datum van het programma. Kies een jaar van 1970 tot en met 9999.
field-period-order = Het begin moet op of voor het einde liggen.
field-period-too-long = Een rapport gaat over hoogstens vijf jaar.
field-month-start = Begin op de eerste dag van een maand, zoals 2026-01-01.
field-month-end = Eindig op de laatste dag van een maand, zoals 2026-06-30.
field-month-ended = Kies maanden die voorbij zijn. De laatste eindigde op { $day }.
field-month = Schrijf een maand zoals 2026-03 of 03-2026.
field-format = Kies json of csv.
field-format-with-chart = Kies json, csv of svg.
field-format-no-chart = Alleen het rapport van de pool heeft een grafiek. Kies json of csv.
field-end-before-start = Het einde mag niet voor het begin liggen.
field-not-flagged = Bij de student staat niet dat dit ontbreekt. Zet eerst { $flag } aan.
field-product-required = Zeg welke software: een aanvraag voor een licentie noemt een product.
field-product-only-licence = Alleen een aanvraag voor een licentie noemt een product. Laat het weg.
field-tick-accessories = Vink aan wat er terugkwam van: { $items }.
field-accessory-not-lent = { $item } hoorde niet bij deze lening. Erbij zat: { $items }.
field-accessory-not-lent-none = { $item } hoorde niet bij deze lening. Er zat niets bij.
field-accessory-not-missing = { $item } ontbrak niet. Nu ontbreekt: { $items }.
field-accessory-not-missing-none = { $item } ontbrak niet. Er ontbreekt nu niets.
field-today-or-later = Kies vandaag of een latere dag.
field-after-due-date = Kies een dag na de huidige einddatum, { $day }.
field-extension-limit = Je kunt hoogstens { $days } dagen extra vragen. Kies { $day } of eerder.
field-seat-not-lost = Een licentie kan niet kwijtraken. Sluit de lening of schrijf haar af.
field-no-such-student = We kunnen deze student niet vinden.
field-no-such-organisation = We kunnen deze organisatie niet vinden.
field-no-such-hub = We kunnen deze hub niet vinden.
field-no-such-donation = We kunnen deze donatie niet vinden.
field-no-such-request = We kunnen deze aanvraag niet vinden.
field-no-such-device = We kunnen dit apparaat niet vinden.
field-no-such-licence = We kunnen deze licentie niet vinden.
field-organisation-kind = Kies een organisatie van de soort { $kind }.
field-organisation-pool = Laat dit leeg voor medewerkers van de pool.
field-organisation-required = Geef de organisatie: een account van de soort { $kind } heeft er een nodig.
field-role-student = Scholen maken accounts voor studenten als ze een student inschrijven.
field-role-stays-student = Een account van een student blijft een account van een student.
field-hub-required = Zeg bij welke hub het apparaat is. Niemand verwachtte het bij een hub.
field-same-hub = Kies een andere hub. Het apparaat is al bij deze hub.
field-no-device-rows = In het bestand staan geen regels met apparaten.
field-no-student-rows = In het bestand staan geen regels met studenten.
field-wrong-device-kind = De aanvraag is voor een { $wanted }, niet voor een { $given }.
field-wrong-product = De aanvraag is voor { $wanted }, niet voor { $given }.
field-wrong-password = Dit is niet uw huidige wachtwoord.
field-give-licence = De aanvraag is voor een licentie. Geef een licence_id.
field-give-device = De aanvraag is voor een apparaat. Geef een device_id.
field-device-or-licence = Geef een device_id of een licence_id.
field-student-erased = De gegevens van deze student zijn gewist.
field-donor-state-filter = Donoren zien de fase van hun spullen. Filter op fase (stage).
field-donor-required = Zeg welke donor het gaf.
field-school-required = Zeg welke school.
field-seats-in-use = Het kan geen { $seats } zijn: er zijn { $in_use } plekken in gebruik.
field-cursor = Dit is geen paginamarkering die wij gaven.

## Een spreadsheet

file-too-many-rows = Dit bestand heeft meer dan { $max } rijen. Verdeel het over bestanden van hoogstens { $max } rijen, en upload ze een voor een.
row-too-long = Deze regel is langer dan { $max } tekens. Kijk of het bestand een CSV-bestand is.
file-empty = Het bestand is leeg.
file-column-missing = De eerste regel heeft geen kolom { $column }.
file-column-twice = De kolom { $column } staat er twee keer in.
file-kind-missing = De eerste regel heeft geen kolom kind. Voeg die toe, of zet ?kind=laptop achter het adres.
row-unreadable = We kunnen deze regel niet lezen.
row-not-utf8 = Deze regel is geen UTF-8-tekst. Sla het bestand op als CSV (UTF-8) en stuur het opnieuw.
row-nul = In deze regel staat een NUL-teken. Sla het bestand op als CSV (UTF-8) en stuur het opnieuw.
row-not-device-kind = "{ $value }" is geen soort apparaat. Gebruik laptop of wifi_dongle.
row-not-whole-number = "{ $value }" is geen heel getal.
row-not-number = "{ $value }" is geen getal.
row-not-yes-no = "{ $value }" is geen ja of nee.
row-not-date = "{ $value }" is geen datum. Schrijf hem zo: 2027-06-30.
row-not-language = "{ $value }" is geen taal. Gebruik nl of en.
row-not-track = "{ $value }" is geen richting van het programma.
row-not-target-group = "{ $value }" is geen doelgroep.
row-serial-twice = { $serial } staat ook op regel { $first }.
row-serial-in-pool = { $serial } is al in de pool.
row-email-twice = { $email } staat ook op regel { $first }.
row-email-enrolled = { $email } staat al ingeschreven op je school.
row-no-such-hub = Er is geen hub met de naam "{ $hub }".
unauthorized-code-spent = Deze code werkt niet meer: hij is { $tries } keer verkeerd getypt. Vraag een nieuwe mail met een nieuwe code.
unauthorized-wrong-code = Deze code klopt niet, of hij werkt niet meer. Vraag een nieuwe mail aan.
conflict-fault-not-active = Je kunt alleen spullen die je nu hebt als kapot melden.
field-tick-agreement = Zet een vinkje om te zeggen dat je akkoord gaat.
field-choose-what-happened = Kies wat er is gebeurd.

## Antwoorden die geen probleem zijn

accepted-magic-link = Hoort dit adres bij een student? Dan hebben we een link gestuurd om in te loggen. Die werkt één keer, { $minutes } minuten lang.
accepted-reset = Heeft dit adres een account met een wachtwoord? Dan hebben we een link gestuurd om een nieuw wachtwoord te kiezen. Die werkt één keer, { $minutes } minuten lang.
field-choose-language = Kies de taal van de mail.
field-choose-team-role = Kies medewerker of beheerder.
field-choose-organisation-kind = Kies school of donor.
field-choose-verification = Kies of de controle na het wissen goed of fout ging.
field-choose-lock-reason = Kies waarom het apparaat op slot zit.
row-not-erasure-result = "{ $value }" is geen uitkomst. Gebruik passed of failed.
row-not-erasure-method = "{ $value }" is geen methode die we kennen. Gebruik purge of clear, of de woorden van het programma.
row-not-time = "{ $value }" is geen tijd. Schrijf het zo: 2026-12-03T10:05:00Z.
row-no-device-to-wipe = Geen apparaat met serienummer { $serial } wacht op wissen.
row-device-not-wipeable = { $serial } is nu { $state }. Alleen ontvangen apparaten en apparaten terug voor nakijken worden gewist.
file-no-rows = Het bestand heeft een eerste regel maar geen rijen.
field-set-ends-after-start = De laatste dag moet na de eerste dag komen.
field-set-too-long = Een set lenen kan voor hoogstens { $weeks } weken. Kies een eerdere laatste dag.
class-set-short-pool = Er zijn nu { $short } te weinig vrij bij of dicht bij deze hub. Bied later opnieuw aan om de set aan te vullen.
class-set-short-students = Er zijn { $short } te weinig vrij voor een set: { $kept } houden we voor studenten die wachten. Studenten gaan voor.
conflict-open-class-set = Jullie school heeft al een open set voor een cursus met deze naam. Volg die set, of geef de cursus een andere naam.
conflict-class-set-empty = Er staan geen apparaten klaar voor deze set. Bied de set eerst opnieuw aan.
field-agreement-not-current = Dit is niet de huidige versie van de afspraken. Lees de afspraken opnieuw en ga akkoord met die versie.
field-set-device-twice = Dit apparaat staat twee keer in de lijst.
field-set-device-not-out = Dit apparaat is niet uitgeleend met deze set.
class-set-step-not-now = Dit kan nu niet: er is al iets anders met de set gebeurd. Bekijk de set opnieuw.
class-set-agree-first = Zet een vinkje om voor je school akkoord te gaan met de afspraken.
class-set-tick-a-device = Zet een vinkje bij elk apparaat dat terug is.
scan-not-in-set = Dit apparaat staat niet klaar voor deze klassenset.
scan-twice = Dit apparaat heb je al gescand.
class-set-scan-all = Scan eerst elk apparaat van de set. Nog niet gescand: { $tags }.
class-set-need-count = Zeg hoeveel apparaten de klas nodig heeft.
class-set-need-starts = Geef de eerste dag van de cursus.
class-set-need-ends = Geef de laatste dag van de cursus.
class-set-need-hub = Kies de hub waar je de set ophaalt.
class-set-choose-device = Kies het apparaat dat niet terugkomt.

## Het einde van de opleiding: cadeaus
conflict-gift-not-allowed = De gever van dit apparaat staat geen cadeau toe. De student brengt het terug.
conflict-gift-only-devices = Alleen een apparaat kan een cadeau zijn. Een licentie stopt als de lening stopt.

## Een stapel teruggebrachte spullen
field-device-or-tag = Geef de device_id of de asset_tag van het apparaat.
conflict-in-use-no-round = Er is nu geen ronde 'nog in gebruik?'.
conflict-in-use-not-asked = Deze lening zit niet in de ronde van nu. Hij begon later.
conflict-in-use-answered = Deze lening heeft al een antwoord in deze ronde. Er is niets veranderd.
conflict-in-use-round-over = Deze vraag is van een oudere ronde. Er is nu een nieuwe.
conflict-in-use-loan-closed = Deze lening is al gestopt. Je hoeft niets te antwoorden.
field-in-use-seat = Een licentie kan niet kapot of kwijt zijn. Kies 'in gebruik' of 'niet gebruikt'.
in-use-broken-said = Gezegd in de ronde 'nog in gebruik?': het is kapot.
