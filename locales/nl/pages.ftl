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
start-next-admin = Als beheerder regel je organisaties en accounts. De pagina's hiervoor komen snel. Gebruik tot dan de API.
start-next-staff = Als medewerker van de pool neem je spullen in. Je wist ze, geeft ze een cijfer en leent ze uit. De pagina's hiervoor komen snel. Gebruik tot dan de API.
start-next-school = Als school schrijf je studenten in en vraag je spullen aan. De pagina's hiervoor komen snel. Gebruik tot dan de API.
start-next-donor = Als donor meld je spullen aan en zie je wat ze doen. De pagina's hiervoor komen snel. Gebruik tot dan de API.
start-next-student = Ga naar je spullen om je leningen te zien.
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
