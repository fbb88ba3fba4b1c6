"""Benchmark: ``auditor rescore`` of a 1,000-page run, this code against an older commit, side by
side: wall and CPU seconds (user + sys of the whole process tree, workers included), the load
average while it ran, and whether both wrote byte-identical ``result.json``. Not part of the
test suite.

    .venv/bin/python bench/rescore.py --run RUN_DIR --before 1cb6ba2     # a 1,000-page run folder
    .venv/bin/python bench/rescore.py --source RUN_DIR --before 1cb6ba2  # made 1,000 pages long first
    .venv/bin/python bench/rescore.py --audit-pages 100 --before 1cb6ba2 # audit a generated site first

The older commit is unpacked with ``git archive`` into a temporary folder and run with this
virtualenv's Python (its packages, that commit's code). The two versions are run alternately
(``--rounds``) on copies of the run, so a change in the machine's load hits both. Target
(issue 11): scoring and all reports for 1,000 pages in under 10 s.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from bench.rescore_phases import audit_generated_site, build_saved_run  # noqa: E402


def unpack_commit(commit: str, target: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", commit],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_rescore(code: Path, run: Path) -> tuple[float, float, str, bytes]:
    """(wall s, CPU s, load average at the start, result.json) of one ``auditor rescore``."""
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    env = dict(os.environ, PYTHONPATH=str(code))
    cpu, wall = children_cpu(), time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "auditor.cli.main", "rescore", str(run)], cwd=code, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall, cpu = time.perf_counter() - wall, children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"rescore with {code} failed: {done.stderr.strip().splitlines()[-1:]}")
    return wall, cpu, load, (run / "result.json").read_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--run", type=Path, help="a run folder, rescored as it is")
    source.add_argument("--source", type=Path, help="a run folder, first made --pages long")
    parser.add_argument("--audit-pages", type=int, default=100, help="pages of the generated site, without a run")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--before", default="1cb6ba2", help="the commit to compare with")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        run = args.run
        if run is None:
            run = workdir / "saved"
            build_saved_run(args.source or audit_generated_site(args.audit_pages, workdir), args.pages, run)
        versions = {f"before ({args.before})": unpack_commit(args.before, workdir / "before"), "after (this tree)": REPO}
        rows: dict[str, list[tuple[float, float, str]]] = {name: [] for name in versions}
        outputs: dict[str, bytes] = {}
        for _ in range(args.rounds):
            for name, code in versions.items():
                copy = workdir / "copy"
                shutil.rmtree(copy, ignore_errors=True)
                shutil.copytree(run, copy)
                wall, cpu, load, result = timed_rescore(code, copy)
                rows[name].append((wall, cpu, load))
                outputs.setdefault(name, result)
                if outputs[name] != result:
                    print(f"{name}: result.json differs between rounds")
        print(f"`auditor rescore` of {run}")
        print(f"{'version':32} {'wall s':>16} {'CPU s':>16} {'load avg':>12}")
        for name, measured in rows.items():
            walls = ", ".join(f"{w:.1f}" for w, _, _ in measured)
            cpus = ", ".join(f"{c:.1f}" for _, c, _ in measured)
            loads = ", ".join(load for _, _, load in measured)
            print(f"{name:32} {walls:>16} {cpus:>16} {loads:>12}")
        same = len(set(outputs.values())) == 1
        print("result.json byte-identical: " + ("yes" if same else "NO"))


if __name__ == "__main__":
    main()
