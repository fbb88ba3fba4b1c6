"""``auditor rescore``: recompute checks, scores and reports from saved artifacts, no browser.

Everything derived from page content is recomputed too: the page reducers
(``auditor/score/reducers/``: page summaries with readability, role texts, Flemish marker
matches) fold the saved pages into the site artifacts again, so an edited marker file or
framework changes the verdicts the way a new audit would."""

from __future__ import annotations

import multiprocessing
import os
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator, Optional

from auditor.score.evaluate import Evaluator, build_report
from auditor.model import CheckResult, Method, Site, SiteReport
from auditor.run.run_folder import RunFolder, parse_page_line
from auditor.score.framework import load_checks_and_framework
from auditor.score.reducers import Reduction, page_reducers, page_values
from checks.registry import CheckContext

RESCORED_NOTE = "rescored from saved artifacts"
# The page checks are pure CPU (DOM parsing, language detection): a saved run of many pages is
# checked by one worker process per core. Fewer pages than this are not worth the start-up.
PARALLEL_MIN_PAGES = 100
PAGES_PER_TASK = 16
MAX_WORKERS = 4


def rescore_run(run_dir: Path, framework_path: Optional[str] = None, workers: Optional[int] = None) -> SiteReport:
    folder = RunFolder(run_dir)
    meta = folder.read_run_meta()
    site_artifacts = folder.read_site()
    checks, framework = load_checks_and_framework(framework_path)
    method = Method.model_validate(meta["method"])
    method.framework_id, method.framework_version = framework.id, framework.version
    site: Site = site_artifacts.site
    evaluator = Evaluator(checks, CheckContext(site=site, settings=method.settings))
    if workers is None:
        workers = min(os.cpu_count() or 1, MAX_WORKERS) if len(site_artifacts.pages) >= PARALLEL_MIN_PAGES else 1
    reduction = Reduction(site_artifacts)
    reduction.reset()
    for results, values in _page_results(evaluator, folder, workers, framework_path):
        evaluator.add_results(results)
        reduction.fold(values)
    reduction.finish()
    previous = None
    try:
        previous = folder.read_report()
    except Exception:  # noqa: BLE001 - an interrupted run may have no result.json yet
        previous = None
    results = evaluator.finish(site_artifacts)
    return build_report(
        run_id=meta["run_id"],
        site=site_artifacts,
        results=results,
        framework=framework,
        checks=checks,
        method=method,
        started_at=datetime.fromisoformat(meta["started_at"]),
        finished_at=previous.finished_at if previous else None,
        partial=previous.partial if previous else True,
        notes=[*(n for n in (previous.notes if previous else []) if n != RESCORED_NOTE), RESCORED_NOTE],
    )


def _page_results(evaluator: Evaluator, folder: RunFolder, workers: int,
                  framework_path: Optional[str]) -> Iterator[tuple[list[CheckResult], list]]:
    """Each page's check results and reducer values, in the order of pages.jsonl (so merged
    findings keep the same examples whatever the number of workers). Workers get the raw lines
    and parse them themselves: parsing 1,000 pages of 130 KB in this process and pickling them
    to the workers cost more than the workers' share of the checks."""
    if workers <= 1:
        reducers = page_reducers()
        for page in folder.iter_pages():
            yield evaluator.page_results(page), page_values(page, reducers)
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with context.Pool(workers, initializer=_start_worker, initargs=(evaluator.context, framework_path)) as pool:
        for batch in pool.imap(_check_page_lines, _batches(folder.iter_page_lines(), PAGES_PER_TASK)):
            yield from batch


_worker_evaluator: Optional[Evaluator] = None


def _start_worker(context: CheckContext, framework_path: Optional[str]) -> None:
    global _worker_evaluator
    checks, _ = load_checks_and_framework(framework_path)
    _worker_evaluator = Evaluator(checks, context)


def _check_page_lines(lines: list[tuple[int, str]]) -> list[tuple[list[CheckResult], list]]:
    """The check results and reducer values of each page of a batch of (line number,
    pages.jsonl line); a last line cut short by a killed process is left out, as
    ``RunFolder.iter_pages`` does."""
    assert _worker_evaluator is not None
    reducers = page_reducers()
    pages = (parse_page_line(number, line) for number, line in lines)
    return [(_worker_evaluator.page_results(page), page_values(page, reducers)) for page in pages if page is not None]


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
