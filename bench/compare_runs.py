"""Are two audit run folders the same result? A developer's tool for refactorings.

    python bench/compare_runs.py RUN_A RUN_B

Compares every output file (result.json, the CSVs, report.html, the artifacts) after taking out
what legitimately differs between two audits of the same site: the run id, the local port the
fixture site was served on, timestamps, timings, HTTP ``Date`` headers and version fields.
Rows of the CSV and JSON-lines files are compared as sets (the crawl visits pages two at a time,
so their order may vary). Prints one line per differing file and exits 1 when any differs.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from pathlib import Path

VOLATILE_KEYS = {
    "run_id", "timings", "visited_at", "started_at", "finished_at", "generated_at", "duration_s",
    "date", "last-modified", "tool_version", "chromium_version", "elapsed_s", "audited_at",
    "ttfb", "lcp_ms", "lcp_element", "expires", "age",
}
_ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")
_PORT = re.compile(r"(127\.0\.0\.1|localhost|\[::1\]):\d+")
_HTTP_DATE = re.compile(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT")
_SHOWN_TIME = re.compile(r"\d{1,2} \w+ \d{4}(,| om) \d\d:\d\d \w+")  # Dutch and English report dates
_NUMBER_MS = re.compile(r"\d+(\.\d+)? ?(ms|s)\b")


def _text(value: str, run_id: str) -> str:
    if run_id:
        value = value.replace(run_id, "RUN")
    value = _PORT.sub(r"\1:PORT", value)
    value = _ISO_TIME.sub("TIME", value)
    value = _HTTP_DATE.sub("DATE", value)
    return _SHOWN_TIME.sub("TIME", value)


def _scrub(value, run_id: str):
    if isinstance(value, dict):
        return {k: _scrub(v, run_id) for k, v in value.items() if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [_scrub(v, run_id) for v in value]
    if isinstance(value, str):
        return _text(value, run_id)
    return value


def _run_id(folder: Path) -> str:
    try:
        return json.loads((folder / "result.json").read_text(encoding="utf-8"))["run_id"]
    except (OSError, KeyError, ValueError):
        return ""


def _lines(path: Path, run_id: str) -> list[str]:
    if path.suffix == ".json":
        return json.dumps(_scrub(json.loads(path.read_text(encoding="utf-8")), run_id),
                          indent=1, sort_keys=True, ensure_ascii=False).splitlines()
    if path.suffix == ".jsonl":
        rows = [json.dumps(_scrub(json.loads(line), run_id), sort_keys=True, ensure_ascii=False)
                for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return sorted(rows)
    text = _text(path.read_text(encoding="utf-8-sig"), run_id)
    if path.suffix == ".csv":
        return sorted(text.splitlines())
    if path.suffix == ".html":
        text = _NUMBER_MS.sub("N ms", text)
    return text.splitlines()


def compare(a: Path, b: Path) -> int:
    differing = 0
    ids = (_run_id(a), _run_id(b))
    names = sorted({p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
                   | {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()})
    for name in names:
        if name.endswith(".xlsx"):
            continue  # a zip with timestamps inside; its sheets hold the CSVs' rows
        pa, pb = a / name, b / name
        if not pa.exists() or not pb.exists():
            print(f"{name}: only in {'B' if not pa.exists() else 'A'}")
            differing += 1
            continue
        la, lb = _lines(pa, ids[0]), _lines(pb, ids[1])
        if la != lb:
            differing += 1
            diff = list(difflib.unified_diff(la, lb, "A/" + name, "B/" + name, lineterm="", n=0))
            print(f"{name}: {sum(1 for d in diff if d[:1] in '+-') - 2} lines differ")
            for line in diff[2:14]:
                print("   ", line[:240])
    print("same" if not differing else f"{differing} file(s) differ")
    return 1 if differing else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(compare(Path(sys.argv[1]), Path(sys.argv[2])))
