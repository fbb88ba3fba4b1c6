"""Combine one check's page results into the site-level result, page by page.

The runner streams pages through gather → check → store and must not keep every DOM (or every
page's results) in memory. So aggregation is an accumulator: ``add`` takes a page's
``CheckResult`` and folds it into counters and merged findings; ``result`` returns the
site-level ``CheckResult``. What it keeps grows with the number of *distinct* findings and
the set of page URLs seen, never with page content.

Rules:

* outcome: ``fail`` if any page failed, else ``warning`` if any warned, else ``pass`` if any
  passed, else ``manual`` if any needs a person. A check that reached no verdict anywhere is
  ``error`` when it broke on some page (a not-applicable answer elsewhere cannot tell us it
  would not have applied there), else ``blocked`` when pages were refused, else
  ``not_applicable``. Errored and blocked pages are always counted in ``details``.
* score: the mean of the scores of pages with a scored outcome (pass/fail/warning).
* ``pages_evaluated``: pages where the check reached a verdict (pass/fail/warning/manual);
  ``pages_passed``: pages that passed.
* findings: merged by fingerprint; occurrences summed, affected pages listed up to
  ``PAGES_LISTED_MAX`` with ``pages_total`` exact, evidence kept to ``EVIDENCE_MAX`` examples
  taken from as many different pages as possible.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Optional

from auditor.model import CheckResult, Evidence, Finding, Outcome, Severity

PAGES_LISTED_MAX = 50
EVIDENCE_MAX = 5
ERRORS_LISTED_MAX = 10

VERDICT_OUTCOMES = (Outcome.FAIL, Outcome.WARNING, Outcome.PASS, Outcome.MANUAL)
# The order in which a merged finding takes the worst outcome of its parts.
_FINDING_OUTCOME_RANK = {
    Outcome.FAIL: 6,
    Outcome.WARNING: 5,
    Outcome.MANUAL: 4,
    Outcome.ERROR: 3,
    Outcome.BLOCKED: 2,
    Outcome.PASS: 1,
    Outcome.NOT_APPLICABLE: 0,
}


def finding_fingerprint(finding: Finding) -> str:
    """The finding's own fingerprint, or a stand-in for checks that did not set one."""
    return finding.fingerprint or f"{finding.check_id}:{finding.rule}:{finding.title}"


@dataclass
class _MergedFinding:
    """A finding seen on one or more pages; the template keeps its descriptive fields."""

    template: Finding
    outcome: Outcome
    severity_rank: int
    occurrences: int = 0
    pages: list[str] = field(default_factory=list)
    pages_total: int = 0
    evidence: list[Evidence] = field(default_factory=list)

    def add_pages(self, pages: Iterable[str], count: int) -> None:
        for page in pages:
            if len(self.pages) >= PAGES_LISTED_MAX:
                break
            if page and page not in self.pages:
                self.pages.append(page)
        self.pages_total += count

    def add_evidence(self, example: Evidence) -> None:
        """Keep at most ``EVIDENCE_MAX`` examples, spread over as many pages as possible."""
        if len(self.evidence) < EVIDENCE_MAX:
            self.evidence.append(example)
            return
        pages_shown = Counter(e.page_url for e in self.evidence)
        if example.page_url in pages_shown:
            return
        most_shown, times = pages_shown.most_common(1)[0]
        if times < 2:
            return
        last_index = max(i for i, e in enumerate(self.evidence) if e.page_url == most_shown)
        del self.evidence[last_index]
        self.evidence.append(example)

    def to_finding(self) -> Finding:
        return self.template.model_copy(update={
            "outcome": self.outcome,
            "severity": _severity_of_rank(self.severity_rank, self.template),
            "occurrences": self.occurrences,
            "pages": list(self.pages),
            "pages_total": self.pages_total,
            "evidence": list(self.evidence),
        })


def _severity_of_rank(rank: int, template: Finding) -> Severity:
    for severity in Severity:
        if severity.rank == rank:
            return severity
    return template.severity


# the words of a page check's site-level summary, in English (result.json) and Dutch (the report)
_SUMMARY_WORDS = {
    "en": {"none": "no page was evaluated", "pages": "{} page(s): ", "findings": "; {} distinct finding(s)",
           "outcomes": ((Outcome.FAIL, "failed"), (Outcome.WARNING, "with warnings"), (Outcome.PASS, "passed"),
                        (Outcome.MANUAL, "to review"), (Outcome.NOT_APPLICABLE, "not applicable"),
                        (Outcome.ERROR, "errored"), (Outcome.BLOCKED, "blocked"))},
    "nl": {"none": "geen pagina beoordeeld", "pages": "{} pagina('s): ", "findings": "; {} verschillende bevinding(en)",
           "outcomes": ((Outcome.FAIL, "niet geslaagd"), (Outcome.WARNING, "met waarschuwingen"),
                        (Outcome.PASS, "geslaagd"), (Outcome.MANUAL, "na te kijken"),
                        (Outcome.NOT_APPLICABLE, "niet van toepassing"), (Outcome.ERROR, "met een fout"),
                        (Outcome.BLOCKED, "geblokkeerd"))},
}


class CheckAccumulator:
    """Folds the page-scope results of one check into its site-level result."""

    def __init__(self, check_id: str) -> None:
        self.check_id = check_id
        self._outcomes: Counter[Outcome] = Counter()
        self._score_sum = 0.0
        self._scored_pages = 0
        self._pages_seen: set[str] = set()
        self._duplicates_ignored = 0
        self._findings: dict[str, _MergedFinding] = {}
        self._errors: list[dict[str, str]] = []
        self._pages_not_passed: list[str] = []

    @property
    def pages_added(self) -> int:
        return len(self._pages_seen)

    def add(self, result: CheckResult) -> None:
        """Fold in one page's result. A page already added is ignored (a re-queued page must
        not count twice); results of another check are refused, as that is a wiring bug."""
        if result.check_id != self.check_id:
            raise ValueError(
                f"result of check {result.check_id!r} given to the accumulator of {self.check_id!r}"
            )
        page_key = result.page_url or f"#result-{len(self._pages_seen)}"
        if page_key in self._pages_seen:
            self._duplicates_ignored += 1
            return
        self._pages_seen.add(page_key)

        outcome = result.outcome
        self._outcomes[outcome] += 1
        if outcome.is_scored and result.score is not None:
            self._score_sum += min(max(result.score, 0.0), 1.0)
            self._scored_pages += 1
        if outcome in (Outcome.ERROR, Outcome.BLOCKED) and len(self._errors) < ERRORS_LISTED_MAX:
            self._errors.append({
                "page_url": result.page_url, "outcome": outcome.value, "message": result.summary[:300],
            })
        if outcome in (Outcome.FAIL, Outcome.WARNING) and len(self._pages_not_passed) < PAGES_LISTED_MAX:
            self._pages_not_passed.append(result.page_url)

        counted_here: set[str] = set()
        for finding in result.findings:
            self._merge(finding, result.page_url, counted_here)

    def _merge(self, finding: Finding, page_url: str, counted_here: set[str]) -> None:
        key = finding_fingerprint(finding)
        merged = self._findings.get(key)
        if merged is None:
            template = finding.model_copy(update={"pages": [], "evidence": [], "fingerprint": key})
            merged = _MergedFinding(
                template=template, outcome=finding.outcome, severity_rank=finding.severity.rank,
            )
            self._findings[key] = merged
        else:
            if _FINDING_OUTCOME_RANK[finding.outcome] > _FINDING_OUTCOME_RANK[merged.outcome]:
                merged.outcome = finding.outcome
            merged.severity_rank = max(merged.severity_rank, finding.severity.rank)
        merged.occurrences += max(finding.occurrences, 1)
        pages = finding.pages or ([page_url] if page_url else [])
        # One page's result may hold two findings with one fingerprint: count its pages once.
        count = 0 if key in counted_here else (finding.pages_total or len(pages))
        counted_here.add(key)
        merged.add_pages(pages, count)
        for example in finding.evidence:
            if not example.page_url and page_url:
                example = example.model_copy(update={"page_url": page_url})
            merged.add_evidence(example)

    def _outcome(self) -> Outcome:
        for outcome in VERDICT_OUTCOMES:
            if self._outcomes[outcome]:
                return outcome
        if self._outcomes[Outcome.ERROR]:
            return Outcome.ERROR
        if self._outcomes[Outcome.BLOCKED]:
            return Outcome.BLOCKED
        return Outcome.NOT_APPLICABLE

    def _summary(self, lang: str = "en") -> str:
        """"12 page(s): 3 failed, 9 passed; 2 distinct finding(s)", or in Dutch (``lang="nl"``)."""
        words = _SUMMARY_WORDS[lang]
        total = len(self._pages_seen)
        if total == 0:
            return words["none"]
        counts = [f"{self._outcomes[o]} {label}" for o, label in words["outcomes"] if self._outcomes[o]]
        text = words["pages"].format(total) + ", ".join(counts)
        if self._findings:
            text += words["findings"].format(len(self._findings))
        return text

    def result(self) -> CheckResult:
        """The site-level result so far; calling it does not end accumulation."""
        outcome = self._outcome()
        score: Optional[float] = (
            self._score_sum / self._scored_pages if self._scored_pages else None
        )
        findings = [merged.to_finding() for merged in self._findings.values()]
        findings.sort(key=lambda f: (
            -_FINDING_OUTCOME_RANK[f.outcome], -f.severity.rank, -f.pages_total, -f.occurrences,
            f.fingerprint,
        ))
        details = {
            "pages_total": len(self._pages_seen),
            "pages_by_outcome": {o.value: n for o, n in self._outcomes.items() if n},
            "pages_errored": self._outcomes[Outcome.ERROR],
            "pages_blocked": self._outcomes[Outcome.BLOCKED],
            "pages_scored": self._scored_pages,
            "errors": list(self._errors),
            "pages_not_passed": list(self._pages_not_passed),
        }
        if self._duplicates_ignored:
            details["duplicate_results_ignored"] = self._duplicates_ignored
        return CheckResult(
            check_id=self.check_id,
            outcome=outcome,
            score=score,
            summary=self._summary(),
            summary_nl=self._summary("nl"),
            findings=findings,
            page_url="",
            pages_evaluated=sum(self._outcomes[o] for o in VERDICT_OUTCOMES),
            pages_passed=self._outcomes[Outcome.PASS],
            details=details,
        )


class PageResultsAccumulator:
    """One ``CheckAccumulator`` per page check, so the runner can hand over every page result
    as it comes. Checks named up front get a (not applicable) result even if no page ran."""

    def __init__(self, check_ids: Iterable[str] = ()) -> None:
        self._accumulators: dict[str, CheckAccumulator] = {
            check_id: CheckAccumulator(check_id) for check_id in check_ids
        }

    def add(self, result: CheckResult) -> None:
        accumulator = self._accumulators.get(result.check_id)
        if accumulator is None:
            accumulator = self._accumulators[result.check_id] = CheckAccumulator(result.check_id)
        accumulator.add(result)

    def add_all(self, results: Iterable[CheckResult]) -> None:
        for result in results:
            self.add(result)

    def results(self) -> list[CheckResult]:
        return [accumulator.result() for accumulator in self._accumulators.values()]


def aggregate_page_results(check_id: str, results: Iterable[CheckResult]) -> CheckResult:
    """Convenience for tests and rescoring: aggregate an iterable of one check's page results."""
    accumulator = CheckAccumulator(check_id)
    for result in results:
        accumulator.add(result)
    return accumulator.result()
