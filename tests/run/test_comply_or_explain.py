"""Comply or explain: owners' explanations and answers are shown beside the measured result,
never turned into passes; scores stay honest and reproducible."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from auditor.score.framework import CheckWeight, Criterion, Framework, Principle
from auditor.model import CheckResult, Explanation, ManualAnswer, Outcome, Site
from auditor.score.scoring import score_site
from auditor.run.site_config import SiteConfigError, load_site_file

FRAMEWORK = Framework(
    id="t", version="1", name="t",
    principles=(Principle(id="P1", name="Een", definition="d"), Principle(id="P2", name="Twee", definition="d")),
    criteria=(
        Criterion(id="C1", principle_id="P1", title="a", kind="user", automation="automated",
                  checks=(CheckWeight("x", 3.0), CheckWeight("y", 1.0))),
        Criterion(id="C2", principle_id="P1", title="b", kind="inclusion", automation="automated",
                  checks=(CheckWeight("y", 1.0),)),
        Criterion(id="C3", principle_id="P2", title="c", kind="user", automation="manual", question="q?"),
        Criterion(id="C4", principle_id="P2", title="d", kind="user", automation="partly_automated",
                  checks=(CheckWeight("z", 2.0),), question="q?"),
    ),
)
SITE = Site(start_urls=["https://www.gemeente.be/"])
DAY = date(2026, 11, 28)


def results(x: Outcome = Outcome.FAIL, y: Outcome = Outcome.PASS, z: Outcome = Outcome.WARNING):
    score = {Outcome.PASS: 1.0, Outcome.WARNING: 0.5, Outcome.FAIL: 0.0}
    return [CheckResult(check_id=c, outcome=o, score=score.get(o)) for c, o in (("x", x), ("y", y), ("z", z))]


def test_explained_criterion_keeps_its_measured_outcome_and_score():
    site = SITE.model_copy(update={"explanations": [
        Explanation(criterion_id="C1", reason="nieuwe site in 2027", expires=date(2027, 6, 30))]})
    plain = score_site(results(), FRAMEWORK, SITE, DAY)
    explained = score_site(results(), FRAMEWORK, site, DAY)
    c1 = explained.criteria[0]
    assert c1.outcome == Outcome.EXPLAINED and c1.measured_outcome == Outcome.FAIL
    assert c1.score == plain.criteria[0].score
    assert explained.overall == plain.overall  # an explanation never turns into a pass
    assert explained.principles[0].criteria_explained == 1


def test_expired_explanation_is_flagged_and_the_measured_outcome_stands():
    site = SITE.model_copy(update={"explanations": [
        Explanation(criterion_id="C1", reason="oud", expires=date(2026, 1, 1))]})
    c1 = score_site(results(), FRAMEWORK, site, DAY).criteria[0]
    assert c1.outcome == Outcome.FAIL and c1.explanation_expired and c1.explanation.reason == "oud"


def test_manual_answers_are_recorded_and_never_change_the_automated_score():
    site = SITE.model_copy(update={"answers": [ManualAnswer(criterion_id="C3", answer="no")]})
    plain = score_site(results(), FRAMEWORK, SITE, DAY)
    answered = score_site(results(), FRAMEWORK, site, DAY)
    assert answered.criteria[2].answer.answer == "no" and answered.criteria[2].outcome == Outcome.MANUAL
    assert [p.score for p in answered.principles] == [p.score for p in plain.principles]
    assert answered.principles[1].criteria_answered == 1


ORDER = [Outcome.FAIL, Outcome.WARNING, Outcome.PASS]


@pytest.mark.parametrize("outcomes", list(itertools.product(ORDER, repeat=3)))
def test_fixing_a_failure_never_lowers_a_score(outcomes):
    before = score_site(results(*outcomes), FRAMEWORK)
    for index, outcome in enumerate(outcomes):
        if outcome == Outcome.PASS:
            continue
        better = list(outcomes)
        better[index] = ORDER[ORDER.index(outcome) + 1]
        after = score_site(results(*better), FRAMEWORK)
        assert after.overall >= before.overall
        for b, a in zip(before.criteria, after.criteria):
            assert (a.score or 0) >= (b.score or 0)


def test_weights_are_normalised():
    scaled = Framework(id="t", version="1", name="t", principles=FRAMEWORK.principles, criteria=tuple(
        Criterion(**{**c.__dict__, "checks": tuple(CheckWeight(r.check_id, r.weight * 7) for r in c.checks)})
        for c in FRAMEWORK.criteria))
    assert score_site(results(), scaled).overall == pytest.approx(score_site(results(), FRAMEWORK).overall)


def test_coverage_is_shown_per_principle():
    scores = score_site(results(z=Outcome.MANUAL), FRAMEWORK)
    assert scores.principles[0].coverage == 1.0
    assert scores.principles[1].coverage == 0.0  # a manual criterion and an unscored one


def test_site_file_reads_explanations_and_answers(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text(
        'start_urls = ["https://www.gemeente.be/"]\n'
        '[[explanations]]\ncriterion = "P5-G-01"\nreason = "gepland"\nby = "ICT"\ndate = 2026-10-01\n'
        'expires = 2027-06-30\n'
        '[[explanations]]\nfinding = "axe-violations:image-alt:abc"\nreason = "logo van partner"\n'
        '[[answers]]\ncriterion = "P1-G-01"\nanswer = "partly"\nevidence = "https://www.gemeente.be/e-loket"\n',
        encoding="utf-8")
    site = load_site_file(path)
    assert site.explanations[0].expires == date(2027, 6, 30)
    assert site.explanations[1].finding == "axe-violations:image-alt:abc"
    assert site.answers[0].answer == "partly"


@pytest.mark.parametrize("body, words", [
    ('[[answers]]\ncriterion = "P1"\nanswer = "misschien"\n', "'answer' must be one of"),
    ('[[explanations]]\nreason = "x"\n', "name a 'criterion' or a 'finding'"),
    ('[[explanations]]\ncriterion = "P1"\n', "'reason' is required"),
    ('[[explanations]]\ncriterion = "P1"\nreason = "x"\nexpires = "morgen"\n', "expires"),
    ('[[explanations]]\ncriterion = "P1"\nreason = "x"\nwie = "x"\n', "unknown key"),
])
def test_bad_explanations_are_refused_in_one_line(tmp_path, body, words):
    path = tmp_path / "site.toml"
    path.write_text('start_urls = ["https://www.gemeente.be/"]\n' + body, encoding="utf-8")
    with pytest.raises(SiteConfigError) as error:
        load_site_file(path)
    assert words in str(error.value) and "\n" not in str(error.value)
