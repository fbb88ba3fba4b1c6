"""XSS end to end: a site whose titles, alt texts, link texts, attributes and URLs carry script
payloads is audited for real; its HTML report, opened in Chromium, runs none of them and shows
the payload text escaped. Its CSV and XLSX cells never start a formula."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from auditor.cli.main import main
from tests.fixtures.hostile_browser_sites import FORMULA, XSS, XSS_ATTR, XSS_SINGLE, xss_site
from tests.reports.test_report_browser import CHROMIUM_ARGS, _chromium_path

pytestmark = pytest.mark.browser

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def xss_audit(tmp_path_factory):
    out = tmp_path_factory.mktemp("xss") / "out"
    with xss_site() as site:
        result = CliRunner().invoke(main, ["audit", site.url("/"), "--out", str(out), "--max-pages", "5",
                                           "--delay", "0", "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def _open_and_watch(path):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=_chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(path.as_uri())
            # open every <details> and hover nothing: content hidden behind toggles is rendered too
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            page.wait_for_timeout(300)
            pwned = page.evaluate("typeof window.__pwned === 'undefined' ? null : window.__pwned")
            text = page.inner_text("body")
            # elements that exist only if a payload was parsed as markup
            injected = page.evaluate("document.querySelectorAll('img[src=\"x\"], svg[onload], [onerror]').length")
        finally:
            browser.close()
    return dialogs, pwned, text, injected


def test_html_report_runs_no_payload_and_shows_it_as_text(xss_audit):
    report = json.loads((xss_audit / "result.json").read_text(encoding="utf-8"))
    titles = [p["title"] for p in report["pages"]]
    assert any(XSS in t for t in titles), titles  # the payload really reached the report data
    html_path = next(xss_audit.glob("*.html"))
    dialogs, pwned, text, injected = _open_and_watch(html_path)
    assert dialogs == [] and pwned is None
    assert injected == 0
    assert XSS in text and XSS_ATTR in text  # visible as text, escaped


def test_csv_and_xlsx_cells_never_start_a_formula(xss_audit):
    pd = pytest.importorskip("pandas")
    checked = 0
    for path in xss_audit.glob("*.csv"):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    assert not cell.startswith(FORMULA_STARTS), (path.name, cell)
                    checked += "HYPERLINK" in cell
    for path in xss_audit.glob("*.xlsx"):
        for sheet in pd.read_excel(path, sheet_name=None, dtype=str).values():
            for cell in sheet.fillna("").to_numpy().ravel():
                assert not str(cell).startswith(FORMULA_STARTS), (path.name, cell)
                checked += "HYPERLINK" in str(cell)
    assert checked, "the formula payload should reach at least one exported cell"


def test_portfolio_html_runs_no_payload_from_site_names(tmp_path):
    from reports.portfolio import write_portfolio_html

    rows = [{"site": XSS, "organisation": XSS_ATTR, "kind": XSS_SINGLE, "overall_score": 50.0,
             "score_" + XSS_SINGLE: 10.0, "run_id": XSS_ATTR, "started_at": FORMULA, "assessable": True}]
    path = write_portfolio_html(rows, tmp_path / "portfolio.html", title=XSS)
    dialogs, pwned, text, injected = _open_and_watch(path)
    assert dialogs == [] and pwned is None and injected == 0
    assert XSS in text and XSS_ATTR in text and XSS_SINGLE in text
