"""The mobile pass in real Chromium on local fixture pages: the collector measures the loaded
page at phone width and 320 px, restores the viewport, and each mobile check flags its bad
fixture page and passes the good one."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from auditor.gather.browser import BrowserSession, BrowserSettings, find_chromium
from auditor.gather.collectors import CollectorContext, load_collectors
from auditor.gather.collectors.mobile import PHONE_VIEWPORT, REFLOW_VIEWPORT, SCREENSHOT_MAX_BYTES
from auditor.gather.page_visit import GatherSettings, PageVisitor
from auditor.model import Outcome, PageArtifacts, PageStatus, Site
from checks.mobile import (
    clipped_content,
    legible_text,
    mobile_overflow,
    page_weight,
    reflow_320,
    tap_targets,
    viewport_meta,
)
from checks.registry import CheckContext
from tests.fixtures.localserver import LocalSite
from tests.fixtures.mobile_pages import HERO_SIZE, PAGES, add_mobile_pages

pytestmark = pytest.mark.browser

CONTEXT = CheckContext(site=Site(start_urls=["http://127.0.0.1/"]))
DESKTOP = {"width": 1280, "height": 900}
MOBILE_CHECKS = (reflow_320, mobile_overflow, tap_targets, legible_text, clipped_content, page_weight, viewport_meta)


async def _visit_all(site: LocalSite, evidence_dir: Path, screenshots: bool, paths) -> dict[str, tuple]:
    collectors = tuple(c for c in load_collectors() if c.name == "mobile")
    settings = GatherSettings(collectors=collectors, collector_context=CollectorContext(
        settings={"mobile_screenshots": screenshots}, evidence_dir=str(evidence_dir)))
    visited = {}
    async with BrowserSession(BrowserSettings(executable=find_chromium())) as session:
        visitor = PageVisitor(await session.new_page(), settings, lambda url: False)
        for path in paths:
            artifacts = await visitor.visit(site.url(path))
            visited[path] = (artifacts, dict(visitor.page.viewport_size))
    return visited


@pytest.fixture(scope="module")
def mobile_site():
    site = add_mobile_pages(LocalSite()).start()
    yield site
    site.stop()


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("run")


@pytest.fixture(scope="module")
def visited(mobile_site, run_folder) -> dict[str, tuple]:
    return asyncio.run(_visit_all(mobile_site, run_folder / "evidence", True, PAGES))


def artifacts_of(visited, path: str) -> PageArtifacts:
    artifacts = visited[path][0]
    assert artifacts.status == PageStatus.OK, artifacts.error
    assert artifacts.collector_errors == {}
    return artifacts


def test_the_pass_reuses_the_visit_and_restores_the_viewport(visited, mobile_site):
    for path in PAGES:
        artifacts, viewport_after = visited[path]
        assert viewport_after == DESKTOP, path
        assert mobile_site.hit_count(path, "GET") == 1, path  # no second navigation
        mobile = artifacts_of(visited, path).mobile
        assert (mobile.phone.width, mobile.phone.client_width) == (PHONE_VIEWPORT[0], PHONE_VIEWPORT[0])
        assert (mobile.reflow.width, mobile.reflow.client_width) == (REFLOW_VIEWPORT[0], REFLOW_VIEWPORT[0])
        assert "collector_mobile" in artifacts.timings


def test_every_mobile_check_passes_the_good_page(visited):
    good = artifacts_of(visited, "/good")
    for check in MOBILE_CHECKS:
        result = check(good, CONTEXT)
        assert result.outcome == Outcome.PASS, (result.check_id, result.summary)
    # the inline link in a sentence and the native check box are exempt from the target size
    assert good.mobile.phone.tap_targets == 6 and good.mobile.phone.small_tap_targets_total == 0


@pytest.mark.parametrize("check, path, outcome, selector, seen", [
    (reflow_320, "/fixed", Outcome.FAIL, "body > div.wrapper", "right edge at 1216 px"),
    (reflow_320, "/cut-off", Outcome.FAIL, "body > div.wrapper", "right edge at 1216 px"),
    (reflow_320, "/long-word", Outcome.FAIL, "body > main > h1", "right edge at"),  # text, not a box
    (mobile_overflow, "/fixed", Outcome.FAIL, "body > div.wrapper", "page 1216 px wide in a 412 px viewport"),
    (mobile_overflow, "/no-viewport", Outcome.FAIL, 'meta[name="viewport"]', "no viewport meta"),
    (viewport_meta, "/no-viewport", Outcome.FAIL, 'meta[name="viewport"]', ""),
    (viewport_meta, "/no-zoom", Outcome.WARNING, 'meta[name="viewport"]', "user-scalable=no"),
    (tap_targets, "/tiny-links", Outcome.FAIL, "body > footer > div.social > a.icon:nth-of-type(1)", "16×16 px"),
    (legible_text, "/tiny-font", Outcome.FAIL, "header > nav > ul > li:nth-of-type(1) > a", "font size 10 px"),
    (clipped_content, "/clipped", Outcome.FAIL, "body > div.teaser", "text cut off (vertical) at 412 px"),
    (page_weight, "/heavy", Outcome.FAIL, "", "1.8 MB in"),
])
def test_each_check_flags_its_bad_page_with_the_proof(visited, check, path, outcome, selector, seen):
    result = check(artifacts_of(visited, path), CONTEXT)
    assert result.outcome == outcome, result.summary
    evidence = [e for f in result.findings for e in f.evidence]
    assert any(e.selector == selector and seen in (e.value + e.snippet) for e in evidence), evidence


def test_heavy_page_names_the_oversized_image_and_measures_timings(visited):
    heavy = artifacts_of(visited, "/heavy")
    result = page_weight(heavy, CONTEXT)
    image = next(f for f in result.findings if f.rule == "oversized-image").evidence[0]
    assert image.selector == "body > main > img" and image.snippet.endswith("/hero.bmp")
    assert f"{HERO_SIZE[0]}×{HERO_SIZE[1]} file shown at 200×120 px (5.0× wider)" in image.value
    assert heavy.mobile.weight.largest[0].url.endswith("/hero.bmp")
    assert heavy.mobile.weight.lcp_ms is not None and heavy.mobile.weight.lcp_ms > 0
    assert result.details["ttfb_ms"] is not None and result.details["load_ms"] is not None


def test_screenshots_only_for_pages_that_overflow_or_cut_text(visited, run_folder):
    assert artifacts_of(visited, "/good").mobile.phone.screenshot == ""
    for path in ("/fixed", "/clipped"):
        shot = artifacts_of(visited, path).mobile.phone.screenshot
        assert shot.startswith("evidence/mobile/") and shot.endswith("-412.jpg")
        data = (run_folder / shot).read_bytes()
        assert data[:2] == b"\xff\xd8" and len(data) <= SCREENSHOT_MAX_BYTES
    finding = mobile_overflow(artifacts_of(visited, "/fixed"), CONTEXT).findings[0]
    assert finding.evidence[0].screenshot == artifacts_of(visited, "/fixed").mobile.phone.screenshot


def test_no_screenshot_without_the_flag(mobile_site, tmp_path):
    result = asyncio.run(_visit_all(mobile_site, tmp_path / "evidence", False, ["/fixed"]))
    artifacts = result["/fixed"][0]
    assert artifacts.mobile.phone.horizontal_overflow > 0
    assert artifacts.mobile.phone.screenshot == "" and not (tmp_path / "evidence").exists()


RESIZE_HANDLER_PAGE = (
    "<!doctype html><html lang='nl'><head><title>Breed na resize</title></head><body><main><h1>Resize</h1>"
    "<div id='wide' style='width:10px;height:10px'></div>"
    "<script>addEventListener('resize', () => {"
    " document.getElementById('wide').style.width = innerWidth < 500 ? '900px' : '10px'; });</script>"
    "</main></body></html>")


@pytest.mark.parametrize("frame_wait_ms", [100, 0])
def test_the_page_resize_handlers_run_before_measuring_with_or_without_a_frame(tmp_path, monkeypatch, frame_wait_ms):
    """A layout made by script on resize is measured at phone width, also when the animation frame
    after the resize does not come in time (0 ms: the pass's own resize event runs the handler)."""
    from auditor.gather.collectors import mobile

    monkeypatch.setattr(mobile, "FRAME_WAIT_MS", frame_wait_ms)
    site = LocalSite().start()
    try:
        site.add("/resize", body=RESIZE_HANDLER_PAGE)
        artifacts = asyncio.run(_visit_all(site, tmp_path / "evidence", False, ["/resize"]))["/resize"][0]
    finally:
        site.stop()
    assert artifacts.status == PageStatus.OK and artifacts.collector_errors == {}
    assert artifacts.mobile.phone.scroll_width >= 900  # the handler widened the element at 412 px
    assert artifacts.mobile.reflow.scroll_width >= 900
