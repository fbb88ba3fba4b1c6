"""portfolio.html opened in a real Chromium: accessible (axe WCAG 2.1 AA), the kind filter
and audience filters work with JavaScript switched off, and a phone's width needs no page-level horizontal scroll."""

from __future__ import annotations

import pytest

from auditor.fleet.history import common_findings, portfolio_rows, principle_names
from auditor.fleet.store import Store
from reports.portfolio import write_portfolio_html
from tests.fixtures.portfolio_fixtures import fill_portfolio_store
from tests.reports.test_report_browser import _open, assert_no_axe_violations, browser, tab_through  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def portfolio_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("portfolio")
    store = Store.open(f"sqlite:///{folder / 'fleet.db'}")
    try:
        fill_portfolio_store(store, folder / "runs")
        rows, common = portfolio_rows(store), common_findings(store)
    finally:
        store.close()
    return {lang: write_portfolio_html(rows, folder / f"portfolio-{lang}.html", title="Portfolio", common=common,
                                       lang=lang, principle_names=principle_names(rows, lang)) for lang in ("en", "nl")}


def _visible_sites(page) -> list[str]:
    return [row.locator("th").inner_text() for row in page.locator("table.league tbody tr").all() if row.is_visible()]


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("width", [1280, 320])
def test_portfolio_has_no_axe_violations(browser, portfolio_files, lang, width):  # noqa: F811
    assert_no_axe_violations(browser, portfolio_files[lang], width)


def test_kind_filter_works_without_javascript(browser, portfolio_files):  # noqa: F811
    context, page, requests = _open(browser, portfolio_files["en"], java_script_enabled=False)
    try:
        assert _visible_sites(page) == ["alfa", "charlie", "bravo", "delta"]
        page.get_by_label("Municipality", exact=True).check()
        assert _visible_sites(page) == ["alfa", "delta"]
        page.get_by_label("Province", exact=True).check()
        assert _visible_sites(page) == ["bravo"]
        page.get_by_label("All kinds", exact=True).check()
        assert _visible_sites(page) == ["alfa", "charlie", "bravo", "delta"]
        assert requests == [portfolio_files["en"].as_uri()]  # self-contained
    finally:
        context.close()


def test_audience_filter_works_without_javascript_and_with_the_kind_filter(browser, portfolio_files):  # noqa: F811
    context, page, requests = _open(browser, portfolio_files["en"], java_script_enabled=False)
    try:
        page.get_by_label("Entrepreneurs", exact=True).check()
        assert _visible_sites(page) == ["alfa", "charlie"]
        page.get_by_label("Citizens", exact=True).check()
        assert _visible_sites(page) == ["alfa", "bravo"]
        # both filters at once: citizens among municipalities
        page.get_by_label("Municipality", exact=True).check()
        assert _visible_sites(page) == ["alfa"]
        page.get_by_label("Associations", exact=True).check()
        assert _visible_sites(page) == ["delta"]
        page.get_by_label("All audiences", exact=True).check()
        page.get_by_label("All kinds", exact=True).check()
        assert _visible_sites(page) == ["alfa", "charlie", "bravo", "delta"]
        assert requests == [portfolio_files["en"].as_uri()]
    finally:
        context.close()


def test_keyboard_reaches_the_filters_and_the_tables_in_order(browser, portfolio_files):  # noqa: F811
    context, page, _ = _open(browser, portfolio_files["en"])
    try:
        # a radio group is one Tab stop (its checked radio); arrows move inside it
        assert tab_through(page, 6) == [
            ("a", "Skip to content"), ("input", "All kinds"), ("input", "All audiences"),
            ("div", "League table by overall score"), ("a", "ra"), ("div", "Findings shared by the most sites")]
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")  # back on the kind filter
        page.keyboard.press("ArrowDown")
        assert page.get_by_label("Municipality", exact=True).is_checked()
        assert _visible_sites(page) == ["alfa", "delta"]
        page.keyboard.press("Tab")
        page.keyboard.press("ArrowDown")  # audience: citizens, together with the kind
        assert page.get_by_label("Citizens", exact=True).is_checked()
        assert _visible_sites(page) == ["alfa"]
        page.locator(".skip-link").focus()
        page.keyboard.press("Enter")
        assert page.evaluate("() => [location.hash, document.activeElement.id]") == ["#main", "main"]
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_portfolio_no_horizontal_overflow_at_320px(browser, portfolio_files, lang):  # noqa: F811
    context, page, _ = _open(browser, portfolio_files[lang], width=320)
    try:
        widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1] + 2, widths
        # the wide league table scrolls inside its own focusable region instead
        assert page.evaluate("() => document.querySelector('.table-wrap').scrollWidth > 320")
    finally:
        context.close()
