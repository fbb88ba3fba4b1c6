"""Language of the page: does the declared ``lang`` match the language the text is written in?

A page declared ``lang="nl"`` whose text is French is read aloud by a screen reader with Dutch
pronunciation: as much a WCAG 3.1.1 failure as a missing ``lang`` (which ``html-lang``
reports). The text's language is detected offline with Lingua (``lingua-language-detector``),
restricted to the languages of Belgian public sites (Dutch, French, English, German) so short
texts are not mistaken for a far-away language. The check only judges when the page has
enough visible text and the detector is confident; otherwise it is not applicable.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from auditor.model import CheckResult, Outcome, PageArtifacts, Severity
from auditor.shared.texts import Text, say, t_en
from checks._dom import parse_dom
from checks._support import html_open_tag, lang_of_html_tag, page_result
from auditor.shared.wcag import wcag_finding
from checks.accessibility import is_valid_language_tag
from checks.registry import CheckContext, page_check

MIN_WORDS = 40  # below this, detection is too unreliable to hold against a site
MIN_CONFIDENCE = 0.80
TEXT_SAMPLE_CHARS = 6_000  # the words counted
# The language is detected on the opening of that text: Lingua's time grows with the text
# (2.3 ms for 6,000 characters, 0.8 ms for 2,000) and on 2,000 characters, some 300 words, it
# is as sure as on 6,000 for a text in one language (see docs/performance.md).
DETECTION_SAMPLE_CHARS = 2_000
SUPPORTED = ("nl", "fr", "en", "de")


def language_name(code: str) -> Text:
    """The name of a language the detector knows (nl, fr, en, de), in English and Dutch."""
    return say(f"lang-matches-text.language.{code}")


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        Language.DUTCH, Language.FRENCH, Language.ENGLISH, Language.GERMAN
    ).build()


def detect_language(text: str) -> tuple[Optional[str], float]:
    """(ISO 639-1 code, confidence 0..1) of the text among nl/fr/en/de; (None, 0) when empty."""
    if not text or not text.strip():
        return None, 0.0
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return None, 0.0
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), float(best.value)


def _has_words(text: str, count: int) -> bool:
    """Whether ``text`` has at least ``count`` words, without splitting all of a long text: a
    prefix never has more words than the whole (a word cut in two still counts once)."""
    return len(text[:TEXT_SAMPLE_CHARS].split()) >= count or len(text.split()) >= count


def main_text(page: PageArtifacts) -> str:
    """The page's prose: the ``<main>`` element's text when there is one (menus and footers
    are often in another language or in none), else the visible text."""
    if page.html:
        soup = parse_dom(page.html)
        main = soup.find("main") or soup.find(attrs={"role": "main"})
        if main is not None:
            text = main.get_text(" ", strip=True)
            if _has_words(text, MIN_WORDS):
                return text[:TEXT_SAMPLE_CHARS]
    return (page.text or "")[:TEXT_SAMPLE_CHARS]


@page_check(
    id="lang-matches-text",
    requires=("html", "text", "lang"),
    text_values={"min_words": MIN_WORDS, "min_confidence": MIN_CONFIDENCE},
)
def lang_matches_text(page: PageArtifacts, context: CheckContext) -> CheckResult:
    page_url = page.final_url or page.url
    open_tag = html_open_tag(page.html)
    declared = (lang_of_html_tag(open_tag) if open_tag else None) or page.lang or ""
    declared = declared.strip()
    if not declared or not is_valid_language_tag(declared):
        return page_result("lang-matches-text", page, Outcome.NOT_APPLICABLE,
                           t_en("lang-matches-text.summary.not-applicable.no-valid-lang"))
    primary = declared.split("-")[0].lower()
    if primary not in SUPPORTED:
        return page_result("lang-matches-text", page, Outcome.NOT_APPLICABLE,
                           t_en("lang-matches-text.summary.not-applicable.lang-only-are", declared=declared,
                                supported=', '.join(SUPPORTED)))
    text = main_text(page)
    words = len(re.findall(r"\w+", text))
    if words < MIN_WORDS:
        return page_result("lang-matches-text", page, Outcome.NOT_APPLICABLE,
                           t_en("lang-matches-text.summary.not-applicable.too-little-text", words=words),
                           details={"words": words})
    detected, confidence = detect_language(text[:DETECTION_SAMPLE_CHARS])
    details = {"declared": declared, "detected": detected or "", "confidence": round(confidence, 3), "words": words}
    if detected is None or confidence < MIN_CONFIDENCE:
        return page_result("lang-matches-text", page, Outcome.NOT_APPLICABLE,
                           t_en("lang-matches-text.summary.not-applicable.the-text-s"), details=details)
    if detected == primary:
        return page_result("lang-matches-text", page, Outcome.PASS,
                           t_en("lang-matches-text.summary.pass", declared=declared,
                                language=language_name(detected).en), details=details)
    sample = " ".join(text.split()[:40])
    finding = wcag_finding(
        "lang-matches-text", "lang-mismatch",
        **say("lang-matches-text.finding.lang-mismatch", declared=declared,
              language=language_name(detected)).fields("title"), criteria=["3.1.1"],
        outcome=Outcome.FAIL, severity=Severity.SERIOUS, page_url=page_url, selector="html",
        snippet=sample, value=t_en("family.language.seen.lang-text-detected", declared=declared, detected=detected,
                                   confidence=confidence),
        expected=t_en("family.language.expected.lang-or-text-in", detected=detected),
        fingerprint=f"lang-matches-text:{primary}->{detected}",
    )
    return page_result("lang-matches-text", page, Outcome.FAIL,
                       t_en("lang-matches-text.summary.fail", declared=declared, language=language_name(detected).en),
                       findings=[finding], details=details)
