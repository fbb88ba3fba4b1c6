"""``auditor rescore``: recompute checks, scores and reports from saved artifacts, no browser."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Optional

from auditor.evaluate import Evaluator, build_report
from auditor.model import Method, Site, SiteReport
from auditor.run_folder import RunFolder
from auditor.runner import load_checks_and_framework
from checks.registry import CheckContext

RESCORED_NOTE = "rescored from saved artifacts"


def rescore_run(run_dir: Path, framework_path: Optional[str] = None) -> SiteReport:
    folder = RunFolder(run_dir)
    meta = folder.read_run_meta()
    site_artifacts = folder.read_site()
    checks, framework = load_checks_and_framework(framework_path)
    method = Method.model_validate(meta["method"])
    method.framework_id, method.framework_version = framework.id, framework.version
    site: Site = site_artifacts.site
    evaluator = Evaluator(checks, CheckContext(site=site, settings=method.settings))
    for page in folder.iter_pages():
        evaluator.add_page(page)
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
