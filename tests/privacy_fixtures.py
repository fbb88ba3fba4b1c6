"""Privacy and cookie statements for the tests: complete, incomplete, French, with and without a
cookie table. Shared by the unit tests (as text) and the end-to-end fixture sites (as HTML)."""

from __future__ import annotations

from html import escape

# A complete Dutch statement, after the Flemish template (Digitaal Vlaanderen, flux-web-components).
PRIVACY_NL = [
    ("h2", "Wie is verantwoordelijk voor de verwerking van mijn persoonsgegevens?"),
    ("p", "Gemeente Testdorp is de verwerkingsverantwoordelijke voor de persoonsgegevens die via deze website "
          "worden verzameld."),
    ("p", "Gemeente Testdorp, Marktplein 1, 9999 Testdorp, KBO-nummer 0207.451.227."),
    ("h2", "Functionaris voor gegevensbescherming"),
    ("p", "Onze functionaris voor gegevensbescherming (DPO) bereikt u via dpo@testdorp.be of per brief op het "
          "adres van het gemeentehuis."),
    ("h2", "Waarvoor verwerken we uw persoonsgegevens?"),
    ("p", "We verwerken uw persoonsgegevens voor welbepaalde doeleinden: het behandelen van uw aanvragen, het "
          "versturen van de nieuwsbrief en het beantwoorden van uw vragen."),
    ("p", "De rechtsgrond is de uitvoering van een taak van algemeen belang of een wettelijke verplichting; voor "
          "de nieuwsbrief verwerken we uw gegevens op basis van uw toestemming."),
    ("h2", "Mededeling van persoonsgegevens aan derde partijen"),
    ("p", "Uw gegevens worden alleen doorgegeven aan andere overheden als een wet of een protocol dat toelaat, "
          "en aan verwerkers die in onze opdracht werken."),
    ("p", "Uw persoonsgegevens worden niet doorgegeven aan landen buiten de Europese Unie."),
    ("h2", "Hoelang bewaren we uw persoonsgegevens?"),
    ("p", "We bewaren uw gegevens niet langer dan nodig; de bewaartermijnen volgen de selectielijsten van het "
          "archiefdecreet."),
    ("h2", "Uw rechten"),
    ("p", "U hebt het recht op inzage, het recht op verbetering, het recht op verwijdering van uw gegevens, het "
          "recht op beperking van de verwerking, het recht op overdraagbaarheid en het recht van bezwaar."),
    ("p", "U kunt uw toestemming op elk moment intrekken door te mailen naar privacy@testdorp.be."),
    ("p", "Bent u het niet eens met de manier waarop we uw gegevens verwerken, dan kunt u een klacht indienen bij "
          "de Vlaamse Toezichtcommissie voor de verwerking van persoonsgegevens (contact@toezichtcommissie.be)."),
    ("p", "Deze privacyverklaring werd laatst bijgewerkt op 15 september 2025."),
]

# Incomplete: no DPO, no complaint route, and the federal authority named by a municipality.
PRIVACY_INCOMPLETE = [
    ("h2", "Privacy"),
    ("p", "Gemeente Slordegem, Kerkstraat 5, 9998 Slordegem, is verantwoordelijk voor de verwerking van uw "
          "persoonsgegevens."),
    ("p", "We gebruiken uw gegevens enkel voor het doel waarvoor u ze gaf."),
    ("p", "Meer informatie over privacy vindt u op de website van de Gegevensbeschermingsautoriteit "
          "(www.gegevensbeschermingsautoriteit.be)."),
]

PRIVACY_FR = [
    ("h2", "Qui est le responsable du traitement ?"),
    ("p", "La Province de Testbrabant, Place de la Gare 7, 1300 Wavre, numéro d'entreprise 0253.973.219, est le "
          "responsable du traitement de vos données personnelles."),
    ("p", "Vous pouvez contacter notre délégué à la protection des données à l'adresse dpd@testbrabant.be."),
    ("p", "Nous traitons vos données à des fins de gestion de vos demandes et d'envoi d'informations."),
    ("p", "La base légale du traitement est l'exécution d'une mission d'intérêt public ou une obligation légale."),
    ("p", "Vos données ne sont communiquées à des tiers que si la loi l'exige, et jamais transférées hors de "
          "l'Union européenne."),
    ("p", "La durée de conservation de vos données est limitée à ce qui est nécessaire."),
    ("h2", "Vos droits"),
    ("p", "Vous disposez d'un droit d'accès, de rectification, à l'effacement, à la limitation du traitement, à la "
          "portabilité et d'opposition."),
    ("p", "Vous pouvez retirer votre consentement à tout moment."),
    ("p", "Vous pouvez introduire une plainte auprès de la Commission de contrôle flamande (Vlaamse "
          "Toezichtcommissie)."),
    ("p", "Dernière mise à jour : 01/02/2026."),
]

COOKIE_TABLE = ("Cookieverklaring", [
    ("p", "Deze website gebruikt de volgende cookies."),
    ("table", [["Naam", "Doel", "Bewaartermijn"],
               ["cookie-consent", "Onthoudt uw keuze voor cookies", "1 jaar"],
               ["_pk_id", "Anonieme statistieken (Matomo)", "13 maanden"],
               ["PHPSESSID", "Houdt uw sessie bij", "Einde van de sessie"]]),
])
COOKIE_PLAIN = ("Cookies", [
    ("p", "Deze website gebruikt cookies om uw bezoek te verbeteren."),
    ("p", "U kunt cookies altijd uitschakelen in uw browser."),
])


def as_text(blocks) -> str:
    """The visible text a browser's ``innerText`` gives: one line per block, table cells by tab."""
    lines = []
    for tag, content in blocks:
        if tag == "table":
            lines.extend("\t".join(row) for row in content)
        else:
            lines.append(content)
    return "\n".join(lines) + "\n"


def as_html(blocks) -> str:
    parts = []
    for tag, content in blocks:
        if tag == "table":
            head, *rows = content
            parts.append("<table><thead><tr>" + "".join(f"<th>{escape(c)}</th>" for c in head) + "</tr></thead><tbody>"
                         + "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
                         + "</tbody></table>")
        else:
            parts.append(f"<{tag}>{escape(content)}</{tag}>")
    return "".join(parts)
