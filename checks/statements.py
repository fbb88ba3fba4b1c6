"""Statement checks: can a visitor find the accessibility statement, privacy statement and
contact page, and do they work?

The crawler finds the pages that play these roles (``SiteArtifacts.role_pages``) and always
visits them. A check passes when the page was found and loaded; it warns when some pages with a
footer link to it neither there nor in their header or navigation menu, because Flemish guidance asks for the accessibility statement
"op een prominente plaats … bijvoorbeeld in een statische header of footer", and the same
habit makes privacy and contact information findable. Pages without any footer are not held
against the site: the footer may simply not have been recognised there.

Score: 0 when the page is missing or broken; 0.5 + 0.5 × the share of footer-bearing pages
that link to it when it exists; 1 when every such page does.
"""

from __future__ import annotations

import re
from typing import Optional
from urllib.parse import unquote

from auditor.model import (
    CheckResult,
    Evidence,
    Finding,
    LinkRecord,
    Outcome,
    PageStatus,
    PageSummary,
    Severity,
    SiteArtifacts,
)
from auditor.shared.texts import Text, say, t_en
from auditor.shared.urls import same_page_key
from checks._support import BLOCKING_STATUSES, page_address, site_result
from checks.registry import CheckContext, site_check

PAGES_LISTED_MAX = 50
EVIDENCE_MAX = 10

# Words in a footer link's text or address that name each role (nl, fr, en, de). Used when the
# footer links to another address of the page (a redirect, a short alias) than the one found.
ROLE_LINK_WORDS: dict[str, re.Pattern[str]] = {
    "accessibility": re.compile(r"toegankelijk|accessib|barrierefrei", re.IGNORECASE),
    "privacy": re.compile(
        r"privacy|gegevensbescherming|persoonsgegevens|gegevensverwerking|vie[ -]priv|confidentialit"
        r"|protection[ -]des[ -]donn|data[ -]protection|datenschutz",
        re.IGNORECASE,
    ),
    "cookies": re.compile(r"cookie", re.IGNORECASE),
    "contact": re.compile(r"contact|kontakt", re.IGNORECASE),
}

# How a statement page that did not load counts: the site's problem (fail), the site refusing
# us (blocked), or ours (error).
_STATUS_OUTCOME: dict[PageStatus, Outcome] = {
    PageStatus.HTTP_ERROR: Outcome.FAIL,
    PageStatus.DNS_RESOLUTION_ERROR: Outcome.FAIL,
    PageStatus.CONNECTION_REFUSED: Outcome.FAIL,
    PageStatus.CONNECTION_RESET: Outcome.FAIL,
    PageStatus.INVALID_SSL_CERT: Outcome.FAIL,
    PageStatus.TOO_MANY_REDIRECTS: Outcome.FAIL,
    PageStatus.BLOCKED: Outcome.BLOCKED,
    PageStatus.TIMEOUT: Outcome.BLOCKED,
    PageStatus.NOT_HTML: Outcome.WARNING,
    PageStatus.BROWSER_CRASH: Outcome.ERROR,
    PageStatus.ERROR: Outcome.ERROR,
    PageStatus.TOO_LARGE: Outcome.ERROR,  # over our size limit: not assessed
}


def find_role_page(site: SiteArtifacts, role: str) -> tuple[Optional[str], Optional[PageSummary]]:
    """(URL found for the role, the visited page at that URL), preferring a page that loaded."""
    role_url = site.role_pages.get(role) or ""
    tagged = [page for page in site.pages if role in page.roles]
    if not role_url and tagged:
        role_url = tagged[0].url
    if not role_url:
        return None, None
    wanted = same_page_key(role_url)
    candidates = [
        page for page in site.pages
        if wanted in (same_page_key(page.url), same_page_key(page.final_url)) or role in page.roles
    ]
    candidates.sort(key=lambda page: (page.status != PageStatus.OK, same_page_key(page.url) != wanted))
    return role_url, (candidates[0] if candidates else None)


def links_to_role(link: LinkRecord, role: str, role_keys: set[str]) -> bool:
    if same_page_key(link.url) in role_keys:
        return True
    words = ROLE_LINK_WORDS.get(role)
    return bool(words and (words.search(link.text or "") or words.search(unquote(link.url or ""))))


def _unassessable(check_id: str, site: SiteArtifacts) -> CheckResult:
    """No page loaded at all: the site refused us, or there was nothing to look at."""
    if any(page.status in BLOCKING_STATUSES for page in site.pages):
        return site_result(check_id, Outcome.BLOCKED, **say("family.statements.summary.blocked").fields("summary"))
    return site_result(check_id, Outcome.NOT_APPLICABLE,
                       **say("family.statements.summary.not-applicable").fields("summary"))


# the table of the statement checks' shared texts in the catalogs
T = "family.statements."


def statement_check(site: SiteArtifacts, check_id: str, role: str, label: Text,
                    missing_outcome: Outcome = Outcome.FAIL) -> CheckResult:
    """The shared logic of the statement checks; ``label`` (in English and Dutch, from the text
    catalog) names the page in messages and ``missing_outcome`` is what a site without the page gets."""
    ok_pages = [page for page in site.pages if page.status == PageStatus.OK]
    if not ok_pages:
        return _unassessable(check_id, site)

    role_url, role_page = find_role_page(site, role)
    if role_url is None:
        lacking_urls = [page_address(page) for page in ok_pages]
        finding = Finding(
            check_id=check_id, outcome=missing_outcome, **say(T + "finding.missing", label=label).fields("title"),
            severity=Severity.SERIOUS,
            rule=f"{role}-missing", fingerprint=f"{check_id}:missing",
            occurrences=len(ok_pages), pages=lacking_urls[:PAGES_LISTED_MAX], pages_total=len(ok_pages),
            evidence=[Evidence(
                page_url=page_address(ok_pages[0]),
                value=t_en("family.statements.seen.no-link-to-a-on", label=label.en, ok_pages_count=len(ok_pages)),
                expected=t_en("family.statements.expected.a-link-to-the", label=label.en),
            )],
        )
        return site_result(check_id, missing_outcome,
                           **say(T + "summary.missing", label=label, pages=len(ok_pages)).fields("summary"),
                           findings=[finding], details={"url": "", "pages_checked": len(ok_pages)})

    details: dict = {"url": role_url}
    if role_page is None:
        if any(same_page_key(resource.url) == same_page_key(role_url) for resource in site.resources):
            return site_result(check_id, Outcome.WARNING, details=details,
                               **say(T + "summary.document", label=label, url=role_url).fields("summary"))
        return site_result(check_id, Outcome.MANUAL, details=details,
                           **say(T + "summary.not-visited", label=label, url=role_url).fields("summary"))

    details["status"] = role_page.status.value
    if role_page.status != PageStatus.OK:
        outcome = _STATUS_OUTCOME.get(role_page.status, Outcome.ERROR)
        status_text = f"HTTP {role_page.http_status}" if role_page.http_status else role_page.status.value
        findings = []
        if outcome in (Outcome.FAIL, Outcome.WARNING):
            findings.append(Finding(
                check_id=check_id, outcome=outcome, **say(T + "finding.broken", label=label).fields("title"),
                severity=Severity.SERIOUS, rule=f"{role}-broken",
                fingerprint=f"{check_id}:broken",
                evidence=[Evidence(page_url=role_url, value=status_text,
                                   expected=t_en("family.statements.expected.a-page-that-loads"))],
            ))
        score = 0.0 if outcome == Outcome.FAIL else None
        return site_result(check_id, outcome, score=score, findings=findings, details=details,
                           **say(T + "summary.broken", label=label, url=role_url,
                                 status=status_text).fields("summary"))

    role_keys = {same_page_key(role_url), same_page_key(role_page.url), same_page_key(role_page.final_url)} - {""}
    with_footer = [page for page in ok_pages if page.footer_links]
    lacking = [
        page for page in with_footer
        if not any(links_to_role(link, role, role_keys) for link in [*page.footer_links, *page.header_links])
    ]
    details.update(pages_with_footer=len(with_footer), pages_lacking_footer_link=len(lacking))
    if not with_footer:
        return site_result(check_id, Outcome.PASS, score=1.0, details=details,
                           **say(T + "summary.pass.no-footer", label=label, url=role_url).fields("summary"))
    if not lacking:
        return site_result(check_id, Outcome.PASS, score=1.0, details=details, pages_evaluated=len(with_footer),
                           pages_passed=len(with_footer),
                           **say(T + "summary.pass.footer", label=label, url=role_url).fields("summary"))

    share_linked = 1 - len(lacking) / len(with_footer)
    lacking_urls = [page_address(page) for page in lacking]
    start_keys = {same_page_key(url) for url in site.site.start_urls}
    home_lacks = any(start_keys & {same_page_key(page.url), same_page_key(page.final_url)} for page in lacking)
    details["home_page_lacks_link"] = home_lacks
    finding = Finding(
        check_id=check_id, outcome=Outcome.WARNING,
        **say(T + ("finding.home-lacks-link" if home_lacks and len(lacking) == 1
                   else "finding.home-and-others-lack-link" if home_lacks else "finding.footer-lacks-link"),
              label=label, others=len(lacking) - 1).fields("title"),
        severity=Severity.MODERATE if home_lacks else Severity.MINOR,
        rule=f"{role}-footer-link", fingerprint=f"{check_id}:footer-link",
        occurrences=len(lacking), pages=lacking_urls[:PAGES_LISTED_MAX], pages_total=len(lacking),
        evidence=[
            Evidence(page_url=url, selector="footer", value=t_en("family.statements.seen.no-footer-link"),
                     expected=t_en("family.statements.expected.a-footer-link-to", role_url=role_url))
            for url in lacking_urls[:EVIDENCE_MAX]
        ],
    )
    return site_result(check_id, Outcome.WARNING, score=0.5 + 0.5 * share_linked,
                       findings=[finding], details=details, pages_evaluated=len(with_footer),
                       pages_passed=len(with_footer) - len(lacking),
                       **say(T + "summary.warning.footer-link", label=label, url=role_url, lacking=len(lacking),
                             pages=len(with_footer)).fields("summary"))


@site_check(id="accessibility-statement-linked", requires=("role_pages", "pages"))
def accessibility_statement_linked(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    return statement_check(site, "accessibility-statement-linked", "accessibility", say(T + "label.accessibility"))


@site_check(id="privacy-statement-linked", requires=("role_pages", "pages"))
def privacy_statement_linked(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    return statement_check(site, "privacy-statement-linked", "privacy", say(T + "label.privacy"))


@site_check(id="contact-page-linked", requires=("role_pages", "pages"))
def contact_page_linked(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    return statement_check(site, "contact-page-linked", "contact", say(T + "label.contact"))
