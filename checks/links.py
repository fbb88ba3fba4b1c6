"""Link checks: internal links that lead nowhere.

A broken internal link is a service that cannot be reached (principle 1: the digital channel
must work). Thresholds, chosen so a single stale link on a living site does not fail it, while
a site where links rot in numbers does:

* no broken internal link → ``pass``;
* 1 to ``WARNING_MAX_BROKEN`` (4) broken URLs, and less than ``FAIL_SHARE`` (10 %) of the
  internal URLs tried → ``warning``;
* more, or at least 10 % of internal URLs tried → ``fail``.

The score is the share of internal URLs tried that worked. Answers that mean "we were refused"
(401, 403, 407, 429) and network errors are not counted as broken: the site may have been
throttling the crawler; they are listed in the details instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from auditor.model import (
    BrokenLink,
    CheckResult,
    Evidence,
    Finding,
    Outcome,
    PageStatus,
    Severity,
    SiteArtifacts,
)
from auditor.shared.texts import say, t_en
from auditor.shared.urls import same_page_key
from checks._support import site_result
from checks.registry import CheckContext, site_check

WARNING_MAX_BROKEN = 4
FAIL_SHARE = 0.10
REFUSAL_STATUSES = frozenset({401, 403, 407, 429})
FINDINGS_MAX = 200
PAGES_LISTED_MAX = 50
EVIDENCE_MAX = 5


@dataclass
class _BrokenTarget:
    url: str
    http_status: Optional[int]
    linked_from: list[str] = field(default_factory=list)


def _is_broken_status(status: Optional[int]) -> bool:
    return status is not None and status >= 400 and status not in REFUSAL_STATUSES


def collect_broken_targets(site: SiteArtifacts) -> tuple[list[_BrokenTarget], list[BrokenLink]]:
    """(broken targets, links not counted) from the crawler's broken-link list and from visited
    pages that answered with an error status, deduplicated by URL."""
    targets: dict[str, _BrokenTarget] = {}
    not_counted: list[BrokenLink] = []

    def add(url: str, status: Optional[int], linked_from: list[str]) -> None:
        target = targets.setdefault(same_page_key(url), _BrokenTarget(url=url, http_status=status))
        for source in linked_from:
            if source and source not in target.linked_from:
                target.linked_from.append(source)

    for link in site.broken_links:
        if _is_broken_status(link.http_status):
            add(link.url, link.http_status, list(link.linked_from))
        else:
            not_counted.append(link)
    for page in site.pages:
        if page.status == PageStatus.HTTP_ERROR and _is_broken_status(page.http_status):
            add(page.url, page.http_status, [page.found_on] if page.found_on.startswith("http") else [])
    return list(targets.values()), not_counted


def broken_links_outcome(broken: int, tried: int) -> Outcome:
    """The documented thresholds, in one place so tests and docs agree."""
    if broken == 0:
        return Outcome.PASS
    if broken <= WARNING_MAX_BROKEN and (tried == 0 or broken / tried < FAIL_SHARE):
        return Outcome.WARNING
    return Outcome.FAIL


@site_check(id="broken-links", requires=("broken_links", "pages"))
def broken_links(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    targets, not_counted = collect_broken_targets(site)
    tried_keys = {same_page_key(page.url) for page in site.pages} | {same_page_key(t.url) for t in targets}
    tried = len(tried_keys)
    outcome = broken_links_outcome(len(targets), tried)
    details = {
        "broken_urls": len(targets),
        "internal_urls_tried": tried,
        "not_counted": [
            {"url": link.url, "http_status": link.http_status, "error": link.error[:200]}
            for link in not_counted[:PAGES_LISTED_MAX]
        ],
        "not_counted_total": len(not_counted),
        "thresholds": {"warning_max_broken": WARNING_MAX_BROKEN, "fail_share": FAIL_SHARE},
    }
    if tried == 0:
        return site_result("broken-links", Outcome.NOT_APPLICABLE,
                           **say("broken-links.summary.not-applicable").fields("summary"),
                           details=details)
    score = 1 - len(targets) / tried
    if outcome == Outcome.PASS:
        return site_result(
            "broken-links", Outcome.PASS, **say("broken-links.summary.pass",
                                                tried=tried).fields("summary"),
            score=score, details=details,
        )

    targets.sort(key=lambda t: (-len(t.linked_from), t.url))
    findings = [
        Finding(
            check_id="broken-links",
            outcome=outcome,
            **say("broken-links.finding.broken-internal-link-http",
                  http_status=target.http_status).fields("title"),
            severity=Severity.MODERATE,
            rule=f"http-{target.http_status}",
            fingerprint=f"broken-links:{same_page_key(target.url)}",
            occurrences=max(len(target.linked_from), 1),
            pages=target.linked_from[:PAGES_LISTED_MAX],
            pages_total=len(target.linked_from),
            evidence=[
                Evidence(page_url=source, value=t_en("family.links.seen.http", url=target.url,
                                                     http_status=target.http_status),
                         expected=t_en("family.links.expected.a-working-link"))
                for source in (target.linked_from[:EVIDENCE_MAX] or [""])
            ],
        )
        for target in targets[:FINDINGS_MAX]
    ]
    return site_result("broken-links", outcome, score=score, findings=findings, details=details,
                       **say("broken-links.summary.broken", broken=len(targets), tried=tried).fields("summary"))
