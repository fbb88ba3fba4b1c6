"""The crawl's Chromium runs without the services an auditor never uses, and switching them
off keeps every feature Playwright itself disables (Chromium honours only the last
--disable-features switch, so ours must carry Playwright's too)."""

from __future__ import annotations

import pytest

from auditor.gather.browser import DISABLED_FEATURES, BrowserSession, BrowserSettings, disable_features_value, find_chromium

pytestmark = pytest.mark.browser


def test_disable_features_value_reads_every_switch():
    line = "chromium --no-sandbox --disable-features=A,B --enable-features=C --disable-features=D --x"
    assert disable_features_value(line) == ["A", "B", "D"]
    assert disable_features_value("chromium --headless") == []


async def test_the_last_disable_features_switch_keeps_playwrights_and_adds_ours():
    async with BrowserSession(BrowserSettings(executable=find_chromium())) as session:
        page = await session.new_page()
        await page.goto("chrome://version")
        words = (await page.inner_text("#command_line")).split()
        switches = [w for w in words if w.startswith("--disable-features=")]
        assert len(switches) >= 2  # Playwright's own, then ours
        effective = set(disable_features_value(switches[-1]))
        assert set(disable_features_value(" ".join(switches[:-1]))) <= effective
        assert set(DISABLED_FEATURES) <= effective
        cdp = await session.browser.new_browser_cdp_session()
        targets = (await cdp.send("Target.getTargets"))["targetInfos"]
        assert not [t["url"] for t in targets if "omnibox-popup" in t["url"]]  # no omnibox WebUI renderer
