"""Which WCAG success criteria this run tested automatically, and which only a person can judge.

Not a verdict (outcome ``manual``, never scored): the report uses it to show, per WCAG
principle (perceivable, operable, understandable, robust), what the automated checks covered,
so nobody mistakes a clean automated run for WCAG 2.1 AA conformance. The criteria tested by
axe depend on the tags the run used (``--axe-tags``); our own checks add theirs
(``auditor/shared/wcag.py: CHECK_CRITERIA``). Even a tested criterion is only partly tested: axe and
these checks find failures, they cannot prove conformance.
"""

from __future__ import annotations

from auditor.model import CheckResult, Outcome, SiteArtifacts
from auditor.shared.texts import say
from checks._axe_rules import RULE_TAGS_AND_CRITERIA
from checks._support import site_result
from auditor.shared.wcag import CHECK_CRITERIA, PRINCIPLES, criteria_in_scope, principle_of
from checks.registry import CheckContext, site_check

DEFAULT_AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


def axe_criteria(tags) -> set[str]:
    wanted = set(tags)
    return {sc for rule_tags, criteria in RULE_TAGS_AND_CRITERIA.values() if wanted & set(rule_tags) for sc in criteria}


@site_check(id="wcag-coverage", requires=())
def wcag_coverage(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    tags = tuple(context.settings.get("axe_tags") or DEFAULT_AXE_TAGS)
    version = "2.2" if any(t.startswith("wcag22") for t in tags) else "2.1"
    in_scope = criteria_in_scope(version, "AA")
    automated = axe_criteria(tags) | {sc for criteria in CHECK_CRITERIA.values() for sc in criteria}
    principles = {}
    for number, name in PRINCIPLES.items():
        scoped = [sc for sc in in_scope if principle_of(sc) == name]
        principles[name] = {
            "number": number,
            "automated": [sc for sc in scoped if sc in automated],
            "manual": [sc for sc in scoped if sc not in automated],
        }
    tested = sum(len(p["automated"]) for p in principles.values())
    return site_result(
        "wcag-coverage", Outcome.MANUAL,
        **say("wcag-coverage.summary.manual",
              tested=tested,
              in_scope_count=len(in_scope),
              version=version,
              in_scope_count_minus_tested=len(in_scope) - tested).fields("summary"),
        details={"wcag_version": version, "axe_tags": list(tags), "principles": principles},
    )
