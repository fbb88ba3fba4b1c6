"""Media and motion: sound that starts by itself, pages that refresh on a timer, blinking text.

* ``autoplay-media`` (WCAG 1.4.2 Audio Control, 2.2.2 Pause, Stop, Hide): ``<audio autoplay>``
  and unmuted ``<video autoplay>`` fail; a muted autoplaying video without controls warns
  (moving content a visitor cannot pause); embedded players with ``autoplay=1`` warn.
* ``meta-refresh`` (WCAG 2.2.1 Timing Adjustable): ``<meta http-equiv="refresh">`` with a delay
  between 1 second and 20 hours reloads or redirects the page under the reader. A delay of 0
  is an instant redirect and passes; 20 hours or more is the WCAG exception.
* ``blink-marquee`` (WCAG 2.2.2): ``<blink>``, ``<marquee>`` and ``text-decoration: blink``.
"""

from __future__ import annotations

import re
from typing import Optional
from urllib.parse import parse_qs, urlsplit

from auditor.model import CheckResult, Outcome, PageArtifacts, Severity
from auditor.shared.texts import say, t_en
from checks._dom import parse_dom
from checks._support import html_mentions, page_result
from auditor.shared.wcag import wcag_finding
from checks.registry import CheckContext, page_check

REFRESH_EXCEPTION_S = 20 * 3600
_MEDIA_TAGS = ("<audio", "<video", "<iframe")  # none in the markup: no media at all
_REFRESH_DELAY = re.compile(r"^\s*(\d+(?:\.\d+)?)")


def _opening_tag(element) -> str:
    text = str(element)
    end = text.find(">")
    return text[: end + 1] if end >= 0 else text


def _bool_attr(element, name: str) -> bool:
    return element.has_attr(name) and str(element.get(name)).lower() not in ("false",)


@page_check(id="autoplay-media", requires=("html",))
def autoplay_media(page: PageArtifacts, context: CheckContext) -> CheckResult:
    page_url = page.final_url or page.url
    if not page.html:
        return page_result("autoplay-media", page, Outcome.NOT_APPLICABLE, t_en("autoplay-media.summary.not-applicable.no-dom-saved"))
    media, frames = [], []
    if html_mentions(page.html, *_MEDIA_TAGS):
        soup = parse_dom(page.html)
        media = soup.find_all(["audio", "video"])
        frames = [f for f in soup.find_all("iframe", src=True) if _embed_autoplays(f["src"]) is not None]
    findings = []
    for element in media:
        if not _bool_attr(element, "autoplay"):
            continue
        muted = _bool_attr(element, "muted")
        if element.name == "audio" or not muted:
            findings.append(wcag_finding(
                "autoplay-media", "autoplay-sound", **say("autoplay-media.finding.autoplay-sound",
                                                          name=element.name).fields("title"), criteria=["1.4.2"],
                outcome=Outcome.FAIL, severity=Severity.SERIOUS, page_url=page_url, selector=element.name,
                snippet=_opening_tag(element), value=t_en("family.media.seen.autoplay" if element.name == "audio"
                           else "family.media.seen.autoplay-without-muted"),
                expected=t_en("family.media.expected.no-autoplay-or"),
                fingerprint=f"autoplay-media:sound:{element.name}",
            ))
        elif not _bool_attr(element, "controls"):
            findings.append(wcag_finding(
                "autoplay-media", "autoplay-motion", **say("autoplay-media.finding.autoplay-motion").fields("title"),
                criteria=["2.2.2"],
                outcome=Outcome.WARNING, severity=Severity.MODERATE, page_url=page_url, selector="video",
                snippet=_opening_tag(element), value=t_en("family.media.seen.autoplay-muted-no"),
                expected=t_en("family.media.expected.controls-or-a"),
                fingerprint="autoplay-media:motion:video",
            ))
    for frame in frames:
        muted = _embed_autoplays(frame["src"])
        findings.append(wcag_finding(
            "autoplay-media", "embed-autoplay", **say("autoplay-media.finding.embed-autoplay").fields("title"),
            criteria=["2.2.2"] if muted else ["1.4.2", "2.2.2"],
            outcome=Outcome.WARNING, severity=Severity.MODERATE, page_url=page_url, selector="iframe",
            snippet=_opening_tag(frame),
            value=t_en("autoplay-media.seen.embed-autoplay") + (" (muted)" if muted else ""),
            expected=t_en("family.media.expected.a-player-that"),
            fingerprint="autoplay-media:embed",
        ))
    details = {"media_elements": len(media), "autoplaying": len(findings)}
    if not media and not frames:
        return page_result("autoplay-media", page, Outcome.NOT_APPLICABLE, t_en("autoplay-media.summary.not-applicable.no-audio-or"), details=details)
    if findings:
        outcome = Outcome.FAIL if any(f.outcome == Outcome.FAIL for f in findings) else Outcome.WARNING
        return page_result("autoplay-media", page, outcome, "; ".join(f.title for f in findings),
                           findings=findings, details=details)
    return page_result("autoplay-media", page, Outcome.PASS, t_en("autoplay-media.summary.pass",
                                                                  media_count=len(media)), details=details)


def _embed_autoplays(src: str) -> Optional[bool]:
    """For a player address with autoplay=1: whether it is muted; None when it does not autoplay."""
    try:
        query = parse_qs(urlsplit(src).query)
    except ValueError:
        return None
    if query.get("autoplay", ["0"])[0] not in ("1", "true"):
        return None
    return query.get("mute", query.get("muted", ["0"]))[0] in ("1", "true")


def refresh_delay(content: str) -> Optional[float]:
    """Seconds before a ``<meta http-equiv=refresh content=…>`` fires; None when unreadable."""
    match = _REFRESH_DELAY.match(content or "")
    return float(match.group(1)) if match else None


@page_check(id="meta-refresh", requires=("html",))
def meta_refresh(page: PageArtifacts, context: CheckContext) -> CheckResult:
    page_url = page.final_url or page.url
    if not page.html:
        return page_result("meta-refresh", page, Outcome.NOT_APPLICABLE, t_en("meta-refresh.summary.not-applicable.no-dom-saved"))
    soup = parse_dom(page.html)
    refreshes = [m for m in soup.find_all("meta") if (m.get("http-equiv") or "").strip().lower() == "refresh"]
    if not refreshes:
        return page_result("meta-refresh", page, Outcome.NOT_APPLICABLE, t_en("meta-refresh.summary.not-applicable.no-meta-refresh"))
    findings = []
    for meta in refreshes:
        delay = refresh_delay(meta.get("content", ""))
        if delay is None or delay <= 0 or delay >= REFRESH_EXCEPTION_S:
            continue
        redirects = "url" in (meta.get("content") or "").lower()
        findings.append(wcag_finding(
            "meta-refresh", "timed-refresh",
            **say("meta-refresh.finding.redirects" if redirects else "meta-refresh.finding.reloads",
                  delay=delay).fields("title"), criteria=["2.2.1"],
            outcome=Outcome.FAIL, severity=Severity.CRITICAL, page_url=page_url, selector='meta[http-equiv="refresh"]',
            snippet=_opening_tag(meta), value=t_en("family.media.seen.delay-s", delay=delay),
            expected=t_en("family.media.expected.no-timed-refresh"),
            fingerprint="meta-refresh:timed",
        ))
    if findings:
        return page_result("meta-refresh", page, Outcome.FAIL, findings[0].title, findings=findings)
    return page_result("meta-refresh", page, Outcome.PASS, t_en("meta-refresh.summary.pass"))


_BLINK_STYLE = re.compile(r"text-decoration[^;]*\bblink\b", re.IGNORECASE)
_BLINK_WORDS = ("blink", "marquee")  # neither in the markup: nothing can blink


@page_check(id="blink-marquee", requires=("html",))
def blink_marquee(page: PageArtifacts, context: CheckContext) -> CheckResult:
    page_url = page.final_url or page.url
    if not page.html:
        return page_result("blink-marquee", page, Outcome.NOT_APPLICABLE, t_en("blink-marquee.summary.not-applicable"))
    moving = []
    if html_mentions(page.html, *_BLINK_WORDS):
        soup = parse_dom(page.html)
        moving = soup.find_all(["blink", "marquee"])
        moving += [el for el in soup.find_all(style=True) if _BLINK_STYLE.search(el.get("style", ""))]
    if not moving:
        return page_result("blink-marquee", page, Outcome.PASS, t_en("blink-marquee.summary.pass"))
    findings = []
    for kind in sorted({el.name if el.name in ("blink", "marquee") else "blink-style" for el in moving}):
        elements = [el for el in moving if (el.name if el.name in ("blink", "marquee") else "blink-style") == kind]
        label = "text-decoration: blink" if kind == "blink-style" else f"<{kind}>"
        findings.append(wcag_finding(
            "blink-marquee", kind, **say("blink-marquee.finding.moves-or-flashes-content",
                                         label=label).fields("title"), criteria=["2.2.2"],
            outcome=Outcome.FAIL, severity=Severity.SERIOUS, page_url=page_url,
            selector=elements[0].name, snippet=str(elements[0])[:300],
            value=t_en("family.media.seen.element-s", elements_count=len(elements)),
            expected=t_en("family.media.expected.static-text-or"),
            fingerprint=f"blink-marquee:{kind}", occurrences=len(elements),
        ))
    return page_result("blink-marquee", page, Outcome.FAIL, "; ".join(f.title for f in findings), findings=findings)
