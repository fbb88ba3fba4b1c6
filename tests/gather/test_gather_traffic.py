"""The network record of one browser visit: every sub-resource with its HTTP status and
announced size, redirect hops included, and failures named (real Chromium, loopback site)."""

from __future__ import annotations

import asyncio

import pytest

from auditor.gather.browser import BrowserSession, BrowserSettings, find_chromium
from auditor.gather.page_visit import GatherSettings, PageVisitor
from auditor.model import PageStatus
from tests.fixtures.localserver import LocalSite

pytestmark = pytest.mark.browser

PAGE = ("<!doctype html><html lang='nl'><head><title>Verkeer</title><link rel='stylesheet' href='/site.css'>"
        "</head><body><main><h1>Verkeer</h1><img src='/missing.png' alt='weg'><img src='/moved.png' alt='verhuisd'>"
        "<script src='/app.js'></script></main></body></html>")


def test_each_request_is_recorded_with_its_status_and_size():
    site = LocalSite().start()
    try:
        site.add("/", body=PAGE)
        site.add("/site.css", body="body { color: #222 }", content_type="text/css")
        site.add("/app.js", body="window.x = 1;" * 100, content_type="text/javascript")
        site.redirect("/moved.png", "/gone.png", status=302)

        async def visit():
            async with BrowserSession(BrowserSettings(executable=find_chromium())) as session:
                visitor = PageVisitor(await session.new_page(), GatherSettings(run_axe=False), lambda url: False)
                return await visitor.visit(site.url("/"))

        page = asyncio.run(visit())
        base = site.url("/").rstrip("/")
    finally:
        site.stop()
    assert page.status == PageStatus.OK, page.error
    by_path = {record.url.removeprefix(base): record for record in page.requests}
    assert (by_path["/"].status, by_path["/"].resource_type) == (200, "document")
    assert (by_path["/site.css"].status, by_path["/site.css"].size) == (200, len("body { color: #222 }"))
    assert (by_path["/app.js"].status, by_path["/app.js"].size) == (200, len("window.x = 1;" * 100))
    assert by_path["/missing.png"].status == 404
    assert by_path["/moved.png"].status == 302  # the redirect hop, then its target
    assert by_path["/gone.png"].status == 404
    assert all(record.failure == "" or record.failure is None for record in page.requests)
