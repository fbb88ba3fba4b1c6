"""A fleet database filled through the public store API for the portfolio page: one scan of four
sites of three kinds and three audiences (one with a hostile organisation name, one not
assessable), scored against the bundled framework, their latest runs and one run folder that
holds a report.html."""

from __future__ import annotations

import json
from pathlib import Path

from auditor.fleet import start_scan
from auditor.model import Outcome
from auditor.settings import AuditSettings
from auditor.sitelist import parse_site_list
from auditor.store import Store
from tests.test_fleet_store import finding, report

SITES = (("alfa", "Gemeente Alfa", "municipality", ["citizens", "entrepreneurs"]),
         ("bravo", "Provincie <script>alert(1)</script>", "province", ["citizens"]),
         ("charlie", "Agentschap Charlie", "flemish_entity", ["entrepreneurs"]),
         ("delta", "Gemeente Delta", "municipality", ["associations"]))
PORTFOLIO_SITES = "\n".join(
    f'[[site]]\nid = "{key}"\norganisation = "{name}"\nkind = "{kind}"\naudiences = {json.dumps(audiences)}\n'
    f'start_urls = ["https://{key}.example/"]\n'
    for key, name, kind, audiences in SITES)

FRAMEWORK_ID = "dienstverleningsstrategie"  # the bundled one: principle names come from it
IMAGE_ALT = "axe-violations:image-alt:home"
CONTRAST = "axe-violations:color-contrast:home"


def fill_portfolio_store(store: Store, run_root: Path) -> dict[str, Path]:
    """Store the runs; returns each site's run folder (only alfa's holds a report.html)."""
    entries = parse_site_list(PORTFOLIO_SITES, "sites.toml")
    sites = {entry.key: entry.site for entry in entries}
    scan_id = start_scan(store, entries, AuditSettings(), run_root)
    plan = {
        "alfa": ("ra", 0.85, [finding(IMAGE_ALT, 3).model_copy(update={"pages_total": 2})]),
        "bravo": ("rb", 0.42, [finding(IMAGE_ALT), finding(CONTRAST, outcome=Outcome.WARNING)]),
        "charlie": ("rc", 0.65, [finding(IMAGE_ALT)]),
        "delta": ("rd", None, []),
    }
    folders = {}
    for key, (run_id, score, findings) in plan.items():
        run = report(run_id, findings, score if score is not None else 0.0)
        run = run.model_copy(update={"site": sites[key],
                                     "method": run.method.model_copy(update={"framework_id": FRAMEWORK_ID})})
        if score is None:
            run = run.model_copy(update={"overall_score": None, "assessable": False,
                                         "not_assessable_reason": "every page was blocked"})
        folders[key] = run_root / key / run_id
        folders[key].mkdir(parents=True)
        store.claim_site(scan_id, key, "host:1:a", 60)
        store.complete_site(scan_id, key, "host:1:a", run, str(folders[key]))
    (folders["alfa"] / "report.html").write_text("<!doctype html><title>Alfa</title>", encoding="utf-8")
    return folders
