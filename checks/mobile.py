"""Mobile checks: whether a page is built to be read on a phone.

Principle 3 (Digitaal herdacht) asks for processes that are "maximaal mobiel bruikbaar". The
first thing a phone needs is a viewport declaration; without it the page is laid out at 980 px
and shrunk, and the overflow measured in the browser cannot even show it. Blocking zoom is a
WCAG 1.4.4 (Resize Text) problem, so it is reported as well.
"""

from __future__ import annotations

import re
from typing import Optional

from auditor.model import CheckResult, Evidence, Finding, Outcome, PageArtifacts, Severity
from checks._support import cap_snippet, page_result, parse_html
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
    soup = parse_html(page.html)
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


@page_check(
    id="viewport-meta",
    title="The page is set up for mobile screens",
    failure_title="The page is not set up for mobile screens",
    description=(
        'The page declares <meta name="viewport" content="width=device-width, …"> so phones lay '
        "it out at their own width. A warning when zooming is blocked (user-scalable=no or "
        "maximum-scale below 2), which breaks WCAG 1.4.4 Resize Text."
    ),
    requires=("meta", "html"),
)
def viewport_meta(page: PageArtifacts, context: CheckContext) -> CheckResult:
    page_url = page.final_url or page.url
    content = viewport_content(page)
    snippet = "" if content is None else f'<meta name="viewport" content="{cap_snippet(content, 300)}">'

    def finding(key: str, title: str, outcome: Outcome, severity: Severity, expected: str,
                wcag: list[str]) -> Finding:
        return Finding(
            check_id="viewport-meta",
            outcome=outcome,
            title=title,
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
        title = "No viewport meta element: phones show the desktop layout shrunk"
        return page_result(
            "viewport-meta", page, Outcome.FAIL, title,
            findings=[finding("viewport-missing", title, Outcome.FAIL, Severity.SERIOUS,
                              'width=device-width, initial-scale=1', [])],
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
            title = "Viewport sets initial-scale but not width=device-width"
            findings.append(finding("viewport-width", title, Outcome.WARNING, Severity.MINOR,
                                    "width=device-width", []))
            outcome = Outcome.WARNING
        else:
            title = "Viewport does not set width=device-width"
            findings.append(finding("viewport-width", title, Outcome.FAIL, Severity.SERIOUS,
                                    "width=device-width", []))
            outcome = Outcome.FAIL

    zoom_blocked_by: list[str] = []
    if properties.get("user-scalable") in _ZOOM_DISABLED_VALUES:
        zoom_blocked_by.append(f"user-scalable={properties['user-scalable']}")
    maximum_scale = _as_number(properties.get("maximum-scale", ""))
    if maximum_scale is not None and maximum_scale < MINIMUM_MAXIMUM_SCALE:
        zoom_blocked_by.append(f"maximum-scale={properties['maximum-scale']}")
    if zoom_blocked_by:
        title = "Viewport blocks zooming (" + ", ".join(zoom_blocked_by) + ")"
        findings.append(finding("viewport-zoom", title, Outcome.WARNING, Severity.SERIOUS,
                                "zoom allowed: no user-scalable=no, maximum-scale of 2 or more",
                                ["1.4.4"]))
        if outcome == Outcome.PASS:
            outcome = Outcome.WARNING

    if outcome == Outcome.PASS:
        summary = f"viewport: {cap_snippet(content, 120)}"
    else:
        summary = "; ".join(f.title for f in findings)
    return page_result("viewport-meta", page, outcome, summary, findings=findings, details=details)
