"""The per-occurrence log: every element a page check flagged, one JSON line each.

Findings are merged across pages (one template error on 300 pages is one finding with 300
occurrences) and keep only a few examples. Analysts who want every element on every page get
``occurrences.csv``, written from this log (``artifacts/occurrences.jsonl``), which the runner
fills as page results stream in, so memory does not grow with the site.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator

from auditor.model import CheckResult, Outcome
from auditor.run.redact import redact_text

FILE_NAME = "occurrences.jsonl"
LOGGED_OUTCOMES = frozenset({Outcome.FAIL, Outcome.WARNING, Outcome.MANUAL})


def occurrence_rows(results: Iterable[CheckResult]) -> Iterator[dict]:
    """One row per flagged element (an evidence example) of each page-level finding."""
    for result in results:
        for finding in result.findings:
            if finding.outcome not in LOGGED_OUTCOMES:
                continue
            base = {
                "page_url": result.page_url, "check_id": finding.check_id, "rule": finding.rule,
                "title": finding.title, "outcome": finding.outcome.value, "severity": finding.severity.value,
                "wcag_sc": ";".join(finding.wcag_sc), "wcag_level": finding.wcag_level,
                "help_url": finding.help_url, "fingerprint": finding.fingerprint,
            }
            examples = finding.evidence or [None]
            for example in examples:
                row = dict(base)
                row.update(
                    page_url=(example.page_url if example and example.page_url else result.page_url),
                    selector=example.selector if example else "",
                    snippet=example.snippet if example else "",
                    value=example.value if example else "",
                    expected=example.expected if example else "",
                )
                yield row


class OccurrenceLog:
    """Appends page results' occurrences to ``artifacts/occurrences.jsonl``; the file is
    started afresh by the first write of a run (a resumed run replays its pages)."""

    def __init__(self, artifacts_dir: Path | str):
        self.path = Path(artifacts_dir) / FILE_NAME
        self._started = False

    def add(self, results: Iterable[CheckResult]) -> None:
        rows = list(occurrence_rows(results))
        mode = "a" if self._started else "w"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, mode, encoding="utf-8") as out:
            for row in rows:
                out.write(redact_text(json.dumps(row, ensure_ascii=False)))
                out.write("\n")
        self._started = True


def read_occurrences(artifacts_dir: Path | str) -> Iterator[dict]:
    path = Path(artifacts_dir) / FILE_NAME
    if not path.is_file():
        return
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                try:
                    yield json.loads(line)
                except ValueError:
                    continue  # a line cut short by a killed process
