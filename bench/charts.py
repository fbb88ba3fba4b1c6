"""Benchmark: what the report's matplotlib charts cost. Prints the import time of
``reports.charts`` (matplotlib is imported lazily, on the first chart), the first chart with
matplotlib's import, the median render time per chart of ROWS bars, and the size of the
sample report's HTML. Not part of the test suite.

    .venv/bin/python bench/charts.py [--rows 10] [--repeat 30]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def _fresh_process_seconds(code: str) -> float:
    """Wall time of ``code`` in a new interpreter, less the bare interpreter's start."""
    def run(snippet: str) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", snippet], check=True, cwd=HERE.parent)
        return time.perf_counter() - started

    bare = min(run("pass") for _ in range(3))
    return min(run(code) for _ in range(3)) - bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    print(f"import reports.charts: {_fresh_process_seconds('import reports.charts') * 1000:.0f} ms")
    first = _fresh_process_seconds(
        "from reports.charts import render_bar_chart as r; r([('a', 0.5, '50%')], title='t', desc='d', chart_id='c')")
    print(f"import + first chart (matplotlib loaded): {first * 1000:.0f} ms")

    from reports.charts import render_bar_chart

    rows = [(f"Criterium {i}", (i + 1) / args.rows, f"{i + 1}") for i in range(args.rows)]
    render_bar_chart(rows, title="t", desc="d", chart_id="warm")
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        render_bar_chart(rows, title="t", desc="d", chart_id="c")
        times.append(time.perf_counter() - started)
    print(f"chart of {args.rows} bars: median {statistics.median(times) * 1000:.1f} ms "
          f"(min {min(times) * 1000:.1f} ms, {args.repeat} runs)")

    from reports.html_report import render_html
    from tests.fixtures.sample_report import sample_report

    started = time.perf_counter()
    html = render_html(sample_report())
    print(f"sample report.html: {len(html.encode('utf-8'))} bytes, rendered in "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
