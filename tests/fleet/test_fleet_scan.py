"""Fleet scans end to end on local fixture sites, in real Chromium, stored in SQLite: two scans
with a fix in between and the diff naming it, resume after a killed scan, and Huey jobs."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli.main import main
from auditor.fleet.store import Store
from tests.fixtures.fleet_fixtures import build_small_site, set_missing_alt, write_site_list

pytestmark = pytest.mark.browser

AUDITOR = [sys.executable, "-m", "auditor.cli.main"]
IMAGE_ALT = "axe-violations:image-alt:"


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def fingerprints(store: Store, run_id: str) -> set[str]:
    return {f.fingerprint for f in store.findings(run_id)}


@pytest.fixture(scope="module")
def three_sites():
    sites = {"alfa": build_small_site("Alfa", missing_alt=True), "bravo": build_small_site("Bravo"),
             "charlie": build_small_site("Charlie", missing_alt=True)}
    for site in sites.values():
        site.start()
    yield sites
    for site in sites.values():
        site.stop()


@pytest.fixture(scope="module")
def two_scans(three_sites, tmp_path_factory):
    """Scan, fix the missing alt text on alfa, scan again."""
    tmp = tmp_path_factory.mktemp("fleet")
    site_list = write_site_list(tmp / "sites.toml", three_sites, max_pages=3)
    db = f"sqlite:///{tmp / 'auditor.db'}"
    first = run_cli("scan", str(site_list), "--db", db, "--out", str(tmp / "out"), "--delay", "0", "--block-third-party")
    set_missing_alt(three_sites["alfa"], "Alfa", missing_alt=False)
    second = run_cli("scan", str(site_list), "--db", db, "--out", str(tmp / "out"), "--delay", "0",
                     "--block-third-party", "--concurrency", "2")
    set_missing_alt(three_sites["alfa"], "Alfa", missing_alt=True)
    return tmp, db, first, second


def test_scan_stores_runs_pages_findings_scores_and_reports(two_scans):
    tmp, db, first, second = two_scans
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert "3 done" in first.output
    store = Store.open(db)
    for key in ("alfa", "bravo", "charlie"):
        runs = store.runs_for_site(key)
        assert len(runs) == 2
        run = runs[0]
        assert run.tool_version and run.axe_version and run.method["settings"]["max_pages"] == 3
        folder = Path(run.out_dir)
        assert folder.parent == (tmp / "out" / key).resolve()
        assert folder.name == run.run_id
        assert json.loads((folder / "result.json").read_text("utf-8"))["run_id"] == run.run_id
        assert (folder / "report.html").is_file() and (folder / "findings.csv").is_file()
        assert run.overall_score is not None
        with store.session() as session:
            from sqlalchemy import func, select

            from auditor.fleet.store.models import PageRow, ScoreRow

            pages = session.scalar(select(func.count()).select_from(PageRow).where(PageRow.run_id == run.run_id))
            scores = session.scalar(select(func.count()).select_from(ScoreRow).where(ScoreRow.run_id == run.run_id))
        assert pages >= 3 and scores > 5
    assert any(f.startswith(IMAGE_ALT) for f in fingerprints(store, store.runs_for_site("alfa")[0].run_id))


def test_each_site_run_keeps_its_own_occurrence_log(two_scans):
    """Every site's run folder gets its own artifacts/occurrences.jsonl and occurrences.csv
    (the log was once bound to the scan's root folder, shared by all sites)."""
    tmp, db, _, _ = two_scans
    store = Store.open(db)
    assert not (tmp / "out" / "artifacts").exists()
    origins = {}
    for key in ("alfa", "charlie"):  # both have a missing alt text on their home page
        run = store.runs_for_site(key)[0]  # the first scan, before alfa's fix
        folder = Path(run.out_dir)
        log = (folder / "artifacts" / "occurrences.jsonl").read_text("utf-8").splitlines()
        origins[key] = {re.match(r"https?://[^/]+", json.loads(line)["page_url"]).group(0) for line in log}
        assert len(origins[key]) == 1, origins[key]  # this site's pages only
        assert "image-alt" in (folder / "occurrences.csv").read_text("utf-8-sig")
    assert origins["alfa"] != origins["charlie"]


def test_fingerprints_are_stable_across_runs(two_scans):
    _, db, _, _ = two_scans
    store = Store.open(db)
    for key in ("bravo", "charlie"):  # unchanged between the scans
        first, second = store.runs_for_site(key)
        assert fingerprints(store, first.run_id) == fingerprints(store, second.run_id)
        assert fingerprints(store, first.run_id)  # not trivially equal


def test_diff_names_exactly_the_fix(two_scans):
    _, db, _, _ = two_scans
    result = run_cli("diff", "--site", "alfa", "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [c["fingerprint"].startswith(IMAGE_ALT) for c in data["fixed"]] == [True]
    assert data["new"] == []
    assert data["same_method"] is True
    text = run_cli("diff", "--site", "alfa", "--db", db).output
    assert "fixed: 1" in text and "image-alt" in text and "WARNING" not in text
    unchanged = json.loads(run_cli("diff", "--site", "bravo", "--db", db, "--format", "json").output)
    assert unchanged["new"] == [] and unchanged["fixed"] == [] and unchanged["persisting"]


def test_history_and_portfolio_commands(two_scans):
    tmp, db, _, _ = two_scans
    result = run_cli("history", "alfa", "--db", db)
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 3 and lines[0].startswith("date")
    assert "axe-core" in lines[1]
    missing = run_cli("history", "zulu", "--db", db)
    assert missing.exit_code == 1 and "no site 'zulu'" in missing.output
    result = run_cli("portfolio", "--db", db, "--out", str(tmp / "portfolio"), "--lang", "en")
    assert result.exit_code == 0, result.output
    rows = (tmp / "portfolio" / "portfolio.csv").read_text("utf-8-sig").splitlines()
    assert len(rows) == 4 and rows[0].startswith("site,organisation")
    assert (tmp / "portfolio" / "portfolio.xlsx").is_file() and (tmp / "portfolio" / "portfolio.html").is_file()
    # every real run folder holds report.html: the page links to each, relative to itself
    page = (tmp / "portfolio" / "portfolio.html").read_text("utf-8")
    links = re.findall(r'<a href="([^"]+)">', page)
    assert len(links) == 3 and all(not link.startswith(("/", "file:")) for link in links)
    assert all((tmp / "portfolio" / link).resolve().name == "report.html" and (tmp / "portfolio" / link).is_file()
               for link in links)
    # plain http on 127.0.0.1: every site's latest run fails https-everywhere, so it is shared by all three
    assert "Most common findings across the fleet" in page
    assert re.search(r'<th scope="row">https-everywhere</th>\s*<td>page-not-https: [^<]*</td>\s*<td>Fail</td>\s*'
                     r'<td class="num">3</td>', page)
    dutch = run_cli("portfolio", "--db", db, "--out", str(tmp / "portfolio-nl"))  # Dutch by default
    assert dutch.exit_code == 0, dutch.output
    assert '<html lang="nl">' in (tmp / "portfolio-nl" / "portfolio.html").read_text("utf-8")


def test_scan_input_errors_are_one_line(tmp_path):
    (tmp_path / "bad.toml").write_text('[[site]]\nid = "a"\nkind = "dorp"\nstart_urls = ["https://a.example/"]\n')
    result = run_cli("scan", str(tmp_path / "bad.toml"), "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path / 'bad.toml'}:3: unknown kind 'dorp' " \
                                    "(expected one of: flemish_entity, municipality, province, other)"
    result = run_cli("scan", "--resume", "nope", "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert result.exit_code == 1 and "no scan 'nope'" in result.output


def test_killed_scan_resumes_without_redoing_completed_sites(tmp_path):
    release = threading.Event()

    def slow_home(request):
        release.wait(60)
        return 200, {"Content-Type": "text/html"}, "<html lang='nl'><title>Traag</title><main>Traag</main></html>"

    sites = {"een": build_small_site("Een"), "twee": build_small_site("Twee"), "drie": build_small_site("Drie")}
    sites["twee"].routes["/"] = slow_home
    for site in sites.values():
        site.start()
    try:
        site_list = write_site_list(tmp_path / "sites.toml", sites, max_pages=3)
        db = f"sqlite:///{tmp_path / 'auditor.db'}"
        process = subprocess.Popen(
            [*AUDITOR, "scan", str(site_list), "--db", db, "--out", str(tmp_path / "out"), "--delay", "0",
             "--page-timeout", "60", "-q"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, cwd=tmp_path)
        store = Store.open(db)
        deadline = time.monotonic() + 120
        scan_id = None
        while time.monotonic() < deadline:
            scans = [row for row in _all_scans(store)]
            if scans:
                scan_id = scans[0]
                status = {r.site_key: r.status for r in store.scan_sites(scan_id)}
                if status.get("een") == "done" and status.get("twee") == "running":
                    break
            time.sleep(0.2)
        else:
            process.kill()
            pytest.fail(f"the scan did not reach the slow site: {process.communicate()[1][-2000:]!r}")
        os.killpg(process.pid, signal.SIGKILL)  # the machine dies: no handler runs
        process.wait(10)
        hits_een = len(sites["een"].hits)
        assert store.scan_site(scan_id, "twee").status == "running"  # left behind by the dead process

        release.set()
        result = run_cli("scan", "--resume", scan_id, "--db", db, "--delay", "0")
        assert result.exit_code == 0, result.output
        assert "1 already done" in result.output
        assert [(r.site_key, r.status) for r in store.scan_sites(scan_id)] == [
            ("een", "done"), ("twee", "done"), ("drie", "done")]
        assert len(sites["een"].hits) == hits_een  # not visited again
        assert [len(store.runs_for_site(key)) for key in ("een", "twee", "drie")] == [1, 1, 1]
        assert store.scan_site(scan_id, "twee").attempts == 2
        assert store.get_scan(scan_id).status == "done"
    finally:
        release.set()
        for site in sites.values():
            site.stop()


def _all_scans(store: Store) -> list[str]:
    from sqlalchemy import select

    from auditor.fleet.store.models import ScanRow

    with store.session() as session:
        return list(session.scalars(select(ScanRow.id)))


def test_schedule_fires_and_the_job_audits_the_site_with_huey_immediate_mode(tmp_path):
    from auditor.fleet.queue import FleetQueue
    from auditor.fleet.schedule import load_schedules

    site = build_small_site("Delta", missing_alt=True).start()
    try:
        write_site_list(tmp_path / "sites.toml", {"delta": site}, max_pages=2)
        (tmp_path / "schedules.toml").write_text(
            '[[schedule]]\nname = "nightly"\ncron = "30 2 * * *"\nsites = "sites.toml"\nout = "out"\ndelay = 0\n')
        queue = FleetQueue(tmp_path / "queue.db", f"sqlite:///{tmp_path / 'auditor.db'}",
                           schedules=load_schedules(tmp_path / "schedules.toml"), immediate=True)
        assert queue.tick(datetime(2026, 11, 28, 2, 29)) == []
        assert queue.store().sites() == []
        (scan_id,) = queue.tick(datetime(2026, 11, 28, 2, 30))
        (row,) = queue.store().scan_sites(scan_id)
        assert row.status == "done" and row.run_id
        assert queue.store().get_scan(scan_id).status == "done"
        run = queue.store().run(row.run_id)
        assert Path(run.out_dir).parent == (tmp_path / "out" / "delta").resolve()
        assert queue.tick(datetime(2026, 11, 28, 2, 30)) == []  # the same slot again: nothing
    finally:
        site.stop()


def test_worker_process_consumes_a_scan_from_the_sqlite_queue(tmp_path):
    sites = {"echo": build_small_site("Echo"), "foxtrot": build_small_site("Foxtrot", missing_alt=True)}
    for site in sites.values():
        site.start()
    db = f"sqlite:///{tmp_path / 'auditor.db'}"
    queue = str(tmp_path / "queue.db")
    worker = subprocess.Popen([*AUDITOR, "worker", "--queue", queue, "--db", db, "-v"], cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        site_list = write_site_list(tmp_path / "sites.toml", sites, max_pages=2)
        result = run_cli("scan", str(site_list), "--db", db, "--queue", queue, "--out", str(tmp_path / "out"),
                         "--delay", "0")
        assert result.exit_code == 0, result.output
        scan_id = result.output.strip().splitlines()[-1]
        store = Store.open(db)
        rows = store.scan_sites(scan_id)
        assert [(r.site_key, r.status, r.attempts) for r in rows] == [("echo", "done", 1), ("foxtrot", "done", 1)]
        assert all(r.worker.split(":")[1] == str(worker.pid) for r in rows)
    finally:
        worker.send_signal(signal.SIGINT)  # graceful: finish the current job, then stop
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        for site in sites.values():
            site.stop()


def test_site_report_says_what_changed_since_the_previous_run(two_scans):
    _, db, _, _ = two_scans
    store = Store.open(db)
    first, second = store.runs_for_site("alfa")
    before = json.loads((Path(first.out_dir) / "result.json").read_text("utf-8"))
    after = json.loads((Path(second.out_dir) / "result.json").read_text("utf-8"))
    assert before["changes"] is None  # a site's first run has no history
    changes = after["changes"]
    assert changes["previous_run_id"] == first.run_id
    assert (changes["new"], changes["fixed"]) == (0, 1)
    assert [point["run_id"] for point in changes["trend"]] == [first.run_id, second.run_id]
    html = (Path(second.out_dir) / "report.html").read_text("utf-8")
    assert "Veranderd sinds de vorige audit" in html and 'id="chart-trend-title"' in html
