"""From site-level check results to criterion, principle and overall scores.

Small and pure, after Lighthouse's ``scoring.js``: a score is a weighted mean, and only results
that reached a verdict (pass, fail, warning) carry weight. ``manual``, ``not_applicable``,
``error`` and ``blocked`` results weigh 0; they stay listed in ``CriterionScore.checks`` and
lower the criterion's ``coverage`` (scored weight / total weight), so nobody mistakes a score
built on half the evidence for the whole truth.

* criterion score: weighted mean of its scored checks' scores (a scored check without a score
  counts as pass 1.0, warning 0.5, fail 0.0);
* criterion outcome: ``manual`` for manual criteria. Otherwise, from the score: at least
  ``PASS_THRESHOLD`` (0.9) is ``pass``, at least ``WARNING_THRESHOLD`` (0.5) is ``warning``,
  below is ``fail``; and a criterion never shows ``pass`` while one of its checks warned or
  failed (it shows ``warning`` instead), so a green criterion never hides a red check. When
  nothing was scored: ``blocked`` if a check was blocked, else ``error`` if one errored, else
  ``manual`` when a person can still answer (partly automated criterion or a manual check),
  else ``not_applicable``;
* principle score: unweighted mean of its scored criteria;
* overall score: unweighted mean of the scored principles, so each principle counts equally
  however many criteria it has. ``None`` whenever nothing was scored;
* coverage: per principle, the mean of its criteria's coverage (a manual criterion covers 0);
  overall, the mean of the principles' coverage — shown beside every score;
* comply or explain: an explanation from the site's owner (``Site.explanations``) turns a
  criterion's outcome into ``explained`` (the measured outcome is kept beside it) and is counted
  apart; it never changes a score. An explanation that expired before the audit day is shown
  as expired and the measured outcome stands. Answers to manual questions (``Site.answers``)
  are recorded and counted; they never change the automated score either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple, Optional, Union

from auditor.score.framework import Criterion, Framework, Principle
from auditor.model import (
    SCORED_OUTCOMES,
    CheckContribution,
    CheckResult,
    CriterionScore,
    Outcome,
    PrincipleScore,
    Site,
)

PASS_THRESHOLD = 0.9
WARNING_THRESHOLD = 0.5
_DEFAULT_SCORE = {Outcome.PASS: 1.0, Outcome.WARNING: 0.5, Outcome.FAIL: 0.0}


class FrameworkScores(NamedTuple):
    criteria: list[CriterionScore]
    principles: list[PrincipleScore]
    overall: Optional[float]


ResultsLike = Union[Mapping[str, CheckResult], Iterable[CheckResult]]


def _by_check_id(results: ResultsLike) -> dict[str, CheckResult]:
    if isinstance(results, Mapping):
        return dict(results)
    return {result.check_id: result for result in results}


def _mean(values: list[float]) -> Optional[float]:
    return sum(values) / len(values) if values else None


def contribution(check_id: str, weight: float, result: Optional[CheckResult]) -> CheckContribution:
    """How one check took part in a criterion. A check with no result (not run, e.g. left out
    by the user's selection) counts as not applicable: it weighs nothing."""
    if result is None:
        return CheckContribution(check_id=check_id, weight=weight, outcome=Outcome.NOT_APPLICABLE)
    score = result.score
    if result.outcome in SCORED_OUTCOMES and score is None:
        score = _DEFAULT_SCORE[result.outcome]
    if result.outcome not in SCORED_OUTCOMES:
        score = None
    return CheckContribution(check_id=check_id, weight=weight, outcome=result.outcome, score=score)


def outcome_for_score(score: float) -> Outcome:
    if score >= PASS_THRESHOLD:
        return Outcome.PASS
    if score >= WARNING_THRESHOLD:
        return Outcome.WARNING
    return Outcome.FAIL


def score_criterion(criterion: Criterion, results: Mapping[str, CheckResult]) -> CriterionScore:
    contributions = [
        contribution(ref.check_id, ref.weight, results.get(ref.check_id)) for ref in criterion.checks
    ]
    scored = [c for c in contributions if c.outcome in SCORED_OUTCOMES and c.score is not None]
    total_weight = sum(c.weight for c in contributions)
    scored_weight = sum(c.weight for c in scored)
    coverage = scored_weight / total_weight if total_weight else 0.0

    score: Optional[float] = None
    if criterion.automation == "manual":
        outcome = Outcome.MANUAL
    elif scored_weight > 0:
        score = sum(c.score * c.weight for c in scored) / scored_weight  # type: ignore[operator]
        outcome = outcome_for_score(score)
        if outcome == Outcome.PASS and any(c.outcome != Outcome.PASS for c in scored):
            outcome = Outcome.WARNING
    else:
        outcomes = {c.outcome for c in contributions}
        if Outcome.BLOCKED in outcomes:
            outcome = Outcome.BLOCKED
        elif Outcome.ERROR in outcomes:
            outcome = Outcome.ERROR
        elif criterion.automation == "partly_automated" or Outcome.MANUAL in outcomes:
            outcome = Outcome.MANUAL
        else:
            outcome = Outcome.NOT_APPLICABLE

    return CriterionScore(
        criterion_id=criterion.id,
        principle_id=criterion.principle_id,
        title=criterion.title,
        kind=criterion.kind,
        automation=criterion.automation,
        score=score,
        outcome=outcome,
        checks=contributions,
        question=criterion.question,
        coverage=coverage,
    )


def score_principle(principle: Principle, criteria: list[CriterionScore]) -> PrincipleScore:
    own = [c for c in criteria if c.principle_id == principle.id]
    scores = [c.score for c in own if c.score is not None]
    return PrincipleScore(
        principle_id=principle.id,
        name=principle.name,
        score=_mean(scores),
        criteria_total=len(own),
        criteria_scored=len(scores),
        criteria_manual=sum(1 for c in own if c.outcome == Outcome.MANUAL),
        criteria_explained=sum(1 for c in own if c.outcome == Outcome.EXPLAINED),
        criteria_answered=sum(1 for c in own if c.answer is not None),
        coverage=_mean([c.coverage for c in own]) or 0.0,
    )


def overall_score(principles: list[PrincipleScore]) -> Optional[float]:
    return _mean([p.score for p in principles if p.score is not None])


def apply_explanations(criteria: list[CriterionScore], site: Site, audit_day: date) -> None:
    """Comply or explain, per criterion: explanations and manual answers from the site's
    owner are attached; an explanation in force shows the criterion as ``explained``."""
    explanations = {e.criterion_id: e for e in site.explanations if e.criterion_id}
    answers = {a.criterion_id: a for a in site.answers}
    for criterion in criteria:
        criterion.answer = answers.get(criterion.criterion_id)
        explanation = explanations.get(criterion.criterion_id)
        if explanation is None:
            continue
        criterion.explanation = explanation
        criterion.explanation_expired = explanation.expired_on(audit_day)
        if not criterion.explanation_expired and criterion.outcome != Outcome.PASS:
            criterion.measured_outcome = criterion.outcome
            criterion.outcome = Outcome.EXPLAINED


def apply_finding_explanations(results: Iterable[CheckResult], site: Site, audit_day: date) -> int:
    """Attach explanations given for single findings (by fingerprint); returns how many
    findings were explained. The finding's outcome and the check's score do not change."""
    by_fingerprint = {e.finding: e for e in site.explanations if e.finding}
    explained = 0
    for result in results:
        for finding in result.findings:
            explanation = by_fingerprint.get(finding.fingerprint)
            if explanation is not None:
                finding.explanation = explanation
                finding.explanation_expired = explanation.expired_on(audit_day)
                explained += not finding.explanation_expired
    return explained


def score_site(
    results: ResultsLike, framework: Framework, site: Optional[Site] = None, audit_day: Optional[date] = None
) -> FrameworkScores:
    """Score every criterion and principle of ``framework`` from site-level check results;
    with ``site``, apply its owner's explanations and answers as of ``audit_day``."""
    by_id = _by_check_id(results)
    criteria = [score_criterion(criterion, by_id) for criterion in framework.criteria]
    if site is not None:
        apply_explanations(criteria, site, audit_day or date.today())
    principles = [score_principle(principle, criteria) for principle in framework.principles]
    return FrameworkScores(criteria=criteria, principles=principles, overall=overall_score(principles))
