"""Keep each page's Flemish building-block evidence for the site checks.

The collector (``auditor/gather/collectors/flemish.py``) sees the rendered page; the network requests
and cookies of a visit are complete only when the visit ends. :func:`record_flemish_page` adds
their marker matches and a short text excerpt of the pages that usually carry contact details,
and appends the result to ``SiteArtifacts.flemish_pages``: small (capped hits and text), so it
stays in memory for every page like the page summaries do.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from auditor.shared.markers import MarkerError, default_markers, match_cookies, match_requests
from auditor.model import FlemishArtifacts, MarkerHit, PageArtifacts, PageStatus, SiteArtifacts

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
        return evidence
    evidence.markers_version = evidence.markers_version or markers.version
    evidence.hits = _unique(evidence.hits + match_requests(markers, page.requests)
                            + match_cookies(markers, page.cookies))[:HITS_PER_PAGE_MAX]
    return evidence


def record_flemish_page(site: SiteArtifacts, page: PageArtifacts) -> None:
    """Append the page's evidence to ``site.flemish_pages``. Never raises: a failure here is
    recorded on the page's evidence so the Flemish checks can say why they cannot judge."""
    try:
        evidence = flemish_page_evidence(page)
    except Exception as exc:  # noqa: BLE001 - the crawl must go on
        evidence = FlemishArtifacts(page_url=page.final_url or page.url,
                                    error=f"{type(exc).__name__}: {exc}"[:300])
    if evidence is not None:
        site.flemish_pages.append(evidence)


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
