# De woorden van de webpagina's. Korte zinnen, gewone woorden (B1, "je"). Houd en/pages.ftl gelijk.

## Op elke pagina

page-error-prefix = Fout:
page-skip = Ga naar de inhoud
page-nav-label = Taal en account
page-other-language = English
page-sign-out = Uitloggen
page-footer = devicepool leent gedoneerde laptops, wifi-dongels en software uit aan studenten.
page-error-summary = Er is een probleem
page-optional = optioneel

## De voorpagina

front-title = Spullen voor je opleiding
front-what = We lenen gedoneerde laptops, wifi-dongels en software uit aan studenten van tech-opleidingen. Je school vraagt aan wat je nodig hebt. Je haalt het op bij een hub in de buurt.
front-ways-in = Zo log je in
front-students = Ik ben student
front-students-how = We sturen je een link per e-mail. Je hebt geen wachtwoord nodig.
front-others = Ik werk voor een school, een donor of de pool
front-others-how = Log in met je e-mailadres en wachtwoord.
front-api = Lees hoe de API werkt

## Inloggen met een wachtwoord

login-title = Inloggen
login-intro = Log in met het e-mailadres en het wachtwoord van je account.
login-email = E-mailadres
login-password = Wachtwoord
login-button = Inloggen
login-student = Ben je student? Log dan in met een link per e-mail.

## Na het inloggen

start-title = Je bent ingelogd
start-signed-in-as = Je bent ingelogd als { $email }.
start-next-admin = Als beheerder voeg je scholen en donoren toe en nodig je hun mensen uit. Je kunt ook alles wat medewerkers van de pool doen.
start-next-staff = Als medewerker van de pool neem je spullen in. Je wist ze, geeft ze een cijfer, verdeelt ze, leent ze uit en neemt ze terug. Begin bij de balie, een scansessie, het verdelen of de lijst van vandaag.
start-next-school = Als school schrijft u studenten in en vraagt u spullen voor hen aan.
start-next-donor = Als donor zegt u spullen toe. U voegt de apparaten en licenties toe en ziet wat ze doen voor studenten.
start-next-student = Ga naar je spullen om je leningen te zien.
start-go-students = Naar mijn studenten
start-api = Maak je je eigen programma's?

## Als een pagina niet kan

error-home = Ga naar de voorpagina
error-not-found-title = Pagina niet gevonden
error-not-found-text = We kunnen deze pagina niet vinden, of hij is niet van jou. Kijk of het adres klopt.
error-forbidden-title = Dit mag niet
error-forbidden-text = Dit mag je niet doen. Kwam je van een andere site? Open devicepool zelf en probeer het opnieuw.
error-too-many-title = Te vaak geprobeerd
error-too-many-text = { $minutes ->
    [one] Je hebt het te vaak geprobeerd. Wacht 1 minuut en probeer het opnieuw.
   *[other] Je hebt het te vaak geprobeerd. Wacht { $minutes } minuten en probeer het opnieuw.
}
error-unavailable-title = Het is nu erg druk
error-unavailable-text = We kunnen nu niet antwoorden. Probeer het over een minuut opnieuw.
error-bad-request-title = Er klopt iets niet met het formulier
error-bad-request-text = We konden niet lezen wat je stuurde. Ga terug en probeer het opnieuw.
error-internal-title = Er ging bij ons iets mis
error-internal-text = Probeer het opnieuw. Gebeurt het vaker? Meld het dan bij de medewerkers van de pool.

## Studenten loggen in met een link of code per mail

student-sign-in-title = Inloggen als student
student-sign-in-intro = Vul je e-mailadres in. We sturen je een link om in te loggen. Je hebt geen wachtwoord nodig.
student-sign-in-email-hint = Gebruik het adres dat je school van je heeft.
student-sign-in-button = Stuur me een link
student-sign-in-button-code = Inloggen met de code
student-sign-in-other = Werk je voor een school, een donor of de pool? Log dan in met je wachtwoord.
check-mail-title = Kijk in je mail
check-mail-sent = Hoort dit adres bij een student? Dan hebben we een mail met een link gestuurd. De link werkt één keer, { $minutes } minuten lang.
check-mail-code-title = Of typ de code
check-mail-code-intro = Lees je je mail op een andere telefoon of computer? Typ dan hier de code uit de mail.
check-mail-code = Code uit de mail
check-mail-code-hint = Zes cijfers, bijvoorbeeld 123456.
check-mail-code-spent = De code is te vaak verkeerd getypt. Daarom werken de code en de link in de mail niet meer. We kunnen je een nieuwe mail sturen.
check-mail-send-new = Stuur me een nieuwe mail
check-mail-again = Geen mail gekregen? Vraag een nieuwe link aan.
link-title = Inloggen
link-intro = Druk op de knop om in te loggen op deze telefoon of computer.
link-button = Inloggen
link-used-title = Deze link werkt niet meer

link-used-again = Stuur me een nieuwe link

## Mijn spullen

my-kit-title = Mijn spullen
my-kit-nothing = Je hebt geen spullen en geen open aanvragen. Je school vraagt spullen voor je aan.
my-kit-where = Waar
my-kit-pick-up-by = Haal het op vóór of op { $day }.
my-kit-pick-up-code = Je ophaalcode is { $code }. Laat die zien bij de balie.
my-kit-until = Je mag het houden tot { $day }.
my-kit-recalled = Je zei dat je het nu niet gebruikt. Breng het uiterlijk { $day } terug.
my-kit-bring-back = Breng dit mee terug: { $items }.
my-kit-requests = Wat je school voor je vroeg
kind-laptop = Laptop
kind-connectivity = Wifi-dongel
kind-licence = Software

## Een wachtwoord kiezen

login-forgot = Wachtwoord vergeten?
password-invitation-title = Kies je wachtwoord
password-reset-title = Kies een nieuw wachtwoord
password-intro = Kies een wachtwoord voor je account. Daarmee log je voortaan in.
password-new = Nieuw wachtwoord
password-hint = Minstens 12 tekens. Een korte zin onthoud je makkelijk.
password-button = Opslaan en inloggen
forgot-title = Wachtwoord vergeten?
forgot-intro = Vul het e-mailadres van je account in. We sturen je een link om een nieuw wachtwoord te kiezen.
forgot-button = Stuur me een link
forgot-sent = Heeft dit adres een account met een wachtwoord? Dan hebben we een link gestuurd. De link werkt één keer, { $minutes } minuten lang.
link-used-invitation = Een uitnodiging werkt één keer, en maar een tijdje. Vraag de beheerder om een nieuwe.
link-used-reset = Een link voor een nieuw wachtwoord werkt één keer, en maar kort. Vraag een nieuwe aan.
link-used-sign-in = Een link werkt één keer, en maar kort. Vraag een nieuwe aan. Die komt binnen een minuut.

## Wat een student met een lening doet

back-to-kit = Terug naar mijn spullen
my-kit-accept = Lees en accepteer de leenovereenkomst
my-kit-more-time = Vraag om meer tijd
my-kit-problem = Meld een probleem
my-kit-my-data = Bekijk wat we van je weten
accept-title = De leenovereenkomst
accept-intro = Lees de overeenkomst. Zet dan een vinkje en druk op de knop.
accept-checkbox = Ik heb de overeenkomst gelezen en ik ga akkoord.
accept-button = Accepteer de overeenkomst
more-time-title = Vraag om meer tijd
more-time-now = Je mag het nu houden tot { $day }.
more-time-date = Tot wanneer heb je het nodig?
more-time-date-hint = Een datum na de huidige, hoogstens { $days } dagen later. Bijvoorbeeld 31-07-2027.
more-time-reason = Waarom heb je meer tijd nodig?
more-time-button = Vraag om meer tijd
more-time-sent-title = We hebben je vraag
more-time-sent-text = De medewerkers van de pool kijken er snel naar. Je krijgt het antwoord per mail.
problem-title = Meld een probleem
problem-what = Wat is er gebeurd?
problem-broken = Het is kapot
problem-lost = Ik ben het kwijt
problem-stolen = Het is gestolen
problem-describe = Wat ging er mis?
problem-describe-hint = Bijvoorbeeld: het scherm blijft zwart, of de oplader werkt niet.
problem-button = Stuur de melding
problem-broken-sent-title = We hebben je melding
problem-broken-sent-text = De medewerkers van de pool zoeken iets anders voor je. Je krijgt een mail als je het kunt ophalen.
problem-lost-sent-title = We hebben je melding
problem-lost-sent-text = Fijn dat je het meldt. De medewerkers van de pool nemen contact met je op over wat er nu gebeurt.
my-data-title = Wat we van je weten
my-data-intro = Dit is alles wat we over je bewaren. Je kunt het ook downloaden als bestand.
my-data-download = Download als bestand (JSON)
my-kit-open = Open: { $hours }

## Mijn account
page-my-account = Mijn account
account-title = Mijn account
account-email = E-mailadres
account-role = U logt in als
account-role-admin = beheerder
account-role-staff = medewerker van de pool
account-role-school = coördinator van een school
account-role-donor = donateur
account-role-student = student
account-organisation = Organisatie
account-language-title = Taal
account-language-legend = In welke taal wilt u de pagina's en onze mail lezen?
account-language-button = Taal opslaan
account-password-title = Wachtwoord wijzigen
account-current-password = Huidig wachtwoord
account-password-button = Wachtwoord wijzigen
account-everywhere-title = Overal uitloggen
account-everywhere-text = Bent u ingelogd op een computer die niet van u is? Log dan op alle apparaten tegelijk uit. Daarna logt u hier opnieuw in.
account-everywhere-button = Overal uitloggen
account-done-language = Uw taal is opgeslagen.
account-done-password = Uw nieuwe wachtwoord is opgeslagen. U bent uitgelogd op uw andere apparaten.
page-choose = Kies

## Stappen van een aanvraag, en van de geschiedenis van een lening
step-waiting = Wacht
step-proposed = Gevonden, wordt gecontroleerd
step-ready-at-hub = Ligt klaar bij de hub
step-picked-up = Opgehaald
step-returned = Teruggebracht
step-lost = Kwijt
step-cancelled = Geannuleerd
step-expired = Gestopt: het programma was voorbij
history-accept = De student heeft de afspraken van de lening geaccepteerd.
history-handover = De student heeft het opgehaald.
history-extend = De einddatum is veranderd.
history-request-extension = De student vroeg om meer tijd.
history-approve-extension = Er is meer tijd gegeven.
history-refuse-extension = Meer tijd is geweigerd.
history-return = Het is teruggebracht.
history-report-lost = Het is als kwijt gemeld.
history-write-off = Het is afgeschreven.
history-lapse = Het is niet op tijd opgehaald.

## De studenten van een school
students-title = Mijn studenten
students-enrol = Student inschrijven
students-upload = Klassenlijst uploaden
students-report = Rapport van de school
students-filter-label = Studenten zoeken
students-search = Zoek op naam of e-mailadres
students-filter-lacks = Mist
students-filter-standing = Spullen
students-standing-waiting = Wacht op spullen
students-standing-has-kit = Heeft spullen
students-standing-overdue = Te laat terug
students-filter-button = Tonen
students-filter-clear = Iedereen tonen
students-none = U hebt nog geen studenten. Schrijf een student in of upload een klassenlijst.
students-shown = Studenten { $first } tot en met { $last } van { $matching }. Uw school heeft er { $all }.
students-caption = Uw studenten, pagina { $page } van { $pages }
students-col-name = Naam
students-col-lacks = Mist
students-col-waiting = Wacht op
students-col-kit = Heeft
students-lacks-nothing = Niets
students-place = nummer { $place } in de rij, { $days ->
    [one] wacht 1 dag
   *[other] wacht { $days } dagen
}
students-overdue = { $days ->
    [one] 1 dag te laat
   *[other] { $days } dagen te laat
}
students-until = tot { $day }
students-no-match = Geen student past hierbij. Zoek anders of toon iedereen.
students-pages = Pagina's
students-previous = Vorige pagina
students-next = Volgende pagina
students-page-of = Pagina { $page } van { $pages }
students-done-enrolled = De student is ingeschreven.
students-done-saved = De wijzigingen zijn opgeslagen.
students-done-requested = De aanvraag staat in de rij. Hieronder ziet u de plek.
students-done-cancelled = De aanvraag is geannuleerd.
students-done-erased = De gegevens van de student zijn gewist.
students-done-imported = { $count ->
    [one] 1 student is ingeschreven uit het bestand.
   *[other] { $count } studenten zijn ingeschreven uit het bestand.
}

## Student inschrijven of wijzigen
student-form-new-title = Student inschrijven
student-form-edit-title = Gegevens van een student wijzigen
student-form-who = Wie
student-form-name = Naam
student-form-email = E-mailadres
student-form-email-hint = De student logt in met dit adres.
student-form-language = Welke taal leest de student het best?
student-form-programme = Programma
student-form-track = Richting
student-form-start = Eerste dag
student-form-end = Laatste dag
student-form-day-hint = Bijvoorbeeld 01-09-2026.
student-form-hub = Hub om spullen op te halen
student-form-hub-hint = De plek die het dichtst bij de student is.
student-form-lacks = Wat de student mist
student-form-lacks-legend = Vink aan wat de student niet heeft.
student-form-lacks-laptop = Een goede laptop
student-form-lacks-connectivity = Goed internet
student-form-lacks-software = De software voor de opleiding
student-form-group = Doelgroep
student-form-group-hint = Alleen voor cijfers zonder namen.
student-form-save = Wijzigingen opslaan
student-form-enrol = Inschrijven
track-coder = Programmeur
track-data-analyst = Data-analist
track-growth-hacker = Growth hacker
track-ux-designer = UX-ontwerper
track-tech-administrator = Technisch beheerder
track-other = Anders
group-corporate-40-plus = Mensen boven de 40 die omscholen
group-underrepresented-academy = Groepen die de techsector overslaat
group-unemployed = Mensen zonder werk
group-sme-owner = Eigenaren van een klein bedrijf
group-overqualified = Mensen die onder hun niveau werken

## Eén student
student-back = Terug naar mijn studenten
student-programme = Programma
student-programme-dates = Van { $start } tot { $end }
student-request-kit = Spullen aanvragen
student-edit = Gegevens wijzigen
student-export = Gegevens downloaden
student-erase = Gegevens wissen
student-requests = Aanvragen
student-col-what = Wat
student-col-asked-on = Gevraagd op
student-col-step = Waar het nu is
student-col-actions = Acties
student-cancel-request = Annuleren
student-no-requests = Er is nog niets aangevraagd.
student-loans = Geleende spullen
student-agreement-accepted = De student heeft de afspraken op { $day } geaccepteerd.
student-agreement-open = De student heeft de afspraken van de lening nog niet geaccepteerd.
student-no-loans = De student heeft nog niets van ons geleend.

## Student wissen
erase-title = Gegevens van { $name } wissen
erase-back = Terug naar { $name }
erase-refused-title = Dit kan nu niet
erase-refused-text = De student heeft nog spullen van ons. Wis de gegevens als de spullen terug zijn.
erase-removed-title = Wat we weghalen
erase-removed-name = De naam en het e-mailadres.
erase-removed-requests = Aanvragen die nog open staan.
erase-removed-account = Het account om in te loggen.
erase-removed-texts = Wat de student ons schreef, zoals redenen en problemen.
erase-kept-title = Wat we bewaren
erase-kept-history = Welke spullen wanneer zijn uitgeleend, zonder de naam.
erase-kept-figures = Cijfers zonder namen, voor de rapporten.
erase-cannot-undo = U kunt dit niet ongedaan maken.
erase-button = Gegevens wissen
erase-keep = Nee, gegevens bewaren

## Spullen aanvragen
request-title = Spullen aanvragen voor { $name }
request-nothing-lacked = De student mist nog niets. Vink eerst aan wat de student mist.
request-intro = We zetten de aanvraag in de rij. Wie het meest en het snelst iets nodig heeft, is eerst.
request-kind = Wat heeft de student nodig?
request-product = Welke software
request-product-hint = Alleen voor software. Bijvoorbeeld figma.
request-needed-by = Nodig op
request-needed-by-hint = Leeg betekent: de eerste dag van het programma.
request-travel-legend = Plek om op te halen
request-travel = De student kan het ook bij een andere hub ophalen.
request-button = Spullen aanvragen

## Spreadsheets uploaden
upload-row-column = Rij { $row }, { $column }: { $message }
upload-row = Rij { $row }: { $message }
column-name = naam
column-email = e-mailadres
column-preferred-language = taal
column-track = richting
column-programme-start = eerste dag
column-programme-end = laatste dag
column-hub = hub
column-lacks-laptop = mist laptop
column-lacks-connectivity = mist internet
column-lacks-software = mist software
column-target-group = doelgroep
column-kind = soort
column-serial-number = serienummer
column-model = model
column-ram-gb = geheugen
column-storage-gb = opslag
column-cpu = processor
column-screen-inches = scherm
column-os = besturingssysteem
column-keyboard-layout = toetsenbord
column-charger-included = oplader
column-carrier = netwerk
column-data-allowance-gb = databundel

## Klassenlijst uploaden
import-title = Klassenlijst uploaden
import-intro = Upload uw klassenlijst als CSV-bestand. Een Excel-bestand opgeslagen als CSV met puntkomma's mag ook. We schrijven niemand in tot elke rij klopt.
import-file = Klassenlijst
import-file-hint = Een CSV-bestand van hooguit een paar megabyte.
import-button = Uploaden en inschrijven
import-rows-title = Deze rijen kloppen niet
import-more-rows = { $count ->
    [one] En nog 1 rij.
   *[other] En nog { $count } rijen.
}
import-fix = Er is nog niemand ingeschreven. Verbeter deze rijen in uw bestand en upload het opnieuw.
import-columns-title = De kolommen van het bestand
import-columns-intro = In de eerste rij staan de namen van de kolommen. Nederlandse namen mogen ook.
import-sample = Voorbeeldbestand downloaden
import-col-column = Kolom
import-col-what = Wat vult u in
import-col-needed = Nodig
import-needed = ja
import-optional = nee
import-column-name = De volledige naam.
import-column-email = Het e-mailadres. De student logt hiermee in.
import-column-preferred-language = nl of en.
import-column-track = coder, data_analyst, growth_hacker, ux_designer, tech_administrator of other.
import-column-programme-start = De eerste dag, zoals 2026-09-01 of 01-09-2026.
import-column-programme-end = De laatste dag, zoals 2027-06-30 of 30-06-2027.
import-column-hub = De naam van de hub om spullen op te halen.
import-column-lacks-laptop = ja of nee: de student heeft geen goede laptop.
import-column-lacks-connectivity = ja of nee: de student heeft geen goed internet.
import-column-lacks-software = ja of nee: de student mist software voor de opleiding.
import-column-target-group = Alleen voor cijfers zonder namen. Laat leeg als u het niet zeker weet.
import-choose-file = Kies eerst een bestand.
import-too-large = Het bestand is te groot. Stuur hooguit { $megabytes } MB.
import-bad-rows = { $count ->
    [one] 1 rij klopt niet. Er is niemand ingeschreven.
   *[other] { $count } rijen kloppen niet. Er is niemand ingeschreven.
}

## Donors: donaties, apparaten, licenties, labels
page-my-donations = Mijn donaties
page-our-impact = Onze impact
page-my-students = Mijn studenten
page-school-report = Schoolrapport
page-yes = Ja
page-no = Nee
start-go-donations = Naar mijn donaties
donations-title = Mijn donaties
donations-pledge = Een donatie toezeggen
donations-impact = Bekijk onze impact
donations-none = U heeft nog geen donatie toegezegd. Zeg er een toe. Voeg daarna de apparaten en licenties toe.
donations-col-pledged-on = Donatie
donations-col-state = Waar is het
donations-col-items = Wat zit erin
donations-col-in-service = In gebruik
donations-pledged-on = Toegezegd op { $day }
donations-expected = we verwachten het op { $day }
donations-items = { $devices ->
    [one] 1 apparaat
   *[other] { $devices } apparaten
}, { $licences ->
    [one] 1 licentie
   *[other] { $licences } licenties
}
donation-state-pledged = Toegezegd, nog niet bij een hub
donation-state-received = Ontvangen bij een hub
donation-done-pledged = Uw donatie is toegezegd. Voeg nu de apparaten en licenties toe.
donation-done-device = Het apparaat is toegevoegd. Print het label en plak het op het apparaat.
donation-done-imported = { $count ->
    [one] 1 apparaat is toegevoegd.
   *[other] { $count } apparaten zijn toegevoegd.
} Print de labels en plak ze op de apparaten.
donation-done-licence = De licentie is toegevoegd. We laten de sleutel niet meer zien.
donation-back = Terug naar mijn donaties
donation-back-one = Terug naar de donatie
donation-title = Donatie van { $day }
donation-upload = Een lijst met apparaten uploaden
donation-add-device = Eén apparaat toevoegen
donation-add-licence = Een licentie toevoegen
donation-labels = De labels printen
donation-stages = Waar uw spullen zijn
donation-stages-intro = We laten nooit zien wie uw spullen gebruikt. U ziet alleen waar ze zijn.
donation-col-stage = Fase
donation-col-count = Aantal
donation-devices = Apparaten
donation-col-tag = Label
donation-col-kind = Soort
donation-col-model = Model
donation-col-serial = Serienummer
donation-more-devices = Meer apparaten tonen
donation-no-devices = Er zitten nog geen apparaten in deze donatie.
donation-licences = Licenties
donation-no-licences = Er zitten nog geen licenties in deze donatie.
stage-pledged = Toegezegd
stage-received = Ontvangen
stage-being-prepared = Wordt klaargemaakt
stage-in-service = In gebruik
stage-retired = Afgeschreven
pledge-title = Een donatie toezeggen
pledge-intro = Vertel ons waar en wanneer u de spullen brengt. Daarna voegt u de apparaten en licenties toe.
pledge-hub = Hub
pledge-hub-hint = Waar u de spullen brengt.
pledge-date = Verwachte datum
pledge-date-hint = Bijvoorbeeld 15-01-2027.
pledge-note = Opmerking
pledge-note-hint = Wat de medewerkers van de pool moeten weten, zoals wie ze kunnen bellen.
pledge-button = De donatie toezeggen
device-form-title = Een apparaat toevoegen
device-form-intro = Vul één apparaat in.
device-form-upload-instead = Heeft u een lijst? Upload die dan.
device-form-kind = Wat voor apparaat is het?
device-form-serial-hint = Zoals het op de sticker staat. Letters, cijfers, - _ . en /.
device-form-model-hint = Bijvoorbeeld HP ProBook 450 G8.
device-form-laptop = Alleen voor een laptop
device-form-dongle = Alleen voor een wifi-dongle
device-form-gb-hint = In GB, bijvoorbeeld 16.
device-form-hub = Hub
device-form-hub-hint = Laat leeg om de hub van de donatie te gebruiken.
device-form-button = Het apparaat toevoegen
device-label-serial-number = Serienummer
device-label-model = Model
device-label-ram-gb = Geheugen (GB)
device-label-storage-gb = Opslag (GB)
device-label-cpu = Processor
device-label-screen-inches = Scherm (inch)
device-label-os = Besturingssysteem
device-label-keyboard-layout = Toetsenbord
device-label-charger-included = Met oplader
device-label-carrier = Mobiel netwerk
device-label-data-allowance-gb = Data per maand (GB)
device-label-plan-ends-on = Laatste dag van het abonnement
device-label-weight-kg = Gewicht (kg)
device-form-weight-hint = Als je het woog, bijvoorbeeld 1,6. We gebruiken het voor de milieucijfers.
device-import-title = Een lijst met apparaten uploaden
device-import-intro = Upload uw lijst als CSV-bestand. Een Excel-bestand opgeslagen als CSV met puntkomma's kan ook. Een lijst zonder kolom soort is een lijst met laptops. We voegen niets toe tot elke rij goed is.
device-import-file = Lijst met apparaten
device-import-file-hint = Een CSV-bestand van hooguit een paar megabyte.
device-import-button = Uploaden en toevoegen
device-import-fix = Er is nog niets toegevoegd. Verbeter deze rijen in uw bestand en upload het opnieuw.
device-import-columns-intro = De eerste rij heeft de namen van de kolommen. Nederlandse namen werken ook.
device-import-needed-laptop = voor een laptop
device-column-kind = laptop of wifi_dongle. Laat de kolom weg voor een lijst met laptops.
device-column-serial-number = Het serienummer op de sticker.
device-column-model = Het merk en model.
device-column-ram-gb = Geheugen in GB, zoals 16.
device-column-storage-gb = Opslag in GB, zoals 256.
device-column-cpu = De processor, zoals Intel Core i5.
device-column-screen-inches = Het scherm in inch, zoals 15,6.
device-column-os = Het besturingssysteem, zoals Windows 11.
device-column-keyboard-layout = Het toetsenbord, zoals US of AZERTY.
device-column-charger-included = ja of nee.
device-column-carrier = Dongles: het mobiele netwerk.
device-column-data-allowance-gb = Dongles: data per maand in GB.
device-column-plan-ends-on = Dongles: de laatste dag van het abonnement, zoals 30-06-2027.
device-column-weight-kg = Mag leeg: het gewicht in kg, zoals 1,6. We gebruiken het voor de milieucijfers.
licence-form-title = Een licentie toevoegen
licence-product = Product
licence-product-hint = Waar studenten om vragen, zoals Figma.
licence-vendor = Maker
licence-seats = Plaatsen
licence-seats-hint = Hoeveel mensen het tegelijk kunnen gebruiken.
licence-col-seats = Plaatsen
licence-seats-used = { $used } van { $seats } in gebruik
licence-expires = Laatste dag
licence-expires-hint = Laat leeg als de licentie nooit stopt.
licence-no-end = Stopt niet
licence-key = Licentiesleutel
licence-key-hint = Typ hem één keer. We laten hem u nooit meer zien, alleen aan de medewerkers van de pool.
licence-button = De licentie toevoegen
labels-title = Labels om te printen
labels-intro = { $count ->
    [one] 1 label. Print deze pagina op A4 en plak het label op het apparaat.
   *[other] { $count } labels. Print deze pagina op A4 en plak elk label op zijn apparaat.
}
labels-more = Op deze pagina staan de eerste 1000 labels.

## Rapporten als pagina
report-from = Van
report-to = Tot en met
report-show = Tonen
report-period = Van { $from } tot en met { $to }.
report-csv = Downloaden als CSV
school-report-title = Schoolrapport
school-report-waiting = Studenten die wachten op spullen
school-report-nobody-waits = Niemand wacht op spullen.
school-report-col-days = Dagen aan het wachten
school-report-overdue = Spullen die te laat zijn
school-report-nothing-overdue = Er zijn geen spullen te laat.
school-report-col-due = Terug op
school-report-col-days-late = Dagen te laat
school-report-loans = Leningen in deze periode
pool-report-set-loans = Klassensets: apparaten die scholen in deze periode leenden
school-report-col-started = Begonnen
school-report-col-returned = Terug
school-report-col-lost = Kwijt
school-report-col-active = Uitgeleend
school-report-col-overdue = Te laat
school-report-requests = Aanvragen in deze periode
school-report-no-requests = Er zijn geen aanvragen gedaan in deze periode.
school-report-col-state = Hoe staat het
request-state-pending = Wacht
request-state-allocated = Spullen apart gezet
request-state-fulfilled = Heeft de spullen
request-state-cancelled = Geannuleerd
request-state-expired = Gestopt voordat er spullen waren
impact-title = Onze impact
impact-from = Eerste maand
impact-to = Laatste maand
impact-from-hint = Het overzicht begint op de eerste dag van deze maand.
impact-to-hint = Het overzicht eindigt op de laatste dag van deze maand.
impact-students = Studenten die uw spullen kregen
impact-reached = Studenten met uw spullen
impact-completed = Van hen, klaar met hun opleiding
impact-loan-months = Maanden uitgeleend
impact-fewer-than = minder dan { $min }
impact-why-link = Waarom dit getal verborgen is
impact-why-hidden = "Minder dan { $min }": we verbergen getallen over minder dan { $min } studenten, en soms nog één getal, zodat niemand te herkennen is.
impact-kit = Uw spullen nu
impact-chart-title = Uw spullen in gebruik en nu bij studenten
impact-kind-laptops = Laptops
impact-kind-dongles = Wifi-dongles
impact-donated = Gedoneerd
impact-received = Ontvangen
impact-in-service = In gebruik
impact-with-students = Bij studenten
impact-retired = Afgeschreven of kwijt
impact-no-kit = U heeft nog geen apparaten gedoneerd.
impact-environment = Hergebruik en recycling
impact-reused = Apparaten hergebruikt (elke lening telt één keer)
impact-kg-reused = Gewicht hergebruikt (kg)
impact-kg-by-default = waarvan { $kg } kg geschat: niet gewogen
impact-recycled = Naar een erkende recycler
impact-recycled-value = { $devices ->
    [0] Geen
    [one] 1 apparaat, { $kg } kg
   *[other] { $devices } apparaten, { $kg } kg
}
impact-co2e = CO2e vermeden, schatting (kg)
impact-co2e-basis = Dit is een schatting, daarom tonen we een marge. Een nieuwe laptop maken kost CO2e. Leent een student een gebruikte laptop, dan is er één nieuwe laptop minder nodig. Zo ontstaat een deel van die CO2e niet. Dit is geen daling van de uitstoot van je eigen bedrijf.
impact-factor-set = We rekenden dit uit met factorenset { $version }. De bronnen:
impact-by-track = Studenten per opleiding
impact-by-group = Studenten per groep
impact-by-school = Studenten per school
impact-col-group = Groep
impact-col-students = Studenten
impact-seats-in-use = In gebruik
track-not-recorded = Niet ingevuld
group-not-recorded = Niet ingevuld

## De balie van de pool
desk-find-title = Een apparaat zoeken
desk-find-label = Labelcode of serienummer
desk-find-hint = Scan het label, of typ de code en druk op Enter.
desk-find-button = Zoeken
desk-find-another = Een ander apparaat zoeken
desk-no-device = Geen apparaat heeft de code of het serienummer { $code }. Kijk of de code klopt en probeer het opnieuw.
desk-several-devices = Meer dan één apparaat heeft de code { $code }. Kies er hieronder een.
desk-state = Staat
desk-grade-is = klasse { $grade }
desk-donor = Donor
desk-missing = Ontbrekende accessoires
desk-print-label = Het label printen
desk-next = Wat je nu kunt doen
desk-no-steps = Met dit apparaat kun je hier niets doen. Leningen gaan via de balies voor uitgifte en inname.
desk-certificate = Nummer van het certificaat
desk-certificate-hint = Het nummer van het rapport van het wisprogramma.
desk-method = Hoe de gegevens zijn gewist
desk-method-clear = Overschreven (NIST clear)
desk-method-purge = Met de eigen wisfunctie van de schijf (NIST purge)
desk-tool = Wisprogramma
desk-grade = Staat van het apparaat
desk-grade-a = A: zo goed als nieuw
desk-grade-b = B: een beetje gebruikt
desk-grade-c = C: duidelijk gebruikt, werkt goed
desk-hub = Hub
desk-hub-same = De hub waar het verwacht werd
desk-replaced = Vervangen accessoires
desk-reason = Reden
desk-note = Opmerking
desk-history = Geschiedenis
desk-col-when = Wanneer
desk-col-step = Stap
desk-col-details = Details
desk-step-refused = Deze stap past niet meer. Iemand heeft het apparaat veranderd. Kijk naar de staat en probeer het opnieuw.
desk-action-register = Aangemeld
desk-action-receive = Ontvangen
desk-action-wipe = De gegevens wissen
desk-action-grade = Beoordelen
desk-action-release = In de pool zetten
desk-action-reserve = Apart zetten
desk-action-hand-over = Uitgegeven
desk-action-return = Teruggebracht
desk-action-inspect = Nakijken
desk-action-repair = Laten repareren
desk-action-retire = Afschrijven
desk-action-mark-lost = Als kwijt melden
desk-action-found = Teruggevonden
desk-action-report-lost = Kwijt gemeld
desk-action-write-off = Afgeschreven
desk-action-move = Naar een andere hub
desk-action-renew-plan = Het abonnement verlengen
desk-action-lapse = Niet op tijd opgehaald
desk-done-receive = Ontvangen. Wis nu de gegevens.
desk-done-wipe = De gegevens zijn gewist en het bewijs is bewaard. Beoordeel het nu.
desk-done-grade = Beoordeeld. Zet het nu in de pool.
desk-done-release = Het staat in de pool.
desk-done-reserve = Het is apart gezet.
desk-done-inspect = Nagekeken.
desk-done-repair = Het gaat naar de reparatie.
desk-done-retire = Het is afgeschreven.
desk-done-mark-lost = Het is als kwijt gemeld.
desk-done-found = Het is terug. Begin opnieuw bij de inname.
desk-done-move = Het is verplaatst.
desk-done-renew-plan = Het abonnement is verlengd.
desk-done-return = Ingenomen. Het wacht op nakijken.
device-state-pledged = Toegezegd
device-state-received = Ontvangen
device-state-wiped = Gewist
device-state-graded = Beoordeeld
device-state-available = In de pool
device-state-reserved = Apart gezet
device-state-on-loan = Uitgeleend
device-state-returned = Teruggebracht
device-state-inspection = Wordt nagekeken
device-state-repair = In reparatie
device-state-retired = Afgeschreven
device-state-lost = Kwijt
accessory-charger = Oplader
accessory-bag = Tas
accessory-mouse = Muis
page-find-device = Een apparaat zoeken
scan-title = Apparaten na elkaar scannen
scan-intro = Kies wat je doet. Scan dan elk apparaat, of typ de code en druk op Enter. Elke scan wordt meteen gedaan.
scan-action = Wat doe je met elk apparaat?
scan-action-receive = Een donatie ontvangen
scan-action-wipe = De gegevens wissen
scan-action-grade = Beoordelen
scan-action-release = In de pool zetten
scan-action-return = Complete spullen innemen
scan-receive-legend = Als je ontvangt
scan-donation = Donatie
scan-wipe-legend = Als je wist
scan-certificate = Rapportnummer van de wisronde
scan-certificate-hint = Uit het wisprogramma. Het wordt bij elk apparaat bewaard als bewijs.
scan-grade-legend = Als je beoordeelt
scan-return-legend = Als je spullen inneemt
scan-return-hint = Alleen voor spullen die compleet terugkomen. Mist er iets? Gebruik dan de balie voor innemen.
scan-start = Beginnen met scannen
scan-change = Een andere actie kiezen
scan-counts = Gedaan: { $done }. Geweigerd: { $refused }.
scan-code-hint = Scan het label. Het veld is klaar voor het volgende.
scan-button = Doen
scan-lines = Gescand
scan-done = Gedaan
scan-refused = Geweigerd
scan-end = Stoppen en het overzicht zien
scan-summary-title = Overzicht
scan-summary = { $action }: { $done } gedaan, { $refused } geweigerd.
scan-refused-title = Geweigerd
scan-again = Meer scannen
scan-unknown = Geen apparaat heeft deze code.
scan-ambiguous = Meer dan één apparaat heeft deze code. Zoek het op zijn eigen pagina.
scan-other-donation = Dit apparaat zit niet in de donatie die je ontvangt.
scan-not-on-loan = Dit apparaat is niet uitgeleend.
scan-not-now = Nu niet mogelijk: het is { $state }.
scan-not-now-plain = Nu niet mogelijk.
scan-code-empty = Scan een label of typ een code.
page-scan = Scannen
returns-title = Spullen innemen
returns-hint = Scan het label van het apparaat dat terugkomt.
returns-not-on-loan = Geen apparaat met de code { $code } is uitgeleend. Kijk of de code klopt, of zoek het apparaat.
returns-due = Het moest terug op { $day }.
returns-accessories = Wat er mee terugkwam
returns-accessories-hint = Vink uit wat er niet is. We schrijven het op, zodat de volgende lening een nieuwe krijgt.
returns-condition = Staat
returns-condition-good = Goed
returns-condition-worn = Gebruikt
returns-condition-damaged = Beschadigd
returns-button = Innemen
returns-other = Een ander apparaat
returns-done = { $tag } is terug en wacht op nakijken.
returns-done-missing = Ontbreekt: { $missing }.
page-returns = Inname

## The hand-over counter
page-handover = Uitgeven
handover-title = Spullen uitgeven
handover-find-label = Naam, e-mailadres of ophaalcode
handover-find-hint = Typ een deel van de naam van de student, het e-mailadres of de code uit de mail. Druk dan op Enter.
handover-none = Er ligt niets klaar voor { $typed }. Kijk of het goed gespeld is, of vraag om de code uit de mail.
handover-matches = Spullen die klaarliggen
handover-by = ophalen uiterlijk { $day }
handover-done = Uitgegeven. De lening is begonnen.
handover-kit = Spullen
handover-hub = Hub
handover-pick-up-by = Ophalen uiterlijk
handover-code = Ophaalcode
handover-agreement = Leenovereenkomst
handover-accepted = Geaccepteerd
handover-not-accepted = Nog niet geaccepteerd
handover-read-title = Laat de student de overeenkomst lezen
handover-read-intro = Draai het scherm naar de student. De student leest de tekst hieronder en zet zelf het vinkje.
handover-agree = De student heeft de overeenkomst hier gelezen en gaat akkoord.
handover-accessories = Wat je erbij geeft
handover-accessories-hint = Haal het vinkje weg bij wat je niet meegeeft. Bij inname kijken we naar dezelfde lijst.
handover-button = Uitgeven
handover-other = Iemand anders

## Why the matching proposes a pair, or leaves a request unserved
match-laptop = Laptop met { $ram } GB RAM, cijfer { $grade }.
match-dongle = Wifi-dongle, cijfer { $grade }.
match-seat = Een licentie voor { $product }.
match-own-hub = Bij de eigen hub van de student.
match-other-hub = Bij { $hub }: de student kan daarheen reizen.
match-terms = Voorrang { $priority } = haast { $urgency } + wachten { $waiting } + wat ontbreekt { $lacks }. Kosten { $cost } = reizen { $travel } + cijfer { $grade } + extra RAM { $waste }.
match-offered = Aangeboden toen het apparaat in de pool kwam.
match-by-hand = Gekozen door een medewerker van de pool.
match-unserved-no-hub = De student heeft nog geen hub. De school kan er een kiezen.
match-unserved-no-laptop = Geen laptop met { $ram } GB RAM en { $storage } GB opslag bij een hub die de student kan bereiken.
match-unserved-no-dongle = Geen wifi-dongle bij een hub die de student kan bereiken.
match-unserved-no-seat = Geen vrije licentie voor { $product }.
match-unserved-share = Het deel van de school is in gebruik: { $cap } { $kind ->
    [laptop] laptops
    [wifi_dongle] wifi-dongles
   *[licence] licenties
}.
match-unserved-outranked = Alle geschikte spullen gingen naar aanvragen met meer voorrang.

## A matching round
page-matching = Verdelen
matching-title = Spullen verdelen over studenten
matching-intro = Probeer het eerst: er wordt nog niets opgeslagen. Je ziet wie wat zou krijgen, en waarom. Voer het dan uit en bevestig elk voorstel.
matching-to-proposals = Voorstellen die op je wachten
matching-kind = Soort spullen
matching-all-kinds = Alle soorten
matching-hub = Hub
matching-all-hubs = Alle hubs
matching-try = Probeer het
matching-would-go = { $count ->
    [one] 1 student zou spullen krijgen
   *[other] { $count } studenten zouden spullen krijgen
}
matching-nothing = Er kan nu niets naar iemand.
matching-unserved = Wacht nog, en waarom
matching-all-served = Iedereen die iets vroeg, krijgt het.
matching-no-hub = Licenties
matching-run-intro = Als je het uitvoert, leggen we de spullen apart voor deze studenten. Daarna bevestig je elk voorstel of wijs je het af.
matching-run = Voer het nu uit
proposals-title = Voorstellen
proposals-intro = Bevestig je een voorstel, dan krijgt de student een mail om het op te halen. Wijs je het af, dan gaan de spullen terug naar de pool.
proposals-to-matching = Probeer een nieuwe ronde
proposals-none = Er wachten geen voorstellen op je.
proposals-made = { $count ->
    [one] De ronde maakte 1 voorstel.
   *[other] De ronde maakte { $count } voorstellen.
}
proposals-confirmed = { $count ->
    [one] 1 bevestigd.
   *[other] { $count } bevestigd.
}
proposals-rejected = { $count ->
    [one] 1 afgewezen.
   *[other] { $count } afgewezen.
}
proposals-skipped = { $count ->
    [one] 1 was al besloten bij een andere balie.
   *[other] { $count } waren al besloten bij een andere balie.
}
proposals-confirm-all = Bevestig alles bij { $hub }
proposals-reject-all = Wijs alles af
proposals-confirm = Bevestigen
proposals-reject = Afwijzen
proposals-confirm-one = Bevestigen voor { $student }
proposals-reject-one = Afwijzen voor { $student }

## Fault reports and swaps
page-faults = Kapotte spullen
faults-title = Kapotte spullen
faults-intro = Studenten lieten weten dat deze spullen kapot zijn. Komt de student naar de balie? Open de melding en ruil de spullen.
faults-none = Er wachten geen kapotte spullen op een ruil.
faults-reported = gemeld op { $day }
faults-swapped = Geruild: { $replacement } is nu uitgeleend, en { $broken } wacht op reparatie.
fault-title = Kapotte spullen
fault-back = Alle kapotte spullen
fault-when = Gemeld op
fault-what = Wat is er kapot
fault-swap-title = Ruilen
fault-swap-intro = Neem de kapotte spullen terug. Geef de student een apparaat van dezelfde soort uit de pool. We schrijven beide in één stap op.
fault-replacement = Labelcode van het nieuwe apparaat
fault-replacement-hint = Scan het label van het apparaat dat je meegeeft, of typ de code en druk op Enter.
fault-swap-button = Ruilen
swap-not-lendable = { $code } kan nu niet worden uitgeleend. Kies een apparaat van dezelfde soort dat in de pool zit.

## The lists staff work from
page-queues = Te doen
queues-title = Vandaag te doen
queues-extensions = Vraagt meer tijd
queues-overdue = Te laat
queues-lapsing = Ophalen loopt bijna af
queues-dead-mail = Mail niet verstuurd
queues-empty = Hier staat nu niets.
queues-asks = Terug op { $from }. Vraagt tot { $to }.
queues-answer = Je antwoord aan de student
queues-approve = Ja, geef meer tijd
queues-refuse = Nee
queues-approve-for = Ja, geef meer tijd aan { $student }
queues-refuse-for = Nee voor { $student }
queues-days-overdue = { $days ->
    [one] 1 dag te laat. Het moest terug op { $day }.
   *[other] { $days } dagen te laat. Het moest terug op { $day }.
}
queues-pick-up-by = Moet uiterlijk { $day } opgehaald zijn.
queues-mail-failed = { $tries ->
    [one] We probeerden het één keer en stopten.
   *[other] We probeerden het { $tries } keer en stopten.
}
queues-requeue = Probeer opnieuw
queues-requeue-for = Probeer opnieuw voor { $address }
queues-done-approve = De student heeft meer tijd en krijgt een mail.
queues-done-refuse = De student krijgt een mail met je antwoord.
queues-done-requeue = We proberen de mail opnieuw te sturen.
queues-done-gone = Iemand anders deed dit al. De lijst laat zien hoe het nu staat.

## The pool report
page-pool-report = Poolrapport
pool-report-title = De pool
pool-report-queue = Aanvragen die wachten
pool-report-col-waiting = Wachten
pool-report-col-p50 = De helft wacht tot (dagen)
pool-report-col-p90 = De meesten wachten tot (dagen)
pool-report-col-longest = Langste wachttijd (dagen)
pool-report-devices = Apparaten nu
pool-report-no-devices = Er zijn nog geen apparaten.
pool-report-col-state = Waar het is
pool-report-col-grade = Cijfer
pool-report-col-count = Aantal
pool-report-licences = Licenties nu
pool-report-no-licences = Er zijn nog geen licenties.
pool-report-col-product = Software
pool-report-col-seats = Plaatsen
pool-report-col-in-use = In gebruik

## The rules of a matching round
rules-back = Terug naar verdelen
rules-save = Opslaan
matching-rules = Stel een eerlijk deel per school in, of reiskosten tussen hubs.
matching-to-caps = Eerlijk deel per school
matching-to-travel = Reizen tussen hubs
caps-title = Eerlijk deel per school
caps-intro = Een school krijgt hoogstens zoveel spullen van één soort tegelijk. Apart gelegde en uitgeleende spullen tellen mee.
caps-none = Nog geen enkele school heeft een grens.
caps-line = hoogstens { $cap }, nu { $used }
caps-set = Stel een grens in
caps-school = School
caps-cap = Hoogstens
caps-cap-hint = Een heel getal. 0 betekent voorlopig niets.
travel-title = Reizen tussen hubs
travel-intro = Een student kan spullen bij een andere hub krijgen als de student daarheen kan reizen. Hogere kosten betekent dat we dat minder proberen.
travel-none = Er is nog geen reis tussen hubs ingesteld. Studenten krijgen spullen alleen bij hun eigen hub.
travel-line = kosten { $cost }
travel-set = Stel reiskosten in
travel-from = Van hub
travel-to = Naar hub
travel-cost = Kosten
travel-cost-hint = Een heel getal, beide kanten op hetzelfde. 0 betekent net zo makkelijk als de eigen hub.

## Hubs
page-hubs = Hubs
hubs-title = Hubs
hubs-intro = Studenten halen spullen op bij een hub en brengen ze daar terug. De mails laten het adres en de openingstijden zien.
hubs-new = Hub toevoegen
hubs-none = Er zijn nog geen hubs.
hubs-open = Open: { $hours }
hub-form-title = Een hub
hub-form-back = Alle hubs
hub-form-name = Naam
hub-form-address = Adres
hub-form-hours = Openingstijden
hub-form-hours-hint = Bijvoorbeeld: ma t/m vr 10:00 tot 17:00.

## Scannen met de camera (alleen als de browser QR-codes kan lezen)
camera-start = Scan met de camera
camera-stop = Stop de camera
camera-on = Houd de QR-code van het label voor de camera.
camera-error = De camera werkt hier niet. Typ de code.
camera-view = Beeld van de camera
page-organisations = Organisaties en accounts
orgs-title = Organisaties
orgs-intro = Scholen vragen spullen aan voor hun studenten. Donoren geven spullen. Hier voeg je ze toe en nodig je hun mensen uit.
orgs-new = Organisatie toevoegen
orgs-schools = Scholen
orgs-donors = Donoren
orgs-none = Nog geen.
orgs-done-opened = De organisatie is toegevoegd. Nodig nu de mensen uit.
orgs-done-renamed = De nieuwe naam is bewaard.
org-back = Alle organisaties
org-new-title = Organisatie toevoegen
org-name = Naam
org-kind = Wat voor organisatie is het?
org-kind-school = School
org-kind-donor = Donor
org-open = Organisatie toevoegen
org-people-school = Coördinatoren schrijven studenten in en vragen spullen voor ze aan.
org-people-donor = Contactpersonen beloven spullen en zien wat die voor studenten doen.
org-rename-title = Naam veranderen
org-rename-button = Naam bewaren
people-title = Mensen
people-none = Nog niemand.
people-col-email = E-mailadres
people-col-role = Rol
people-col-state = Status
people-col-action = Wat je kunt doen
people-role-admin = Beheerder
people-role-staff = Medewerker pool
people-role-school = Coördinator
people-role-donor = Contact donor
people-role-student = Student
people-state-active = Kan inloggen
people-state-invited = Uitgenodigd, nog geen wachtwoord
people-state-disabled = Uitgezet
people-disable = { $email } uitzetten
people-done-invited = De uitnodiging is verstuurd. De link werkt { $count } dagen.
people-done-disabled = Het account staat uit.
invite-title = Iemand uitnodigen
invite-intro = We sturen een mail met een link. Daarmee kiest de persoon een wachtwoord.
invite-email = E-mailadres
invite-email-hint = Het adres van het werk.
invite-language = Taal van de mail
invite-button = Uitnodiging sturen
team-title = Medewerkers en beheerders van de pool
team-intro = Medewerkers werken met de spullen. Beheerders kunnen ook organisaties toevoegen en mensen uitnodigen.
team-role = Rol
team-role-staff = Medewerker pool
team-role-admin = Beheerder
disable-title = { $email } uitzetten
disable-back = Terug
disable-sign-in = Deze persoon kan niet meer inloggen. Pagina's en tokens werken meteen niet meer.
disable-links = Links in de mail om een wachtwoord te kiezen werken niet meer.
disable-kept = Wat deze persoon deed, blijft bewaard.
disable-cannot-undo = Je kunt dit hier niet terugdraaien. Nodig zo nodig opnieuw uit met een ander adres.
disable-already = Dit account staat al uit.
disable-button = Account uitzetten
disable-keep = Account houden
stage-locked = Op slot: we hebben je hulp nodig
device-state-locked = Op slot
desk-action-mark-locked = Op slot
desk-action-unlock = Van het slot
desk-action-destroy = Naar de recycler
desk-done-mark-locked = Het blijft uit de pool. We hebben de donor gemaild met de vraag het te ontgrendelen.
desk-done-unlock = Van het slot. Wis nu de gegevens.
desk-done-destroy = Het gaat naar de recycler en wordt vernietigd. Het kenmerk is bewaard.
desk-done-wipe-failed = De controle na het wissen ging fout. De poging is bewaard. Wis opnieuw, of stuur het naar de recycler.
desk-tool-version = Versie van het programma
desk-technique = Hoe het is gewist
desk-technique-hint = In de woorden van het programma, bijvoorbeeld: overschrijven of crypto erase.
desk-verification-method = Hoe het is gecontroleerd
desk-verification-method-hint = Bijvoorbeeld: volledige controle of steekproef van 10%.
desk-verification = De controle na het wissen
desk-verification-passed = Goed: de gegevens zijn weg
desk-verification-failed = Fout: er kunnen nog gegevens op staan
desk-media-serial = Serienummer van de schijf
desk-lock-reason = Waarom zit het op slot?
desk-locked-because = Op slot door
lock-reason-firmware-password = Een BIOS- of firmwarewachtwoord
lock-reason-device-management = Staat nog in apparaatbeheer (Intune, Jamf, …)
lock-reason-activation-lock = Een activeringsslot
lock-reason-signed-in-account = Er is nog iemand ingelogd
desk-recycler-ref = Kenmerk van de recycler
desk-recycler-ref-hint = Het nummer op de bon of het certificaat van de recycler.
scan-wipe-passed-only = Scan alleen apparaten waarvan de controle goed ging. Open een foute bij de balie.
desk-certificate-pdf = Certificaat van wissing (pdf)
donation-certificate-title = Bewijs dat de gegevens weg zijn
donation-certificate-intro = Elk apparaat van deze donatie met serienummer, hoe de gegevens zijn gewist en de fase nu. Bewaar het bij je overzicht van bezittingen.
donation-certificate-pdf = Certificaat downloaden (pdf)
donation-certificate-csv = Lijst downloaden (csv)
erasure-report-title = Wisrapport innemen
erasure-report-intro = Upload het rapport van het wisprogramma als csv. We koppelen elke rij aan een apparaat via het serienummer. Klopt één rij niet, dan nemen we niets in.
erasure-report-file = Het rapport (csv)
erasure-report-file-hint = Kolommen: serial, result, method, tool en time. Version, verification, drive_serial en certificate mogen er ook in.
erasure-report-button = Rapport innemen
erasure-report-done = Ingenomen. Goed en gewist: { $passed }. Fout: { $failed }.
erasure-report-failed-title = Fout: opnieuw wissen of naar de recycler
erasure-report-failed-intro = Deze apparaten blijven uit de pool. Open ze een voor een om opnieuw te wissen of naar de recycler te sturen.
desk-erasure-report = Wisrapport innemen
reconciliation-title = Je lijst met apparaten
reconciliation-back = Terug naar de donatie
reconciliation-intro = Stuur ons de serienummers van de apparaten die je geeft. Wij vergelijken ze met wat we ontvangen. Dan kun je je overzicht van bezittingen afsluiten.
reconciliation-summary = Zo staat je lijst
reconciliation-status-matched = Ontvangen
reconciliation-status-expected = Nog niet ontvangen
reconciliation-status-missing = Ontbreekt: niet in de levering
reconciliation-status-unexpected = Ontvangen, niet op je lijst
reconciliation-csv = Lijst downloaden (csv)
reconciliation-list = Alle serienummers
reconciliation-col-reference = Jouw nummer
reconciliation-col-status = Status
reconciliation-none = Je hebt nog geen lijst gestuurd.
reconciliation-send = Een lijst sturen
reconciliation-send-intro = Een csv-bestand met een kolom "serial" of "serienummer". Een kolom "reference" met je eigen nummer mag erbij. Een nieuwe lijst vervangt de oude.
reconciliation-file = Je lijst (csv)
reconciliation-file-hint = Eén apparaat op elke regel. Sla het in Excel op als csv.
reconciliation-button = Lijst sturen
reconciliation-done-sent = { $count ->
    [one] We hebben je lijst met 1 serienummer.
   *[other] We hebben je lijst met { $count } serienummers.
}
donation-reconciliation-title = Je lijst met apparaten
donation-reconciliation-intro = Kijk welke van je serienummers we hebben ontvangen.
donation-reconciliation-counts = Ontvangen: { $matched }. Nog niet ontvangen: { $expected }. Ontbreekt: { $missing }. Niet op je lijst: { $unexpected }.
donation-reconciliation-link = Open je lijst
page-class-sets = Klassensets
page-in-use = Nog in gebruik?
class-sets-title = Klassensets
class-sets-school-intro = Heeft je school geen laptops voor een cursus? Leen een set voor de hele klas. Studenten die op hun eigen spullen wachten, gaan wel voor.
class-sets-staff-intro = Sets die scholen lenen voor een cursus. Bied een set alleen spullen aan die geen wachtende student kan krijgen: de dienst controleert dat voor je.
class-sets-ask = Vraag een klassenset aan
class-sets-none = Je school heeft nog geen klassenset aangevraagd.
class-sets-none-here = Geen.
class-sets-to-offer = Aan te bieden
class-sets-offered = Aangeboden, de school moet nog akkoord gaan
class-sets-ready = Klaar om mee te geven
class-sets-on-loan = Uitgeleend
class-set-line = { $reserved } van { $count } { $kind }, { $from } tot { $to }
class-set-missing-count = { $count } nog niet terug
class-set-overdue = Te laat
class-set-back = Terug naar de klassensets
class-set-form-title = Vraag een klassenset aan
class-set-form-intro = Vertel wat de cursus nodig heeft. We mailen je hoeveel apparaten we kunnen lenen.
class-set-course = Naam van de cursus
class-set-course-hint = Bijvoorbeeld "Programmeren voor beginners, groep 2".
class-set-kind = Wat de klas nodig heeft
class-set-count = Hoeveel
class-set-count-hint = 1 tot en met { $max }.
class-set-starts = Eerste dag van de cursus
class-set-ends = Laatste dag van de cursus
class-set-ends-hint = Op deze dag komen de apparaten terug. Hoogstens { $weeks } weken na de eerste dag.
class-set-hub = Hub
class-set-hub-hint = Waar je de set ophaalt en terugbrengt.
class-set-ask-button = Vraag de set aan
class-set-title = Klassenset: { $course }
class-set-state-requested = We hebben je aanvraag. We zoeken apparaten die geen wachtende student nodig heeft.
class-set-state-offered = Er staan apparaten klaar voor deze set. Ga hieronder akkoord met de afspraken en haal de set op.
class-set-state-accepted = De set ligt klaar bij de hub.
class-set-state-on-loan = De set is bij je school.
class-set-state-returned = Alle apparaten zijn terug. Bedankt.
class-set-state-cancelled = Deze set is geannuleerd.
class-set-held = { $reserved } van { $count } klaar
class-set-missing-title = Nog niet terug
class-set-devices = Apparaten in de set
class-set-col-device = Apparaat
class-set-col-state = Stand
class-set-col-back = Vandaag terug
set-loan-reserved = Klaar voor de set
set-loan-active = Op school
set-loan-returned = Terug
set-loan-lost = Kwijt
set-loan-written-off = Afgeschreven
class-set-accessories-missing = Mist: { $items }
class-set-return-intro = Zet een vinkje bij elk apparaat dat terug is. Haal het vinkje weg bij wat mist.
class-set-is-back = { $tag } is terug
class-set-condition = Staat
class-set-return-button = Neem deze terug
class-set-offer-intro = We houden vrije apparaten voor deze set apart die geen wachtende student kan krijgen.
class-set-offer-button = Bied de set aan
class-set-top-up-button = Vul de set aan
class-set-handover-intro = Geef alle { $count } apparaten in één keer mee. Elk apparaat moet terug op de laatste dag van de cursus.
class-set-handover-button = Geef de set mee
class-set-agreement-title = De afspraken voor je school
class-set-agree = Ik ga voor mijn school akkoord met deze afspraken.
class-set-accept-button = Akkoord
class-set-cancel-button = Annuleer deze set
class-set-done-asked = We hebben je aanvraag. Je krijgt een mail als er apparaten klaarstaan.
class-set-done-accepted = Bedankt. De set ligt klaar om op te halen.
class-set-done-offered = Er zijn nu { $reserved } apparaten apart gezet.
class-set-done-handed-over = De set is meegegeven.
class-set-done-returned = De apparaten zijn terug en wachten op controle.
class-set-done-cancelled = De set is geannuleerd. De apparaten zijn terug in de pool.
queues-class-sets = Klassensets die bijna beginnen
queues-set-starts = begint op { $day }.
queues-set-short = Er missen nog { $short } van de { $count } apparaten.
queues-set-complete = Alle { $count } apparaten staan klaar.
scan-action-hand-over = Geef een klassenset mee
scan-set-legend = Als je een klassenset meegeeft
scan-set = Klassenset
scan-set-hint = Alleen sets waarmee de school akkoord is gegaan. Scan elk apparaat van de set en geef hem dan mee.
scan-set-end-hint = Elk apparaat gescand? Geef de set dan in één keer mee.
desk-done-hand-over = Het hoort bij de set. Scan het volgende.
class-set-staff-requested = De school wacht op een aanbod. Bied de set aan om vrije apparaten ervoor apart te houden.
class-set-staff-offered = Aangeboden. De school is nog niet akkoord gegaan met de afspraken.
class-set-staff-accepted = De school is akkoord gegaan. Geef de set mee als ze hem ophalen.
class-set-staff-on-loan = De set is bij de school.
class-set-out = { $out } van de { $lent } uitgeleende nog niet terug
class-set-not-back-title = Een apparaat dat niet terugkomt
class-set-not-back-device = Apparaat
class-set-not-back-hint = Kwijt of gestolen: we zetten het op kwijt. Onherstelbaar kapot of gehouden: we schrijven het af.
class-set-lost-button = Meld het als kwijt
class-set-write-off-button = Schrijf het af
class-set-done-not-back = Het apparaat is afgesloten in de set. Het telt niet meer als vermist.

## Het einde van de opleiding: cadeaus
stage-gifted = Gegeven aan een student
device-state-gifted = Weggegeven
desk-action-gift = Gegeven aan de student
desk-done-gift-offered = Het cadeau is aangeboden. De student krijgt een mail en zegt zelf ja op zijn pagina.
gifts-title = Cadeaus aan het einde van een opleiding
gifts-hint = Soms heeft een student de laptop na de opleiding hard nodig, bijvoorbeeld voor een nieuwe baan. Zeg je ja? Dan mogen we hem als cadeau geven.
gifts-allow = De medewerkers mogen de spullen van deze donatie aan een student geven
gifts-now-yes = Nu: cadeaus mogen.
gifts-now-no = Nu: cadeaus mogen niet. Elk apparaat komt bij ons terug.
gifts-save = Opslaan
donation-done-gifts = Opgeslagen. Cadeaus die al zijn aangeboden, blijven staan.
impact-gifted = Gegeven aan studenten
impact-in-use-confirmed = Nog in gebruik bij de laatste vraagronde (apparaten)
my-kit-gift-offered = Je mag het houden: het is een cadeau.
my-kit-gift-read = Lees de tekst over het cadeau
gift-title = Houd je apparaat
gift-intro = Lees deze korte tekst. Zet dan een vinkje en zeg ja.
gift-checkbox = Ik heb dit gelezen. Het apparaat wordt van mij.
gift-button = Ja, ik houd het
gift-tick = Zet een vinkje om te zeggen dat het apparaat van jou wordt.
gift-or-return = Wil je het niet? Breng het dan terug voor de datum op Mijn spullen.
gift-desk-title = Geef het aan de student
gift-desk-intro = Bied het apparaat als cadeau aan de student die het heeft. Die krijgt een mail en zegt zelf ja.
gift-desk-offered = Er is een cadeau aangeboden. We wachten op het antwoord van de student.
gift-desk-not-allowed = De gever staat voor deze donatie geen cadeaus toe.
gift-reason = Waarom mag de student het houden?
gift-reason-hint = Een paar woorden, bijvoorbeeld: begonnen met een baan, of het apparaat is ouder dan vier jaar.
gift-offer-button = Bied aan als cadeau
gift-offer-not-now = De lening is veranderd. Kijk opnieuw naar de pagina.

## Een stapel teruggebrachte spullen
stack-title = Neem een stapel terug
stack-intro = Scan elk apparaat. Het krijgt de staat hieronder en alles wat is uitgeleend staat aangevinkt. Pas een regel aan als iets kapot is of ontbreekt. Neem ze daarna allemaal terug. Hoogstens { $max } tegelijk.
stack-one-device = Neem één apparaat terug
stack-default-condition = Staat van nieuwe regels
stack-add = Zet op de stapel
stack-lines = { $count ->
    [one] Eén apparaat op de stapel
   *[other] { $count } apparaten op de stapel
}
stack-take-back = { $count ->
    [one] Neem dit apparaat terug
   *[other] Neem deze { $count } apparaten terug
}
stack-done = { $count ->
    [one] Eén apparaat is terug en wacht op controle.
   *[other] { $count } apparaten zijn terug en wachten op controle.
}
stack-full = De stapel is vol. Neem deze { $max } eerst terug en scan dan verder.
stack-empty = Scan eerst een apparaat.
stack-line-refused = Niet teruggenomen: { $reason }

## Nog in gebruik?
link-used-in-use = Deze link werkt niet meer. Misschien is er een nieuwere vraag. Kijk in je mail.
in-use-link-title = Gebruik je je spullen nog?
in-use-link-intro = Je hebt { $thing } van ons. Gebruik je het nog voor je opleiding?
in-use-tap = Tik op je antwoord.
in-use-note = Wil je nog iets zeggen?
in-use-note-hint = Bijvoorbeeld wat er kapot is.
in-use-answer-in-use = Ja, ik gebruik het
in-use-answer-not-used = Nee, ik gebruik het niet
in-use-answer-broken = Het is kapot
in-use-answer-gone = Het is kwijt of gestolen
in-use-choose = Kies een antwoord.
in-use-link-answered = Je hebt al geantwoord:
in-use-link-answered-before = Je hebt deze vraag al beantwoord.
in-use-link-nothing-to-do = Dank je. Je hoeft niets meer te doen.
in-use-done-title = Dank je voor je antwoord
in-use-done-in-use = Fijn. Gebruik het verder voor je opleiding.
in-use-done-not-used = Breng het uiterlijk { $day } terug. Dan kan een andere student het gebruiken. Je krijgt er een mail over.
in-use-done-not-used-seat = Je licentie stopt op { $day }. Dan kan een andere student hem gebruiken.
in-use-done-broken = We hebben een melding gemaakt. Je krijgt een mail als je het kunt ruilen bij de hub.
in-use-done-gone = We hebben genoteerd dat het kwijt is. Vind je het terug? Breng het naar de hub.
in-use-done-my-kit = Naar Mijn spullen
in-use-round-title = Nog in gebruik?
in-use-round-opened = Deze ronde begon op { $day }.
in-use-round-school-intro = Geef antwoord voor je studenten die nog niet hebben geantwoord.
in-use-round-staff-intro = Hier zie je alle antwoorden tot nu toe.
in-use-round-progress = Antwoorden tot nu toe
in-use-round-no-answer = Nog geen antwoord
in-use-round-late = { $count } leningen hebben na { $days } dagen nog geen antwoord.
in-use-round-late-tag = Te laat: nog geen antwoord
in-use-round-show-all = Toon alle leningen
in-use-round-show-unanswered = Toon alleen leningen zonder antwoord
in-use-round-loans = Leningen in deze ronde
in-use-round-none = Geen leningen om te tonen.
in-use-round-answer = Antwoord:
in-use-round-loan-ended = Deze lening is gestopt.
in-use-round-question = Gebruikt { $name } het nog?
in-use-round-save = Antwoord opslaan
in-use-round-saved = Het antwoord is opgeslagen.
in-use-round-started = De ronde is begonnen. Studenten krijgen een mail.
in-use-round-next = Volgende pagina
in-use-round-no-round = Er is nog geen ronde.
in-use-round-start-title = Nieuwe ronde starten
in-use-round-start-intro = Elke student met spullen krijgt een mail met de vraag. Leningen zonder antwoord zie je hier.
in-use-round-start = Start nu een ronde
