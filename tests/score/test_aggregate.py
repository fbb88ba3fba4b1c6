"""Aggregation of page results into one site result per check."""

from __future__ import annotations

import pytest

from auditor.score.aggregate import (
    EVIDENCE_MAX,
    PAGES_LISTED_MAX,
    CheckAccumulator,
    PageResultsAccumulator,
    aggregate_page_results,
)
from auditor.model import CheckResult, Evidence, Finding, Outcome, PageArtifacts, Severity, Site
from checks.accessibility import axe_violations
from checks.registry import CheckContext

CHECK = "axe-violations"


def page_result(n: int, outcome: Outcome, score=None, findings=()) -> CheckResult:
    return CheckResult(check_id=CHECK, outcome=outcome, score=score,
                       page_url=f"https://www.gemeente.be/p{n}", findings=list(findings))


def finding(n: int, fingerprint: str = "axe-violations:image-alt:abc", *, occurrences: int = 1,
            severity: Severity = Severity.SERIOUS, outcome: Outcome = Outcome.FAIL,
            examples: int = 1) -> Finding:
    url = f"https://www.gemeente.be/p{n}"
    return Finding(
        check_id=CHECK, outcome=outcome, title="Images must have alternative text", rule="image-alt",
        severity=severity, fingerprint=fingerprint, occurrences=occurrences, pages=[url], pages_total=1,
        wcag_sc=["1.1.1"],
        evidence=[Evidence(page_url=url, selector=f"img.n{i}") for i in range(examples)],
    )


@pytest.mark.parametrize("outcomes, expected", [
    ([Outcome.PASS, Outcome.FAIL, Outcome.WARNING], Outcome.FAIL),
    ([Outcome.PASS, Outcome.WARNING, Outcome.MANUAL], Outcome.WARNING),
    ([Outcome.NOT_APPLICABLE, Outcome.PASS, Outcome.ERROR], Outcome.PASS),
    ([Outcome.NOT_APPLICABLE, Outcome.MANUAL], Outcome.MANUAL),
    ([Outcome.NOT_APPLICABLE, Outcome.NOT_APPLICABLE], Outcome.NOT_APPLICABLE),
    ([Outcome.ERROR, Outcome.NOT_APPLICABLE], Outcome.ERROR),
    ([Outcome.BLOCKED], Outcome.BLOCKED),
    ([], Outcome.NOT_APPLICABLE),
])
def test_site_outcome_is_the_worst_verdict(outcomes, expected):
    result = aggregate_page_results(CHECK, [page_result(i, o) for i, o in enumerate(outcomes)])
    assert result.outcome == expected


def test_score_is_the_mean_of_scored_pages_and_counters_are_exact():
    results = [
        page_result(1, Outcome.PASS, 1.0),
        page_result(2, Outcome.FAIL, 0.4),
        page_result(3, Outcome.WARNING, 0.7),
        page_result(4, Outcome.MANUAL, None),
        page_result(5, Outcome.NOT_APPLICABLE, None),
        CheckResult(check_id=CHECK, outcome=Outcome.ERROR, summary="axe did not run",
                    page_url="https://www.gemeente.be/p6"),
    ]
    result = aggregate_page_results(CHECK, results)
    assert result.score == pytest.approx((1.0 + 0.4 + 0.7) / 3)
    assert result.pages_evaluated == 4  # pass, fail, warning, manual
    assert result.pages_passed == 1
    assert result.page_url == ""
    assert result.details["pages_total"] == 6
    assert result.details["pages_errored"] == 1
    assert result.details["errors"][0]["message"] == "axe did not run"
    assert result.details["pages_by_outcome"]["fail"] == 1


def test_no_scored_page_means_no_score():
    result = aggregate_page_results(CHECK, [page_result(1, Outcome.MANUAL), page_result(2, Outcome.NOT_APPLICABLE)])
    assert result.score is None


def test_findings_merge_by_fingerprint_and_sum_occurrences():
    results = [
        page_result(1, Outcome.FAIL, 0.5, [finding(1, occurrences=3), finding(1, "other", severity=Severity.MINOR)]),
        page_result(2, Outcome.FAIL, 0.5, [finding(2, occurrences=2, severity=Severity.CRITICAL)]),
    ]
    result = aggregate_page_results(CHECK, results)
    assert len(result.findings) == 2
    merged = result.findings[0]
    assert merged.fingerprint == "axe-violations:image-alt:abc"
    assert merged.occurrences == 5
    assert merged.pages == ["https://www.gemeente.be/p1", "https://www.gemeente.be/p2"]
    assert merged.pages_total == 2
    assert merged.severity == Severity.CRITICAL  # the worst seen
    assert merged.wcag_sc == ["1.1.1"]


def test_page_list_is_capped_but_pages_total_is_exact_and_evidence_is_spread():
    accumulator = CheckAccumulator(CHECK)
    for n in range(PAGES_LISTED_MAX + 30):
        accumulator.add(page_result(n, Outcome.FAIL, 0.0, [finding(n, examples=4)]))
    merged = accumulator.result().findings[0]
    assert merged.pages_total == PAGES_LISTED_MAX + 30
    assert len(merged.pages) == PAGES_LISTED_MAX
    assert merged.occurrences == PAGES_LISTED_MAX + 30
    assert len(merged.evidence) == EVIDENCE_MAX
    # the first page gave four examples, but later pages take over so more pages are shown
    assert len({e.page_url for e in merged.evidence}) >= 3


def test_the_same_page_added_twice_counts_once():
    accumulator = CheckAccumulator(CHECK)
    accumulator.add(page_result(1, Outcome.FAIL, 0.0, [finding(1)]))
    accumulator.add(page_result(1, Outcome.FAIL, 0.0, [finding(1)]))
    result = accumulator.result()
    assert result.findings[0].occurrences == 1
    assert result.details["pages_total"] == 1
    assert result.details["duplicate_results_ignored"] == 1


def test_results_of_another_check_are_refused():
    with pytest.raises(ValueError, match="html-lang"):
        CheckAccumulator(CHECK).add(CheckResult(check_id="html-lang", outcome=Outcome.PASS, page_url="x"))


def test_findings_without_fingerprint_still_merge_and_get_page_from_the_result():
    bare = Finding(check_id=CHECK, outcome=Outcome.FAIL, title="Same problem", rule="r")
    result = aggregate_page_results(CHECK, [
        page_result(1, Outcome.FAIL, 0.0, [bare]),
        page_result(2, Outcome.FAIL, 0.0, [bare.model_copy()]),
    ])
    assert len(result.findings) == 1
    assert result.findings[0].pages_total == 2
    assert result.findings[0].pages == ["https://www.gemeente.be/p1", "https://www.gemeente.be/p2"]


def test_one_template_error_on_two_real_axe_pages_is_one_site_finding():
    context = CheckContext(site=Site(start_urls=["https://www.gemeente.be/"]))

    def axe_page(path: str, position: int) -> PageArtifacts:
        violation = {"id": "link-name", "impact": "serious", "tags": ["wcag2a", "wcag244", "wcag412"],
                     "help": "Links must have discernible text", "helpUrl": "", "description": "",
                     "nodes": [{"target": [f"nav > li:nth-child({position}) > a"], "html": "<a></a>",
                                "failureSummary": "Fix all"}]}
        url = f"https://www.gemeente.be{path}"
        return PageArtifacts(url=url, final_url=url, axe={"violations": [violation], "passes": []})

    accumulator = CheckAccumulator(CHECK)
    for path, position in (("/a", 2), ("/b", 5)):
        accumulator.add(axe_violations(axe_page(path, position), context))
    result = accumulator.result()
    assert result.outcome == Outcome.FAIL
    assert len(result.findings) == 1
    assert result.findings[0].pages_total == 2
    assert result.findings[0].wcag_sc == ["2.4.4", "4.1.2"]


def test_page_results_accumulator_routes_by_check_and_reports_checks_without_pages():
    accumulator = PageResultsAccumulator(["html-lang", CHECK])
    accumulator.add(page_result(1, Outcome.PASS, 1.0))
    by_id = {r.check_id: r for r in accumulator.results()}
    assert by_id[CHECK].outcome == Outcome.PASS
    assert by_id["html-lang"].outcome == Outcome.NOT_APPLICABLE
    assert by_id["html-lang"].summary == "no page was evaluated"
