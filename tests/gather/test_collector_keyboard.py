"""The keyboard collector tabs through a real page, tells visible from invisible focus, and
leaves the page as it found it for the collectors after it."""

from __future__ import annotations

import pytest

from auditor.gather.browser import BrowserSession, BrowserSettings, find_chromium
from auditor.gather.collectors import CollectorContext
from auditor.gather.collectors.keyboard import collect_keyboard
from auditor.gather.page_visit import GatherSettings, PageVisitor
from auditor.model import PageArtifacts

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html lang="nl"><head><title>Focus</title><style>
#geen:focus { outline: none; }
#schaduw:focus { outline: none; box-shadow: 0 0 0 3px #005fcc; transition: box-shadow 2s; }
li:focus-within { background: #ffd; } #ouder a:focus { outline: none; }
</style></head><body style="height:3000px">
<a id="standaard" href="/a">Standaard</a>
<a id="geen" href="/b">Geen focus</a>
<button id="schaduw">Schaduw</button>
<ul><li id="ouder"><a href="/c">Ouder kleurt</a></li></ul>
</body></html>"""


async def test_tabbing_tells_visible_from_invisible_focus_and_restores_the_page(local_site):
    local_site.add("/", body=PAGE)
    async with BrowserSession(BrowserSettings(executable=find_chromium())) as session:
        page = await session.new_page()
        visitor = PageVisitor(page, GatherSettings(run_axe=False), lambda url: False)
        await visitor.visit(local_site.url("/"))
        artifacts = PageArtifacts(url=local_site.url("/"))
        await collect_keyboard(page, artifacts, CollectorContext(settings={"keyboard_max_tabs": 10}))
        state = await page.evaluate("""() => [!!document.getElementById('__auditor_keyboard_style'),
            document.activeElement === document.body, window.scrollY, typeof window.__auditorFocus]""")
    visible = {step.selector: step.visible_change for step in artifacts.keyboard.steps}
    assert visible == {"#standaard": True, "#geen": False, "#schaduw": True, "#ouder > a": True}
    assert state == [False, True, 0, "undefined"]
    assert artifacts.keyboard.stopped_reason == "focus_left_page"
