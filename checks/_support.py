"""Small helpers shared by the check families: building results, reading the DOM, matching URLs.

Kept out of the registry (the leading underscore keeps ``load_all`` from treating it as a check
family) so every check family builds its results the same way: page results carry their page
URL and the page counters the aggregator relies on, and scores follow one convention.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Optional

from auditor.model import CheckResult, Finding, Outcome, PageArtifacts, PageStatus, PageSummary, TransportProbe
from auditor.shared.snippets import SNIPPET_MAX_CHARS, cap_snippet  # noqa: F401 - the checks take it from here
from auditor.shared.texts import Text, say
from auditor.shared.urls import scheme_of

# A binary check that only warns still moves the score, but by half: the same convention in
# every family keeps a "warning" outcome and a criterion's warning band (0.5..0.9) consistent.
OUTCOME_DEFAULT_SCORE: dict[Outcome, float] = {
    Outcome.PASS: 1.0,
    Outcome.WARNING: 0.5,
    Outcome.FAIL: 0.0,
}


def site_kind_name(kind: str) -> Text:
    """A site kind (``SiteKind`` value) in words, in English and Dutch."""
    return say(f"site.kind.{kind}")


def audience_name(audience: str) -> Text:
    """An audience (``Audience`` value) in words, in English and Dutch."""
    return say(f"site.audience.{audience}")


def default_score(outcome: Outcome) -> Optional[float]:
    """The score a binary check gives for an outcome; None for outcomes that are not scored."""
    return OUTCOME_DEFAULT_SCORE.get(outcome)


def page_result(
    check_id: str,
    page: PageArtifacts,
    outcome: Outcome,
    summary: str,
    *,
    score: Optional[float] = None,
    findings: Optional[list[Finding]] = None,
    details: Optional[dict[str, Any]] = None,
    use_default_score: bool = True,
    summary_nl: str = "",
) -> CheckResult:
    """A page-scope result, with the page counters filled so aggregation can sum them
    (``summary_nl``: the summary in Dutch, for the Dutch report)."""
    if score is None and use_default_score:
        score = default_score(outcome)
    page_url = page.final_url or page.url
    evaluated = outcome in (Outcome.PASS, Outcome.FAIL, Outcome.WARNING, Outcome.MANUAL)
    return CheckResult(
        check_id=check_id,
        outcome=outcome,
        score=score,
        summary=summary,
        findings=findings or [],
        page_url=page_url,
        pages_evaluated=1 if evaluated else 0,
        pages_passed=1 if outcome == Outcome.PASS else 0,
        details=details or {},
        summary_nl=summary_nl,
    )


def site_result(
    check_id: str,
    outcome: Outcome,
    summary: str,
    *,
    score: Optional[float] = None,
    findings: Optional[list[Finding]] = None,
    details: Optional[dict[str, Any]] = None,
    pages_evaluated: int = 0,
    pages_passed: int = 0,
    use_default_score: bool = True,
    summary_nl: str = "",
) -> CheckResult:
    """A site-scope result; binary outcomes get the default score unless one is given
    (``summary_nl``: the summary in Dutch, for the Dutch report)."""
    if score is None and use_default_score:
        score = default_score(outcome)
    return CheckResult(
        check_id=check_id,
        outcome=outcome,
        score=score,
        summary=summary,
        findings=findings or [],
        pages_evaluated=pages_evaluated,
        pages_passed=pages_passed,
        details=details or {},
        summary_nl=summary_nl,
    )


# ----------------------------------------------------------------------------- the DOM


def html_mentions(html: str, *words: str) -> bool:
    """Whether the raw DOM text contains any of ``words`` (lower case), in any letter case: a
    check that looks for rare elements or attributes (``<marquee>``, ``itemtype``…) skips its
    walks over the parsed tree when the words it needs never occur, which is most pages."""
    if not html:
        return False
    lowered = _lowered(html)
    return any(word in lowered for word in words)


@lru_cache(maxsize=2)
def _lowered(html: str) -> str:
    # plain substring search on a lowered copy: a case-insensitive regex alternation took
    # 3 ms on a 66 KB page, this takes a tenth of that
    return html.lower()


_HTML_OPEN_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_LANG_ATTR = re.compile(r"""\blang\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def html_open_tag(html: str) -> str:
    """The ``<html …>`` opening tag, found without parsing the whole DOM ("" when absent)."""
    match = _HTML_OPEN_TAG.search(html[:20000]) if html else None
    return match.group(0) if match else ""


def lang_of_html_tag(tag: str) -> Optional[str]:
    """The ``lang`` attribute of an opening tag: None when the attribute is absent."""
    # xml:lang must not be taken for lang; WCAG 3.1.1 in HTML is about the lang attribute.
    cleaned = re.sub(r"xml:lang\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", "", tag, flags=re.IGNORECASE)
    match = _LANG_ATTR.search(cleaned)
    if not match:
        return None
    return next(group for group in match.groups() if group is not None)


def challenged_on_plain_http(probe: TransportProbe) -> bool:
    """A plain-HTTP probe answered by a WAF/bot challenge without a redirect: what the site
    itself does on plain HTTP cannot be told, so no check judges it."""
    return bool(probe.bot_challenge) and scheme_of(probe.final_url or probe.url) == "http"


def page_address(page: PageSummary) -> str:
    return page.final_url or page.url


# Statuses that mean the site refused or did not answer us in time: not assessable, not failed.
BLOCKING_STATUSES = frozenset({PageStatus.BLOCKED, PageStatus.TIMEOUT})
