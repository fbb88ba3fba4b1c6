"""Run the registered checks over artifacts, page by page, then once for the site.

Used by a live audit (pages stream in from the browser) and by ``auditor rescore`` (pages
stream in from a saved artifacts folder): the same code, so a rescore gives what a live run
would have given with the same artifacts. A check that raises becomes an ``error`` result for
that check only; it never breaks the run.
"""

from __future__ import annotations

import traceback
from datetime import datetime
from typing import Iterable, Optional

from auditor.score.aggregate import CheckAccumulator
from auditor.score.framework import Framework
from auditor.model import (
    CheckResult,
    Coverage,
    Method,
    Outcome,
    PageArtifacts,
    PageStatus,
    SiteArtifacts,
    SiteReport,
)
from auditor.score.scoring import apply_finding_explanations, score_site
from checks.registry import Check, CheckContext


class Evaluator:
    def __init__(self, checks: dict[str, Check], context: CheckContext):
        self.context = context
        self.page_checks = [c for c in checks.values() if c.scope == "page"]
        self.site_checks = [c for c in checks.values() if c.scope == "site"]
        self._accumulators = {c.id: CheckAccumulator(c.id) for c in self.page_checks}
        self.checks = checks

    def add_page(self, page: PageArtifacts) -> list[CheckResult]:
        """Run every page check on one rendered page; pages that did not render are not
        judged (they are counted in coverage instead)."""
        results = self.page_results(page)
        self.add_results(results)
        return results

    def page_results(self, page: PageArtifacts) -> list[CheckResult]:
        """The page checks' results for one page, without folding them into the site results
        (``auditor rescore`` runs this part in worker processes)."""
        if page.status != PageStatus.OK:
            return []
        results = []
        for check in self.page_checks:
            result = _run_safely(check, page, self.context)
            if not result.page_url:
                result.page_url = page.final_url or page.url
            results.append(result)
        return results

    def add_results(self, results: Iterable[CheckResult]) -> None:
        """Fold one page's results (from ``page_results``) into the site results."""
        for result in results:
            self._accumulators[result.check_id].add(result)

    def finish(self, site: SiteArtifacts) -> list[CheckResult]:
        results = [acc.result() for acc in self._accumulators.values()]
        results += [_run_safely(check, site, self.context) for check in self.site_checks]
        return sorted(results, key=lambda r: r.check_id)


def _run_safely(check: Check, artifacts, context: CheckContext) -> CheckResult:
    try:
        result = check.run(artifacts, context)
    except Exception as exc:  # noqa: BLE001 - one broken check must not break the audit
        where = traceback.extract_tb(exc.__traceback__)[-1]
        cause = f"{type(exc).__name__}: {exc} ({where.filename}:{where.lineno})"
        return CheckResult(
            check_id=check.id,
            outcome=Outcome.ERROR,
            summary=f"the check failed: {cause}"[:500],
            summary_nl=f"de controle liep fout: {cause}"[:500],
        )
    if not isinstance(result, CheckResult):
        return CheckResult(
            check_id=check.id, outcome=Outcome.ERROR, summary="the check returned no CheckResult",
            summary_nl="de controle gaf geen resultaat (CheckResult)",
        )
    # the registry's id is the truth: a check that names another id (a copy-paste slip) must
    # not fold into a check that does not exist, or into another check's results
    if result.check_id != check.id:
        result.check_id = check.id
        for finding in result.findings:
            finding.check_id = check.id
    return result


def coverage_of(site: SiteArtifacts) -> Coverage:
    pages = site.pages
    blocked = sum(p.status == PageStatus.BLOCKED for p in pages)
    ok = sum(p.status == PageStatus.OK for p in pages)
    return Coverage(
        pages_discovered=len(pages) + len(site.skipped) + len(site.resources),
        pages_visited=len(pages),
        pages_ok=ok,
        pages_blocked=blocked,
        pages_failed=len(pages) - ok - blocked,
        pages_skipped=len(site.skipped),
        resources=len(site.resources),
    )


def build_report(
    *,
    run_id: str,
    site: SiteArtifacts,
    results: list[CheckResult],
    framework: Framework,
    checks: dict[str, Check],
    method: Method,
    started_at: datetime,
    finished_at: Optional[datetime],
    partial: bool,
    notes: Iterable[str] = (),
) -> SiteReport:
    audit_day = started_at.date()
    known = {c.id for c in framework.criteria}
    notes = list(notes)
    for item in [*site.site.explanations, *site.site.answers]:
        if item.criterion_id and item.criterion_id not in known:
            notes.append(f"the site description names criterion {item.criterion_id!r}, which {framework.id} "
                         "does not have: ignored")
    apply_finding_explanations(results, site.site, audit_day)
    criteria, principles, overall = score_site(results, framework, site.site, audit_day)
    coverage = coverage_of(site)
    report = SiteReport(
        run_id=run_id,
        site=site.site,
        started_at=started_at,
        finished_at=finished_at,
        partial=partial,
        method=method,
        coverage=coverage,
        overall_score=overall,
        overall_coverage=round(sum(p.coverage for p in principles) / len(principles), 4) if principles else 0.0,
        principles=principles,
        criteria=criteria,
        checks=[checks[r.check_id].info() for r in results if r.check_id in checks],
        results=results,
        pages=site.pages,
        resources=site.resources,
        skipped=site.skipped,
        broken_links=site.broken_links,
        notes=list(notes),
        limits_hit=dict(site.limits_hit),
    )
    if coverage.pages_ok == 0:
        # nothing rendered: no score at all rather than a score of the probes alone
        report.assessable = False
        report.overall_score = None
        for principle in report.principles:
            principle.score = None
        first = site.pages[0] if site.pages else None
        robots = site.robots
        if first is None and robots is not None and robots.disallows_everything:
            report.not_assessable_reason = "robots.txt does not allow the auditor to visit the site" + (
                f" ({robots.error})" if robots.error else "")
        elif first is not None and first.status == PageStatus.BLOCKED:
            report.not_assessable_reason = f"the site refused the auditor ({first.error or 'blocked'})"
        elif first is not None:
            report.not_assessable_reason = f"{first.url}: {first.status.value}: {first.error}"
        else:
            report.not_assessable_reason = "no page could be visited"
    return report
