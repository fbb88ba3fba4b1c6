"""The fleet database, leases, history/diff, portfolio exports and schedules, without a browser."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from auditor.shared.paths import config_path
from auditor.fleet.scan import settings_from_json, settings_to_json, start_scan
from auditor.fleet.history import HistoryError, diff_runs, latest_two_runs, portfolio_rows, score_trend
from auditor.model import (CheckResult, Coverage, CriterionScore, Finding, Method, Outcome, PageStatus, PageSummary,
                           PrincipleScore, Severity, SiteReport)
from auditor.fleet.schedule import ScheduleError, cron_matcher, load_schedules, start_due_scans
from auditor.settings import AuditSettings
from auditor.fleet.sitelist import parse_site_list
from auditor.fleet.store import Store, StoreError
from auditor.fleet.store.models import Base
from reports.diff_report import diff_to_dict, render_diff_text
from reports.portfolio import write_portfolio_csv, write_portfolio_html, write_portfolio_xlsx

SITES = """\
[[site]]
id = "alfa"
organisation = "Gemeente Alfa"
start_urls = ["https://alfa.example/"]

[[site]]
id = "bravo"
organisation = "=HYPERLINK(\\"http://evil.example\\") <script>"
start_urls = ["https://bravo.example/"]
"""


@pytest.fixture
def store(tmp_path):
    opened = Store.open(f"sqlite:///{tmp_path / 'fleet.db'}")
    yield opened
    opened.close()


def entries():
    return parse_site_list(SITES, "sites.toml")


def finding(fingerprint: str, occurrences: int = 1, outcome=Outcome.FAIL) -> Finding:
    check, rule = fingerprint.split(":")[:2]
    return Finding(check_id=check, rule=rule, outcome=outcome, title=f"{rule} problem", fingerprint=fingerprint,
                   severity=Severity.SERIOUS, occurrences=occurrences, pages=["https://alfa.example/"])


def report(run_id: str, findings: list[Finding], score: float, axe: str = "4.12.1", day: int = 1) -> SiteReport:
    site = entries()[0].site
    started = datetime(2026, 11, day, 6, 0, tzinfo=timezone.utc)
    outcome = Outcome.FAIL if findings else Outcome.PASS
    return SiteReport(
        run_id=run_id, site=site, started_at=started, finished_at=started + timedelta(minutes=3),
        method=Method(tool_version="0.1.0", framework_id="dds", framework_version="2022.1", axe_version=axe,
                      settings={"max_pages": 3}),
        coverage=Coverage(pages_visited=2, pages_ok=2), overall_score=score,
        principles=[PrincipleScore(principle_id="P1", name="Standaard digitaal", score=score)],
        criteria=[CriterionScore(criterion_id="P1-G-01", principle_id="P1", title="Toegankelijk", kind="user",
                                 automation="automated", score=score, outcome=outcome)],
        results=[CheckResult(check_id="axe-violations", outcome=outcome, score=score, findings=findings)],
        pages=[PageSummary(url="https://alfa.example/", status=PageStatus.OK, http_status=200, title="Alfa")],
    )


def test_migrations_create_exactly_the_models(store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with store.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    # opening again runs no migration twice
    Store.open(str(store.engine.url)).close()


def test_bad_database_url_is_one_line():
    with pytest.raises(StoreError, match="not a database URL|cannot open database"):
        Store.open("nosuchdb://x/y")


def test_scan_sites_are_claimed_once_and_never_redone(store, tmp_path):
    scan_id = start_scan(store, entries(), AuditSettings(max_pages=3), tmp_path / "out", source="sites.toml")
    assert [(r.site_key, r.status) for r in store.scan_sites(scan_id)] == [("alfa", "pending"), ("bravo", "pending")]
    assert store.claim_site(scan_id, "alfa", "host:1:a", 60) == "claimed"
    assert store.claim_site(scan_id, "alfa", "host:2:b", 60) == "locked"  # one site, one worker
    store.complete_site(scan_id, "alfa", "host:1:a", report("run1", [finding("axe-violations:image-alt:abc")], 0.5),
                        str(tmp_path / "out" / "alfa" / "run1"))
    assert store.claim_site(scan_id, "alfa", "host:2:b", 60) == "done"  # completed: never redone
    assert store.scan_site(scan_id, "alfa").run_id == "run1"
    assert not store.finish_scan_if_complete(scan_id)
    # the settings travel with the scan, so every worker audits alike
    assert settings_from_json(store.get_scan(scan_id).settings).max_pages == 3
    assert settings_to_json(settings_from_json(settings_to_json(AuditSettings(resolve={("a.be", 443): "127.0.0.1"})))
                            )["resolve"] == ["a.be:443:127.0.0.1"]


def test_a_lease_of_a_dead_process_or_past_its_expiry_is_taken_over(store, tmp_path):
    import socket

    scan_id = start_scan(store, entries(), AuditSettings(), tmp_path)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_owner = f"{socket.gethostname()}:{gone.stdout.strip()}:x"
    assert store.claim_site(scan_id, "alfa", dead_owner, 600) == "claimed"
    assert store.abandoned_sites() == [(scan_id, "alfa")]
    assert store.claim_site(scan_id, "alfa", "other-host:1:z", 600) == "claimed"  # the dead holder lost it
    assert store.claim_site(scan_id, "bravo", "other-host:2:y", 30) == "claimed"
    assert store.claim_site(scan_id, "bravo", "other-host:3:w", 30) == "locked"
    later = datetime.now(timezone.utc) + timedelta(seconds=31)
    assert (scan_id, "bravo") in store.abandoned_sites(later)
    store.reset_to_pending(scan_id, "bravo", "worker stopped")
    assert store.scan_site(scan_id, "bravo").status == "pending"


def test_history_and_diff_by_fingerprint(store, tmp_path):
    scan_id = start_scan(store, entries()[:1], AuditSettings(), tmp_path)
    store.claim_site(scan_id, "alfa", "h:1:a", 60)
    store.complete_site(scan_id, "alfa", "h:1:a", report("run1", [
        finding("axe-violations:image-alt:abc", 3), finding("axe-violations:color-contrast:def", 2)], 0.5, day=1), "")
    store.complete_site(None, "alfa", "h:1:a", report("run2", [
        finding("axe-violations:color-contrast:def", 5), finding("axe-violations:label:123")], 0.7, day=2), "")
    store.complete_site(None, "alfa", "h:1:a", report("run3", [], 0.9, axe="4.13.0", day=3), "")

    trend = score_trend(store, "alfa")
    assert [(p.run_id, p.score, p.findings) for p in trend] == [("run1", 0.5, 2), ("run2", 0.7, 2), ("run3", 0.9, 0)]
    assert latest_two_runs(store, "alfa") == ("run2", "run3")

    diff = diff_runs(store, "run1", "run2")
    assert [c.fingerprint for c in diff.new] == ["axe-violations:label:123"]
    assert [c.fingerprint for c in diff.fixed] == ["axe-violations:image-alt:abc"]
    assert [(c.fingerprint, c.occurrences_before, c.occurrences_after) for c in diff.persisting] == [
        ("axe-violations:color-contrast:def", 2, 5)]
    assert diff.same_method
    overall = next(c for c in diff.score_changes if c.level == "overall")
    assert (overall.before, overall.after) == (0.5, 0.7)
    text = render_diff_text(diff)
    assert "New findings: 1 · fixed: 1 · persisting: 1" in text and "WARNING" not in text
    assert "Overall score: 50 → 70 (+20)" in text

    changed_method = diff_runs(store, "run2", "run3")
    assert changed_method.method_differences == ["axe-core: 4.12.1 → 4.13.0"]
    assert "WARNING: the two runs were made with a different method" in render_diff_text(changed_method)
    data = diff_to_dict(changed_method)
    assert data["same_method"] is False and data["counts"] == {"new": 0, "fixed": 2, "persisting": 0}

    with pytest.raises(HistoryError, match="no run 'nope'"):
        diff_runs(store, "run1", "nope")
    with pytest.raises(HistoryError, match="no site 'zulu'"):
        score_trend(store, "zulu")


def test_portfolio_exports_guard_hostile_text(store, tmp_path):
    scan_id = start_scan(store, entries(), AuditSettings(), tmp_path)
    for key, run_id in (("alfa", "ra"), ("bravo", "rb")):
        store.claim_site(scan_id, key, "h:1:a", 60)
        store.complete_site(scan_id, key, "h:1:a", report(run_id, [finding("axe-violations:image-alt:abc")], 0.42), "")
    store.complete_site(None, "alfa", "h:1:a", report("ra2", [], 0.8, day=5), "")
    rows = portfolio_rows(store)
    assert [(r["site"], r["run_id"], r["overall_score"]) for r in rows] == [("alfa", "ra2", 80.0), ("bravo", "rb", 42.0)]
    assert rows[1]["findings_fail"] == 1 and rows[1]["score_P1"] == 42.0

    with open(write_portfolio_csv(rows, tmp_path / "p.csv"), encoding="utf-8-sig") as handle:
        read = list(csv.DictReader(handle))
    assert read[1]["organisation"].startswith("'=HYPERLINK")
    import pandas as pd

    semicolon = write_portfolio_csv(rows, tmp_path / "p-nl.csv", sep=";")
    assert ";42,0" in semicolon.read_text(encoding="utf-8-sig")  # decimal comma for Belgian Excel
    frame = pd.read_csv(semicolon, sep=";", decimal=",", encoding="utf-8-sig")
    assert list(frame["overall_score"]) == [80.0, 42.0] and frame.loc[1, "score_P1"] == 42.0
    from openpyxl import load_workbook

    sheet = load_workbook(write_portfolio_xlsx(rows, tmp_path / "p.xlsx")).active
    assert sheet["A1"].value == "site" and sheet.max_row == 3
    assert sheet.title == "portfolio" and sheet.freeze_panes == "B2" and sheet.auto_filter.ref.startswith("A1:")
    assert not str(sheet["B3"].value).startswith("=")
    page = write_portfolio_html(rows, tmp_path / "p.html", lang="en").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert '<html lang="en">' in page and "<caption " in page and 'scope="col"' in page


def test_cron_matching_with_controlled_time():
    weekly = cron_matcher("0 3 * * 1")
    assert weekly(datetime(2026, 11, 30, 3, 0))  # a Monday
    assert not weekly(datetime(2026, 11, 30, 3, 1))
    assert not weekly(datetime(2026, 12, 1, 3, 0))  # a Tuesday
    assert cron_matcher("*/15 8-17 * * *")(datetime(2026, 1, 1, 9, 45))
    for bad in ("0 3 * *", "61 * * * *", "x * * * *"):
        with pytest.raises(ValueError):
            cron_matcher(bad)


def test_schedule_fires_once_per_slot(store, tmp_path):
    (tmp_path / "sites.toml").write_text(SITES, encoding="utf-8")
    (tmp_path / "schedules.toml").write_text(
        '[[schedule]]\nname = "weekly"\ncron = "0 3 * * 1"\nsites = "sites.toml"\nout = "out"\nmax_pages = 4\n',
        encoding="utf-8")
    schedules = load_schedules(tmp_path / "schedules.toml")
    queued: list[tuple[str, str]] = []
    enqueue = lambda scan_id, key: queued.append((scan_id, key))  # noqa: E731
    assert start_due_scans(store, schedules, datetime(2026, 11, 30, 2, 59), enqueue) == []
    (scan_id,) = start_due_scans(store, schedules, datetime(2026, 11, 30, 3, 0), enqueue)
    assert queued == [(scan_id, "alfa"), (scan_id, "bravo")]
    # a second worker seeing the same slot starts nothing
    assert start_due_scans(store, schedules, datetime(2026, 11, 30, 3, 0), enqueue) == []
    scan = store.get_scan(scan_id)
    assert scan.trigger == "schedule:weekly@2026-11-30T03:00"
    assert scan.out_root == str((tmp_path / "out").resolve())
    assert settings_from_json(scan.settings).max_pages == 4
    assert start_due_scans(store, schedules, datetime(2026, 12, 7, 3, 0), enqueue) != []  # next Monday


def test_schedule_file_errors_name_the_line(tmp_path):
    path = tmp_path / "schedules.toml"
    path.write_text('[[schedule]]\nname = "a"\ncron = "0 3 * * 1"\nsites = "s.toml"\n\n'
                    '[[schedule]]\nname = "b"\ncron = "0 3 * *"\nsites = "s.toml"\n', encoding="utf-8")
    with pytest.raises(ScheduleError, match=r"schedules.toml:6: a cron expression has 5 fields"):
        load_schedules(path)
    path.write_text('[[schedule]]\nname = "a"\ncron = "0 3 * * 1"\nsites = "s.toml"\nmax_pages = "x"\n')
    with pytest.raises(ScheduleError, match=r"schedules.toml:1: max_pages must be a number"):
        load_schedules(path)


def test_example_schedules_load():

    schedules = load_schedules(config_path("schedules.example.toml"))
    assert [s.name for s in schedules] == ["gemeenten-wekelijks", "agentschappen-maandelijks"]
    assert all(s.sites.is_file() for s in schedules)
