"""The cookie statement (cookieverklaring, cookiebeleid, politique de cookies, cookie policy,
Cookie-Richtlinie): is it published, and does it list every cookie's name, purpose and lifetime?

The Belgian cookie rule (art. 10/2 of the law of 30 July 2018, art. 129 of the former
telecommunications law) and GDPR art. 13 ask that visitors are told which cookies are set, what
for and for how long. The Flemish reference statement (flux-web-components ``cookie-statement``)
lists per cookie its name, purpose, domain, processor and validity ("geldigheid"). This check
reads the statement's visible text: a table whose header names the columns (naam/name/nom,
doel/purpose/finalité, bewaartermijn/geldigheid/duration/durée…), labelled lines ("Naam: _ga"),
or sentences that name cookies with their purpose and lifetime. Each of the three elements is
one finding with the rows or the sentence that prove it.

Many Flemish sites put the cookie information in the privacy statement ("Privacy en cookies");
when no separate cookie page is found, the privacy statement's text is read instead and the
result says so. Whether cookies are set before consent is not judged here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from auditor.model import CheckResult, Finding, Outcome, Severity, SiteArtifacts
from auditor.shared.texts import say, t_en, t_nl
from checks._statement_text import element_finding, elements_result, sentences_of, statement_text
from checks._support import site_result
from checks.registry import CheckContext, site_check
from checks.statements import statement_check

LINKED_ID = "cookie-statement-linked"
CONTENT_ID = "cookie-statement-content"
ROLE = "cookies"
ROWS_SHOWN = 4
C = "cookie-statement-content."  # the table of this check's texts in the catalogs
NAMES_LISTED = 12

_I = re.IGNORECASE

# the elements looked for, in order; their names are the catalog's cookie-statement-content.element.<rule>
ELEMENTS = ("cookie-names", "cookie-purposes", "cookie-lifetimes")
ELEMENT_NAMES = {rule: t_en(f"cookie-statement-content.element.{rule}") for rule in ELEMENTS}
ELEMENT_NAMES_NL = {rule: t_nl(f"cookie-statement-content.element.{rule}") for rule in ELEMENTS}

NAME_COLUMN = re.compile(r"\bnaam\b|\bname\b|\bnom\b|^cookies?$|^cookie\s*(?:naam|name)$", _I)
PURPOSE_COLUMN = re.compile(r"doel|functie|purpose|function|finalit|\bbut\b|beschrijving|omschrijving|description"
                            r"|waarvoor|gebruik", _I)
LIFETIME_COLUMN = re.compile(r"bewaar|geldig|looptijd|\bduur|verval|termijn|duration|expir|lifetime|retention"
                             r"|validit|dur[ée]e|conservation|levensduur", _I)

LABELLED = {
    "cookie-names": re.compile(r"^(?:naam|cookie\s*naam|name|nom|cookie)\s*:\s*(\S.{0,60})$", _I),
    "cookie-purposes": re.compile(r"^(?:doel|doeleinde|functie|purpose|finalit[ée]|but)\s*:\s*(\S.+)$", _I),
    "cookie-lifetimes": re.compile(r"^(?:bewaartermijn|geldigheid|looptijd|duur|vervaltermijn|levensduur|duration"
                                   r"|expiry|expiration|lifetime|retention|dur[ée]e|validit[ée])\s*:\s*(\S.+)$", _I),
}

COOKIE = re.compile(r"cookie", _I)
COOKIE_NAME = re.compile(
    r"(?<![\w@.])(?:_[A-Za-z]\w*|[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+|(?:PHP|J|ASP\.NET_)SESS\w*|[A-Z]{2,}[A-Z0-9]*ID)\b"
    r"|[\"“‘']([\w.-]{2,40})[\"”’']")
PURPOSE_WORDS = re.compile(r"\bom\b|\bvoor\b|\bdoel|\bgebruikt|\bonthoud|\bmeten|\bstatistie|\bto\b|\bused\b"
                           r"|\bpurpose|\bpour\b|\bafin\b|\bfinalit|\butilis", _I)
DURATION = re.compile(
    r"\d+\s*(?:dagen|dag|maanden|maand|jaren|jaar|uren|uur|minuten|weken|week|days?|months?|years?|hours?"
    r"|minutes?|weeks?|jours?|mois|ans?|heures?|semaines?)\b"
    r"|einde\s+van\s+(?:de|uw)\s+(?:sessie|browsersessie|bezoek)|\bsessie\b|\bsession\b|fin\s+de\s+(?:la\s+)?session"
    r"|\bpermanent|\bpersistent", _I)


@dataclass
class CookieTable:
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)  # element rule → column index

    def column(self, rule: str) -> list[str]:
        index = self.columns.get(rule)
        if index is None:
            return []
        return [row[index] for row in self.rows if index < len(row) and row[index].strip()]

    def proof(self) -> list[str]:
        shown = [self.header, *self.rows[:ROWS_SHOWN]]
        lines = [" | ".join(cell.strip() for cell in row) for row in shown]
        if len(self.rows) > ROWS_SHOWN:
            lines.append(t_en("family.cookie_statement.more-rows", count=len(self.rows) - ROWS_SHOWN))
        return ["\n".join(lines)]


def cookie_tables(text: str) -> list[CookieTable]:
    """Tables in a page's ``innerText`` (cells separated by tabs, a row per line) whose header
    names a cookie column and a purpose or lifetime column."""
    tables: list[CookieTable] = []
    current: Optional[CookieTable] = None
    for line in (text or "").splitlines():
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) < 2:
            current = None
            continue
        if current is not None:
            current.rows.append(cells)
            continue
        columns = _header_columns(cells)
        if "cookie-names" in columns and len(columns) >= 2:
            current = CookieTable(header=cells, columns=columns)
            tables.append(current)
    return [table for table in tables if table.rows]


def _header_columns(cells: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if len(cell) > 40:
            return {}
        for rule, pattern in (("cookie-names", NAME_COLUMN), ("cookie-purposes", PURPOSE_COLUMN),
                              ("cookie-lifetimes", LIFETIME_COLUMN)):
            if rule not in columns and pattern.search(cell):
                columns[rule] = index
                break
    return columns


def assess_cookie_statement(text: str) -> list[Finding]:
    """One finding per element of the cookie statement: names, purposes, lifetimes."""
    tables = cookie_tables(text)
    sentences = sentences_of(text)
    lines = [re.sub(r"\s+", " ", line).strip() for line in (text or "").splitlines()]
    findings = []
    for rule, expected in (
        ("cookie-names", t_en("cookie-statement-content.expected.cookie-names")),
        ("cookie-purposes", t_en("cookie-statement-content.expected.cookie-purposes")),
        ("cookie-lifetimes", t_en("cookie-statement-content.expected.cookie-lifetimes")),
    ):
        found, missing = say(f"cookie-statement-content.found.{rule}"), say(f"cookie-statement-content.missing.{rule}")
        table = next((t for t in tables if t.column(rule)), None)
        if table is not None:
            values = table.column(rule)
            findings.append(element_finding(
                CONTENT_ID, rule, Outcome.PASS,
                **say(C + "finding.in-table", found=found, count=len(values)).fields("title"), proof=table.proof(),
                expected=expected, value="; ".join(values[:NAMES_LISTED])))
            continue
        labelled = [m.group(1).strip() for line in lines if (m := LABELLED[rule].match(line))]
        if labelled:
            proof = [line for line in lines if LABELLED[rule].match(line)][:ROWS_SHOWN]
            findings.append(element_finding(
                CONTENT_ID, rule, Outcome.PASS,
                **say(C + "finding.labelled", found=found, count=len(labelled)).fields("title"), proof=proof,
                expected=expected, value="; ".join(labelled[:NAMES_LISTED])))
            continue
        sentence = next((s for s in sentences if COOKIE.search(s) and _SENTENCE_TESTS[rule](s)), None)
        if sentence:
            names = _cookie_names(sentence)
            if names:  # the sentence is about named cookies
                findings.append(element_finding(CONTENT_ID, rule, Outcome.PASS,
                                                **say(C + "finding.in-text", found=found).fields("title"),
                                                proof=[sentence], expected=expected, value="; ".join(names)))
            else:  # "we use cookies to improve your visit": said of cookies in general
                findings.append(element_finding(CONTENT_ID, rule, Outcome.WARNING,
                                                **say(C + "finding.in-general", missing=missing).fields("title"),
                                                proof=[sentence], expected=expected, severity=Severity.MODERATE))
            continue
        findings.append(element_finding(CONTENT_ID, rule, Outcome.FAIL, **missing.fields("title"), expected=expected,
                                        severity=Severity.MODERATE))
    return findings


def _cookie_names(sentence: str) -> list[str]:
    return [match.group(1) or match.group(0) for match in COOKIE_NAME.finditer(sentence)][:NAMES_LISTED]


_SENTENCE_TESTS = {
    "cookie-names": lambda s: bool(_cookie_names(s)),
    "cookie-purposes": lambda s: bool(PURPOSE_WORDS.search(s)),
    "cookie-lifetimes": lambda s: bool(DURATION.search(s)),
}


def cookie_text(site: SiteArtifacts) -> tuple[str, str, str]:
    """(text, URL, source): the cookie statement's text, or the privacy statement's when it
    carries the cookie information itself ("" when neither does)."""
    if site.role_pages.get(ROLE) or site.role_texts.get(ROLE):
        return site.role_texts.get(ROLE, ""), site.role_pages.get(ROLE, ""), "cookie statement"
    privacy = site.role_texts.get("privacy", "")
    if privacy and (cookie_tables(privacy) or sum(1 for s in sentences_of(privacy) if COOKIE.search(s)) >= 2):
        return privacy, site.role_pages.get("privacy", ""), "privacy statement"
    return "", "", ""


@site_check(id=LINKED_ID, requires=("role_pages", "role_texts", "pages"))
def cookie_statement_linked(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    result = statement_check(site, LINKED_ID, ROLE, say("family.statements.label.cookie"),
                             missing_outcome=Outcome.WARNING)
    text, url, source = cookie_text(site)
    if result.details.get("url") == "" and source == "privacy statement":
        return site_result(LINKED_ID, Outcome.PASS,
                           **say("family.cookie_statement.summary.pass",
                                 url=url).fields("summary"),
                           score=1.0, details={"url": url, "source": source})
    return result


@site_check(id=CONTENT_ID, requires=("role_texts", "role_pages"))
def cookie_statement_content(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    text, url, source = cookie_text(site)
    if source != "privacy statement":
        text, url, early = statement_text(site, CONTENT_ID, ROLE, say("family.statements.label.cookie"), LINKED_ID)
        if early is not None:
            return early
    tables = cookie_tables(text)
    return elements_result(CONTENT_ID, assess_cookie_statement(text), url, noun=say(C + "elements"), details={
        "element_names": dict(ELEMENT_NAMES), "element_names_nl": dict(ELEMENT_NAMES_NL), "source": source,
        "cookies_listed": max((len(t.rows) for t in tables), default=0),
    })
