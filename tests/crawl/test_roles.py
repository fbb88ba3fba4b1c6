"""Must-visit page recognition from link text and URL."""

from __future__ import annotations

import pytest

from auditor.crawl.roles import STRONG, WEAK, fold_text, link_roles, role_strengths


@pytest.mark.parametrize(
    ("url", "text", "role"),
    [
        ("https://x.be/a", "Privacyverklaring", "privacy"),
        ("https://x.be/a", "Privacybeleid", "privacy"),
        ("https://x.be/a", "Gegevensbescherming", "privacy"),
        ("https://x.be/a", "Bescherming van persoonsgegevens", "privacy"),
        ("https://x.be/a", "Vie privée", "privacy"),
        ("https://x.be/a", "Protection des données", "privacy"),
        ("https://x.be/a", "Datenschutz", "privacy"),
        ("https://x.be/legaal/privacyverklaring", "Lees meer", "privacy"),
        ("https://x.be/privacy", "", "privacy"),
        ("https://x.be/a", "Toegankelijkheidsverklaring", "accessibility"),
        ("https://x.be/a", "Accessibility statement", "accessibility"),
        ("https://x.be/a", "Déclaration d'accessibilité", "accessibility"),
        ("https://x.be/a", "Erklärung zur Barrierefreiheit", "accessibility"),
        ("https://x.be/legaal/toegankelijkheidsverklaring", "", "accessibility"),
        ("https://x.be/toegankelijkheid", "", "accessibility"),
        ("https://x.be/a", "Cookieverklaring", "cookies"),
        ("https://x.be/a", "Cookiebeleid", "cookies"),
        ("https://x.be/legaal/cookieverklaring", "", "cookies"),
        ("https://x.be/a", "Contacteer ons", "contact"),
        ("https://x.be/a", "Neem contact op", "contact"),
        ("https://x.be/a", "Contactgegevens", "contact"),
        ("https://x.be/a", "Nous contacter", "contact"),
        ("https://x.be/a", "Kontakt", "contact"),
        ("https://x.be/contact", "", "contact"),
        ("https://x.be/a", "Aanmelden", "login"),
        ("https://x.be/a", "Inloggen", "login"),
        ("https://x.be/a", "Log in", "login"),
        ("https://x.be/a", "Mijn dossier", "login"),
        ("https://x.be/a", "Se connecter", "login"),
        ("https://x.be/a", "Anmelden", "login"),
        ("https://authenticatie.vlaanderen.be/op/v1/auth?client_id=1", "", "login"),
        ("https://x.be/user/login", "", "login"),
    ],
)
def test_roles_recognised(url: str, text: str, role: str) -> None:
    assert role in link_roles(url, text)


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("https://x.be/nieuws", "Nieuws"),
        ("https://x.be/afval", "Afvalkalender"),
        ("https://x.be/nieuwsbrief", "Aanmelden voor de nieuwsbrief"),
        ("https://x.be/nieuws/privacydag-2024-recap/foto", "Foto's"),
        ("https://x.be/contactloos/x", ""),
    ],
)
def test_ordinary_links_have_no_role(url: str, text: str) -> None:
    assert link_roles(url, text) == []


def test_disclaimer_is_a_weak_privacy_hint_and_strong_wins() -> None:
    assert role_strengths("https://x.be/legaal/disclaimer", "Disclaimer") == {"privacy": WEAK}
    assert role_strengths("https://x.be/legaal/disclaimer", "Disclaimer en privacy") == {"privacy": STRONG}


def test_several_roles_in_fixed_order() -> None:
    assert link_roles("https://x.be/privacy-en-cookies", "Cookies en privacy") == ["privacy", "cookies"]


def test_fold_text() -> None:
    assert fold_text("  Vie   Privée\n") == "vie privee"
    assert fold_text("Déclaration d’accessibilité") == "declaration d'accessibilite"
