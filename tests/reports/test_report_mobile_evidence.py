"""Mobile screenshots in the HTML report: shown with alt text beside the evidence, only from
the run's evidence folder, and the report stays free of axe violations."""

from __future__ import annotations

import pytest

from auditor.model import Evidence, Finding, Outcome, Severity
from reports.html_report import render_html, write_html
from tests.fixtures.sample_report import sample_report
from tests.reports.test_report_browser import _axe_violations, _describe, _open, browser  # noqa: F401 - fixture

SHOT = "evidence/mobile/0123456789abcdef-412.jpg"


def report_with_screenshots(*paths: str):
    report = sample_report()
    result = report.results[0]
    result.findings.append(Finding(
        check_id=result.check_id, outcome=Outcome.FAIL, severity=Severity.SERIOUS, rule="horizontal-scroll",
        title="The page scrolls sideways at phone width (412 px)", wcag_sc=["1.4.10"], fingerprint="mobile:test",
        pages=["https://www.zelzate-noord.be/"], pages_total=1,
        evidence=[Evidence(page_url="https://www.zelzate-noord.be/", selector="body > div.wrapper",
                           value="right edge at 1216 px", screenshot=path) for path in paths],
    ))
    return report


def test_screenshot_is_shown_with_alt_text():
    html = render_html(report_with_screenshots(SHOT), lang="nl")
    assert f'src="{SHOT}"' in html and f'href="{SHOT}"' in html
    assert 'alt="Schermafbeelding van https://www.zelzate-noord.be/ zoals een gsm het toont"' in html
    english = render_html(report_with_screenshots(SHOT), lang="en")
    assert 'alt="Screenshot of https://www.zelzate-noord.be/ as a phone shows it"' in english


@pytest.mark.parametrize("path", ["https://evil.example/x.jpg", "evidence/../../etc/passwd", "javascript:alert(1)",
                                  '"><script>alert(1)</script>'])
def test_screenshot_paths_outside_the_evidence_folder_are_not_shown(path):
    html = render_html(report_with_screenshots(path), lang="nl")
    assert 'class="evidence-shot"' not in html and "<script>alert(1)" not in html


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 320])
def test_report_with_screenshots_has_no_axe_violations(browser, tmp_path, width):  # noqa: F811
    path = write_html(report_with_screenshots(SHOT), tmp_path / "report.html", lang="nl")
    context, page, _ = _open(browser, path, width=width)
    try:
        assert page.locator("img.evidence-shot").count() == 1
        violations = _axe_violations(page)
        assert violations == [], _describe(violations)
    finally:
        context.close()
