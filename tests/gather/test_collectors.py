"""Page collectors share the one visit; a failing collector is recorded, never fatal."""

from __future__ import annotations

import pytest

from auditor.gather.browser import BrowserSession, BrowserSettings, find_chromium
from auditor.gather.collectors import Collector, CollectorContext
from auditor.gather.page_visit import GatherSettings, PageVisitor
from auditor.model import PageStatus
from tests.fixtures.fixture_site import html_page

pytestmark = pytest.mark.browser


async def test_collectors_run_in_order_on_the_loaded_page_and_failures_are_recorded(local_site):
    local_site.add("/", body=html_page("Start", "<p>Welkom</p>"))
    seen: list[str] = []

    async def read_title(page, artifacts, context):
        seen.append(await page.title())

    async def broken(page, artifacts, context):
        raise ValueError("kapot")

    collectors = (Collector("title", 1, read_title), Collector("broken", 2, broken))
    settings = GatherSettings(collectors=collectors, collector_context=CollectorContext())
    async with BrowserSession(BrowserSettings(executable=find_chromium())) as session:
        visitor = PageVisitor(await session.new_page(), settings, lambda url: False)
        artifacts = await visitor.visit(local_site.url("/"))
    assert artifacts.status == PageStatus.OK
    assert seen == ["Start"]
    assert artifacts.collector_errors == {"broken": "ValueError: kapot"}
    assert "collector_title" in artifacts.timings and local_site.hit_count("/", "GET") == 1
