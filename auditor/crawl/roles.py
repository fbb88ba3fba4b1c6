"""Must-visit pages: which links look like the privacy statement, the accessibility statement,
the cookie policy, the contact page or the login.

Site-level checks need those pages whatever the page budget, so the frontier admits them past
it. Recognition uses the link text (Dutch, French, English, German, accents ignored) and the
URL: path segments as Flemish sites name them (``/legaal/privacyverklaring``) and known login
hosts (``authenticatie.vlaanderen.be``). A false positive costs one extra page (the frontier
caps extras per role); a miss costs a check its evidence, so the rules lean to recall.
"""

from __future__ import annotations

import re
import unicodedata
from posixpath import splitext
from urllib.parse import unquote, urlsplit

from auditor.shared.urls import host_of

__all__ = ["ROLES", "STRONG", "WEAK", "link_roles", "role_strengths", "fold_text"]

ROLES = ("privacy", "accessibility", "cookies", "contact", "login")
STRONG = 2
WEAK = 1

# Link texts, folded (lower case, no accents). Searched, not matched whole: "Privacy en
# cookies" is both; "Contacteer ons" is contact.
_TEXT_RULES: dict[str, tuple[int, str]] = {
    "privacy": (
        STRONG,
        r"\bprivacy|gegevensbescherming|(bescherming|verwerking) van (uw |de )?persoonsgegevens"
        r"|gegevensverwerking|\bvie privee|protection des donnees|\bconfidentialite|\bdata protection"
        r"|datenschutz",
    ),
    "privacy_weak": (WEAK, r"\bdisclaimer|mentions legales|juridische (informatie|bepalingen)"),
    "accessibility": (
        STRONG,
        r"toegankelijkheid|\baccessibility|\baccessibilite|barrierefreiheit|barrierefrei\b",
    ),
    "cookies": (STRONG, r"\bcookie"),
    "contact": (STRONG, r"\bcontact|\bkontakt|neem contact op"),
    "login": (
        STRONG,
        r"\baanmelden\b|\binloggen\b|\blog ?in\b|\bsign ?in\b|\bmijn dossier\b"
        r"|\bmijn burgerprofiel\b|\bse connecter\b|\bconnexion\b|\banmelden\b|\beinloggen\b",
    ),
}

# Texts that use a role's words for something else: "Aanmelden voor de nieuwsbrief" is a
# subscription, not a login.
_TEXT_EXCEPTIONS: dict[str, re.Pattern[str]] = {
    "login": re.compile(r"nieuwsbrief|newsletter|lettre d'information|inschrijven|activiteit"),
}

# Path segments (folded, extension removed) that name the page outright.
_SEGMENT_RULES: dict[str, tuple[int, str]] = {
    # a privacy word alone or joined by "-en-"/"-and-"/"-et-"/"-und-" to another short name:
    # /disclaimer-en-privacy, /gegevensverwerking-en-uitwisseling,
    # /bescherming-van-persoonsgegevens-privacyverklaring
    "privacy": (
        STRONG,
        r"(?:[a-z]+-(?:en|and|et|und)-)?(?:bescherming-(?:van-)?|verwerking-(?:van-)?)?"
        r"(?:privacy([-_]?(verklaring|beleid|reglement|policy|statement|notice))?"
        r"|gegevensbescherming|persoonsgegevens|gegevensverwerking"
        r"|vie-privee|protection-des-donnees|(?:politique|declaration)-de-confidentialite|confidentialite"
        r"|data-protection|datenschutz(erklaerung|erklarung|hinweise)?)"
        r"(?:-(?:en|and|et|und)-[a-z]+|-privacyverklaring)?",
    ),
    "privacy_weak": (WEAK, r"disclaimer|mentions-legales"),
    "accessibility": (
        STRONG,
        r"toegankelijkheid(sverklaring)?|accessibility([-_]statement)?"
        r"|declaration-d-?accessibilite|accessibilite|barrierefreiheit(serklaerung)?",
    ),
    "cookies": (
        STRONG,
        r"(?:[a-z]+-(?:en|and|et|und)-)?"
        r"(?:cookies?([-_]?(verklaring|beleid|policy|statement|richtlinie|richtlijn|reglement))?"
        r"|cookieverklaring|cookiebeleid|politique-(de-)?cookies)"
        r"(?:-(?:en|and|et|und)-[a-z]+)?",
    ),
    "contact": (
        STRONG,
        r"contact(eer-ons|-us|gegevens|formulier|-opnemen)?|nous-contacter|contactez-nous"
        r"|kontakt",
    ),
    "login": (
        STRONG,
        r"login|log-in|inloggen|aanmelden|signin|sign-in|mijn-dossier|mijndossier|anmelden"
        r"|se-connecter|connexion",
    ),
}

# Hosts that only exist to log people in: the Flemish government's authentication service.
_LOGIN_HOSTS = re.compile(r"(^|\.)authenticatie(-ti)?\.vlaanderen\.be$|(^|\.)login\.")

_TEXT = {key: (strength, re.compile(rx)) for key, (strength, rx) in _TEXT_RULES.items()}
_SEGMENT = {key: (s, re.compile(rf"(?:{rx})")) for key, (s, rx) in _SEGMENT_RULES.items()}
_LANGUAGE_SUFFIX = re.compile(r"[-_.](nl|fr|en|de)$")


def fold_text(text: str) -> str:
    """Lower case, accents removed, whitespace collapsed: "Vie  Privée" → "vie privee"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.lower().replace("\u2019", "'").split())


def role_strengths(url: str, text: str = "") -> dict[str, int]:
    """Each role the link may lead to, with how sure we are: STRONG (2) or WEAK (1).

    A weak hint ("disclaimer" for privacy) is kept only when no strong one names the role.
    """
    found: dict[str, int] = {}
    folded = fold_text(text)
    for key, (strength, pattern) in _TEXT.items():
        exception = _TEXT_EXCEPTIONS.get(key)
        if folded and pattern.search(folded) and not (exception and exception.search(folded)):
            _note(found, key, strength)
    for segment in _path_segments(url):
        for key, (strength, pattern) in _SEGMENT.items():
            if pattern.fullmatch(segment):
                _note(found, key, strength)
    if _LOGIN_HOSTS.search(host_of(url)):
        _note(found, "login", STRONG)
    return {role: found[role] for role in ROLES if role in found}


def link_roles(url: str, text: str = "") -> list[str]:
    """The must-visit roles of a link, in the fixed order of :data:`ROLES`."""
    return list(role_strengths(url, text))


def _note(found: dict[str, int], key: str, strength: int) -> None:
    role = key.removesuffix("_weak")
    found[role] = max(found.get(role, 0), strength)


def _path_segments(url: str) -> list[str]:
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return []
    segments = []
    for raw in path.split("/"):
        if not raw:
            continue
        segment = fold_text(unquote(raw)).replace(" ", "-")
        stem, ext = splitext(segment)
        if ext in (".html", ".htm", ".php", ".aspx", ".asp", ".jsp", ".pdf"):
            segment = stem
        segments.append(_LANGUAGE_SUFFIX.sub("", segment))
    return segments
