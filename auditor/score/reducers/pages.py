"""The page summary every site check reads (title, language, roles, footer links, readability…)
and the text of the pages with a role (privacy, accessibility, contact…)."""

from __future__ import annotations

from auditor.model import PageArtifacts, PageStatus, PageSummary, SiteArtifacts
from auditor.score.reducers import page_reducer
from auditor.score.reducers.readability import page_readability

ROLE_TEXT_MAX_CHARS = 50_000  # visible text kept for the statement-content checks
LINKS_KEPT = 100  # footer and header links kept per page summary


def _fold(site: SiteArtifacts, value: tuple[PageSummary, dict[str, tuple[str, str]]]) -> None:
    summary, roles = value
    site.pages.append(summary)
    for role, (url, text) in roles.items():
        site.role_pages.setdefault(role, url)
        site.role_texts.setdefault(role, text)


def _reset(site: SiteArtifacts) -> None:
    site.pages = []
    site.role_pages = {}
    site.role_texts = {}


@page_reducer("pages", fold=_fold, reset=_reset, order=10)
def summarise_page(page: PageArtifacts) -> tuple[PageSummary, dict[str, tuple[str, str]]]:
    ok = page.status == PageStatus.OK
    summary = PageSummary(
        url=page.url, final_url=page.final_url, status=page.status, http_status=page.http_status,
        title=page.title, lang=page.lang, roles=page.roles, depth=page.depth, found_on=page.found_on,
        error=page.error, footer_links=[link for link in page.links if link.in_footer][:LINKS_KEPT],
        header_links=[link for link in page.links if link.in_header][:LINKS_KEPT],
        readability=page_readability(page.text, page.lang) if ok else None,
        limits_hit=page.limits_hit,
    )
    roles = {role: (page.final_url or page.url, page.text[:ROLE_TEXT_MAX_CHARS]) for role in page.roles} if ok else {}
    return summary, roles
