"""Benchmark: what the mobile pass costs. The same 50-page generated site is audited with every
page collector and with all but the mobile one (``--no-mobile``), alternating runs, and the two
wall times are printed side by side. Not part of the test suite.

    python bench/mobile_pass.py                 # 50 pages, 4 rounds
    python bench/mobile_pass.py --pages 100 --rounds 5

Target: the mobile pass adds under 30 % to the desktop-only audit.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from auditor.model import Site  # noqa: E402
from auditor.run.run_folder import RunFolder  # noqa: E402
from auditor.run.site_audit import SiteAudit  # noqa: E402
from auditor.settings import AuditSettings  # noqa: E402
from bench.site_generator import serve_generated_site  # noqa: E402


def audit_once(base_url: str, pages: int, mobile: bool, out: Path) -> dict[str, float]:
    """One audit: wall seconds, pages rendered, mean visit and mobile-collector ms per page."""
    settings = AuditSettings(max_pages=pages, delay_s=0.0, third_party="abort",
                             skip_collectors=[] if mobile else ["mobile"])
    audit = SiteAudit(Site(start_urls=[base_url + "/"]), settings, RunFolder(out))
    started = time.perf_counter()
    report = asyncio.run(audit.run())
    wall = time.perf_counter() - started
    visits, collector = [], []
    for line in (out / "artifacts" / "pages.jsonl").read_text(encoding="utf-8").splitlines():
        timings = json.loads(line).get("timings", {})
        if "visit" in timings:
            visits.append(timings["visit"])
        if "collector_mobile" in timings:
            collector.append(timings["collector_mobile"])
    return {
        "wall": wall, "pages": report.coverage.pages_ok, "failed": report.coverage.pages_failed,
        "visit_ms": statistics.mean(visits) if visits else 0.0,
        "mobile_ms": statistics.mean(collector) if collector else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4, help="runs of each kind, alternating")
    args = parser.parse_args()

    runs: dict[bool, list[dict[str, float]]] = {False: [], True: []}
    with serve_generated_site(args.pages) as base_url, tempfile.TemporaryDirectory() as tmp:
        audit_once(base_url, min(args.pages, 5), True, Path(tmp) / "warm-up")
        for round_number in range(args.rounds):
            # the order flips each round, so a machine that gets busier does not favour one kind
            for mobile in ((False, True) if round_number % 2 == 0 else (True, False)):
                runs[mobile].append(audit_once(base_url, args.pages, mobile, Path(tmp) / f"{round_number}-{mobile}"))

    def median(mobile: bool, key: str) -> float:
        return statistics.median(run[key] for run in runs[mobile])

    # seconds per rendered page, so a run where a page timed out still compares fairly
    per_page = {m: statistics.median(r["wall"] / max(r["pages"], 1) for r in runs[m]) for m in (False, True)}
    extra = (per_page[True] - per_page[False]) / per_page[False] * 100
    rows = [
        ("pages rendered (median)", f"{median(False, 'pages'):.0f}", f"{median(True, 'pages'):.0f}"),
        ("pages failed (median)", f"{median(False, 'failed'):.0f}", f"{median(True, 'failed'):.0f}"),
        ("wall time (median s)", f"{median(False, 'wall'):.2f}", f"{median(True, 'wall'):.2f}"),
        ("s per page (median)", f"{per_page[False]:.3f}", f"{per_page[True]:.3f}"),
        ("visit ms per page", f"{median(False, 'visit_ms'):.0f}", f"{median(True, 'visit_ms'):.0f}"),
        ("mobile pass ms per page", "-", f"{median(True, 'mobile_ms'):.0f}"),
        ("all runs (s)", " ".join(f"{r['wall']:.1f}" for r in runs[False]),
         " ".join(f"{r['wall']:.1f}" for r in runs[True])),
    ]
    print(f"{'':26}{'desktop only':>16}{'with mobile':>16}")
    for label, desktop, mobile in rows:
        print(f"{label:26}{desktop:>16}{mobile:>16}")
    print(f"extra time of the mobile pass: {extra:+.1f} % per page (target: under 30 %)")


if __name__ == "__main__":
    main()
