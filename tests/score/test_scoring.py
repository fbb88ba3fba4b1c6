"""Scoring: weighted means where only pass/fail/warning weigh, with coverage beside the score."""

from __future__ import annotations

import pytest

from auditor.score.framework import CheckWeight, Criterion, Framework, Principle, default_framework_path, load_framework
from auditor.model import CheckResult, Outcome
from auditor.score.scoring import score_criterion, score_site
from checks.registry import load_all


def result(check_id: str, outcome: Outcome, score=None) -> CheckResult:
    return CheckResult(check_id=check_id, outcome=outcome, score=score)


def criterion(criterion_id="P1-G-01", principle="P1", automation="automated", **weights) -> Criterion:
    return Criterion(
        id=criterion_id, principle_id=principle, title=criterion_id, kind="user", automation=automation,
        checks=tuple(CheckWeight(check_id.replace("_", "-"), weight) for check_id, weight in weights.items()),
        question="" if automation == "automated" else "A question?",
    )


def by_id(*results: CheckResult) -> dict[str, CheckResult]:
    return {r.check_id: r for r in results}


def test_criterion_score_is_the_weighted_mean_of_scored_checks():
    scored = score_criterion(criterion(a=3, b=1), by_id(result("a", Outcome.PASS, 1.0), result("b", Outcome.FAIL, 0.2)))
    assert scored.score == pytest.approx((3 * 1.0 + 1 * 0.2) / 4)
    assert scored.coverage == 1.0
    assert [(c.check_id, c.weight, c.outcome) for c in scored.checks] == [
        ("a", 3, Outcome.PASS), ("b", 1, Outcome.FAIL)]


@pytest.mark.parametrize("unscored", [Outcome.MANUAL, Outcome.NOT_APPLICABLE, Outcome.ERROR, Outcome.BLOCKED])
def test_unscored_outcomes_weigh_nothing_but_lower_coverage(unscored):
    # even if an unscored result carries a number, it must not move the score
    scored = score_criterion(criterion(a=1, b=3), by_id(result("a", Outcome.PASS, 1.0), result("b", unscored, 0.0)))
    assert scored.score == 1.0
    assert scored.coverage == pytest.approx(0.25)
    assert scored.checks[1].outcome == unscored
    assert scored.checks[1].score is None


def test_a_check_that_did_not_run_counts_as_not_applicable():
    scored = score_criterion(criterion(a=1, b=1), by_id(result("a", Outcome.FAIL, 0.0)))
    assert scored.score == 0.0
    assert scored.coverage == 0.5
    assert scored.checks[1].outcome == Outcome.NOT_APPLICABLE


def test_scored_outcome_without_a_number_uses_the_outcome_default():
    scored = score_criterion(criterion(a=1, b=1), by_id(result("a", Outcome.PASS), result("b", Outcome.WARNING)))
    assert scored.score == pytest.approx(0.75)


@pytest.mark.parametrize("scores, outcome", [
    ([("pass", 1.0)], Outcome.PASS),
    ([("pass", 1.0), ("warning", 0.9)], Outcome.WARNING),  # never green over a warning check
    ([("fail", 0.95)], Outcome.WARNING),  # high score, but a failed check
    ([("warning", 0.6)], Outcome.WARNING),
    ([("fail", 0.49)], Outcome.FAIL),
    ([("pass", 1.0), ("fail", 0.0)], Outcome.WARNING),  # 0.5: the warning band starts here
])
def test_criterion_outcome_follows_thresholds_and_never_hides_a_bad_check(scores, outcome):
    results = [result(f"c{i}", Outcome(kind), value) for i, (kind, value) in enumerate(scores)]
    item = criterion(**{f"c{i}": 1 for i in range(len(scores))})
    assert score_criterion(item, by_id(*results)).outcome == outcome


def test_manual_criterion_is_manual_without_score():
    scored = score_criterion(criterion(automation="manual"), {})
    assert scored.outcome == Outcome.MANUAL
    assert scored.score is None
    assert scored.coverage == 0.0
    assert scored.question == "A question?"


@pytest.mark.parametrize("outcomes, automation, expected", [
    ([Outcome.BLOCKED, Outcome.ERROR], "automated", Outcome.BLOCKED),
    ([Outcome.ERROR, Outcome.NOT_APPLICABLE], "automated", Outcome.ERROR),
    ([Outcome.NOT_APPLICABLE], "partly_automated", Outcome.MANUAL),
    ([Outcome.MANUAL], "automated", Outcome.MANUAL),
    ([Outcome.NOT_APPLICABLE], "automated", Outcome.NOT_APPLICABLE),
])
def test_criterion_with_nothing_scored_says_why(outcomes, automation, expected):
    results = [result(f"c{i}", o) for i, o in enumerate(outcomes)]
    item = criterion(automation=automation, **{f"c{i}": 1 for i in range(len(outcomes))})
    scored = score_criterion(item, by_id(*results))
    assert scored.outcome == expected
    assert scored.score is None


def small_framework() -> Framework:
    return Framework(
        id="t", version="1", name="t",
        principles=(Principle("P1", "Een", "d"), Principle("P2", "Twee", "d"), Principle("P3", "Drie", "d")),
        criteria=(
            criterion("P1-G-01", "P1", a=1),
            criterion("P1-G-02", "P1", b=1),
            criterion("P1-G-03", "P1", automation="manual"),
            criterion("P2-G-01", "P2", c=1),
            criterion("P3-G-01", "P3", automation="manual"),
        ),
    )


def test_principles_average_their_criteria_and_overall_averages_principles():
    results = [result("a", Outcome.PASS, 1.0), result("b", Outcome.FAIL, 0.0), result("c", Outcome.WARNING, 0.6)]
    criteria, principles, overall = score_site(results, small_framework())
    assert len(criteria) == 5
    p1, p2, p3 = principles
    assert p1.score == pytest.approx(0.5)
    assert (p1.criteria_total, p1.criteria_scored, p1.criteria_manual) == (3, 2, 1)
    assert p2.score == pytest.approx(0.6)
    assert p3.score is None and p3.criteria_manual == 1
    # each scored principle counts once, however many criteria it has
    assert overall == pytest.approx((0.5 + 0.6) / 2)


def test_nothing_scored_gives_no_overall_score():
    criteria, principles, overall = score_site([], small_framework())
    assert overall is None
    assert all(p.score is None for p in principles)


def test_shipped_framework_scores_a_full_result_set():
    registry = load_all()
    framework = load_framework(default_framework_path(), registry)
    results = [result(check_id, Outcome.PASS, 1.0) for check_id in registry]
    manual_checks = {"axe-needs-review", "wcag-coverage"}  # these never carry a score
    results = [r if r.check_id not in manual_checks else result(r.check_id, Outcome.MANUAL) for r in results]
    criteria, principles, overall = score_site(results, framework)
    assert overall == 1.0
    accessible = next(c for c in criteria if c.criterion_id == "P2-I-01")
    assert accessible.outcome == Outcome.PASS
    # the manual checks weigh nothing: coverage is the rest of the criterion's weight
    criterion = next(c for c in framework.criteria if c.id == "P2-I-01")
    manual_weight = sum(ref.weight for ref in criterion.checks if ref.check_id in manual_checks)
    assert accessible.coverage == pytest.approx(1 - manual_weight / criterion.total_weight)
    assert all(c.outcome == Outcome.MANUAL for c in criteria if c.automation == "manual")


@pytest.mark.parametrize("score, outcome", [
    (1.0, Outcome.PASS), (0.9, Outcome.PASS), (0.89, Outcome.WARNING),
    (0.5, Outcome.WARNING), (0.49, Outcome.FAIL), (0.0, Outcome.FAIL),
])
def test_documented_thresholds(score, outcome):
    from auditor.score.scoring import outcome_for_score

    assert outcome_for_score(score) == outcome
