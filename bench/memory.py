"""Benchmark: does the full audit's peak memory grow with the site? Audits generated sites of
the given sizes one after the other (each in its own process tree, sampled every 0.2 s) and
prints pages/s and peak RSS/PSS per size, and each size's growth against the first. Not part of
the test suite.

    .venv/bin/python bench/memory.py                       # 200 and 1,000 pages
    .venv/bin/python bench/memory.py --pages 200 1000 --keep /tmp/runs   # keep the run folders

Target (issue 11): peak ≤ 1.2 GB PSS at 200 pages; 1,000 pages within 15 % of that peak.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.run import run_ours  # noqa: E402
from bench.site_generator import serve_generated_site  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="keep the run folders here (ours-N)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        first = None
        for pages in args.pages:
            with serve_generated_site(pages, args.latency_ms) as base:
                row = run_ours(base, pages, workdir)
            first = first or row
            growth = row.peak_pss_mb / first.peak_pss_mb - 1
            print(f"{pages:>6} pages: {row.pages} audited in {row.wall_s:.0f} s ({row.pages_per_s:.2f} pages/s, "
                  f"{row.cpu_per_page:.2f} CPU s/page), peak RSS {row.peak_rss_mb:.0f} MB, "
                  f"peak PSS {row.peak_pss_mb:.0f} MB ({growth:+.0%} vs {first.pages} pages), of which anonymous + "
                  f"shmem {row.peak_pss_anon_mb:.0f} MB; load average {row.load_average}", flush=True)
            parts = sorted(row.peak_by_kind.items(), key=lambda item: -item[1])
            print("        peak PSS by process: " + ", ".join(f"{kind} {mb:.0f}" for kind, mb in parts), flush=True)


if __name__ == "__main__":
    main()
