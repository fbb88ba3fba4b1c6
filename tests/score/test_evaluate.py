"""The evaluator runs registered checks over artifacts; one broken check never breaks a run."""

from __future__ import annotations

from auditor.model import CheckResult, Finding, Outcome, PageArtifacts, Severity, Site, SiteArtifacts
from auditor.score.evaluate import Evaluator
from checks.registry import Check, CheckContext

URL = "https://www.voorbeeldegem.be/"


def _check(check_id: str, scope: str, run) -> Check:
    return Check(id=check_id, title="t", failure_title="f", description="", scope=scope, family="test",
                 requires=(), run=run)


def _wrong_id_result(artifacts, context) -> CheckResult:
    finding = Finding(check_id="copy-pasted-id", title="missing thing", outcome=Outcome.FAIL,
                      severity=Severity.SERIOUS)
    return CheckResult(check_id="copy-pasted-id", outcome=Outcome.FAIL, score=0.0, findings=[finding])


def _raises(artifacts, context) -> CheckResult:
    raise RuntimeError("boom")


def test_a_result_naming_another_check_id_is_stamped_with_the_registry_id():
    checks = {"page-probe": _check("page-probe", "page", _wrong_id_result),
              "site-probe": _check("site-probe", "site", _wrong_id_result)}
    evaluator = Evaluator(checks, CheckContext(site=Site(start_urls=[URL])))
    page_results = evaluator.add_page(PageArtifacts(url=URL, final_url=URL))  # raised KeyError before
    assert [r.check_id for r in page_results] == ["page-probe"]
    results = {r.check_id: r for r in evaluator.finish(SiteArtifacts(site=Site(start_urls=[URL])))}
    assert set(results) == {"page-probe", "site-probe"}
    for result in results.values():
        assert result.outcome == Outcome.FAIL
        assert {f.check_id for f in result.findings} == {result.check_id}


def test_a_check_that_raises_is_an_error_for_that_check_only():
    checks = {"broken": _check("broken", "page", _raises), "fine": _check("fine", "page", _wrong_id_result)}
    evaluator = Evaluator(checks, CheckContext(site=Site(start_urls=[URL])))
    evaluator.add_page(PageArtifacts(url=URL, final_url=URL))
    results = {r.check_id: r for r in evaluator.finish(SiteArtifacts(site=Site(start_urls=[URL])))}
    assert results["broken"].outcome == Outcome.ERROR and "boom" in str(results["broken"].details)
    assert results["fine"].outcome == Outcome.FAIL
