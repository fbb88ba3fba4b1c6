"""Benchmark: our full audit side by side with the floor (goto + axe) and pa11y-ci, on the same
generated pages, in one run. Not part of the test suite.

    .venv/bin/python bench/run.py --pages 200            # the three tools, side by side
    .venv/bin/python bench/run.py --pages 200 --memory   # also a 1,000-page audit (memory growth)
    .venv/bin/python bench/run.py --pages 50 --no-pa11y  # quick
    .venv/bin/python bench/run.py --pages 200 --audit-only --guard-off --visits-per-page 0
        # the full audit, also with the browser's SSRF guard off and with pages never replaced

For every tool it prints pages/s, CPU seconds per page, wall time and the peak memory of the
whole process tree (RSS and PSS from /proc/<pid>/smaps_rollup, sampled every 0.2 s; also the
anonymous + shmem share of PSS, and the peak per kind of process), the load average, and the
ratios to the floor. It also
times sitemap discovery of 10,000 URLs and scoring + all reports for 1,000 pages.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.site_generator import SERVED, serve_generated_site  # noqa: E402

VENV_BIN = Path(sys.executable).parent
PA11Y_DIR = HERE / ".node"
PA11Y_VERSION = "4.1.1"


@dataclass
class Measurement:
    tool: str
    pages: int
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    peak_pss_mb: float
    note: str = ""
    peak_pss_anon_mb: float = 0.0  # PSS of anonymous + shmem pages at the PSS peak (the tree's own)
    peak_processes: int = 0
    load_average: str = ""
    peak_by_kind: dict[str, float] = field(default_factory=dict)  # PSS MB per kind of process at the peak
    assets_served: int = 0  # requests for the shared CSS/JS/images the site answered (cache misses)
    cpu_by_kind: dict[str, float] = field(default_factory=dict)  # sampled CPU seconds per kind of process

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.wall_s if self.wall_s else 0.0

    @property
    def cpu_per_page(self) -> float:
        return self.cpu_s / self.pages if self.pages else 0.0


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, to read the figures taken beside them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def smaps_rollup(pid: int) -> dict[str, int] | None:
    """The kB totals of ``/proc/<pid>/smaps_rollup`` (Rss, Pss, Pss_Anon, Pss_File, Pss_Shmem…),
    or None once the process is gone."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    totals: dict[str, int] = {}
    for line in text.splitlines()[1:]:
        name, _, value = line.partition(":")
        fields = value.split()
        if fields and fields[0].isdigit():
            totals[name] = int(fields[0])
    return totals


def process_kind(proc: psutil.Process) -> str:
    """What a process of the tree is: python, node (Playwright's driver), chromium's browser, or its
    --type (renderer, gpu-process, zygote, a utility's service name); "webui" for top-chrome WebUI."""
    try:
        words = proc.cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return "gone"
    if not words:
        return "gone"
    program = Path(words[0]).name
    kind = next((w.split("=", 1)[1] for w in words if w.startswith("--type=")), "")
    if not kind:
        return "python" if program.startswith("python") or program == "auditor" else program
    if kind == "utility":
        service = next((w.split("=", 1)[1] for w in words if w.startswith("--utility-sub-type=")), "")
        return service.split(".")[0] or "utility"
    if kind == "renderer" and "--top-chrome-webui" in words:
        return "webui"
    return kind


def measure(command: list[str], env: dict | None = None) -> tuple:
    """Run ``command``; return wall seconds, CPU seconds, peak RSS MB and peak PSS MB of its
    process tree, its exit code, the anonymous + shmem PSS at the peak and the tree's size there.

    Memory is the sum over the tree (the command, Playwright's driver, Chromium's browser,
    zygotes, GPU/utility/network services and renderers) of ``/proc/<pid>/smaps_rollup``,
    sampled every 0.2 s. PSS shares a page among every process mapping it, also processes
    outside the tree (another Chromium on the machine takes part of the shared library pages),
    so the anonymous + shmem share is reported too: it depends on this tree only.
    CPU is the rusage of the waited tree (every descendant that was reaped), as the kernel counts it."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    assets_before = SERVED["asset"]
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root = psutil.Process(process.pid)
    cpu_by_pid: dict[int, float] = {}
    kind_by_pid: dict[int, str] = {}
    peak_rss = peak_pss = peak_anon = 0
    peak_processes = 0
    peak_by_kind: dict[str, float] = {}
    while process.poll() is None:
        rss = pss = anon = 0
        by_kind: dict[str, float] = {}
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for proc in tree:
            totals = smaps_rollup(proc.pid)
            if totals is None:
                continue
            rss += totals.get("Rss", 0)
            pss += totals.get("Pss", 0)
            anon += totals.get("Pss_Anon", 0) + totals.get("Pss_Shmem", 0)
            kind = process_kind(proc)  # read each time: a zygote child takes its --type after the fork
            kind_by_pid[proc.pid] = kind
            by_kind[kind] = by_kind.get(kind, 0) + totals.get("Pss", 0) / 1024
            try:
                times = proc.cpu_times()
                cpu_by_pid[proc.pid] = times.user + times.system
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        peak_rss = max(peak_rss, rss)
        if pss > peak_pss:
            peak_pss, peak_anon, peak_processes, peak_by_kind = pss, anon, len(tree), by_kind
        time.sleep(0.2)
    process.wait()
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    waited_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # processes re-parented away from the tree are not in the rusage; their sampled CPU is
    cpu = max(waited_cpu, sum(cpu_by_pid.values()))
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode not in (0, 2):
        print(f"  ! {command[0]} exited {process.returncode}: {stderr.strip()[-300:]}", file=sys.stderr)
    cpu_by_kind: dict[str, float] = {}
    for pid, seconds in cpu_by_pid.items():
        kind = kind_by_pid.get(pid, "gone")
        cpu_by_kind[kind] = cpu_by_kind.get(kind, 0.0) + seconds
    return (wall, cpu, peak_rss / 1024, peak_pss / 1024, process.returncode, peak_anon / 1024, peak_processes,
            peak_by_kind, SERVED["asset"] - assets_before, cpu_by_kind)


def measured(tool: str, pages: int, figures: tuple, note: str = "") -> Measurement:
    wall, cpu, rss, pss, _code, anon, processes, by_kind, assets, cpu_by_kind = figures
    return Measurement(tool, pages, wall, cpu, rss, pss, note, anon, processes, load_average(), by_kind, assets,
                       cpu_by_kind)


def ours_folder(workdir: Path, pages: int, guard: str = "on", flags: bool = False,
                visits_per_page: int | None = None) -> Path:
    """The run folder of one full audit of the benchmark."""
    return workdir / (f"ours-{pages}-guard-{guard}{'-flags' if flags else ''}"
                      f"{'' if visits_per_page is None else f'-visits-{visits_per_page}'}")


GUARD_VARIANTS = {"on": "", "off": "browser SSRF guard off", "no-route": "guard without its Playwright route",
                  "no-fetch-guard": "guard without its CDP Fetch handler"}


def run_ours(base: str, pages: int, workdir: Path, extra: list[str] = (), guard: str = "on",
             chromium_args: list[str] = (), visits_per_page: int | None = None) -> Measurement:
    """Our full audit; ``guard`` other than "on" switches the browser's SSRF guard (or a part
    of it) off, ``chromium_args`` adds Chromium flags and ``visits_per_page`` sets how many pages a
    reused browser page shows before it is replaced, 0 for never (all through bench/audit_variant.py)."""
    variant = [*([] if guard == "on" else [f"--{'guard-off' if guard == 'off' else guard}"]),
               *(f"--chromium-arg={arg}" for arg in chromium_args),
               *([] if visits_per_page is None else [f"--visits-per-page={visits_per_page}"])]
    out = ours_folder(workdir, pages, guard, bool(chromium_args), visits_per_page)
    launcher = [sys.executable, str(HERE / "audit_variant.py"), *variant, "--"] if variant else [str(VENV_BIN / "auditor")]
    command = [*launcher, "audit", f"{base}/", "--out", str(out), "--max-pages", str(pages),
               "--max-depth", "1000", "--delay", "0", "--block-third-party", "-q", *extra]
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    figures = measure(command, env)
    report = json.loads((out / "result.json").read_text())
    audited = report["coverage"]["pages_ok"]
    name = "auditor (full audit)" if guard == "on" else f"auditor, {GUARD_VARIANTS[guard]}"
    if chromium_args:
        name += " + " + " ".join(chromium_args)
    if visits_per_page is not None:
        name += f", page replaced {f'after {visits_per_page} visits' if visits_per_page else 'never'}"
    return measured(name, audited, figures)


def url_file(base: str, pages: int, workdir: Path) -> Path:
    path = workdir / f"urls-{pages}.txt"
    path.write_text("\n".join(f"{base}/p/{i}" for i in range(pages)) + "\n")
    return path


def run_floor(base: str, pages: int, workdir: Path, concurrency: int) -> Measurement:
    command = [sys.executable, str(HERE / "floor.py"), str(url_file(base, pages, workdir)), str(concurrency)]
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    return measured(f"floor: goto+axe, {concurrency} page(s)", pages, measure(command, env))


def install_pa11y() -> Path | None:
    binary = PA11Y_DIR / "node_modules" / ".bin" / "pa11y-ci"
    if binary.exists():
        return binary
    if not shutil.which("npm"):
        return None
    env = dict(os.environ, PUPPETEER_SKIP_DOWNLOAD="1")
    PA11Y_DIR.mkdir(exist_ok=True)
    done = subprocess.run(["npm", "install", "--silent", "--prefix", str(PA11Y_DIR), f"pa11y-ci@{PA11Y_VERSION}"],
                          env=env, capture_output=True, text=True, timeout=600)
    return binary if done.returncode == 0 and binary.exists() else None


def run_pa11y(base: str, pages: int, workdir: Path, concurrency: int, binary: Path) -> Measurement:
    from auditor.gather.browser import find_chromium

    config = {
        "defaults": {
            "runners": ["axe"], "standard": "WCAG2AA", "timeout": 60_000,
            "chromeLaunchConfig": {"executablePath": find_chromium(), "args": ["--no-sandbox", "--disable-gpu"]},
            "useIncognitoBrowserContext": False,
        },
        "concurrency": concurrency,
        "urls": [f"{base}/p/{i}" for i in range(pages)],
    }
    path = workdir / f"pa11y-{concurrency}.json"
    path.write_text(json.dumps(config))
    figures = measure([str(binary), "--config", str(path)])
    code = figures[4]
    return measured(f"pa11y-ci {PA11Y_VERSION} (axe), concurrency {concurrency}", pages, figures,
                    note="" if code in (0, 2) else f"exit {code}")


def time_sitemap_discovery(urls: int) -> float:
    from auditor.crawl.http import make_client
    from auditor.crawl.sitemaps import discover_sitemaps

    async def discover(base: str) -> int:
        async with make_client(user_agent="bench") as client:
            found = await discover_sitemaps(client, f"{base}/", max_urls=urls)
            return len(found.urls)

    with serve_generated_site(urls) as base:
        started = time.monotonic()
        count = asyncio.run(discover(base))
        elapsed = time.monotonic() - started
    assert count == urls, count
    return elapsed


def time_scoring_and_reports(source_run: Path, pages: int, workdir: Path) -> float:
    """Scoring and every report for ``pages`` pages: the artifacts of a real run are repeated
    under new URLs, then rescored and written as a user's ``auditor rescore`` would."""
    from auditor.run.outputs import write_outputs
    from auditor.run.rescore import rescore_run
    from auditor.model import PageArtifacts, PageSummary, SiteArtifacts

    target = workdir / f"rescore-{pages}"
    shutil.copytree(source_run, target, dirs_exist_ok=True)
    lines = (source_run / "artifacts" / "pages.jsonl").read_text().splitlines()
    site = SiteArtifacts.model_validate_json((source_run / "artifacts" / "site.json").read_text())
    summaries = []
    with open(target / "artifacts" / "pages.jsonl", "w") as out:
        for i in range(pages):
            page = PageArtifacts.model_validate_json(lines[i % len(lines)])
            page.url = page.final_url = f"{page.url.split('/p/')[0]}/kopie/{i}"
            out.write(page.model_dump_json() + "\n")
            summaries.append(PageSummary(url=page.url, final_url=page.final_url, status=page.status, title=page.title))
    site.pages = summaries
    (target / "artifacts" / "site.json").write_text(site.model_dump_json())
    started = time.monotonic()
    report = rescore_run(target)
    write_outputs(report, target)
    return time.monotonic() - started


def table_header() -> str:
    return (f"{'tool':44} {'pages':>6} {'wall s':>8} {'pages/s':>8} {'CPU s/pg':>9} {'RSS MB':>8} {'PSS MB':>8} "
            f"{'anon MB':>8} {'procs':>5} {'×floor':>7}  load average")


def table_row(row: Measurement, floor: Measurement | None) -> str:
    ratio = f"{row.pages_per_s / floor.pages_per_s:.2f}" if floor and floor.pages_per_s else "—"
    return (f"{row.tool:44} {row.pages:>6} {row.wall_s:>8.1f} {row.pages_per_s:>8.2f} {row.cpu_per_page:>9.2f} "
            f"{row.peak_rss_mb:>8.0f} {row.peak_pss_mb:>8.0f} {row.peak_pss_anon_mb:>8.0f} {row.peak_processes:>5} "
            f"{ratio:>7}  {row.load_average} {row.note}")


def print_table(rows: list[Measurement], floor: Measurement | None) -> None:
    header = table_header()
    print(header)
    print("-" * len(header))
    for row in rows:
        print(table_row(row, floor))


class _RowsAsTheyCome(list):
    """The measurements, each also printed when it is taken (a long run shows its progress)."""

    def append(self, row: Measurement) -> None:
        if not self:
            print(table_header(), flush=True)
        print(table_row(row, None), flush=True)
        parts = sorted(row.peak_by_kind.items(), key=lambda item: -item[1])
        print("    peak PSS by process: " + ", ".join(f"{kind} {mb:.0f}" for kind, mb in parts)
              + f"; shared CSS/JS/image requests served: {row.assets_served}", flush=True)
        spent = sorted(row.cpu_by_kind.items(), key=lambda item: -item[1])
        print("    CPU s per page by process (sampled, last 0.2 s of each process missed): "
              + ", ".join(f"{kind} {seconds / max(row.pages, 1):.3f}" for kind, seconds in spent if seconds >= 0.5),
              flush=True)
        super().append(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--no-pa11y", action="store_true")
    parser.add_argument("--memory", action="store_true", help="also audit 1,000 pages to compare peak memory")
    parser.add_argument("--guard-off", action="store_true",
                        help="also run the full audit with the browser's SSRF guard off, to measure its cost")
    parser.add_argument("--guard-parts", action="store_true",
                        help="also run it with each half of the guard (route, CDP Fetch) off")
    parser.add_argument("--one-floor", action="store_true", help="only the floor with 2 pages at once (the reference)")
    parser.add_argument("--audit-only", action="store_true", help="only the full audit (no floor, no pa11y-ci)")
    parser.add_argument("--keep", type=Path, help="keep the run folders here")
    parser.add_argument("--visits-per-page", type=int, action="append", default=[],
                        help="also run the full audit replacing each browser page after N visits (0: never; repeatable)")
    parser.add_argument("--chromium-arg", action="append", default=[],
                        help="also run the full audit with this Chromium flag added (repeatable)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB; "
          f"site: {args.pages} generated pages of 30-100 KB, latency {args.latency_ms} ms")
    rows = _RowsAsTheyCome()
    with tempfile.TemporaryDirectory() as tmp, serve_generated_site(args.pages, args.latency_ms) as base:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        floor = None
        if not args.audit_only:
            floor = run_floor(base, args.pages, workdir, concurrency=2)
            rows.append(floor)
            if not args.one_floor:
                rows.append(run_floor(base, args.pages, workdir, concurrency=1))
        ours = run_ours(base, args.pages, workdir)
        rows.append(ours)
        if args.guard_off:
            unguarded = run_ours(base, args.pages, workdir, guard="off")
            rows.append(unguarded)
        if args.guard_parts:
            for part in ("no-route", "no-fetch-guard"):
                rows.append(run_ours(base, args.pages, workdir, guard=part))
        for visits in args.visits_per_page:
            rows.append(run_ours(base, args.pages, workdir, visits_per_page=visits))
        if args.chromium_arg:
            rows.append(run_ours(base, args.pages, workdir, chromium_args=args.chromium_arg))
        if args.no_pa11y or args.audit_only:
            print("pa11y-ci: skipped (--no-pa11y)")
        else:
            binary = install_pa11y()
            if binary is None:
                print("pa11y-ci: skipped (could not install it from npm)")
            else:
                for concurrency in (1, 4):
                    rows.append(run_pa11y(base, args.pages, workdir, concurrency, binary))
        print()
        print_table(rows, floor)
        pa11y = [r for r in rows if r.tool.startswith("pa11y")]
        print()
        if floor is not None:
            print(f"full audit / floor: {ours.pages_per_s / floor.pages_per_s:.2f} (target ≥ 0.7)")
        if args.guard_off:
            print(f"browser SSRF guard: {ours.pages_per_s / unguarded.pages_per_s - 1:+.0%} pages/s, "
                  f"{ours.cpu_per_page - unguarded.cpu_per_page:+.2f} CPU s/page, "
                  f"{ours.peak_pss_mb - unguarded.peak_pss_mb:+.0f} MB peak PSS against the audit without it")
        if args.audit_only:
            return
        if pa11y:
            best = max(pa11y, key=lambda r: r.pages_per_s)
            print(f"full audit / best pa11y-ci: {ours.pages_per_s / best.pages_per_s:.2f} (target ≥ 2)")
        print(f"full audit peak PSS: {ours.peak_pss_mb:.0f} MB (target ≤ 1,229 MB)")
        if args.memory:
            with serve_generated_site(1000, args.latency_ms) as big_base:
                big = run_ours(big_base, 1000, workdir)
            growth = big.peak_pss_mb / ours.peak_pss_mb - 1
            print(f"1,000-page audit: {big.pages} pages, {big.pages_per_s:.2f} pages/s, peak PSS {big.peak_pss_mb:.0f} MB "
                  f"({growth:+.0%} vs {args.pages} pages; target within 15%)")
        sitemap_s = time_sitemap_discovery(10_000)
        print(f"sitemap discovery, 10,000 URLs: {sitemap_s:.2f} s (target < 10 s)")
        reports_s = time_scoring_and_reports(ours_folder(workdir, args.pages), 1000, workdir)
        print(f"scoring + all reports, 1,000 pages: {reports_s:.2f} s (target < 10 s)")


if __name__ == "__main__":
    main()
