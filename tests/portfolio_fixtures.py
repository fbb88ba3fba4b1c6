"""A fleet database filled through the public store API for the portfolio page: four sites of
three kinds (one with a hostile organisation name, one not assessable), their latest runs and
one run folder that holds a report.html."""

from __future__ import annotations

from pathlib import Path

from auditor.model import Outcome
from auditor.sitelist import parse_site_list
from auditor.store import Store
from tests.test_fleet_store import finding, report

SITES = (("alfa", "Gemeente Alfa", "municipality"), ("bravo", "Provincie <script>alert(1)</script>", "province"),
         ("charlie", "Agentschap Charlie", "flemish_entity"), ("delta", "Gemeente Delta", "municipality"))
PORTFOLIO_SITES = "\n".join(
    f'[[site]]\nid = "{key}"\norganisation = "{name}"\nkind = "{kind}"\nstart_urls = ["https://{key}.example/"]\n'
    for key, name, kind in SITES)

IMAGE_ALT = "axe-violations:image-alt:home"
CONTRAST = "axe-violations:color-contrast:home"


def fill_portfolio_store(store: Store, run_root: Path) -> dict[str, Path]:
    """Store the runs; returns each site's run folder (only alfa's holds a report.html)."""
    sites = {entry.key: entry.site for entry in parse_site_list(PORTFOLIO_SITES, "sites.toml")}
    plan = {
        "alfa": ("ra", 0.85, [finding(IMAGE_ALT, 3).model_copy(update={"pages_total": 2})]),
        "bravo": ("rb", 0.42, [finding(IMAGE_ALT), finding(CONTRAST, outcome=Outcome.WARNING)]),
        "charlie": ("rc", 0.65, [finding(IMAGE_ALT)]),
        "delta": ("rd", None, []),
    }
    folders = {}
    for key, (run_id, score, findings) in plan.items():
        run = report(run_id, findings, score if score is not None else 0.0).model_copy(update={"site": sites[key]})
        if score is None:
            run = run.model_copy(update={"overall_score": None, "assessable": False,
                                         "not_assessable_reason": "every page was blocked"})
        folders[key] = run_root / key / run_id
        folders[key].mkdir(parents=True)
        store.complete_site(None, key, "host:1:a", run, str(folders[key]))
    (folders["alfa"] / "report.html").write_text("<!doctype html><title>Alfa</title>", encoding="utf-8")
    return folders
