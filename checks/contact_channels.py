"""Digital by default, and reachable for people who are not online.

Three site checks over the text and links the crawl kept per page
(``SiteArtifacts.flemish_pages``: footer text of every page, the visible text of the start,
contact, statement and "about"-like pages, and the link markers of configs/markers/flemish.toml):

* ``contact-channels``: a contact page, a phone number (Belgian formats, 1700, 0800), a postal
  address, opening hours, an e-mail address or contact form, and help for people who are not
  digital ("Hulp nodig?", Digipunt, 1700);
* ``organisation-identifiable``: the responsible organisation's name, address and enterprise
  (KBO) number;
* ``online-services``: online forms, e-loket and online-appointment links versus forms offered
  only as a document to print.

Each item found is reported with the text that proved it and where; each missing item is a
finding of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional

from auditor.model import (
    CheckResult,
    Evidence,
    FlemishArtifacts,
    Finding,
    Outcome,
    Severity,
    SiteArtifacts,
)
from auditor.shared.texts import Text, joined, say, t_en
from checks._support import site_result
from checks.flemish import evidence_pages, hit_evidence, no_evidence_result
from checks.registry import CheckContext, site_check

SNIPPET_CONTEXT = 60

# Belgian numbers: +32 or 0, then 8 or 9 digits in groups; the short numbers 1700 and 0800-x.
PHONE = re.compile(r"(?<![\w+])(?:\+32[\s./-]?(?:\(0\)[\s./-]?)?|0)[1-9](?:[\s./-]?\d){7,8}(?!\d)")
FREE_NUMBER = re.compile(r"(?<!\d)0800[\s./-]?\d{2}[\s./-]?\d{3}(?!\d)")
NUMBER_1700 = re.compile(r"(?<![\d+])1700(?![\d])")
# A street number, then a Belgian postcode and a place name: "Dorpsplein 1, 9999 Voorbeeldegem"
ADDRESS = re.compile(
    r"[A-ZÀ-ÿa-z][\wÀ-ÿ'’.-]+\s+\d{1,4}[a-zA-Z]?(?:\s*(?:bus|b\.?)\s*\d+[a-zA-Z]?)?\s*[,·|–-]?\s*"
    r"(?:\n\s*)?(?:B-|BE-)?[1-9]\d{3}\s+[A-ZÀ-Ý][\wÀ-ÿ'’-]+"
)
OPENING_HOURS = re.compile(
    r"(?i)\b(?:openingsuren|openingstijden|openingsuur|heures d'ouverture|opening hours|loketuren|onthaaluren)\b"
)
WEEKDAY_HOURS = re.compile(
    r"(?i)\b(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|ma|di|wo|do|vr)\b[^\n]{0,40}?"
    r"\d{1,2}(?:[.:u]\d{0,2})?\s*(?:u|uur)?\s*(?:-|–|tot)\s*\d{1,2}"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
DIGITAL_HELP = re.compile(
    r"(?i)\bhulp\s+nodig\b|\bdigipunt\w*|\bdigitale\s+hulp\b|\biedereen\s+digitaal\b|\be-inclusie\b"
    r"|\bgeen\s+(?:toegang\s+tot\s+)?internet\b|\bhelpen\s+(?:je|u)\s+(?:graag\s+)?(?:telefonisch|verder)\b"
)
KBO_LABELLED = re.compile(
    r"(?i)\b(?:kbo(?:-?nummer|-?nr\.?)?|ondernemingsnummer|ondernemingsnr\.?|btw(?:-?nummer)?|enterprise number"
    r"|num[ée]ro d'entreprise)\b\W{0,5}(?:BE)?\s?([01]\d{3}[.\s]?\d{3}[.\s]?\d{3})\b"
)
KBO_DOTTED = re.compile(r"(?<![\d.])(?:BE\s?)?[01]\d{3}\.\d{3}\.\d{3}(?![\d.])")


@dataclass
class Sighting:
    """A piece of text that proves an item, and where it was seen."""

    page_url: str
    where: str  # "footer", "page-text", "contact-page", "link": its words are family.contact_channels.where.*
    snippet: str

    def evidence(self, label: str, expected: str = "") -> Evidence:
        return Evidence(page_url=self.page_url, selector="footer" if self.where == "footer" else "",
                        snippet=self.snippet, value=t_en("family.contact_channels.seen.found-in-the", label=label,
                                                         where=t_en(f"family.contact_channels.where.{self.where}")),
                        expected=expected)


def _texts(site: SiteArtifacts) -> Iterable[tuple[FlemishArtifacts, str, str]]:
    """(page, where, text): every page's footer, once per distinct footer, then page excerpts."""
    seen_footers: set[str] = set()
    for page in evidence_pages(site):
        footer = page.footer_text.strip()
        if footer and footer not in seen_footers:
            seen_footers.add(footer)
            yield page, "footer", footer
    for page in evidence_pages(site):
        if page.text_excerpt:
            yield page, "page-text", page.text_excerpt


def _snippet(text: str, match: re.Match) -> str:
    start, end = max(0, match.start() - SNIPPET_CONTEXT), min(len(text), match.end() + SNIPPET_CONTEXT)
    return " ".join(text[start:end].split())


def find_first(site: SiteArtifacts, *patterns: re.Pattern[str], pages: Optional[set[str]] = None,
               validate=None) -> Optional[Sighting]:
    for page, where, text in _texts(site):
        if pages is not None and page.page_url not in pages:
            continue
        for pattern in patterns:
            for match in pattern.finditer(text):
                if validate is None or validate(match):
                    return Sighting(page.page_url, where, _snippet(text, match))
    return None


def _valid_phone(match: re.Match) -> bool:
    digits = re.sub(r"\D", "", match.group(0))
    digits = digits[2:] if digits.startswith("32") else digits[1:]
    return len(digits) in (8, 9)


def _contact_page_urls(site: SiteArtifacts) -> set[str]:
    return {page.page_url for page in site.flemish_pages if "contact" in page.roles}


# --------------------------------------------------------------------------- contact channels


@dataclass
class _Item:
    key: str  # its texts: contact-channels.item.<key>, finding.<key>-found, finding.<key>-missing
    sighting: Optional[Sighting]
    expected: str
    essential: bool = False

    @property
    def label(self) -> Text:
        """"a phone number" / "telefoonnummer": the item in a list of what is missing."""
        return say(f"contact-channels.item.{self.key}")


# the tables of this family's texts in the catalogs
C = "contact-channels.summary."
O = "organisation-identifiable."


@site_check(id="contact-channels", requires=("flemish_pages", "role_pages"))
def contact_channels(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    check_id = "contact-channels"
    empty = no_evidence_result(check_id, site)
    if empty is not None:
        return empty
    contact_pages = _contact_page_urls(site)
    phone = (find_first(site, NUMBER_1700) or find_first(site, FREE_NUMBER)
             or find_first(site, PHONE, validate=_valid_phone))
    contact_form = None
    for page in evidence_pages(site):
        if page.page_url in contact_pages:
            hit = next((h for h in page.hits if h.proves == "contact-form"), None)
            if hit is not None:
                contact_form = Sighting(page.page_url, "contact-page", hit.value)
                break
    email = find_first(site, EMAIL) or contact_form
    help_sighting = find_first(site, DIGITAL_HELP, NUMBER_1700)
    if help_sighting is None:
        for page in evidence_pages(site):
            hit = next((h for h in page.hits if h.proves == "digital-help"), None)
            if hit is not None:
                help_sighting = Sighting(page.page_url, "link", hit.value)
                break
    items = [
        _Item("phone", phone, t_en("family.contact_channels.expected.a-phone-number-e-g-09"), True),
        _Item("address", find_first(site, ADDRESS), t_en("family.contact_channels.expected.a-street-address-with-postcode"), True),
        _Item("opening-hours", find_first(site, OPENING_HOURS, WEEKDAY_HOURS),
              t_en("family.contact_channels.expected.opening-hours-of-the-counter")),
        _Item("email-or-form", email, t_en("family.contact_channels.expected.an-e-mail-address-or-a")),
        _Item("digital-help", help_sighting, t_en("family.contact_channels.expected.help-with-digital-procedures-hulp")),
    ]
    contact_url = site.role_pages.get("contact", "")
    findings: list[Finding] = []
    for item in items:
        if item.sighting is not None:
            findings.append(Finding(
                check_id=check_id, outcome=Outcome.PASS, severity=Severity.INFO,
                **say(f"contact-channels.finding.{item.key}-found").fields("title"), rule=f"{item.key}-found",
                fingerprint=f"{check_id}:{item.key}:found", evidence=[item.sighting.evidence(item.label.en)],
            ))
        else:
            essential_missing = item.essential
            findings.insert(0, Finding(
                check_id=check_id,
                outcome=Outcome.WARNING, severity=Severity.MODERATE if essential_missing else Severity.MINOR,
                **say(f"contact-channels.finding.{item.key}-missing").fields("title"), rule=f"{item.key}-missing",
                fingerprint=f"{check_id}:{item.key}:missing",
                evidence=[Evidence(page_url=contact_url or (evidence_pages(site)[0].page_url),
                                   value=t_en("family.contact_channels.seen.not-found-in"),
                                   expected=item.expected)],
            ))
    if not contact_url:
        findings.insert(0, Finding(
            check_id=check_id, outcome=Outcome.WARNING, severity=Severity.MODERATE,
            **say("contact-channels.finding.contact-page-missing").fields("title"), rule="contact-page-missing",
            fingerprint=f"{check_id}:contact-page",
            evidence=[Evidence(page_url=evidence_pages(site)[0].page_url,
                               value=t_en("family.contact_channels.seen.no-link-to"),
                               expected=t_en("family.contact_channels.expected.a-contact-page"))],
        ))
    found = [item for item in items if item.sighting is not None]
    details = {item.key: (item.sighting.snippet if item.sighting else "") for item in items}
    details["contact_page"] = contact_url
    score = len(found) / len(items) * (1.0 if contact_url else 0.9)
    if not any(item.sighting for item in items if item.essential):
        for finding in findings:
            if finding.rule in ("phone-missing", "address-missing"):
                finding.outcome, finding.severity = Outcome.FAIL, Severity.SERIOUS
        return site_result(check_id, Outcome.FAIL, **say("contact-channels.summary.fail").fields("summary"),
                           score=score, findings=findings, details=details)
    missing = [item for item in items if item.sighting is None]
    if missing or not contact_url:
        parts = [say(C + "missing", items=joined([item.label for item in missing], ", "))] if missing else []
        if not contact_url:
            parts.append(say(C + "no-contact-page"))
        return site_result(check_id, Outcome.WARNING, **joined(parts, "; ").fields("summary"), score=score,
                           findings=findings, details=details)
    return site_result(check_id, Outcome.PASS, **say("contact-channels.summary.pass").fields("summary"),
                       score=1.0, findings=findings, details=details)


# --------------------------------------------------------------------------- organisation


@site_check(id="organisation-identifiable", requires=("flemish_pages",))
def organisation_identifiable(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    check_id = "organisation-identifiable"
    empty = no_evidence_result(check_id, site)
    if empty is not None:
        return empty
    name = site.site.organisation.strip()
    name_sighting = None
    if name:
        # "Gemeente Voorbeeldegem (demo)" is named "Gemeente Voorbeeldegem" on its pages
        bare = re.sub(r"\s*\([^)]*\)", "", name).strip() or name
        name_sighting = find_first(site, re.compile(r"\s+".join(map(re.escape, bare.split())), re.IGNORECASE))
    items = [
        ("name", name_sighting,
         t_en("organisation-identifiable.expected.name", name=name) if name
         else t_en("organisation-identifiable.expected.name-unknown")),
        ("address", find_first(site, ADDRESS), t_en("organisation-identifiable.expected.address")),
        ("kbo", find_first(site, KBO_LABELLED, KBO_DOTTED), t_en("organisation-identifiable.expected.kbo")),
    ]
    name_text = name or say(O + "name-not-given")
    labels = {key: say(O + f"item.{key}", name=name_text) for key, _, _ in items}
    findings: list[Finding] = []
    first_page = evidence_pages(site)[0].page_url
    for key, sighting, expected in items:
        if sighting is not None:
            findings.append(Finding(
                check_id=check_id, outcome=Outcome.PASS, severity=Severity.INFO,
                **say(O + f"finding.{key}-found", name=name_text).fields("title"),
                rule=f"{key}-found", fingerprint=f"{check_id}:{key}:found",
                evidence=[sighting.evidence(labels[key].en)],
            ))
        elif key != "name" or name:
            findings.insert(0, Finding(
                check_id=check_id, outcome=Outcome.FAIL if key == "address" else Outcome.WARNING,
                severity=Severity.MODERATE if key == "address" else Severity.MINOR,
                **say(O + f"finding.{key}-missing", name=name_text).fields("title"),
                rule=f"{key}-missing", fingerprint=f"{check_id}:{key}:missing",
                evidence=[Evidence(page_url=first_page, value=t_en("family.contact_channels.seen.not-found-in-the"),
                                   expected=expected)],
            ))
    checked = [item for item in items if item[0] != "name" or name]
    found = [item for item in checked if item[1] is not None]
    details = {key: (sighting.snippet if sighting else "") for key, sighting, _ in items}
    score = len(found) / len(checked)
    if items[1][1] is None:
        return site_result(check_id, Outcome.FAIL, **say("organisation-identifiable.summary.fail").fields("summary"),
                           score=score,
                           findings=findings, details=details)
    missing = [labels[key] for key, sighting, _ in checked if sighting is None]
    if missing:
        return site_result(check_id, Outcome.WARNING, **say(C + "missing",
                                                            items=joined(missing, ", ")).fields("summary"),
                           score=score, findings=findings, details=details)
    return site_result(check_id, Outcome.PASS, **say("organisation-identifiable.summary.pass").fields("summary"),
                       score=1.0,
                       findings=findings, details=details)


# --------------------------------------------------------------------------- online services


@site_check(id="online-services", requires=("flemish_pages", "resources"))
def online_services(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    check_id = "online-services"
    empty = no_evidence_result(check_id, site)
    if empty is not None:
        return empty
    online_proves = {"online-form", "online-appointment", "eloket-mbp", "eloket-ondernemers",
                     "eloket-verenigingen", "mbp-embed-sdk"}
    online, printed = [], []
    for page in evidence_pages(site):
        for hit in page.hits:
            if hit.kind == "link" and hit.proves in online_proves:
                online.append((page.page_url, hit))
            elif hit.proves == "pdf-form":
                printed.append((page.page_url, hit))
    printed_urls = {hit.value.rsplit(" → ", 1)[-1] for _, hit in printed}
    form_documents = [r for r in site.resources
                      if re.search(r"(?i)formulier", r.url) and r.url not in printed_urls]
    details = {"online_links": len(online), "forms_to_print": len(printed) + len(form_documents)}
    findings: list[Finding] = []
    if online:
        findings.append(Finding(
            check_id=check_id, outcome=Outcome.PASS, severity=Severity.INFO,
            **say("online-services.finding.online-found").fields("title"), rule="online-found",
            fingerprint=f"{check_id}:online", occurrences=len(online),
            pages=list(dict.fromkeys(url for url, _ in online))[:50],
            pages_total=len(set(url for url, _ in online)),
            evidence=[hit_evidence(url, hit) for url, hit in online[:8]],
        ))
    if printed or form_documents:
        evidence = [hit_evidence(url, hit, t_en("online-services.expected.online")) for url, hit in printed[:8]]
        evidence += [Evidence(page_url=r.linked_from, snippet=r.url,
                              value=t_en("family.contact_channels.seen.a-form-document"),
                              expected=t_en("family.contact_channels.expected.an-online-form"))
                     for r in form_documents[: max(0, 8 - len(evidence))]]
        findings.insert(0, Finding(
            check_id=check_id, outcome=Outcome.WARNING if online else Outcome.FAIL,
            severity=Severity.MINOR if online else Severity.MODERATE,
            **say("online-services.finding.forms-to-print").fields("title"), rule="forms-to-print",
            fingerprint=f"{check_id}:forms-to-print", occurrences=len(printed) + len(form_documents),
            evidence=evidence,
        ))
    if online and not (printed or form_documents):
        return site_result(check_id, Outcome.PASS, **say("online-services.summary.pass",
                                                         online_count=len(online)).fields("summary"),
                           findings=findings, details=details)
    if online:
        return site_result(check_id, Outcome.WARNING,
                           **say("online-services.summary.warning",
                                 online_count=len(online),
                                 forms_to_print=details['forms_to_print']).fields("summary"),
                           findings=findings, details=details)
    if printed or form_documents:
        return site_result(check_id, Outcome.FAIL,
                           **say("online-services.summary.fail",
                                 forms_to_print=details['forms_to_print']).fields("summary"),
                           findings=findings, details=details)
    return site_result(check_id, Outcome.MANUAL,
                       **say("online-services.summary.manual").fields("summary"),
                       details=details, use_default_score=False)
