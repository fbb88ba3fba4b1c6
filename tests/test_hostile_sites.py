"""Reliability: one real audit (``auditor audit`` in real Chromium) of a local site full of
hostile pages, and one of a site whose robots.txt closes everything. Each hostile page gets an
honest outcome in the saved artifacts, the ordinary pages are still audited, the run completes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import EXIT_ERROR, main
from tests.hostile_sites import LATIN_TITLE, build_hostile_site, build_robots_closed_site

pytestmark = pytest.mark.browser

MAX_PAGES = 14  # home + 8 linked pages + 5 calendar days: the trap is cut by the page budget


def audit(site, out: Path, max_pages: int = MAX_PAGES, start_url: str = "", extra: tuple[str, ...] = ()):
    args = ["audit", start_url or site.url("/"), "--out", str(out), "--max-pages", str(max_pages), "--delay", "0",
            "--quiet", "--no-mobile", "--consent-pages", "-1", "--page-timeout", "10", "--time-budget", "120",
            *extra]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    report = json.loads((out / "result.json").read_text(encoding="utf-8"))
    artifacts = json.loads((out / "artifacts" / "site.json").read_text(encoding="utf-8"))
    return result, report, artifacts


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    site = build_hostile_site()
    with site:
        result, report, artifacts = audit(site, tmp_path_factory.mktemp("hostile") / "out")
        hits, origin = site.hits, site.url("/").rstrip("/")
    pages = {page["url"].removeprefix(origin): page for page in artifacts["pages"]}
    return result, report, artifacts, pages, hits


def hit_count(hits, path: str) -> int:
    return sum(1 for method, p in hits if method == "GET" and p == path)


def test_run_completes_and_ordinary_pages_are_audited(hostile_run):
    result, report, _, pages, _ = hostile_run
    assert result.exit_code == 0, result.output
    assert not report["partial"]
    for path in ("/", "/gewoon-1", "/gewoon-2"):
        assert pages[path]["status"] == "ok" and pages[path]["title"], (path, pages[path])


def test_redirect_loop_is_recorded_with_its_reason(hostile_run):
    _, _, _, pages, _ = hostile_run
    loop = pages["/lus"]
    assert loop["status"] == "too_many_redirects"
    assert "REDIRECT" in loop["error"].upper()


def test_failed_navigation_does_not_spoil_the_next_visits(hostile_run):
    """Chromium's error page after the loop used to interrupt every later visit of that tab."""
    _, _, _, pages, _ = hostile_run
    interrupted = [p for p, page in pages.items() if "interrupted by another navigation" in page["error"]]
    assert interrupted == []


@pytest.mark.parametrize("path, title", [
    ("/druk", "Druk maar bereikbaar"),  # 429 with Retry-After: 1 on the first hit
    ("/hapert", "Hersteld"),  # 500 on the first hit
])
def test_refused_once_is_retried_and_audited(hostile_run, path, title):
    _, _, _, pages, hits = hostile_run
    assert hit_count(hits, path) == 2
    assert pages[path]["status"] == "ok" and pages[path]["title"] == title


def test_403_is_blocked_never_a_failure(hostile_run):
    _, report, artifacts, pages, _ = hostile_run
    assert pages["/verboden"]["status"] == "blocked" and pages["/verboden"]["http_status"] == 403
    assert not any(link["url"].endswith("/verboden") for link in artifacts["broken_links"])
    broken = next(r for r in report["results"] if r["check_id"] == "broken-links")
    assert "/verboden" not in json.dumps(broken)


def test_broken_html_is_audited_without_crash(hostile_run):
    _, _, _, pages, _ = hostile_run
    assert pages["/kapot"]["status"] == "ok" and pages["/kapot"]["title"] == "Kapot"


def test_windows_1252_title_is_decoded(hostile_run):
    _, _, _, pages, _ = hostile_run
    assert pages["/cp1252"]["status"] == "ok"
    assert pages["/cp1252"]["title"] == LATIN_TITLE == "Café Ré"


def test_calendar_trap_stops_at_the_page_budget(hostile_run):
    _, _, artifacts, pages, hits = hostile_run
    assert len(artifacts["pages"]) == MAX_PAGES
    days = [p for p in pages if p.startswith("/cal?d=")]
    assert len(days) == MAX_PAGES - 9
    assert {s["reason"] for s in artifacts["skipped"] if "/cal?d=" in s["url"]} == {"page_budget"}
    assert sum(1 for _, p in hits if p.startswith("/cal?d=")) == len(days)


def test_robots_closed_site_is_reported_without_a_page_or_a_fail(tmp_path):
    site = build_robots_closed_site()
    with site:
        result, report, artifacts = audit(site, tmp_path / "out")
        hits, home = site.hits, site.url("/")
    assert result.exit_code == EXIT_ERROR  # a one-line error, not a traceback
    assert "nothing could be audited: robots.txt" in result.output
    assert "robots.txt disallows every page" in " ".join(report["notes"])
    assert artifacts["pages"] == []
    assert [(s["url"], s["reason"]) for s in artifacts["skipped"]] == [(home, "robots_disallowed")]
    # obeyed by the site probes too: only robots.txt itself was requested
    assert hits == [("GET", "/robots.txt")]
    assert [r["check_id"] for r in report["results"] if r["outcome"] == "fail"] == []
