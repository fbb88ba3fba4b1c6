"""Content structure checks beyond axe: link purpose, heading structure, unique page titles.

* ``link-purpose`` (WCAG 2.4.4): links whose accessible name says nothing out of context
  ("klik hier", "lees meer", "en savoir plus"…), and one link text used for different targets.
  Both are warnings: the surrounding sentence or list item may still make the purpose clear
  (2.4.4 allows that), so a person confirms; the fix (a descriptive text or an aria-label) is
  cheap either way.
* ``heading-structure`` (WCAG 1.3.1, 2.4.6): no ``h1``, several ``h1``, skipped levels (h2 → h4),
  empty headings. Read from the rendered DOM, ``role="heading"`` with ``aria-level`` included.
* ``page-title-unique`` (site, WCAG 2.4.2): titles shared by several pages, and page titles
  that are nothing but the site's name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Optional
from urllib.parse import urljoin

from auditor.model import CheckResult, Outcome, PageArtifacts, PageStatus, Severity, SiteArtifacts
from auditor.shared.texts import Text, joined, say, t_en
from checks._dom import parse_dom
from auditor.shared.urls import same_page_key
from checks._support import cap_snippet, page_address, page_result, site_result
from auditor.shared.wcag import wcag_finding
from checks.registry import CheckContext, page_check, site_check

EVIDENCE_MAX = 10
PAGES_LISTED_MAX = 50

# Link texts that say nothing about the target, normalised (lower case, no punctuation).
GENERIC_LINK_TEXTS: frozenset[str] = frozenset({
    # Dutch
    "klik hier", "klik", "hier", "lees meer", "lees verder", "verder lezen", "meer lezen", "meer",
    "meer info", "meer informatie", "info", "details", "bekijk", "bekijk meer", "ontdek meer",
    "ga verder", "deze link", "link", "download", "downloaden", "hier downloaden", "ga naar",
    # French
    "cliquez ici", "ici", "en savoir plus", "lire la suite", "lire plus", "plus", "plus d'infos",
    "plus d'info", "plus d'informations", "voir plus", "ce lien", "lien", "télécharger", "suite",
    # English
    "click here", "here", "read more", "more", "more info", "more information", "learn more",
    "continue", "this link", "download", "details",
    # German
    "hier klicken", "mehr", "weiterlesen", "mehr erfahren", "mehr informationen",
})

_PUNCTUATION = re.compile(r"[\s\u00a0.,:;!?…»«›‹>\-–—→()\[\]\"']+")


def normalise_link_text(text: str) -> str:
    return _PUNCTUATION.sub(" ", (text or "").lower()).strip()


def accessible_link_name(anchor, soup) -> str:
    """The name a screen reader announces for a link, approximately: aria-labelledby,
    aria-label, then the text content (with image alternatives), then the title."""
    labelledby = (anchor.get("aria-labelledby") or "").split()
    if labelledby:
        parts = [soup.find(id=ref) for ref in labelledby]
        text = " ".join(p.get_text(" ", strip=True) for p in parts if p is not None)
        if text.strip():
            return text.strip()
    label = (anchor.get("aria-label") or "").strip()
    if label:
        return label
    pieces: list[str] = []
    for node in anchor.descendants:
        if getattr(node, "name", None) == "img":
            pieces.append(node.get("alt") or "")
        elif isinstance(node, str) and not getattr(node, "name", None):
            pieces.append(str(node))
    text = re.sub(r"\s+", " ", " ".join(pieces)).strip()
    return text or (anchor.get("title") or "").strip()


def _opening_tag(element) -> str:
    text = str(element)
    end = text.find(">")
    return text[: end + 1] if end >= 0 else text


@page_check(id="link-purpose", requires=("html",))
def link_purpose(page: PageArtifacts, context: CheckContext) -> CheckResult:
    page_url = page.final_url or page.url
    if not page.html:
        return page_result("link-purpose", page, Outcome.NOT_APPLICABLE, t_en("link-purpose.summary.not-applicable.no-dom-saved"))
    soup = parse_dom(page.html)
    generic: list[tuple[str, str]] = []  # (name, opening tag)
    targets_by_name: dict[str, dict[str, str]] = defaultdict(dict)  # name → target key → snippet
    shown_name: dict[str, str] = {}
    links = 0
    for anchor in soup.find_all("a", href=True):
        href = anchor["href"].strip()
        if not href or href.lower().startswith(("javascript:", "#")):
            continue
        links += 1
        name = accessible_link_name(anchor, soup)
        key = normalise_link_text(name)
        if not key:
            continue  # links without a name are axe's link-name rule
        if key in GENERIC_LINK_TEXTS:
            generic.append((name, _opening_tag(anchor)))
            continue
        if href.lower().startswith(("mailto:", "tel:")):
            continue
        target = same_page_key(urljoin(page_url, href).split("#", 1)[0])
        targets_by_name[key].setdefault(target, _opening_tag(anchor))
        shown_name.setdefault(key, name)

    findings = []
    if generic:
        names = sorted({normalise_link_text(name) for name, _ in generic})
        finding = wcag_finding(
            "link-purpose", "generic-link-text",
            **say("link-purpose.finding.generic-link-text").fields("title"), criteria=["2.4.4"],
            outcome=Outcome.WARNING, severity=Severity.MODERATE, page_url=page_url,
            selector="a", snippet=generic[0][1], value=t_en("family.content.seen.link-text", link_text=generic[0][0]),
            expected=t_en("family.content.expected.a-link-text"),
            fingerprint="link-purpose:generic:" + "|".join(names), occurrences=len(generic),
        )
        finding.evidence += [
            finding.evidence[0].model_copy(update={"snippet": cap_snippet(tag),
                                                   "value": t_en("family.content.seen.link-text", link_text=name)})
            for name, tag in generic[1:EVIDENCE_MAX]
        ]
        findings.append(finding)
    ambiguous = {key: targets for key, targets in targets_by_name.items() if len(targets) > 1}
    for key, targets in sorted(ambiguous.items()):
        urls = list(targets)
        findings.append(wcag_finding(
            "link-purpose", "same-text-different-targets",
            **say("link-purpose.finding.same-text-different-targets", urls_count=len(urls)).fields("title"),
            criteria=["2.4.4"],
            outcome=Outcome.WARNING, severity=Severity.MINOR, page_url=page_url,
            selector="a", snippet=next(iter(targets.values())),
            value=t_en("family.content.seen.same-text-targets", link_text=shown_name[key], urls=", ".join(urls[:5])),
            expected=t_en("family.content.expected.different-link-texts"),
            fingerprint=f"link-purpose:ambiguous:{key}", occurrences=len(urls),
        ))
    details = {"links": links, "generic_links": len(generic), "ambiguous_texts": len(ambiguous)}
    if not links:
        return page_result("link-purpose", page, Outcome.NOT_APPLICABLE, t_en("link-purpose.summary.not-applicable.no-links-on"), details=details)
    if findings:
        parts = []
        if generic:
            parts.append(say("link-purpose.summary.warning.generic", links=len(generic)))
        if ambiguous:
            parts.append(say("link-purpose.summary.warning.ambiguous", texts=len(ambiguous)))
        return page_result("link-purpose", page, Outcome.WARNING, joined(parts, "; ").en, findings=findings,
                           details=details)
    return page_result("link-purpose", page, Outcome.PASS, t_en("link-purpose.summary.pass", links=links),
                       details=details)


# ----------------------------------------------------------------------------- headings


def _heading_level(element) -> Optional[int]:
    if element.name in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return int(element.name[1])
    if (element.get("role") or "").strip().lower() == "heading":
        level = (element.get("aria-level") or "").strip()
        return int(level) if level.isdigit() and 1 <= int(level) <= 9 else 2  # ARIA default level 2
    return None


def _hidden(element) -> bool:
    for node in [element, *element.parents]:
        if not hasattr(node, "has_attr"):
            continue
        if node.has_attr("hidden") or (node.get("aria-hidden") or "").lower() == "true":
            return True
        style = (node.get("style") or "").replace(" ", "").lower()
        if "display:none" in style or "visibility:hidden" in style:
            return True
    return False


@page_check(id="heading-structure", requires=("html",))
def heading_structure(page: PageArtifacts, context: CheckContext) -> CheckResult:
    page_url = page.final_url or page.url
    if not page.html:
        return page_result("heading-structure", page, Outcome.NOT_APPLICABLE, t_en("heading-structure.summary.not-applicable"))
    soup = parse_dom(page.html)
    body = soup.body or soup
    headings = []
    for element in body.find_all(True):
        level = _heading_level(element)
        if level is not None and not _hidden(element):
            headings.append((level, element))
    outline = [f"h{level}" for level, _ in headings][:60]
    findings = []
    h1s = [el for level, el in headings if level == 1]
    if not h1s:
        first = headings[0][1] if headings else None
        findings.append(wcag_finding(
            "heading-structure", "no-h1", **say("heading-structure.finding.no-h1").fields("title"),
            criteria=["1.3.1", "2.4.6"],
            outcome=Outcome.WARNING, severity=Severity.MODERATE, page_url=page_url,
            selector=first.name if first is not None else "body",
            snippet=_opening_tag(first) if first is not None else "",
            value=t_en("family.content.seen.headings", outline=" ".join(outline) or t_en("family.content.none")),
            expected=t_en("family.content.expected.one-h1-naming"),
            fingerprint="heading-structure:no-h1",
        ))
    elif len(h1s) > 1:
        findings.append(wcag_finding(
            "heading-structure", "several-h1", **say("heading-structure.finding.several-h1",
                                                     h1s_count=len(h1s)).fields("title"), criteria=["1.3.1", "2.4.6"],
            outcome=Outcome.WARNING, severity=Severity.MINOR, page_url=page_url, selector="h1",
            snippet=" ".join(cap_snippet(el.get_text(" ", strip=True), 80) for el in h1s[:4]),
            value=t_en("family.content.seen.h1-elements", h1s_count=len(h1s)),
            expected=t_en("family.content.expected.one-h1-per-page"),
            fingerprint="heading-structure:several-h1", occurrences=len(h1s),
        ))
    skips = []
    previous = 0
    for level, element in headings:
        if previous and level > previous + 1:
            skips.append((previous, level, element))
        previous = level
    if skips:
        first_previous, first_level, first_element = skips[0]
        findings.append(wcag_finding(
            "heading-structure", "skipped-level", **say("heading-structure.finding.skipped-level").fields("title"),
            criteria=["1.3.1"],
            outcome=Outcome.WARNING, severity=Severity.MODERATE, page_url=page_url,
            selector=first_element.name, snippet=str(first_element)[:300],
            value="; ".join(f"h{a} → h{b}" for a, b, _ in skips[:5]),
            expected=t_en("family.content.expected.each-heading-at"),
            fingerprint="heading-structure:skipped:" + "|".join(sorted({f"{a}-{b}" for a, b, _ in skips})),
            occurrences=len(skips),
        ))
    empty = [el for _, el in headings if not el.get_text(strip=True) and not el.find("img", alt=True)]
    if empty:
        findings.append(wcag_finding(
            "heading-structure", "empty-heading", **say("heading-structure.finding.empty-heading").fields("title"),
            criteria=["1.3.1", "2.4.6"],
            outcome=Outcome.FAIL, severity=Severity.SERIOUS, page_url=page_url,
            selector=empty[0].name, snippet=str(empty[0])[:300], value=t_en("family.content.seen.a-heading-without"),
            expected=t_en("family.content.expected.every-heading-has"), fingerprint="heading-structure:empty",
            occurrences=len(empty),
        ))
    details = {"outline": outline, "h1_count": len(h1s)}
    if not headings:
        return page_result("heading-structure", page, Outcome.WARNING, t_en("heading-structure.summary.warning"),
                           findings=findings, details=details)
    if findings:
        outcome = Outcome.FAIL if any(f.outcome == Outcome.FAIL for f in findings) else Outcome.WARNING
        return page_result("heading-structure", page, outcome,
                           "; ".join(f.title for f in findings), findings=findings, details=details)
    return page_result("heading-structure", page, Outcome.PASS,
                       t_en("heading-structure.summary.pass", headings_count=len(headings)), details=details)


# ----------------------------------------------------------------------------- titles


def _normalise_title(title: str) -> str:
    return re.sub(r"\s+", " ", title or "").strip().casefold()


@site_check(id="page-title-unique", requires=("pages",))
def page_title_unique(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    pages: dict[str, tuple[str, str]] = {}  # final address key → (address, title)
    for summary in site.pages:
        if summary.status == PageStatus.OK and summary.title.strip():
            pages.setdefault(same_page_key(page_address(summary)), (page_address(summary), summary.title.strip()))
    if len(pages) < 2:
        return site_result("page-title-unique", Outcome.NOT_APPLICABLE,
                           **say("page-title-unique.summary.not-applicable").fields("summary"))
    by_title: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for address, title in pages.values():
        by_title[_normalise_title(title)].append((address, title))
    site_name = _normalise_title(site.site.organisation)
    start_keys = {same_page_key(u) for u in site.site.start_urls}
    findings = []
    for key, entries in sorted(by_title.items(), key=lambda kv: -len(kv[1])):
        urls = [address for address, _ in entries]
        if site_name and key == site_name:
            inner = [u for u in urls if same_page_key(u) not in start_keys]
            if inner:
                findings.append(_title_finding(
                    "title-is-site-name", say("page-title-unique.finding.title-is-site-name", pages=len(inner)),
                    entries[0][1], inner, t_en("page-title-unique.expected.own-content")))
                continue
        if len(urls) > 1:
            findings.append(_title_finding(
                "duplicate-title", say("page-title-unique.finding.duplicate-title", pages=len(urls),
                                       title=cap_snippet(entries[0][1], 80)),
                entries[0][1], urls, t_en("page-title-unique.expected.distinct"),
                fingerprint_key=key))
    affected = {u for f in findings for u in f.pages}
    details = {"pages_compared": len(pages), "distinct_titles": len(by_title), "pages_affected": len(affected)}
    if not findings:
        return site_result("page-title-unique", Outcome.PASS, **say("page-title-unique.summary.pass",
                                                                    pages_count=len(pages)).fields("summary"),
                           details=details, pages_evaluated=len(pages), pages_passed=len(pages))
    share = 1 - len(affected) / len(pages)
    return site_result(
        "page-title-unique", Outcome.WARNING,
        **say("page-title-unique.summary.warning",
              affected_count=len(affected),
              pages_count=len(pages)).fields("summary"),
        score=max(0.0, min(1.0, share)), findings=findings, details=details,
        pages_evaluated=len(pages), pages_passed=len(pages) - len(affected),
    )


def _title_finding(rule: str, title: Text, seen: str, urls: list[str], expected: str, fingerprint_key: str = ""):
    finding = wcag_finding(
        "page-title-unique", rule, **title.fields("title"), criteria=["2.4.2"], outcome=Outcome.WARNING,
        severity=Severity.MODERATE,
        page_url=urls[0], selector="title", value=t_en("family.content.seen.title", seen=seen), expected=expected,
        fingerprint=f"page-title-unique:{rule}:{fingerprint_key}", occurrences=len(urls),
    )
    finding.pages = urls[:PAGES_LISTED_MAX]
    finding.pages_total = len(urls)
    finding.evidence += [finding.evidence[0].model_copy(update={"page_url": u}) for u in urls[1:EVIDENCE_MAX]]
    return finding
