"""Benchmark: scoring and all reports for a 1,000-page saved run, phase by phase, as
``auditor rescore`` does them. Not part of the test suite.

    .venv/bin/python bench/rescore_phases.py --source RUN_DIR          # a run folder of an audit
    .venv/bin/python bench/rescore_phases.py --audit-pages 100         # audit a generated site first
    .venv/bin/python bench/rescore_phases.py --source RUN_DIR --profile /tmp/rescore.html

The saved run is made 1,000 pages long (``--pages``): when the source has fewer, its pages
(and their occurrence-log lines) are repeated under new URLs, so checks see real artifacts and
findings merge across pages as they do for a site-wide template. Then, timed one by one:
loading the artifacts, the page checks (with the aggregation into site results apart), the
site checks, scoring, and each report (in one process); then the whole of ``rescore_run`` +
``write_outputs`` in one process and with a worker per core, and ``auditor rescore`` itself. ``--profile`` writes a pyinstrument profile of the
whole rescore. Target (issue 11): everything under 10 s for 1,000 pages.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from auditor.model import PageArtifacts, PageSummary, SiteArtifacts  # noqa: E402
from auditor.run.occurrences import FILE_NAME as OCCURRENCES_LOG  # noqa: E402

VENV_BIN = Path(sys.executable).parent


def audit_generated_site(pages: int, workdir: Path) -> Path:
    from bench.site_generator import serve_generated_site

    out = workdir / f"source-{pages}"
    with serve_generated_site(pages) as base:
        subprocess.run([str(VENV_BIN / "auditor"), "audit", f"{base}/", "--out", str(out), "--max-pages", str(pages),
                        "--max-depth", "1000", "--delay", "0", "--block-third-party", "-q"], check=False,
                       stdout=subprocess.DEVNULL)
    return out


def build_saved_run(source: Path, pages: int, target: Path) -> int:
    """Copy ``source`` to ``target`` with exactly ``pages`` page lines; returns the number of
    distinct pages the source had."""
    shutil.copytree(source, target, dirs_exist_ok=True)
    lines = (source / "artifacts" / "pages.jsonl").read_text(encoding="utf-8").splitlines()
    site = SiteArtifacts.model_validate_json((source / "artifacts" / "site.json").read_text(encoding="utf-8"))
    summaries = {summary.url: summary for summary in site.pages}
    occurrences: dict[str, list[dict]] = defaultdict(list)
    log = source / "artifacts" / OCCURRENCES_LOG
    if log.is_file():
        for line in log.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            occurrences[row["page_url"]].append(row)
    new_summaries = []
    with open(target / "artifacts" / "pages.jsonl", "w", encoding="utf-8") as out, \
            open(target / "artifacts" / OCCURRENCES_LOG, "w", encoding="utf-8") as occ_out:
        for i in range(pages):
            page = PageArtifacts.model_validate_json(lines[i % len(lines)])
            old_url, old_final = page.url, page.final_url or page.url
            if i >= len(lines):  # a repeat: a new URL, so it counts as another page
                page.url = f"{old_url.rstrip('/')}/kopie-{i}"
                page.final_url = f"{old_final.rstrip('/')}/kopie-{i}"
            out.write(page.model_dump_json() + "\n")
            summary = summaries.get(old_url) or PageSummary(url=old_url, status=page.status, title=page.title)
            new_summaries.append(summary.model_copy(update={"url": page.url, "final_url": page.final_url}))
            for row in occurrences.get(old_final, []):
                occ_out.write(json.dumps({**row, "page_url": page.final_url or page.url}, ensure_ascii=False) + "\n")
    site.pages = new_summaries
    (target / "artifacts" / "site.json").write_text(site.model_dump_json(indent=1), encoding="utf-8")
    return len(lines)


class Phases:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def timed(self, name: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - started


def rescore_by_phase(run_dir: Path, lang: str = "nl") -> tuple[Phases, dict[str, float]]:
    """What ``auditor rescore`` does, with each phase timed; also seconds per page check."""
    from datetime import datetime

    from auditor.score import evaluate
    from auditor.score.evaluate import Evaluator, build_report
    from auditor.model import Method
    from auditor.run.occurrences import read_occurrences
    from auditor.run.rescore import RESCORED_NOTE
    from auditor.run.run_folder import RunFolder
    from auditor.score.framework import load_checks_and_framework
    from checks.registry import CheckContext
    from reports.csv_report import write_csv, write_occurrences_csv, write_xlsx
    from reports.html_report import write_html
    from reports.json_report import write_json

    phases = Phases()
    per_check: dict[str, float] = defaultdict(float)
    folder = RunFolder(run_dir)
    with phases.timed("load: run.json, site.json, checks, framework"):
        meta = folder.read_run_meta()
        site_artifacts = folder.read_site()
        checks, framework = load_checks_and_framework(None)
        method = Method.model_validate(meta["method"])
    evaluator = Evaluator(checks, CheckContext(site=site_artifacts.site, settings=method.settings))
    run_safely = evaluate._run_safely

    def timed_run(check, artifacts, context):
        started = time.perf_counter()
        try:
            return run_safely(check, artifacts, context)
        finally:
            per_check[check.id] += time.perf_counter() - started

    accumulators = evaluator._accumulators
    for check_id, accumulator in accumulators.items():
        add = accumulator.add

        def timed_add(result, _add=add):
            with phases.timed("aggregate: fold page results"):
                _add(result)

        accumulator.add = timed_add
    evaluate._run_safely = timed_run
    try:
        pages = folder.iter_pages()
        while True:
            with phases.timed("load: parse pages.jsonl"):
                page = next(pages, None)
            if page is None:
                break
            with phases.timed("checks: page checks (+ aggregate)"):
                evaluator.add_page(page)
        with phases.timed("checks: site checks + site results"):
            results = evaluator.finish(site_artifacts)
    finally:
        evaluate._run_safely = run_safely
    with phases.timed("load: previous result.json"):
        previous = folder.read_report()
    with phases.timed("score: build_report"):
        report = build_report(
            run_id=meta["run_id"], site=site_artifacts, results=results, framework=framework, checks=checks,
            method=method, started_at=datetime.fromisoformat(meta["started_at"]),
            finished_at=previous.finished_at, partial=previous.partial, notes=[*previous.notes, RESCORED_NOTE],
        )
    with phases.timed("report: result.json"):
        write_json(report, folder.path(RunFolder.RESULT_JSON))
    with phases.timed("report: findings.csv"):
        write_csv(report, folder.path(RunFolder.FINDINGS_CSV))
    with phases.timed("report: findings.xlsx"):
        write_xlsx(report, folder.path(RunFolder.FINDINGS_XLSX))
    with phases.timed("report: report.html"):
        write_html(report, folder.path(RunFolder.REPORT_HTML), lang=lang)
    with phases.timed("report: occurrences.csv"):
        write_occurrences_csv(report, read_occurrences(folder.artifacts), folder.path("occurrences.csv"))
    return phases, per_check


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="the run folder of an audit (default: audit a generated site)")
    parser.add_argument("--audit-pages", type=int, default=100, help="pages of the generated site, without --source")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--profile", type=Path, help="write a pyinstrument HTML profile of a whole rescore here")
    parser.add_argument("--top-checks", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        source = args.source or audit_generated_site(args.audit_pages, workdir)
        target = workdir / f"saved-{args.pages}"
        distinct = build_saved_run(source, args.pages, target)
        print(f"saved run: {args.pages} pages ({min(distinct, args.pages)} distinct, from {source}); "
              f"pages.jsonl {(target / 'artifacts' / 'pages.jsonl').stat().st_size / 2**20:.0f} MB")
        rescore_by_phase(target)  # warm-up: imports, template compilation, framework parsing
        started = time.perf_counter()
        phases, per_check = rescore_by_phase(target)
        total = time.perf_counter() - started
        print(f"{'phase':52} {'s':>7}")
        for name, seconds in phases.seconds.items():
            print(f"{name:52} {seconds:>7.2f}")
        print(f"{'total (scoring and all reports)':52} {total:>7.2f}   (target < 10 s)")
        print("slowest page checks:")
        for check_id, seconds in sorted(per_check.items(), key=lambda kv: -kv[1])[:args.top_checks]:
            print(f"  {check_id:50} {seconds:>7.2f}")
        from auditor.run.outputs import write_outputs
        from auditor.run.rescore import rescore_run

        for workers in (1, None):
            started = time.perf_counter()
            write_outputs(rescore_run(target, workers=workers), target)
            label = "1 process" if workers == 1 else "a worker per core, as `auditor rescore` does"
            print(f"rescore_run + write_outputs, page checks in {label}: {time.perf_counter() - started:.2f} s")
        wall = time.perf_counter()
        subprocess.run([str(VENV_BIN / "auditor"), "rescore", str(target)], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"`auditor rescore` as a user runs it (new process, imports included): {time.perf_counter() - wall:.2f} s")
        if args.profile:
            from pyinstrument import Profiler

            with Profiler() as profiler:
                write_outputs(rescore_run(target, workers=1), target)
            args.profile.write_text(profiler.output_html(), encoding="utf-8")
            print(f"profile: {args.profile}")


if __name__ == "__main__":
    main()
