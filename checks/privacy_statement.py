"""Content of the privacy statement (privacyverklaring): the information GDPR art. 13 requires.

Each element is one finding, found (pass, with the sentence that proves it), incomplete
(warning) or missing (fail):

======================== ================= ==================================================
rule                     GDPR art. 13      found when the statement…
======================== ================= ==================================================
controller               (1)(a)            names the controller, with an address and the
                                           enterprise (KBO) number
dpo-contact              (1)(b)            names the data protection officer with an e-mail
purposes                 (1)(c)            says what the data are processed for
legal-basis              (1)(c)            names the legal basis (legal obligation, public task…)
recipients               (1)(e)            says who receives the data (or that nobody does)
transfers-outside-eu     (1)(f)            says whether data leave the EU/EEA
retention                (2)(a)            says how long data are kept
data-subject-rights      (2)(b)            lists the rights: access, rectification, erasure,
                                           restriction, portability, objection
withdraw-consent         (2)(c)            says consent can be withdrawn
complaint-right          (2)(d)            says a complaint can be lodged with the authority
supervisory-authority    (2)(d)            names the right authority: the Vlaamse
                                           Toezichtcommissie for Flemish and local public
                                           bodies, the Gegevensbeschermingsautoriteit otherwise
date-or-version          —                 carries a date of last change or a version
======================== ================= ==================================================

Phrasing is matched in Dutch, French and English, after the Flemish template statements
(Digitaal Vlaanderen, flux-web-components) and the keyword table of the research notes. The text
is ``SiteArtifacts.role_texts["privacy"]``; whether the statement is linked is
``privacy-statement-linked``.
"""

from __future__ import annotations

import re
from typing import Optional

from auditor.model import CheckResult, Finding, Outcome, Severity, SiteArtifacts, SiteKind
from auditor.shared.texts import Text, say, t_en, t_nl
from checks._statement_text import (
    dates_in,
    element_finding,
    elements_result,
    proving_sentence,
    sentences_of,
    statement_text,
)
from checks._support import site_kind_name
from checks.registry import CheckContext, site_check

CHECK_ID = "privacy-statement-content"
ROLE = "privacy"
RIGHTS_FOR_PASS = 5  # of the six art. 15-21 rights; portability only applies to some processing
PROOF_MAX = 6

_I = re.IGNORECASE


def _rx(*parts: str, flags: int = _I) -> re.Pattern[str]:
    return re.compile("|".join(parts), flags)


# the elements looked for, in order; their names are the catalog's privacy-statement-content.element.<rule>
ELEMENTS = ("controller", "dpo-contact", "purposes", "legal-basis", "recipients", "transfers-outside-eu", "retention", "data-subject-rights", "withdraw-consent", "complaint-right", "supervisory-authority", "date-or-version")
ELEMENT_NAMES = {rule: t_en(f"privacy-statement-content.element.{rule}") for rule in ELEMENTS}
ELEMENT_NAMES_NL = {rule: t_nl(f"privacy-statement-content.element.{rule}") for rule in ELEMENTS}

# Words that tie a sentence to personal data, for the elements whose words are common elsewhere
# ("derden" in "websites van derden", "doel" in "het doel van deze website").
DATA_CONTEXT = _rx(r"gegevens|donn[ée]es|\bdata\b|information|verwerk|traitement|processing")

CONTROLLER = _rx(
    r"verwerkingsverantwoordelijke|verantwoordelijke?\s+voor\s+(?:de\s+)?verwerking|wie\s+verwerkt"
    r"|wie\s+is\s+(?:de\s+)?verantwoordelijk",
    r"responsable\s+(?:du|de\s+ce|des)\s+traitements?|qui\s+traite",
    r"\b(?:data\s+)?controller\b|who\s+(?:processes|is\s+responsible)",
)
STREET = re.compile(
    r"\b[A-ZÀ-Ý][\w'À-ÿ.-]{0,40}?(?:straat|laan|plein|weg|steenweg|dreef|markt|lei|kaai|singel|vest|hof|park|dijk|baan"
    r"|square)\s+\d+"
    r"|\b(?:[Rr]ue|[Aa]venue|[Pp]lace|[Bb]oulevard|[Cc]haussée|[Qq]uai)\s+[\w' À-ÿ-]{2,40}?\s*,?\s*\d+")
POSTCODE = re.compile(r"\b[1-9]\d{3}\s+[A-ZÀ-Ý][a-zà-ÿ]+")
ENTERPRISE_NUMBER = re.compile(
    r"(?:KBO|kruispuntbank|ondernemingsnummer|ondernemingsnr|BCE|num[ée]ro\s+d['’]entreprise"
    r"|n°\s*d['’]entreprise|enterprise\s+number|company\s+number|BTW|TVA|VAT)[^\d]{0,25}"
    r"(?:BE\s?)?[01]?\d{3}[.\s]?\d{3}[.\s]?\d{3}\b"
    r"|\b[01]\d{3}\.\d{3}\.\d{3}\b", _I)

DPO = re.compile(
    r"functionaris\s+voor\s+(?:de\s+)?gegevensbescherming|(?-i:\b(?:FG|DPO|DPD)\b)"
    r"|d[ée]l[ée]gu[ée]e?\s+[àa]\s+la\s+protection\s+des\s+donn[ée]es|data\s+protection\s+officer", _I)
# Quantifiers are bounded and anchored at the start of a word: the text is hostile, and an
# unbounded run tried from every position of a 50 000-character line takes seconds.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}\s?(?:@|\[at\]|\(at\))\s?[\w-]{1,63}"
                   r"(?:\s?(?:\.|\[dot\]|\(dot\))\s?[\w-]{1,63}){0,4}\.[a-z]{2,24}\b", _I)
DPO_EMAIL = re.compile(r"(?<![\w+-])(?:[\w+-]{1,30}\.){0,3}(?:dpo|dpd|fg|dataprotection|gegevensbescherming)"
                       r"(?:[.+-][\w+-]{1,30}){0,3}\s?(?:@|\[at\]|\(at\))", _I)

PURPOSES = _rx(
    r"\bdoel(?:einde)?n?\b|\bdoelstelling|waarvoor\s+(?:\w+\s+){0,3}(?:verwerk|gebruik|verzamel)",
    r"\bfinalit[ée]s?\b|dans\s+le\s+but|[àa]\s+des\s+fins|pour\s+quelles?\s+raisons?",
    r"\bpurposes?\b|what\s+(?:do\s+)?we\s+use\s+(?:your\s+)?(?:personal\s+)?data\s+for",
)
LEGAL_BASES = {
    "legal-obligation": _rx(r"wettelijke\s+verplichting|obligation\s+l[ée]gale|legal\s+obligation"),
    "public-task": _rx(r"algemeen\s+belang|openbaar\s+gezag|int[ée]r[êe]t\s+public|autorit[ée]\s+publique"
                       r"|public\s+(?:task|interest)|official\s+authority"),
    "contract": _rx(r"(?:uitvoering\s+van\s+(?:een|de)\s+)overeenkomst|ex[ée]cution\s+d['’]un\s+contrat"
                    r"|performance\s+of\s+a\s+contract"),
    "consent": _rx(r"op\s+basis\s+van\s+(?:uw|je)\s+toestemming|sur\s+la\s+base\s+de\s+votre\s+consentement"
                   r"|based\s+on\s+(?:your\s+)?consent"),
    "legitimate-interest": _rx(r"gerechtvaardigd\s+belang|int[ée]r[êe]t\s+l[ée]gitime|legitimate\s+interest"),
    "vital-interest": _rx(r"vita(?:al|le)\s+belang|int[ée]r[êe]ts?\s+vitaux|vital\s+interest"),
}
LEGAL_BASIS = _rx(
    r"rechtsgrond|wettelijke\s+(?:basis|grond(?:slag)?)|rechtmatig|\bart(?:ikel|\.)\s*6\b",
    r"base\s+(?:l[ée]gale|juridique)|lic[ée]it[ée]|fondement\s+juridique|\barticle\s+6\b",
    r"legal\s+basis|lawful\s+basis|legal\s+grounds?|lawfulness|\barticle\s+6\b",
)
RECIPIENTS = _rx(
    r"ontvanger|\bderden\b|derde\s+partij|verwerkers?\b|doorge(?:ven|geven)|(?:delen|gedeeld)\s+met"
    r"|mededeling\s+(?:\w+\s+){0,3}aan|overgemaakt\s+aan|bezorgd\s+aan",
    r"destinataires?|\btiers\b|sous-traitants?|communiqu[ée]e?s?\s+[àa]|transmise?s?\s+[àa]|partag[ée]e?s?\s+avec",
    r"recipients?|third[- ]part|processors?\b|share[ds]?\s+(?:\w+\s+){0,3}with|disclose",
)
TRANSFERS = _rx(
    r"buiten\s+de\s+(?:Europese\s+(?:Unie|Economische\s+Ruimte)|EU|EER)|derde\s+landen|niet-EU|buiten\s+Europa",
    r"hors\s+de\s+l['’]\s*(?:Union|UE|EEE|Espace)|en\s+dehors\s+de\s+l['’]\s*(?:Union|UE|EEE|Europe)"
    r"|pays\s+tiers|hors\s+(?:UE|EEE|Europe)",
    r"outside\s+(?:of\s+)?(?:the\s+)?(?:EU|EEA|European\s+(?:Union|Economic\s+Area)|Europe)|third\s+countr",
)
RETENTION_STRONG = _rx(
    r"bewaartermijn|bewaringstermijn|hoe\s*lang\s+(?:\w+\s+){0,3}bewaren|archiefdecreet|archiefwet",
    r"dur[ée]e\s+de\s+conservation|d[ée]lai\s+de\s+conservation|combien\s+de\s+temps",
    r"retention\s+period|how\s+long\s+(?:do\s+)?we\s+(?:keep|retain|store)",
)
RETENTION_WEAK = _rx(r"\bbewaren\b|\bbewaard\b|\bconserv(?:ons|[ée]e?s?|er)\b|\bretain|\bkept\s+for|\bstored\s+for")
COOKIE = _rx(r"cookie")

RIGHTS = {
    "access": _rx(r"\binzage|\binzien\b|recht\s+op\s+toegang|droit\s+d['’]acc[èe]s|acc[ée]der\s+[àa]"
                  r"|right\s+(?:of|to)\s+access|\baccess\s+(?:to\s+)?your"),
    "rectification": _rx(r"verbetering|(?:laten|te)\s+verbeteren|rectificatie|rectification|rectifier|rectify|correct(?:ed|ion)\b"),
    "erasure": _rx(r"wissing|verwijdering|vergetelheid|\bwissen\b|\bverwijderen\b|effacement|\boubli\b|\beffacer"
                   r"|erasure|\berase|deletion|\bdelete|to\s+be\s+forgotten"),
    "restriction": _rx(r"beperking|beperken|limitation|restriction|restrict"),
    "portability": _rx(r"overdraagbaarheid|overdracht\s+van\s+(?:uw\s+)?gegevens|portabilit[ée]|portability"),
    "objection": _rx(r"\bbezwaar|\bverzet|opposition|s['’]opposer|\bobject\b|\bobjection"),
}
RIGHTS_WORDS = _rx(r"\brecht|\bdroits?\b|\brights?\b")
RIGHTS_SECTION = _rx(
    r"(?:uw|je|welke|de)\s+rechten|rechten\s+van\s+(?:de\s+)?betrokkenen?|vos\s+droits|quels\s+sont\s+vos\s+droits"
    r"|your\s+rights|rights\s+of\s+(?:the\s+)?data\s+subjects?")
RIGHTS_SECTION_SPAN = 15

CONSENT = _rx(r"toestemming|consentement|\bconsent")
WITHDRAW = _rx(
    r"toestemming\s+(?:\w+\s+){0,6}(?:intrekken|in\s+te\s+trekken|ingetrokken|herroepen|terug\s*(?:te\s+)?trekken"
    r"|terugtrekken|terugnemen)|(?:intrekken|intrekking|herroeping)\s+van\s+(?:uw|je|de)\s+toestemming",
    r"retirer\s+(?:votre|son|le)\s+consentement|retrait\s+(?:de\s+votre|du)\s+consentement"
    r"|consentement\s+(?:\w+\s+){0,5}retir",
    r"withdraw\s+(?:your\s+)?consent|withdrawal\s+of\s+(?:your\s+)?consent|consent\s+(?:\w+\s+){0,5}withdraw",
)

COMPLAINT = _rx(r"\bklacht|\bplainte|r[ée]clamation|\bcomplain|toezichthoudende\s+autoriteit"
                r"|autorit[ée]\s+de\s+contr[ôo]le|supervisory\s+authority")
AUTHORITIES = {
    "vtc": re.compile(
        r"vlaamse\s+toezichts?commissie|toezichts?commissie\.be|(?-i:\bVTC\b)"
        r"|commission\s+de\s+contr[ôo]le\s+flamande|flemish\s+supervisory\s+commission", _I),
    "gba": re.compile(
        r"gegevensbeschermingsautoriteit|(?-i:\b(?:GBA|APD)\b)|autorit[ée]\s+de\s+protection\s+des\s+donn[ée]es"
        r"|data\s+protection\s+authority|autoriteprotectiondonnees\.be|dataprotectionauthority\.be"
        r"|privacycommissie|commissie\s+voor\s+de\s+bescherming\s+van\s+de\s+persoonlijke\s+levenssfeer", _I),
}
AUTHORITY_NAMES = {key: t_en(f"family.privacy_statement.authority.{key}") for key in ("vtc", "gba")}
# The VTC supervises Flemish administrative bodies, "waaronder bijvoorbeeld ook lokale besturen".
VTC_KINDS = frozenset({SiteKind.FLEMISH_ENTITY, SiteKind.MUNICIPALITY, SiteKind.PROVINCE})

CHANGE_CONTEXT = _rx(
    r"laatst|bijgewerkt|gewijzigd|aangepast|herzien|\bversie|geldig\s+(?:vanaf|sinds)|van\s+kracht|\bdatum",
    r"mise\s+[àa]\s+jour|modifi[ée]e?|r[ée]vis|\bversion|en\s+vigueur",
    r"updated|modified|revised|reviewed|effective|valid\s+from",
)
VERSION = re.compile(r"\b(?:versie|version)\s*:?\s*v?(\d+(?:\.\d+)*)\b", _I)


def expected_authority(kind: SiteKind) -> str:
    """The supervisory authority for complaints about this kind of site: ``"vtc"`` or ``"gba"``."""
    return "vtc" if kind in VTC_KINDS else "gba"


def _with_data(pattern: re.Pattern[str]):
    return lambda s: bool(pattern.search(s) and DATA_CONTEXT.search(s))


def _dedupe(sentences: list[Optional[str]]) -> list[str]:
    seen: list[str] = []
    for sentence in sentences:
        if sentence and sentence not in seen:
            seen.append(sentence)
    return seen[:PROOF_MAX]


def assess_privacy_statement(text: str, kind: SiteKind = SiteKind.OTHER) -> list[Finding]:
    """One finding per GDPR art. 13 element of the statement, found or not."""
    sentences = sentences_of(text)
    authority_sentences = {s for s in sentences if any(p.search(s) for p in AUTHORITIES.values())}
    own = [s for s in sentences if s not in authority_sentences]  # the authority's address is not ours
    return [
        _controller(sentences, own),
        _dpo(sentences),
        _simple(sentences, "purposes", _with_data(PURPOSES),
                say("privacy-statement-content.finding.purposes.found"),
                say("privacy-statement-content.finding.purposes.missing"),
                t_en("family.privacy_statement.expected.waarvoor-verwerken-we-uw-persoonsgegeven")),
        _legal_basis(sentences),
        _simple(sentences, "recipients", _with_data(RECIPIENTS),
                say("privacy-statement-content.finding.recipients.found"),
                say("privacy-statement-content.finding.recipients.missing"),
                t_en("family.privacy_statement.expected.who-receives-the-data-other")),
        _simple(sentences, "transfers-outside-eu", lambda s: bool(TRANSFERS.search(s)),
                say("privacy-statement-content.finding.transfers-outside-eu.found"),
                say("privacy-statement-content.finding.transfers-outside-eu.missing"),
                t_en("family.privacy_statement.expected.whether-data-are-transferred-outside"),
                missing_outcome=Outcome.WARNING, severity=Severity.MODERATE),
        _simple(sentences, "retention",
                lambda s: bool(RETENTION_STRONG.search(s)
                               or (RETENTION_WEAK.search(s) and DATA_CONTEXT.search(s) and not COOKIE.search(s))),
                say("privacy-statement-content.finding.retention.found"),
                say("privacy-statement-content.finding.retention.missing"),
                t_en("family.privacy_statement.expected.hoelang-bewaren-we-uw-persoonsgegevens")),
        _rights(sentences),
        _withdraw_consent(sentences),
        _simple(sentences, "complaint-right", lambda s: bool(COMPLAINT.search(s)),
                say("privacy-statement-content.finding.complaint-right.found"),
                say("privacy-statement-content.finding.complaint-right.missing"),
                t_en("family.privacy_statement.expected.the-right-to-lodge-a")),
        authority_finding(sentences, kind),
        _date_or_version(sentences),
    ]


def _simple(sentences: list[str], rule: str, test, found_title: Text, missing_title: Text,
            expected: str, *, missing_outcome: Outcome = Outcome.FAIL, severity: Severity = Severity.SERIOUS) -> Finding:
    """An element found by one sentence; the titles in English and Dutch, from the text catalog."""
    sentence = proving_sentence(sentences, test)
    if sentence:
        return element_finding(CHECK_ID, rule, Outcome.PASS, **found_title.fields("title"), proof=[sentence],
                               expected=expected)
    return element_finding(CHECK_ID, rule, missing_outcome, **missing_title.fields("title"), expected=expected,
                           severity=severity)




def _or(words: list[Text]) -> Text:
    """Words joined with "or", in each language."""
    separator = say("privacy-statement-content.or")
    return Text(separator.en.join(w.en for w in words), separator.nl.join(w.nl for w in words))


def _controller(sentences: list[str], own: list[str]) -> Finding:
    expected = t_en("family.privacy_statement.expected.the-controller-s-name-address-and")
    identity = proving_sentence(sentences, lambda s: bool(CONTROLLER.search(s)))
    address = next((s for s in own if STREET.search(s) or POSTCODE.search(s)), None)
    number = next((s for s in own if ENTERPRISE_NUMBER.search(s)), None)
    lacking = [name for name, seen in (("address", address), ("enterprise-number", number)) if not seen]
    proof = _dedupe([identity, address, number])
    if identity and not lacking:
        return element_finding(CHECK_ID, "controller", Outcome.PASS,
                               **say("privacy-statement-content.finding.controller-complete").fields("title"),
                               proof=proof,
                               expected=expected,
                               value=ENTERPRISE_NUMBER.search(number or "").group(0))
    if identity:
        return element_finding(CHECK_ID, "controller", Outcome.WARNING,
                               **say("privacy-statement-content.finding.controller-partial",
                                     lacking=_or([say(f"privacy-statement-content.lacking.{name}")
                                                  for name in lacking])).fields("title"), proof=proof,
                               expected=expected, severity=Severity.MODERATE,
                               value=t_en("family.privacy_statement.seen.missing", items=", ".join(
                                   t_en(f"privacy-statement-content.lacking.{name}")
                                   for name in lacking)))
    return element_finding(CHECK_ID, "controller", Outcome.FAIL,
                           **say("privacy-statement-content.finding.controller-missing").fields("title"),
                           proof=_dedupe([address, number]), expected=expected,
                           value=t_en("family.privacy_statement.seen.no-sentence-names"))


def _dpo(sentences: list[str]) -> Finding:
    expected = t_en("family.privacy_statement.expected.the-data-protection-officer-functionaris")
    for index, sentence in enumerate(sentences):
        if DPO.search(sentence) or DPO_EMAIL.search(sentence):
            nearby = sentences[index: index + 4]
            with_mail = next((s for s in nearby if EMAIL.search(s)), None)
            if with_mail:
                proof = [with_mail] if DPO.search(with_mail) else [sentence, with_mail]
                return element_finding(CHECK_ID, "dpo-contact", Outcome.PASS,
                                       **say("privacy-statement-content.finding.dpo-with-email").fields("title"),
                                       proof=_dedupe(proof), expected=expected,
                                       value=EMAIL.search(with_mail).group(0))
    named = next((s for s in sentences if DPO.search(s)), None)
    if named:
        return element_finding(CHECK_ID, "dpo-contact", Outcome.WARNING,
                               **say("privacy-statement-content.finding.dpo-without-email").fields("title"),
                               proof=[named],
                               expected=expected, severity=Severity.MODERATE)
    return element_finding(CHECK_ID, "dpo-contact", Outcome.FAIL,
                           **say("privacy-statement-content.finding.dpo-missing").fields("title"),
                           expected=t_en("family.privacy_statement.expected.dpo-vtc-sends-complainants",
                                         expected=expected))


def _legal_basis(sentences: list[str]) -> Finding:
    expected = t_en("family.privacy_statement.expected.the-legal-basis-art-6")
    sentence = proving_sentence(
        sentences, lambda s: bool(LEGAL_BASIS.search(s) or any(p.search(s) for p in LEGAL_BASES.values())))
    if not sentence:
        return element_finding(CHECK_ID, "legal-basis", Outcome.FAIL,
                               **say("privacy-statement-content.finding.legal-basis-missing").fields("title"),
                               expected=expected)
    named = [name for name, pattern in LEGAL_BASES.items() if any(pattern.search(s) for s in sentences)]
    return element_finding(CHECK_ID, "legal-basis", Outcome.PASS,
                           **say("privacy-statement-content.finding.legal-basis-stated").fields("title"),
                           proof=[sentence], expected=expected,
                           value=", ".join(t_en(f"family.privacy_statement.legal-basis.{name}") for name in named))


def _rights(sentences: list[str]) -> Finding:
    expected = t_en("family.privacy_statement.expected.the-rights-of-access-rectification")
    in_scope = set()
    for index, sentence in enumerate(sentences):
        if RIGHTS_SECTION.search(sentence):
            in_scope.update(range(index, index + RIGHTS_SECTION_SPAN))
        if RIGHTS_WORDS.search(sentence):
            in_scope.add(index)
    # sentences that say "recht"/"droit"/"right" first, then the rest of a rights section
    candidates = sorted((s for i, s in enumerate(sentences) if i in in_scope),
                        key=lambda s: not RIGHTS_WORDS.search(s))
    proof: dict[str, str] = {}
    for right, pattern in RIGHTS.items():
        sentence = next((s for s in candidates if pattern.search(s)), None)
        if sentence:
            proof[right] = sentence
    found = list(proof)
    lacking = [right for right in RIGHTS if right not in proof]
    T = "family.privacy_statement."
    found_names = ", ".join(t_en(T + f"right.{right}") for right in found) or t_en(T + "seen.none")
    value = (t_en(T + "seen.rights-found-missing", found=found_names,
                  missing=", ".join(t_en(T + f"right.{right}") for right in lacking)) if lacking
             else t_en(T + "seen.rights-found", found=found_names))
    if len(found) >= RIGHTS_FOR_PASS:
        return element_finding(CHECK_ID, "data-subject-rights", Outcome.PASS,
                               **say("privacy-statement-content.finding.rights-listed",
                                     found_count=len(found),
                                     rights_count=len(RIGHTS)).fields("title"),
                               proof=_dedupe(list(proof.values())), expected=expected, value=value)
    if found:
        return element_finding(CHECK_ID, "data-subject-rights", Outcome.WARNING,
                               **say("privacy-statement-content.finding.rights-partly",
                                     found_count=len(found),
                                     rights_count=len(RIGHTS)).fields("title"),
                               proof=_dedupe(list(proof.values())), expected=expected, value=value,
                               severity=Severity.MODERATE)
    return element_finding(CHECK_ID, "data-subject-rights", Outcome.FAIL,
                           **say("privacy-statement-content.finding.rights-missing").fields("title"),
                           expected=expected)


def _withdraw_consent(sentences: list[str]) -> Finding:
    expected = t_en("family.privacy_statement.expected.that-consent-can-be-withdrawn")
    sentence = proving_sentence(sentences, lambda s: bool(WITHDRAW.search(s)))
    if sentence:
        return element_finding(CHECK_ID, "withdraw-consent", Outcome.PASS,
                               **say("privacy-statement-content.finding.withdraw-stated").fields("title"),
                               proof=[sentence], expected=expected)
    consent = next((s for s in sentences if CONSENT.search(s)), None)
    if consent:
        return element_finding(CHECK_ID, "withdraw-consent", Outcome.FAIL,
                               **say("privacy-statement-content.finding.withdraw-unclear").fields("title"),
                               proof=[consent],
                               expected=expected)
    return element_finding(CHECK_ID, "withdraw-consent", Outcome.WARNING,
                           **say("privacy-statement-content.finding.withdraw-missing").fields("title"),
                           expected=t_en("family.privacy_statement.expected.withdraw-or-no-consent", expected=expected),
                           severity=Severity.MINOR)


def authority_finding(sentences: list[str], kind: SiteKind) -> Finding:
    """Which supervisory authority the statement names, against the one competent for the site:
    the VTC for Flemish entities, municipalities and provinces, the GBA for anyone else."""
    expected_key = expected_authority(kind)
    bodies = t_en("privacy-statement-content.expected.authority-kind-vtc" if expected_key == "vtc"
                  else "privacy-statement-content.expected.authority-kind-other")
    expected = t_en("family.privacy_statement.expected.authority", authority=AUTHORITY_NAMES[expected_key],
                    bodies=bodies)
    named = {key: next((s for s in sentences if pattern.search(s)), None) for key, pattern in AUTHORITIES.items()}
    named = {key: sentence for key, sentence in named.items() if sentence}
    other_key = "gba" if expected_key == "vtc" else "vtc"
    if expected_key in named:
        value = (t_en("family.privacy_statement.seen.authority-also-names", authority=AUTHORITY_NAMES[expected_key],
                      other=other_key.upper()) if other_key in named else AUTHORITY_NAMES[expected_key])
        return element_finding(CHECK_ID, "supervisory-authority", Outcome.PASS,
                               **say("privacy-statement-content.finding.authority-competent",
                                     authority_names=AUTHORITY_NAMES[expected_key]).fields("title"),
                               proof=_dedupe([named[expected_key], named.get(other_key)]), expected=expected,
                               value=value)
    if other_key in named:
        if expected_key == "vtc":
            return element_finding(
                CHECK_ID, "supervisory-authority", Outcome.FAIL,
                **say("privacy-statement-content.finding.authority-wrong-gba",
                      kind=site_kind_name(kind.value)).fields("title"),
                proof=[named[other_key]], expected=expected, value=AUTHORITY_NAMES[other_key])
        return element_finding(
            CHECK_ID, "supervisory-authority", Outcome.WARNING,
            **say("privacy-statement-content.finding.authority-vtc-only").fields("title"),
            proof=[named[other_key]], value=AUTHORITY_NAMES[other_key],
            expected=t_en("family.privacy_statement.expected.authority-audit-as-flemish", expected=expected),
            severity=Severity.MODERATE)
    return element_finding(CHECK_ID, "supervisory-authority", Outcome.FAIL,
                           **say("privacy-statement-content.finding.authority-missing").fields("title"),
                           expected=expected)


def _date_or_version(sentences: list[str]) -> Finding:
    expected = t_en("family.privacy_statement.expected.a-date-of-last-change")
    dated = [(s, d) for s in sentences if CHANGE_CONTEXT.search(s) for d in dates_in(s)]
    if dated:
        sentence, latest = max(dated, key=lambda item: item[1])
        return element_finding(CHECK_ID, "date-or-version", Outcome.PASS,
                               **say("privacy-statement-content.finding.dated",
                                                                                date=latest.isoformat()).fields("title"),
                               proof=[sentence], expected=expected, value=latest.isoformat())
    versioned = next((s for s in sentences if VERSION.search(s)), None)
    if versioned:
        version = VERSION.search(versioned).group(1)
        return element_finding(CHECK_ID, "date-or-version", Outcome.PASS,
                               **say("privacy-statement-content.finding.versioned",
                                                                                version=version).fields("title"),
                               proof=[versioned], expected=expected, value=t_en("family.privacy_statement.seen.version",
                                                                                version=version))
    return element_finding(CHECK_ID, "date-or-version", Outcome.FAIL,
                           **say("privacy-statement-content.finding.date-missing").fields("title"),
                           expected=expected, severity=Severity.MODERATE)


@site_check(id=CHECK_ID, requires=("role_texts", "role_pages"))
def privacy_statement_content(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    text, url, early = statement_text(site, CHECK_ID, ROLE, say("family.statements.label.privacy"),
                                       "privacy-statement-linked")
    if early is not None:
        return early
    kind = context.site.kind
    findings = assess_privacy_statement(text, kind)
    return elements_result(CHECK_ID, findings, url, details={
        "element_names": {rule: ELEMENT_NAMES[rule] for rule in ELEMENT_NAMES},
        "element_names_nl": dict(ELEMENT_NAMES_NL),
        "site_kind": kind.value, "expected_authority": expected_authority(kind),
    })
