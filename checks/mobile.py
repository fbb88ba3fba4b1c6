"""Mobile checks: whether a page is built to be read on a phone.

Principle 3 (Digitaal herdacht) asks for processes that are "maximaal mobiel bruikbaar". The
first thing a phone needs is a viewport declaration; without it the page is laid out at 980 px
and shrunk, and the overflow measured in the browser cannot even show it. Blocking zoom is a
WCAG 1.4.4 (Resize Text) problem, so it is reported as well.

The other checks read the mobile pass (auditor/gather/collectors/mobile.py): the same page resized to a
phone viewport and to 320 CSS px: sideways scrolling (reflow-320, mobile-overflow), tap target
size (tap-targets), font size (legible-text), text cut off by overflow: hidden (clipped-content),
and page weight and load timings against the budgets in configs/budgets.toml (page-weight).
"""

from __future__ import annotations

import re
from typing import Optional

from auditor.model import (
    CheckResult,
    ClippedText,
    Evidence,
    Finding,
    LayoutAtWidth,
    Outcome,
    PageArtifacts,
    Severity,
)
from auditor.shared.texts import Text, say, t_en
from checks._dom import parse_dom
from checks._support import cap_snippet, page_result
from auditor.shared.wcag import lowest_level
from checks.accessibility import rule_fingerprint
from checks.registry import CheckContext, page_check

# WCAG 1.4.4 asks for 200 % text resize; axe's meta-viewport rule uses the same limit.
MINIMUM_MAXIMUM_SCALE = 2.0
_ZOOM_DISABLED_VALUES = {"no", "0", "false"}


def viewport_content(page: PageArtifacts) -> Optional[str]:
    """The content of ``<meta name="viewport">``: from the gathered meta map, else the DOM.
    None when the page has no such meta element."""
    for name, content in (page.meta or {}).items():
        if name.strip().lower() == "viewport":
            return content
    if not page.html:
        return None
    soup = parse_dom(page.html)
    for meta in soup.find_all("meta"):
        if str(meta.get("name", "")).strip().lower() == "viewport":
            return str(meta.get("content", ""))
    return None


def parse_viewport(content: str) -> dict[str, str]:
    """``"width=device-width, initial-scale=1"`` → ``{"width": "device-width", …}``.

    Browsers accept commas and semicolons as separators and are lenient about spaces.
    """
    properties: dict[str, str] = {}
    for part in re.split(r"[,;]", content or ""):
        if "=" not in part:
            continue
        key, _, value = part.partition("=")
        properties[key.strip().lower()] = value.strip().strip("'\"").lower()
    return properties


def _as_number(value: str) -> Optional[float]:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@page_check(id="viewport-meta", requires=("meta", "html"))
def viewport_meta(page: PageArtifacts, context: CheckContext) -> CheckResult:
    page_url = page.final_url or page.url
    content = viewport_content(page)
    snippet = "" if content is None else f'<meta name="viewport" content="{cap_snippet(content, 300)}">'

    def finding(key: str, title: Text, outcome: Outcome, severity: Severity, expected: str,
                wcag: list[str]) -> Finding:
        return Finding(
            check_id="viewport-meta",
            outcome=outcome,
            **title.fields("title"),
            severity=severity,
            rule=key,
            wcag_sc=wcag,
            fingerprint=f"viewport-meta:{key}",
            pages=[page_url],
            pages_total=1,
            evidence=[Evidence(page_url=page_url, selector='meta[name="viewport"]',
                               snippet=snippet, value=content or "", expected=expected)],
        )

    if content is None:
        title = say("viewport-meta.finding.viewport-missing")
        return page_result(
            "viewport-meta", page, Outcome.FAIL, title.en,
            findings=[finding("viewport-missing", title, Outcome.FAIL, Severity.SERIOUS,
                              t_en("family.mobile.expected.width-device-width"), [])],
            details={"viewport": None},
        )

    properties = parse_viewport(content)
    details = {"viewport": content, "properties": properties}
    findings: list[Finding] = []
    outcome = Outcome.PASS

    width = properties.get("width")
    if width != "device-width":
        if width is None and "initial-scale" in properties:
            # Browsers adapt to the device width when only initial-scale is set (Lighthouse
            # accepts it), but some older ones do not: worth a warning, not a failure.
            findings.append(finding("viewport-width", say("viewport-meta.finding.initial-scale-only"),
                                    Outcome.WARNING, Severity.MINOR, t_en("family.mobile.expected.width-device-width-2"), []))
            outcome = Outcome.WARNING
        else:
            findings.append(finding("viewport-width", say("viewport-meta.finding.no-device-width"),
                                    Outcome.FAIL, Severity.SERIOUS, t_en("family.mobile.expected.width-device-width-2"), []))
            outcome = Outcome.FAIL

    zoom_blocked_by: list[str] = []
    if properties.get("user-scalable") in _ZOOM_DISABLED_VALUES:
        zoom_blocked_by.append(f"user-scalable={properties['user-scalable']}")
    maximum_scale = _as_number(properties.get("maximum-scale", ""))
    if maximum_scale is not None and maximum_scale < MINIMUM_MAXIMUM_SCALE:
        zoom_blocked_by.append(f"maximum-scale={properties['maximum-scale']}")
    if zoom_blocked_by:
        findings.append(finding("viewport-zoom", say("viewport-meta.finding.viewport-zoom",
                                                     blocked_by=", ".join(zoom_blocked_by)),
                                Outcome.WARNING, Severity.SERIOUS,
                                t_en("family.mobile.expected.zoom-allowed-no-user-scalable-no-maximum"), ["1.4.4"]))
        if outcome == Outcome.PASS:
            outcome = Outcome.WARNING

    if outcome == Outcome.PASS:
        summary = t_en("viewport-meta.summary.pass", viewport=cap_snippet(content, 120))
    else:
        summary = "; ".join(f.title for f in findings)
    return page_result("viewport-meta", page, outcome, summary, findings=findings, details=details)


# ============================================================================ the mobile pass
# The checks below read PageArtifacts.mobile, filled by auditor/gather/collectors/mobile.py: the page
# resized to a phone viewport (412 px) and to 320 CSS px in the same browser visit.

OVERFLOW_TOLERANCE_PX = 2
# the tables of the mobile pass's shared texts in the catalogs
M = "family.mobile."
W = "page-weight.finding."
EVIDENCE_PER_FINDING = 5
SMALL_TEXT_FAIL_SHARE = 0.40  # Lighthouse's font-size audit: at least 60 % of text legible
SMALL_TEXT_WARN_SHARE = 0.10
# Used when the run's settings carry no budgets (hand-made contexts, runs saved before budgets
# existed); configs/budgets.toml holds the same values and is what the engine passes.
DEFAULT_BUDGETS: dict[str, float] = {
    "page_bytes": 1_500_000,
    "lcp_ms": 2500.0,
    "requests": 100,
    "oversized_image_ratio": 2.0,
    "oversized_image_min_bytes": 100_000,
}


def has_mobile_layout(page: PageArtifacts) -> bool:
    """Whether a phone lays the page out at its own width: a viewport meta with
    width=device-width (or, as browsers accept, only an initial-scale). Without it a phone lays
    the page out at 980 px and shrinks it."""
    content = viewport_content(page)
    if content is None:
        return False
    properties = parse_viewport(content)
    width = properties.get("width")
    return width == "device-width" or (width is None and "initial-scale" in properties)


def _mobile_not_measured(check_id: str, page: PageArtifacts, slot: str) -> Optional[CheckResult]:
    """The result to give when the mobile pass did not measure what the check needs."""
    mobile = page.mobile
    if mobile is not None and (slot == "" or getattr(mobile, slot) is not None):
        return None
    error = page.collector_errors.get("mobile")
    if error:
        return page_result(check_id, page, Outcome.ERROR, t_en("family.mobile.summary.error", error=error))
    return page_result(check_id, page, Outcome.NOT_APPLICABLE,
                       t_en("family.mobile.summary.not-applicable.the-mobile-pass"))


def _finding(check_id: str, rule: str, title: Text, outcome: Outcome, severity: Severity,
             page_url: str, evidence: list[Evidence], *, wcag: tuple[str, ...] = (),
             selectors: tuple[str, ...] = (), occurrences: int = 1, description: str = "") -> Finding:
    """A finding of the mobile pass; ``title`` in English and Dutch, from the text catalog."""
    return Finding(
        check_id=check_id,
        outcome=outcome,
        **title.fields("title"),
        severity=severity,
        rule=rule,
        description=description,
        wcag_sc=list(wcag),
        wcag_level=lowest_level(wcag),
        # one template problem on many pages is one finding: the fingerprint holds the
        # normalised selectors, not the page
        fingerprint=rule_fingerprint(check_id, rule, selectors) if selectors else f"{check_id}:{rule}",
        occurrences=max(occurrences, 1),
        pages=[page_url],
        pages_total=1,
        evidence=evidence[:EVIDENCE_PER_FINDING],
    )


def _overflow_finding(check_id: str, page_url: str, layout: LayoutAtWidth, where: Text) -> Finding:
    """The page scrolls sideways at this width (``where``, in English and Dutch): name the
    elements that stick out."""
    width = layout.client_width or layout.width
    title = say(M + ("finding.cut-off" if layout.root_clips_x else "finding.scrolls-sideways"), where=where)
    expected = t_en("family.mobile.expected.nothing-wider-than-the-px", width=width)
    evidence = [
        Evidence(page_url=page_url, selector=element.selector,
                 value=(t_en("family.mobile.seen.right-edge-at-px", right=element.right, width=element.width,
                             scroll_width=layout.scroll_width, width_2=width)),
                 expected=expected, screenshot=layout.screenshot if index == 0 else "")
        for index, element in enumerate(layout.overflowing)
    ]
    if not evidence:
        evidence = [Evidence(page_url=page_url, selector="html",
                             value=t_en("family.mobile.seen.page-px-wide-in-a", scroll_width=layout.scroll_width,
                                        width=width),
                             expected=expected, screenshot=layout.screenshot)]
    return _finding(check_id, "horizontal-scroll", title, Outcome.FAIL, Severity.SERIOUS, page_url,
                    evidence, wcag=("1.4.10",), selectors=tuple(e.selector for e in layout.overflowing),
                    occurrences=layout.overflowing_total or 1)


def _overflows(layout: LayoutAtWidth) -> bool:
    return layout.horizontal_overflow > OVERFLOW_TOLERANCE_PX


@page_check(id="reflow-320", requires=("mobile",))
def reflow_320(page: PageArtifacts, context: CheckContext) -> CheckResult:
    not_measured = _mobile_not_measured("reflow-320", page, "reflow")
    if not_measured:
        return not_measured
    layout = page.mobile.reflow
    page_url = page.final_url or page.url
    details = {"viewport_width": layout.width, "scroll_width": layout.scroll_width,
               "client_width": layout.client_width, "overflowing_elements": layout.overflowing_total,
               "screenshot": layout.screenshot}
    if not _overflows(layout):
        return page_result("reflow-320", page, Outcome.PASS,
                           t_en("reflow-320.summary.pass", width=layout.width), details=details)
    finding = _overflow_finding("reflow-320", page_url, layout, say(M + "css-width", width=layout.width))
    first = layout.overflowing[0].selector if layout.overflowing else t_en("family.mobile.the-page")
    return page_result("reflow-320", page, Outcome.FAIL,
                       t_en("reflow-320.summary.fail", scroll_width=layout.scroll_width, width=layout.width,
                            first=first),
                       findings=[finding], details=details)


@page_check(id="mobile-overflow", requires=("mobile", "meta", "html"))
def mobile_overflow(page: PageArtifacts, context: CheckContext) -> CheckResult:
    not_measured = _mobile_not_measured("mobile-overflow", page, "phone")
    if not_measured:
        return not_measured
    layout = page.mobile.phone
    page_url = page.final_url or page.url
    details = {"viewport_width": layout.width, "scroll_width": layout.scroll_width,
               "client_width": layout.client_width, "mobile_layout": has_mobile_layout(page),
               "screenshot": layout.screenshot}
    findings: list[Finding] = []
    if not details["mobile_layout"]:
        content = viewport_content(page)
        seen = t_en("family.mobile.seen.no-viewport") if content is None else f'viewport "{cap_snippet(content, 200)}"'
        findings.append(_finding(
            "mobile-overflow", "no-mobile-layout",
            say("mobile-overflow.finding.no-mobile-layout"), Outcome.FAIL, Severity.SERIOUS, page_url,
            [Evidence(page_url=page_url, selector='meta[name="viewport"]',
                      value=t_en("family.mobile.seen.the-measured-width", seen=seen),
                      expected=t_en("family.mobile.expected.width-device-width"), screenshot=layout.screenshot)],
        ))
    if _overflows(layout):
        findings.append(_overflow_finding("mobile-overflow", page_url, layout,
                                          say(M + "phone-width", width=layout.width)))
    if not findings:
        return page_result("mobile-overflow", page, Outcome.PASS,
                           t_en("mobile-overflow.summary.pass", width=layout.width), details=details)
    return page_result("mobile-overflow", page, Outcome.FAIL,
                       "; ".join(f.title for f in findings), findings=findings, details=details)


def _phone_layout_or_result(check_id: str, page: PageArtifacts) -> tuple[Optional[LayoutAtWidth], Optional[CheckResult]]:
    """The phone layout, or the result to give when it cannot be judged as a phone shows it."""
    not_measured = _mobile_not_measured(check_id, page, "phone")
    if not_measured:
        return None, not_measured
    if not has_mobile_layout(page):
        return None, page_result(
            check_id, page, Outcome.NOT_APPLICABLE,
            t_en("family.mobile.summary.not-applicable.not-judged-without"))
    return page.mobile.phone, None


@page_check(id="tap-targets", requires=("mobile", "meta"))
def tap_targets(page: PageArtifacts, context: CheckContext) -> CheckResult:
    layout, early = _phone_layout_or_result("tap-targets", page)
    if early:
        return early
    page_url = page.final_url or page.url
    details = {"targets_measured": layout.tap_targets, "too_small": layout.small_tap_targets_total}
    if layout.tap_targets == 0:
        return page_result("tap-targets", page, Outcome.NOT_APPLICABLE, t_en("tap-targets.summary.not-applicable"),
                           details=details)
    if layout.small_tap_targets_total == 0:
        return page_result("tap-targets", page, Outcome.PASS,
                           t_en("tap-targets.summary.pass", tap_targets=layout.tap_targets), details=details)
    expected = t_en("family.mobile.expected.at-least-24-24-css-px")
    evidence = [
        Evidence(page_url=page_url, selector=target.selector, snippet=target.text,
                 value=t_en("family.mobile.seen.px-with-another", width=target.width, height=target.height),
                 expected=expected)
        for target in layout.small_tap_targets
    ]
    count = layout.small_tap_targets_total
    finding = _finding("tap-targets", "target-size", say("tap-targets.finding.target-size", count=count),
                       Outcome.FAIL, Severity.SERIOUS, page_url, evidence, wcag=("2.5.8",),
                       selectors=tuple(t.selector for t in layout.small_tap_targets), occurrences=count)
    return page_result("tap-targets", page, Outcome.FAIL,
                       t_en("tap-targets.summary.fail", count=count, tap_targets=layout.tap_targets,
                            width=layout.width),
                       findings=[finding], details=details)


@page_check(id="legible-text", requires=("mobile", "meta"))
def legible_text(page: PageArtifacts, context: CheckContext) -> CheckResult:
    layout, early = _phone_layout_or_result("legible-text", page)
    if early:
        return early
    page_url = page.final_url or page.url
    if layout.text_chars == 0:
        return page_result("legible-text", page, Outcome.NOT_APPLICABLE, t_en("legible-text.summary.not-applicable"))
    share = layout.small_text_chars / layout.text_chars
    details = {"text_chars": layout.text_chars, "small_text_chars": layout.small_text_chars,
               "small_share": round(share, 3)}
    score = round(1.0 - share, 3)
    summary = t_en("legible-text.summary.small-share", share=share, width=layout.width)
    if share <= SMALL_TEXT_WARN_SHARE:
        return page_result("legible-text", page, Outcome.PASS, summary, score=score, details=details)
    outcome = Outcome.FAIL if share > SMALL_TEXT_FAIL_SHARE else Outcome.WARNING
    evidence = [
        Evidence(page_url=page_url, selector=sample.selector, snippet=sample.text,
                 value=t_en("family.mobile.seen.font-size-px", font_size=sample.font_size),
                 expected=t_en("family.mobile.expected.12-px-or-larger"))
        for sample in layout.small_text
    ]
    finding = _finding("legible-text", "small-font", say("legible-text.finding.small-font", share=share),
                       outcome, Severity.MODERATE if outcome == Outcome.FAIL else Severity.MINOR,
                       page_url, evidence, selectors=tuple(s.selector for s in layout.small_text),
                       occurrences=len(layout.small_text))
    return page_result("legible-text", page, outcome, summary, score=score, findings=[finding], details=details)


@page_check(id="clipped-content", requires=("mobile", "meta"))
def clipped_content(page: PageArtifacts, context: CheckContext) -> CheckResult:
    not_measured = _mobile_not_measured("clipped-content", page, "reflow")
    if not_measured:
        return not_measured
    page_url = page.final_url or page.url
    layouts = [page.mobile.reflow]
    if page.mobile.phone is not None and has_mobile_layout(page):
        layouts.insert(0, page.mobile.phone)
    seen: dict[str, tuple[ClippedText, LayoutAtWidth]] = {}
    total = 0
    for layout in layouts:
        total = max(total, layout.clipped_total)
        for clipped in layout.clipped:
            seen.setdefault(clipped.selector, (clipped, layout))
    details = {"widths": [layout.width for layout in layouts], "clipped": total}
    if not seen:
        return page_result("clipped-content", page, Outcome.PASS,
                           t_en("clipped-content.summary.pass", widths=t_en("clipped-content.and").join(
                               f"{layout.width} px" for layout in layouts)),
                           details=details)
    findings: list[Finding] = []
    for deliberate in (False, True):
        items = [(c, l) for c, l in seen.values() if c.deliberate == deliberate]
        if not items:
            continue
        evidence = [
            Evidence(page_url=page_url, selector=clipped.selector, snippet=clipped.text,
                     value=t_en("family.mobile.seen.text-cut-off-deliberate" if deliberate
                                else "family.mobile.seen.text-cut-off", axis=clipped.axis, width=layout.width),
                     expected=t_en("family.mobile.expected.all-text-visible"),
                     screenshot=layout.screenshot)
            for clipped, layout in items
        ]
        outcome = Outcome.WARNING if deliberate else Outcome.FAIL
        title = say("clipped-content.finding.truncated-text" if deliberate else "clipped-content.finding.clipped-text")
        findings.append(_finding("clipped-content", "truncated-text" if deliberate else "clipped-text", title,
                                 outcome, Severity.MINOR if deliberate else Severity.SERIOUS, page_url,
                                 evidence, wcag=("1.4.10",), selectors=tuple(c.selector for c, _ in items),
                                 occurrences=len(items)))
    outcome = Outcome.WARNING if all(f.outcome == Outcome.WARNING for f in findings) else Outcome.FAIL
    return page_result("clipped-content", page, outcome,
                       t_en("clipped-content.summary.cut-off", containers=len(seen),
                            selectors=", ".join(list(seen)[:3])),
                       findings=findings, details=details)


def _budgets(context: CheckContext) -> dict[str, float]:
    configured = (context.settings or {}).get("budgets") or {}
    budgets = dict(DEFAULT_BUDGETS)
    budgets.update({k: v for k, v in configured.items() if k in DEFAULT_BUDGETS and isinstance(v, (int, float))})
    return budgets


def human_bytes(size: float) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    if size >= 1_000:
        return f"{size / 1_000:.0f} kB"
    return f"{size:.0f} B"


def _short_url(url: str, limit: int = 120) -> str:
    return cap_snippet(url, limit)


@page_check(id="page-weight", requires=("mobile", "requests", "timings"))
def page_weight(page: PageArtifacts, context: CheckContext) -> CheckResult:
    not_measured = _mobile_not_measured("page-weight", page, "weight")
    if not_measured:
        return not_measured
    weight = page.mobile.weight
    budgets = _budgets(context)
    page_url = page.final_url or page.url

    # sizes hidden by timing (cross-origin without Timing-Allow-Origin) from Content-Length
    declared = {r.url: r.size for r in page.requests if r.size}
    recovered = sum(declared.get(url, 0) for url in weight.sizes_unknown)
    total_bytes = weight.bytes + recovered
    unknown = weight.sizes_unknown_total - sum(1 for url in weight.sizes_unknown if url in declared)
    requests = len(page.requests) if page.requests else weight.resources + 1
    lower_bound = unknown > 0 or weight.entries_truncated
    timings = {key: page.timings.get(key) for key in ("ttfb", "dom_content_loaded", "load")}
    details = {
        "bytes": total_bytes, "bytes_lower_bound": lower_bound, "sizes_unknown": max(unknown, 0),
        "requests": requests, "lcp_ms": weight.lcp_ms, "lcp_element": weight.lcp_element,
        **{f"{k}_ms": v for k, v in timings.items()},
        "largest": [{"url": r.url, "type": r.resource_type, "bytes": r.bytes} for r in weight.largest[:5]],
        "budgets": budgets,
    }
    at_least = t_en("page-weight.at-least") if lower_bound else ""
    timing_text = ", ".join(
        f"{label} {value:.0f} ms" for label, value in
        (("TTFB", timings["ttfb"]), ("DOMContentLoaded", timings["dom_content_loaded"]), ("load", timings["load"]))
        if value is not None)
    largest_text = "; ".join(f"{_short_url(r.url, 80)} {human_bytes(r.bytes)}" for r in weight.largest[:3])

    findings: list[Finding] = []
    if total_bytes > budgets["page_bytes"]:
        evidence = [Evidence(page_url=page_url,
                             value=t_en("family.mobile.seen.in-requests", at_least=at_least,
                                        human_bytes=human_bytes(total_bytes), requests=requests),
                             expected=t_en("family.mobile.expected.at-most",
                                           human_bytes=human_bytes(budgets['page_bytes'])))]
        evidence += [Evidence(page_url=page_url, snippet=_short_url(r.url, 300),
                              value=f"{human_bytes(r.bytes)} ({r.resource_type or t_en('family.mobile.resource')})",
                              expected=t_en("family.mobile.expected.one-of-the"))
                     for r in weight.largest[:3]]
        findings.append(_finding("page-weight", "over-byte-budget",
                                 say(W + "over-byte-budget", budget=human_bytes(budgets["page_bytes"])),
                                 Outcome.FAIL, Severity.MODERATE, page_url, evidence))
    if weight.lcp_ms is not None and weight.lcp_ms > budgets["lcp_ms"]:
        findings.append(_finding(
            "page-weight", "slow-lcp", say(W + "slow-lcp", seconds=budgets["lcp_ms"] / 1000),
            Outcome.FAIL, Severity.MODERATE, page_url,
            [Evidence(page_url=page_url, selector=weight.lcp_element,
                      value=f"LCP {weight.lcp_ms / 1000:.2f} s" + (f" ({timing_text})" if timing_text else ""),
                      expected=t_en("family.mobile.expected.at-most-s", share=budgets['lcp_ms'] / 1000))]))
    if requests > budgets["requests"]:
        findings.append(_finding(
            "page-weight", "many-requests", say(W + "many-requests", requests=budgets["requests"]),
            Outcome.WARNING, Severity.MINOR, page_url,
            [Evidence(page_url=page_url, value=t_en("family.mobile.seen.requests", requests=requests),
                      expected=t_en("family.mobile.expected.at-most-2",
                                                                                                                     requests=budgets['requests']))]))
    oversized = [
        image for image in weight.oversized_images
        if image.displayed_width > 0
        and image.natural_width / image.displayed_width > budgets["oversized_image_ratio"]
        and (image.bytes or 0) >= budgets["oversized_image_min_bytes"]
    ]
    if oversized:
        evidence = [
            Evidence(page_url=page_url, selector=image.selector, snippet=_short_url(image.url, 300),
                     value=(t_en("family.mobile.seen.file-shown-at", natural_width=image.natural_width,
                                 natural_height=image.natural_height, displayed_width=image.displayed_width,
                                 displayed_height=image.displayed_height,
                                 share=image.natural_width / image.displayed_width,
                                 human_bytes=human_bytes(image.bytes or 0))),
                     expected=(t_en("family.mobile.expected.at-most-the",
                                    oversized_image_ratio=budgets['oversized_image_ratio'])))
            for image in oversized
        ]
        findings.append(_finding("page-weight", "oversized-image", say(W + "oversized-image", count=len(oversized)),
                                 Outcome.WARNING, Severity.MINOR, page_url, evidence,
                                 selectors=tuple(i.selector for i in oversized), occurrences=len(oversized)))
    summary = (t_en("page-weight.summary.weight", at_least=at_least, bytes=human_bytes(total_bytes), requests=requests)
               + (t_en("page-weight.summary.lcp", seconds=weight.lcp_ms / 1000) if weight.lcp_ms is not None
                  else t_en("page-weight.summary.lcp-not-measured"))
               + (t_en("page-weight.summary.largest", largest=largest_text) if largest_text else ""))
    if any(f.outcome == Outcome.FAIL for f in findings):
        outcome = Outcome.FAIL
    elif findings:
        outcome = Outcome.WARNING
    else:
        outcome = Outcome.PASS
    return page_result("page-weight", page, outcome, summary, findings=findings, details=details)
