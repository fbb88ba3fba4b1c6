"""Reading a statement page's text for required elements: the machinery the statement-content
checks share (accessibility statement, privacy statement, cookie statement).

A statement check splits the page's visible text into sentences, looks for each required
element in them and reports one finding per element: found (pass, with the sentence that
proves it) or missing. The checks differ only in their elements and phrasing; the splitting,
date reading, finding shape, score and summary live here, so every statement reads the same way
in the report (a checklist: element, outcome, proving sentence).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Callable, Optional

from auditor.model import CheckResult, Evidence, Finding, Outcome, Severity, SiteArtifacts
from auditor.shared.texts import Text, joined, say
from checks._support import cap_snippet, site_result

SENTENCE_SNIPPET_MAX = 400

Test = Callable[[str], bool]

_I = re.IGNORECASE

_MONTHS = {
    # Dutch
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "augustus": 8,
    "september": 9, "oktober": 10, "november": 11, "december": 12,
    # French
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "décembre": 12, "decembre": 12,
    # English
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10,
}
_DATE_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DATE_WORDS = re.compile(r"\b(\d{1,2})(?:e|er|st|nd|rd|th)?\s+([a-zéû]+)\s+(\d{4})\b", _I)
_DATE_WORDS_EN = re.compile(r"\b([a-z]+)\s+(\d{1,2}),?\s+(\d{4})\b", _I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý0-9])")

# The score of one element: found, found but incomplete, missing.
ELEMENT_SCORE = {Outcome.PASS: 1.0, Outcome.WARNING: 0.5, Outcome.FAIL: 0.0}


def sentences_of(text: str) -> list[str]:
    """The text's sentences: every line is split at sentence ends; whitespace (table cells'
    tabs included) is collapsed."""
    parts: list[str] = []
    for line in (text or "").splitlines():
        line = re.sub(r"\s+", " ", line).strip()
        if line:
            parts.extend(p.strip() for p in _SENTENCE_END.split(line) if p.strip())
    return parts


def dates_in(sentence: str) -> list[date]:
    """Every calendar date written in the sentence (31/12/2025, 2025-12-31, 31 december 2025,
    December 31, 2025), in Dutch, French or English."""
    found: list[date] = []

    def add(year: int, month: int, day: int) -> None:
        try:
            found.append(date(year, month, day))
        except ValueError:
            pass

    for d, m, y in _DATE_NUMERIC.findall(sentence):
        add(int(y), int(m), int(d))
    for y, m, d in _DATE_ISO.findall(sentence):
        add(int(y), int(m), int(d))
    for d, month, y in _DATE_WORDS.findall(sentence):
        if month.lower() in _MONTHS:
            add(int(y), _MONTHS[month.lower()], int(d))
    for month, d, y in _DATE_WORDS_EN.findall(sentence):
        if month.lower() in _MONTHS:
            add(int(y), _MONTHS[month.lower()], int(d))
    return found


def first_sentence(sentences: list[str], test: Test) -> Optional[str]:
    return next((s for s in sentences if test(s)), None)


def matches_any(patterns: list[re.Pattern[str]]) -> Test:
    return lambda s: any(p.search(s) for p in patterns)


def proving_sentence(sentences: list[str], test: Test) -> Optional[str]:
    """The sentence that best proves an element: the first statement that matches; when only a
    heading matches ("Hoelang bewaren we uw gegevens?"), the heading with the sentence after it,
    so the evidence shows the answer and not just the question."""
    heading: Optional[int] = None
    for index, sentence in enumerate(sentences):
        if not test(sentence):
            continue
        if not _is_heading(sentence):
            return sentence
        if heading is None:
            heading = index
    if heading is None:
        return None
    return " ".join(sentences[heading: heading + 2])


def _is_heading(sentence: str) -> bool:
    return sentence.endswith("?") or (len(sentence.split()) <= 6 and not sentence.endswith("."))


T = "family.statement_text."  # the table of these helpers' texts in the catalogs


def element_finding(check_id: str, rule: str, outcome: Outcome, title: str, *,
                    proof: Optional[list[str]] = None, expected: str = "", value: str = "",
                    severity: Severity = Severity.SERIOUS, title_nl: str = "") -> Finding:
    """One element of a statement: ``proof`` holds the sentence(s) that show it (empty when the
    element is missing); a passed element is informational. ``title_nl``: the title in Dutch."""
    sentences = [s for s in (proof or []) if s] or [""]
    return Finding(
        check_id=check_id, outcome=outcome, title=title,
        severity=Severity.INFO if outcome == Outcome.PASS else severity,
        rule=rule, fingerprint=f"{check_id}:{rule}",
        evidence=[Evidence(snippet=cap_snippet(sentence, SENTENCE_SNIPPET_MAX), value=value, expected=expected)
                  for sentence in sentences],
        title_nl=title_nl,
    )


def statement_text(site: SiteArtifacts, check_id: str, role: str,
                   label: Text, linked_check: str) -> tuple[str, str, Optional[CheckResult]]:
    """(text, URL, early result): the statement's text and address, or the honest result when
    there is nothing to read (no statement found: not applicable, the linked check fails it; a
    statement without readable text: manual). ``label``: the statement's name in both languages."""
    text = site.role_texts.get(role, "")
    url = site.role_pages.get(role, "")
    if not url and not text:
        return "", "", site_result(check_id, Outcome.NOT_APPLICABLE,
                                   **say(T + "summary.not-found", label=label, linked=linked_check).fields("summary"))
    if not text.strip():
        return "", url, site_result(
            check_id, Outcome.MANUAL, details={"url": url},
            **say(T + "summary.unreadable", label=label, url=url).fields("summary"))
    return text, url, None


def elements_result(check_id: str, findings: list[Finding], url: str, *,
                    noun: Optional[Text] = None, details: Optional[dict] = None) -> CheckResult:
    """The site result of a statement-content check: one finding per element (each pinned to the
    statement's page), score = share of elements found (a warning counts half), fail when any
    element is missing. ``details["elements"]`` maps each element's rule to its outcome."""
    for finding in findings:
        finding.pages = [url] if url else []
        finding.pages_total = 1 if url else 0
        for example in finding.evidence:
            example.page_url = url
    score = sum(ELEMENT_SCORE[f.outcome] for f in findings) / len(findings) if findings else None
    missing = [f for f in findings if f.outcome == Outcome.FAIL]
    weak = [f for f in findings if f.outcome == Outcome.WARNING]
    outcome = Outcome.FAIL if missing else Outcome.WARNING if weak else Outcome.PASS
    found = len(findings) - len(missing) - len(weak)
    parts = [say(T + "summary.found", found=found, total=len(findings), noun=noun or say(T + "required-elements"))]
    if missing:
        parts.append(say(T + "summary.missing", rules=", ".join(f.rule for f in missing)))
    if weak:
        parts.append(say(T + "summary.to-improve", rules=", ".join(f.rule for f in weak)))
    summary = joined(parts, "")
    all_details = {"url": url, "elements": {f.rule: f.outcome.value for f in findings}}
    all_details.update(details or {})
    return site_result(check_id, outcome, **summary.fields("summary"), score=score, findings=findings,
                       details=all_details, use_default_score=False)
