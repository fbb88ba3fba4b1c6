"""Each page's Flemish building-block evidence for the site checks, matched from saved artifacts.

The collector (``auditor/gather/collectors/flemish.py``) records what the rendered page showed
(DOM selector counts, window globals, fonts, script sources, footer text); this reducer matches
those, the page's links, network requests and cookies against the marker file
(``configs/markers/flemish.toml``) and keeps a short text excerpt of the pages that usually carry
contact details. The evidence is small (capped hits and text) and is kept for every page in
``SiteArtifacts.flemish_pages``.

Because the matching happens here and not in the browser, ``auditor rescore`` after an edit of
the marker file gives the verdicts a new audit would give, with two limits: a ``dom_selector``
marker the audit did not evaluate in the browser is evaluated on the saved DOM snapshot (which
has no shadow roots), and a ``js_global`` marker whose global was not probed during the visit
cannot be known afterwards and does not match.
"""

from __future__ import annotations

import re
from typing import Optional
from urllib.parse import urlsplit

from auditor.model import FlemishArtifacts, MarkerHit, PageArtifacts, PageStatus, SiteArtifacts
from auditor.score.reducers import page_reducer, site_reducer
from auditor.shared.markers import (
    MarkerError,
    MarkerSet,
    default_markers,
    match_cookies,
    match_fonts,
    match_hosts,
    match_links,
    match_requests,
    match_script_urls,
)

TEXT_EXCERPT_MAX = 6_000
HITS_PER_PAGE_MAX = 80

# Pages whose text the contact-channel and organisation checks read, besides the start page
# and the must-visit pages (contact, privacy, accessibility, login).
_EXCERPT_ROLES = frozenset({"contact", "privacy", "accessibility", "login"})
_EXCERPT_PATH = re.compile(
    r"over|contact|colofon|openingsuren|openingstijden|onthaal|bereikbaar|adres|hulp|digipunt"
    r"|e-inclusie|digitale|loket|afspraak|organisatie",
    re.IGNORECASE,
)


def flemish_page_evidence(page: PageArtifacts) -> FlemishArtifacts | None:
    """The page's Flemish evidence, complete; None for pages that did not render."""
    if page.status != PageStatus.OK:
        return None
    evidence = (page.flemish or FlemishArtifacts()).model_copy(deep=True)
    evidence.page_url = page.final_url or page.url
    evidence.roles = list(page.roles)
    evidence.depth = page.depth
    if _wants_excerpt(page):
        evidence.text_excerpt = (page.text or "")[:TEXT_EXCERPT_MAX]
    try:
        markers = default_markers()
    except MarkerError as exc:
        evidence.error = evidence.error or str(exc)
        evidence.observed = None
        return evidence
    if evidence.observed is not None:
        # matched afresh from what the page showed; older runs carry only their matches
        evidence.markers_version = markers.version
        evidence.hits, errors = _rendered_page_hits(markers, evidence, page)
        evidence.error = "; ".join(errors)[:500]
        evidence.observed = None
    evidence.markers_version = evidence.markers_version or markers.version
    evidence.hits = _unique(evidence.hits + match_requests(markers, page.requests)
                            + match_cookies(markers, page.cookies))[:HITS_PER_PAGE_MAX]
    return evidence


def _rendered_page_hits(markers: MarkerSet, evidence: FlemishArtifacts,
                        page: PageArtifacts) -> tuple[list[MarkerHit], list[str]]:
    """Hits of the markers that need the rendered page: DOM selectors, globals, fonts, script
    sources, plus links; in the order the checks cite them."""
    observed = evidence.observed
    assert observed is not None
    hits: list[MarkerHit] = []
    errors: list[str] = []
    saved_dom = _SavedDom(page.html)
    for marker in markers.of_kind("dom_selector"):
        seen = observed.selectors.get(marker.pattern)
        count, snippet = seen if seen is not None else saved_dom.select(marker.pattern)
        if count < 0:
            errors.append(f"selector of marker {marker.id} is not valid in the browser: {snippet}")
        elif count > 0:
            hits.append(marker.hit(f"{marker.pattern} ({count}×): {snippet}"))
    for marker in markers.of_kind("js_global"):
        value_type = observed.globals.get(marker.pattern, "")
        if value_type:
            hits.append(marker.hit(f"window.{marker.pattern} ({value_type})"))
    hits += match_fonts(markers, observed.fonts)
    hits += match_script_urls(markers, observed.scripts)
    hits += match_links(markers, page.links)
    return hits, errors


class _SavedDom:
    """The saved DOM snapshot, parsed only when a selector the browser did not evaluate asks."""

    SNIPPET_MAX = 200

    def __init__(self, html: str):
        self._html = html
        self._soup = None

    def select(self, selector: str) -> tuple[int, str]:
        if self._soup is None:
            from bs4 import BeautifulSoup

            self._soup = BeautifulSoup(self._html or "", "lxml")
        try:
            found = self._soup.select(selector)
        except Exception as exc:  # noqa: BLE001 - soupsieve's errors for a bad selector vary
            return -1, f"{type(exc).__name__}: {exc}"[:200]
        return len(found), (str(found[0])[:self.SNIPPET_MAX] if found else "")


def _fold(site: SiteArtifacts, evidence: Optional[FlemishArtifacts]) -> None:
    if evidence is not None:
        site.flemish_pages.append(evidence)


def _reset(site: SiteArtifacts) -> None:
    site.flemish_pages = []


@page_reducer("flemish", fold=_fold, reset=_reset, order=20)
def flemish_evidence(page: PageArtifacts) -> Optional[FlemishArtifacts]:
    """The page's evidence. Never raises: a failure is recorded on the evidence so the Flemish
    checks can say why they cannot judge."""
    try:
        return flemish_page_evidence(page)
    except Exception as exc:  # noqa: BLE001 - the crawl must go on
        return FlemishArtifacts(page_url=page.final_url or page.url, error=f"{type(exc).__name__}: {exc}"[:300])


@site_reducer("login-hops")
def login_hop_hits(site: SiteArtifacts) -> None:
    """The login-host markers of each hop of the followed login links, matched afresh."""
    if not site.login_probes:
        return
    try:
        markers = default_markers()
    except MarkerError:
        return  # the hops keep the matches of the audit; the Flemish checks report the file
    for probe in site.login_probes:
        for hop in probe.hops:
            hop.hits = match_hosts(markers, [hop.url])


def _wants_excerpt(page: PageArtifacts) -> bool:
    if page.depth == 0 or _EXCERPT_ROLES & set(page.roles):
        return True
    try:
        path = urlsplit(page.final_url or page.url).path
    except ValueError:
        return False
    return bool(_EXCERPT_PATH.search(path))


def _unique(hits: list[MarkerHit]) -> list[MarkerHit]:
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for hit in hits:
        key = (hit.marker_id, hit.where, hit.value)
        if key not in seen:
            seen.add(key)
            kept.append(hit)
    return kept
