"""A renderer that crashes mid-page: the page is retried once on a fresh page, then recorded
as ``browser_crash``; the run goes on and no page is lost."""

from __future__ import annotations

import asyncio

import pytest

from auditor.gather.page_visit import PageVisitor
from auditor.model import PageStatus
from auditor.run.run_folder import RunFolder
from auditor.run.site_audit import SiteAudit
from auditor.settings import AuditSettings
from auditor.run.site_config import build_site
from tests.fixtures.fixture_site import build_fixture_site

pytestmark = pytest.mark.browser


@pytest.fixture
def crash_on(monkeypatch):
    """Crash the real renderer (chrome://crash) when a chosen URL is visited, N times."""
    crashes: dict[str, int] = {}
    original = PageVisitor.visit

    async def visit(self, url, *args, **kwargs):
        for suffix, remaining in crashes.items():
            if url.endswith(suffix) and remaining > 0:
                crashes[suffix] = remaining - 1
                try:
                    await self.page.goto("chrome://crash", timeout=5_000)
                except Exception:  # noqa: BLE001 - the crash itself surfaces as an error
                    pass
                for _ in range(100):  # the crash event follows the aborted navigation
                    if self.crashed:
                        break
                    await asyncio.sleep(0.05)
        return await original(self, url, *args, **kwargs)

    monkeypatch.setattr(PageVisitor, "visit", visit)
    return crashes


async def _audit(tmp_path, max_pages=6):
    site_server = build_fixture_site().start()
    try:
        site = build_site([site_server.url("/")])
        settings = AuditSettings(max_pages=max_pages, delay_s=0, concurrency=1)
        report = await SiteAudit(site, settings, RunFolder(tmp_path)).run()
        return report, site_server.url("/")
    finally:
        site_server.stop()


async def test_page_that_crashes_twice_is_recorded_and_the_run_goes_on(crash_on, tmp_path):
    crash_on["/p/1"] = 2
    report, base = await _audit(tmp_path)
    pages = {p.url: p for p in report.pages}
    crashed = pages[base + "p/1"]
    assert crashed.status == PageStatus.BROWSER_CRASH
    assert "crash" in crashed.error.lower()
    # pages after the crash were still audited
    assert sum(p.status == PageStatus.OK for p in report.pages) >= 4
    assert any("crashed twice" in note for note in report.notes)


async def test_page_that_crashes_once_is_retried_and_audited(crash_on, tmp_path):
    crash_on["/p/1"] = 1
    report, base = await _audit(tmp_path)
    pages = {p.url: p for p in report.pages}
    assert pages[base + "p/1"].status == PageStatus.OK
    axe = report.result_for("axe-violations")
    assert axe is not None and axe.pages_evaluated == sum(p.status == PageStatus.OK for p in report.pages)


async def test_a_page_is_replaced_after_a_bounded_number_of_visits(monkeypatch, tmp_path):
    """A reused page's renderer grows with every page it shows: after VISITS_PER_PAGE visits the
    runner closes it and goes on in a fresh page, and no page is lost or visited twice."""
    import auditor.run.site_audit as runner_module

    monkeypatch.setattr(runner_module, "VISITS_PER_PAGE", 2)
    visits_by_page: dict = {}  # keyed by the page itself (kept alive, so never confused with a later one)
    original = PageVisitor.visit

    async def visit(self, url, *args, **kwargs):
        visits_by_page[self.page] = visits_by_page.get(self.page, 0) + 1
        assert not self.page.is_closed()
        return await original(self, url, *args, **kwargs)

    monkeypatch.setattr(PageVisitor, "visit", visit)
    report, _base = await _audit(tmp_path, max_pages=6)
    visited = [p.url for p in report.pages]
    assert len(visited) == len(set(visited)) == sum(visits_by_page.values())
    assert len(visited) >= 5
    assert max(visits_by_page.values()) == 2  # never more than the bound on one page
    assert len(visits_by_page) >= len(visited) // 2
