"""Accessibility checks: axe-core results per page, plus two WCAG checks read from the DOM.

The axe checks turn the raw axe-core results the gatherer saved (``PageArtifacts.axe``) into
findings grouped per rule, with the WCAG success criteria, the impact and example elements.
The score follows Lighthouse's accessibility category: the weighted share of applicable axe
rules that passed, each rule weighted by its impact (critical 10, serious 7, moderate 3,
minor 1). Rules axe could not decide (``incomplete``) are not scored here; they become
``manual`` findings of ``axe-needs-review`` so a person sees them.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Iterable, Optional

from auditor.model import CheckResult, Evidence, Finding, Outcome, PageArtifacts, Severity
from auditor.shared.texts import Text, say, t_en
from checks._axe_rules import RULE_IMPACT
from checks._dom import parse_dom
from checks._support import cap_snippet, html_open_tag, lang_of_html_tag, page_result
from auditor.shared.wcag import level_from_axe_tags
from checks.registry import CheckContext, page_check

IMPACT_WEIGHT: dict[str, int] = {s.value: s.weight for s in Severity if s.weight}
# A rule axe-core does not declare an impact for counts as moderate: neither ignored nor
# allowed to dominate the score.
FALLBACK_IMPACT = "moderate"
# Every element axe reported on a page (the gatherer keeps up to 50 per rule) is kept in the
# page's finding, so the per-occurrence export (occurrences.csv) lists each one; the merged
# site-level finding keeps only a few examples.
EVIDENCE_PER_FINDING = 50
# Frame and shadow-DOM boundaries inside one axe target, as Playwright's piercing notation.
TARGET_BOUNDARY = " >>> "

_WCAG_SC_TAG = re.compile(r"^wcag(\d)(\d)(\d{1,2})$")


# ----------------------------------------------------------------------------- axe helpers


def wcag_success_criteria(tags: Iterable[str]) -> list[str]:
    """WCAG success criteria named by axe tags: ``wcag111`` → ``1.1.1``, ``wcag1410`` → ``1.4.10``.

    Level tags such as ``wcag2aa`` or ``wcag21aa`` name a conformance level, not a criterion,
    and are skipped (they contain letters after the digits).
    """
    found: list[str] = []
    for tag in tags or ():
        match = _WCAG_SC_TAG.match(str(tag))
        if match:
            criterion = ".".join(match.groups())
            if criterion not in found:
                found.append(criterion)
    return found


def rule_impact(item: dict[str, Any]) -> str:
    """The impact of a rule result: axe's own value on failures, the rule's declared impact
    for passes (axe leaves it empty there)."""
    impact = item.get("impact")
    if impact in IMPACT_WEIGHT:
        return impact
    return RULE_IMPACT.get(str(item.get("id", "")), FALLBACK_IMPACT)


def impact_severity(impact: Optional[str]) -> Severity:
    try:
        return Severity(impact) if impact else Severity.MODERATE
    except ValueError:
        return Severity.MODERATE


def target_selector(target: Any) -> str:
    """One readable selector from an axe target: a list with one entry per frame level, where
    an entry is itself a list when the element sits in a shadow root."""
    if isinstance(target, str):
        return target
    parts: list[str] = []
    for part in target or ():
        parts.append(target_selector(part) if isinstance(part, list) else str(part))
    return TARGET_BOUNDARY.join(parts)


_POSITION_PSEUDO = re.compile(r":nth-(?:last-)?(?:child|of-type)\([^)]*\)")
# Digit runs in ids, classes and attribute values differ between pages that share a template
# (``#block-123``, ``li:nth-child(4)``); heading element names (h1..h6) keep their digit.
_VARIABLE_DIGITS = re.compile(r"(?<!\bh)\d+")


def normalise_selector(selector: str) -> str:
    """Strip what varies between pages built from one template, so one template error found on
    many pages gets one fingerprint."""
    selector = _POSITION_PSEUDO.sub("", selector)
    selector = _VARIABLE_DIGITS.sub("*", selector)
    return re.sub(r"\s+", " ", selector).strip()


def rule_fingerprint(check_id: str, rule_id: str, selectors: Iterable[str]) -> str:
    """``check:rule:digest`` of the set of normalised selectors; stable across pages and runs."""
    selector_set = sorted({normalise_selector(s) for s in selectors if s})
    digest = hashlib.sha1("\n".join(selector_set).encode("utf-8")).hexdigest()[:12]
    return f"{check_id}:{rule_id}:{digest}"


def rule_finding(check_id: str, item: dict[str, Any], outcome: Outcome, page_url: str) -> Finding:
    """One finding for one axe rule on one page: every node counts, ten are shown."""
    rule_id = str(item.get("id", "unknown-rule"))
    nodes = [node for node in item.get("nodes") or [] if isinstance(node, dict)]
    selectors = [target_selector(node.get("target")) for node in nodes]
    evidence = [
        Evidence(
            page_url=page_url,
            selector=selector,
            snippet=cap_snippet(str(node.get("html", ""))),
            value=cap_snippet(str(node.get("failureSummary", ""))),
            expected=str(item.get("help", "")),
        )
        for node, selector in zip(nodes[:EVIDENCE_PER_FINDING], selectors)
    ]
    criteria = wcag_success_criteria(item.get("tags") or [])
    return Finding(
        check_id=check_id,
        outcome=outcome,
        title=str(item.get("help") or rule_id),
        severity=impact_severity(rule_impact(item)),
        rule=rule_id,
        description=str(item.get("description", "")),
        help_url=str(item.get("helpUrl", "")),
        wcag_sc=criteria,
        wcag_level=level_from_axe_tags(item.get("tags") or [], criteria),
        fingerprint=rule_fingerprint(check_id, rule_id, selectors),
        # the gatherer keeps 50 nodes per rule and records how many there were
        occurrences=max(_int_or(item.get("nodes_total"), len(nodes)), len(nodes), 1),
        pages=[page_url],
        pages_total=1,
        evidence=evidence,
    )


def _int_or(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def weighted_rule_score(passes: list[dict], violations: list[dict]) -> Optional[float]:
    """Lighthouse's accessibility score: weight of passed rules over weight of applicable rules."""
    passed = sum(IMPACT_WEIGHT[rule_impact(item)] for item in passes)
    failed = sum(IMPACT_WEIGHT[rule_impact(item)] for item in violations)
    if passed + failed == 0:
        return None
    return passed / (passed + failed)


def _axe_problem(page: PageArtifacts) -> Optional[str]:
    """Why the page's axe results cannot be used, or None when they can."""
    if page.axe is None:
        return t_en("family.accessibility.axe.not-run")
    if not isinstance(page.axe, dict):
        return t_en("family.accessibility.axe.bad-shape")
    if page.axe.get("error"):
        return t_en("family.accessibility.axe.failed", error=str(page.axe["error"])[:200])
    return None


def _axe_version(page: PageArtifacts) -> str:
    engine = (page.axe or {}).get("testEngine") or {}
    return str(engine.get("version", "")) if isinstance(engine, dict) else ""


def _rule_items(page: PageArtifacts, key: str) -> list[dict]:
    return [item for item in (page.axe or {}).get(key) or [] if isinstance(item, dict)]


# ----------------------------------------------------------------------------- axe checks


@page_check(id="axe-violations", requires=("axe",))
def axe_violations(page: PageArtifacts, context: CheckContext) -> CheckResult:
    problem = _axe_problem(page)
    if problem:
        return page_result("axe-violations", page, Outcome.ERROR, problem)
    page_url = page.final_url or page.url
    violations = _rule_items(page, "violations")
    passes = _rule_items(page, "passes")
    score = weighted_rule_score(passes, violations)
    findings = [rule_finding("axe-violations", item, Outcome.FAIL, page_url) for item in violations]
    findings.sort(key=lambda f: (-f.severity.rank, -f.occurrences, f.rule))
    by_impact: dict[str, int] = {}
    for finding in findings:
        by_impact[finding.severity.value] = by_impact.get(finding.severity.value, 0) + 1
    details = {
        "axe_version": _axe_version(page),
        "rules_passed": len(passes),
        "rules_failed": len(violations),
        "rules_incomplete": len(_rule_items(page, "incomplete")),
        "elements_failed": sum(f.occurrences for f in findings),
        "rules_failed_by_impact": by_impact,
    }
    if violations:
        return page_result(
            "axe-violations", page, Outcome.FAIL,
            t_en("axe-violations.summary.fail", rules=len(violations), elements=details["elements_failed"]),
            score=score, findings=findings, details=details, use_default_score=False,
        )
    if score is None:
        return page_result(
            "axe-violations", page, Outcome.NOT_APPLICABLE,
            t_en("axe-violations.summary.not-applicable"), details=details,
        )
    return page_result(
        "axe-violations", page, Outcome.PASS,
        t_en("axe-violations.summary.pass", passes_count=len(passes)), score=score, details=details,
    )


@page_check(id="axe-needs-review", requires=("axe",))
def axe_needs_review(page: PageArtifacts, context: CheckContext) -> CheckResult:
    problem = _axe_problem(page)
    if problem:
        return page_result("axe-needs-review", page, Outcome.ERROR, problem)
    page_url = page.final_url or page.url
    incomplete = _rule_items(page, "incomplete")
    if not incomplete:
        return page_result(
            "axe-needs-review", page, Outcome.NOT_APPLICABLE,
            t_en("axe-needs-review.summary.not-applicable"), details={"axe_version": _axe_version(page)},
        )
    findings = [
        rule_finding("axe-needs-review", item, Outcome.MANUAL, page_url) for item in incomplete
    ]
    findings.sort(key=lambda f: (-f.severity.rank, -f.occurrences, f.rule))
    elements = sum(f.occurrences for f in findings)
    return page_result(
        "axe-needs-review", page, Outcome.MANUAL,
        t_en("axe-needs-review.summary.manual", findings_count=len(findings), elements=elements),
        findings=findings,
        details={"axe_version": _axe_version(page), "rules_to_review": len(findings)},
    )


# ----------------------------------------------------------------------------- DOM checks

# BCP 47 in practice: a 2–3 letter language (or a private/grandfathered i-/x- tag), then
# subtags of 1–8 letters or digits. Enough to catch the mistakes seen on real sites:
# empty values, "nl_BE", "dutch", "{{lang}}".
_LANGUAGE_TAG = re.compile(r"^(?:[a-z]{2,3}|[ix])(?:-[a-z0-9]{1,8})*$", re.IGNORECASE)


def is_valid_language_tag(value: str) -> bool:
    return bool(_LANGUAGE_TAG.match(value.strip()))


@page_check(id="html-lang", requires=("html", "lang"))
def html_lang(page: PageArtifacts, context: CheckContext) -> CheckResult:
    page_url = page.final_url or page.url
    open_tag = html_open_tag(page.html)
    declared = lang_of_html_tag(open_tag) if open_tag else None
    if declared is None and not open_tag and page.lang:
        declared = page.lang  # no DOM saved: trust what the browser reported
    details = {"lang": declared or ""}

    def finding(title: Text, value: str) -> Finding:
        return Finding(
            check_id="html-lang",
            outcome=Outcome.FAIL,
            **title.fields("title"),
            severity=Severity.SERIOUS,
            rule="html-lang",
            wcag_sc=["3.1.1"],
            wcag_level="A",
            fingerprint=f"html-lang:{title.en}",
            pages=[page_url],
            pages_total=1,
            evidence=[
                Evidence(
                    page_url=page_url,
                    selector="html",
                    snippet=cap_snippet(open_tag),
                    value=value,
                    expected=t_en("family.accessibility.expected.a-language-tag"),
                )
            ],
        )

    if declared is None or not declared.strip():
        title = say("html-lang.finding.no-lang" if declared is None else "html-lang.finding.empty-lang")
        return page_result(
            "html-lang", page, Outcome.FAIL, title.en,
            findings=[finding(title, declared or "")], details=details,
        )
    if not is_valid_language_tag(declared):
        title = say("html-lang.finding.invalid-lang")
        return page_result(
            "html-lang", page, Outcome.FAIL, t_en("html-lang.summary.fail", title=title.en, declared=declared[:40]),
            findings=[finding(title, declared[:100])], details=details,
        )
    details["primary_language"] = declared.strip().split("-")[0].lower()
    return page_result("html-lang", page, Outcome.PASS, t_en("html-lang.summary.pass", lang=declared.strip()),
                       details=details)



def page_title_text(page: PageArtifacts) -> str:
    """The document title the browser reported, or the ``<title>`` in the saved DOM."""
    if page.title and page.title.strip():
        return page.title.strip()
    if not page.html:
        return ""
    soup = parse_dom(page.html)
    title = soup.title
    return title.get_text(" ", strip=True) if title else ""


@page_check(id="page-title", requires=("title", "html"))
def page_title(page: PageArtifacts, context: CheckContext) -> CheckResult:
    page_url = page.final_url or page.url
    title = page_title_text(page)
    if title:
        return page_result(
            "page-title", page, Outcome.PASS, t_en("page-title.summary.pass", title=cap_snippet(title, 120)),
            details={"title": cap_snippet(title, 300), "length": len(title)},
        )
    finding = Finding(
        check_id="page-title",
        outcome=Outcome.FAIL,
        **say("page-title.finding.page-title").fields("title"),
        severity=Severity.SERIOUS,
        rule="page-title",
        wcag_sc=["2.4.2"],
        wcag_level="A",
        fingerprint="page-title:missing",
        pages=[page_url],
        pages_total=1,
        evidence=[Evidence(page_url=page_url, selector="title", value="",
                           expected=t_en("family.accessibility.expected.a-non-empty-title"))],
    )
    return page_result(
        "page-title", page, Outcome.FAIL, t_en("page-title.summary.fail"),
        findings=[finding], details={"title": "", "length": 0},
    )
