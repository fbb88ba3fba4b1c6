"""The HTML report opened in a real Chromium: accessible (axe), self-contained, responsive,
readable without JavaScript, and usable by keyboard (Tab reaches the controls in document order,
each with a visible focus outline)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reports.html_report import write_html
from tests.fixtures.sample_report import not_assessable_report, sample_report

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic"]


def _chromium_path() -> str | None:
    for candidate in (os.environ.get("AUDITOR_CHROMIUM"), "/usr/lib/chromium/chromium",
                      shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    path = _chromium_path()
    with sync_api.sync_playwright() as pw:
        try:
            launched = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        except Exception as exc:  # no browser on this machine
            pytest.skip(f"Chromium not available: {exc}")
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def report_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    return {
        "sample-nl": write_html(sample_report(), folder / "sample-nl.html", lang="nl"),
        "sample-en": write_html(sample_report(), folder / "sample-en.html", lang="en"),
        "blocked-nl": write_html(not_assessable_report(), folder / "blocked-nl.html"),
    }


def _open(browser, path: Path, width: int = 1280, **context_options):
    context = browser.new_context(viewport={"width": width, "height": 900}, **context_options)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    # nothing may leave the page: refuse every request except the file itself
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url == path.as_uri() else route.abort(),
    )
    page = context.new_page()
    page.goto(path.as_uri())
    return context, page, requests


def _axe_violations(page) -> list[dict]:
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        """async (tags) => await axe.run(document, {
               runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        AXE_TAGS,
    )
    return result["violations"]


def _describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in violations
    )


@pytest.mark.parametrize("name", ["sample-nl", "sample-en", "blocked-nl"])
@pytest.mark.parametrize("width", [1280, 320])
def test_report_has_no_axe_violations(browser, report_files, name, width):
    assert_no_axe_violations(browser, report_files[name], width)


def assert_no_axe_violations(browser, path: Path, width: int) -> None:
    """The page at ``path``, opened ``width`` pixels wide, has no WCAG 2.1 AA violations."""
    context, page, _ = _open(browser, path, width=width)
    try:
        violations = _axe_violations(page)
        assert violations == [], _describe(violations)
    finally:
        context.close()


@pytest.mark.parametrize("name", ["sample-nl", "blocked-nl"])
def test_report_is_self_contained(browser, report_files, name):
    path = report_files[name]
    context, page, requests = _open(browser, path)
    try:
        page.wait_for_load_state("load")
        assert requests == [path.as_uri()]
        # no element points at another resource either
        external = page.evaluate(
            """() => [...document.querySelectorAll('[src], link[href], object, embed, iframe')]
                   .map(e => e.outerHTML)"""
        )
        assert external == []
    finally:
        context.close()


@pytest.mark.parametrize("name", ["sample-nl", "sample-en", "blocked-nl"])
def test_no_horizontal_overflow_at_320px(browser, report_files, name):
    context, page, _ = _open(browser, report_files[name], width=320)
    try:
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1] + 2, widths
    finally:
        context.close()


def test_readable_without_javascript(browser, report_files):
    context, page, _ = _open(browser, report_files["sample-nl"], java_script_enabled=False)
    try:
        assert page.locator(".overall-value").inner_text() == "74%"
        table = page.locator("#principles-caption").locator("xpath=..")
        assert "Gebruiker centraal" in table.inner_text()
        assert "66%" in table.inner_text()
        assert page.locator("h1").is_visible()
        assert page.locator("svg.chart").first.is_visible()
    finally:
        context.close()


def test_keyboard_skip_link(browser, report_files):
    context, page, _ = _open(browser, report_files["sample-nl"])
    try:
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.textContent")
        assert focused == "Ga naar de inhoud"
        assert page.locator(".skip-link").is_visible()
        page.keyboard.press("Enter")
        assert page.evaluate("() => location.hash") == "#main"
    finally:
        context.close()


# what has focus: its tag, its name (caption of a region, label of a field, else its text), and
# whether it is seen: an outline of at least 2 px and a box inside the viewport
_FOCUS_STOP_JS = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e), box = e.getBoundingClientRect();
  const named = e.getAttribute('aria-labelledby');
  const text = named ? document.getElementById(named).innerText
             : (e.labels && e.labels.length ? e.labels[0].innerText : e.innerText);
  return {tag: e.tagName.toLowerCase(), name: (text || '').trim().split('\\n')[0],
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
          in_view: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < window.innerHeight};
}"""


def tab_through(page, stops: int) -> list[tuple[str, str]]:
    """Press Tab ``stops`` times from the top; each focused element must be visibly focused.
    Returns the (tag, name) of every stop in order."""
    sequence = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        stop = page.evaluate(_FOCUS_STOP_JS)
        assert stop["outline"] and stop["in_view"], f"focus not visible at stop {len(sequence) + 1}: {stop}"
        sequence.append((stop["tag"], stop["name"]))
    return sequence


def test_keyboard_focus_moves_through_the_report_in_document_order(browser, report_files):
    context, page, _ = _open(browser, report_files["sample-nl"])
    try:
        principles = ["Standaard digitaal", "Gebruiker centraal", "Digitaal herdacht", "Datagedreven", "Betrouwbaar"]
        toc = ["Samenvatting", "Principes en criteria", *principles, "Bevindingen (4)", "Bezochte pagina's (7)",
               "Overgeslagen URL's (252)", "Documenten en andere bestanden (2)", "Gebroken links (2)", "Werkwijze"]
        # axe's English help shown in Dutch (configs/axe-rules.nl.toml)
        top = ["Afbeeldingen moeten een alternatieve tekst hebben",
               "Elementen moeten voldoen aan de drempels voor minimaal kleurcontrast",
               "Link naar een pagina die niet bestaat", "Content-Security-Policy ontbreekt"]
        expected = [("a", "Ga naar de inhoud"), ("a", "https://www.zélzate-noord.example/"),
                    *[("a", name) for name in toc],
                    ("summary", "Hoe de scores berekend worden"),  # the disclosure of the formula
                    ("div", "Score per principe"),  # the scrollable table region, then its links
                    *[("a", name) for name in principles],
                    *[("a", title) for title in top],  # the five most important problems
                    ("div", "Bevindingen per criterium")]
        assert tab_through(page, len(expected)) == expected
        # the disclosure opens by keyboard
        page.locator("details.formula summary").focus()
        assert not page.locator("details.formula p").is_visible()
        page.keyboard.press("Enter")
        assert page.locator("details.formula p").is_visible()
        # and a link of the summary moves to the finding it names
        page.locator("ol.top-findings a").first.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("() => location.hash") == "#f-1"
    finally:
        context.close()


def test_the_focus_probe_catches_an_invisible_focus(browser, tmp_path):
    bad = tmp_path / "no-outline.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><title>x</title><style>a:focus { outline: none; }</style>'
                   '<a href="#a">first</a> <a href="#b">second</a>', encoding="utf-8")
    context, page, _ = _open(browser, bad)
    try:
        with pytest.raises(AssertionError, match="focus not visible at stop 1"):
            tab_through(page, 2)
    finally:
        context.close()


def test_the_probes_can_fail(browser, tmp_path):
    """Negative control: the same probes do catch a violation, a request and an overflow."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><head><title>x</title></head><body>'
        '<img src="https://cdn.example/x.png"><div style="width:900px">breed</div>'
        "</body></html>",
        encoding="utf-8",
    )
    context, page, requests = _open(browser, bad, width=320)
    try:
        ids = {v["id"] for v in _axe_violations(page)}
        assert {"image-alt", "html-has-lang"} <= ids
        assert "https://cdn.example/x.png" in requests
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] > widths[1] + 2
    finally:
        context.close()
