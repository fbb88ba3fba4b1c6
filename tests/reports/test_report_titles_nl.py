"""Our own checks speak Dutch in the Dutch report: titles, failure titles, finding titles and
descriptions, summaries; the English report and result.json keep the English texts.

Two real audits in Chromium (the bundled demo municipality and the fixture site, both on
127.0.0.1) give the findings our checks emit on real pages; the reports are rendered from them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from markupsafe import escape

from auditor.cli.main import main
from auditor.cli.demo import serve_demo_site
from auditor.fleet.history import common_findings
from auditor.model import CheckResult, Finding, Outcome, Severity, SiteReport
from auditor.fleet.store import Store
from checks.registry import load_all
from reports.axe_rule_texts import AXE_CHECK_IDS, axe_rule_texts
from reports.finding_texts import title_in_language
from reports.html_report import render_html
from reports.json_report import load_json
from reports.portfolio import render_portfolio_html
from tests.fixtures.fixture_site import build_fixture_site
from tests.reports.test_report_browser import assert_no_axe_violations, browser  # noqa: F401 - browser is a fixture
from tests.fleet.test_fleet_store import entries, report as fleet_report

pytestmark = pytest.mark.browser

DUTCH_FIELDS = {"title_nl", "failure_title_nl", "description_nl", "summary_nl"}


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def demo_audit(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    with serve_demo_site() as url:
        result = run_cli("audit", url, "--out", str(out), "--organisation", "Gemeente Voorbeeldegem (demo)",
                         "--kind", "municipality", "--audience", "citizens", "--audience", "entrepreneurs",
                         "--delay", "0", "--quiet")
    assert result.exit_code in (0, 2), result.output
    return out


@pytest.fixture(scope="module")
def fixture_site_audit(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fixture")
    site = build_fixture_site().start()
    try:
        result = run_cli("audit", site.url("/"), "--out", str(out), "--max-pages", "12", "--delay", "0", "--quiet",
                         "--organisation", "Gemeente Testdorp", "--kind", "municipality")
    finally:
        site.stop()
    assert result.exit_code in (0, 2), result.output
    return out


@pytest.fixture(scope="module")
def demo_report(demo_audit) -> SiteReport:
    return load_json(demo_audit / "result.json")


def our_findings(report: SiteReport) -> list[Finding]:
    return [f for f in report.findings() if f.check_id not in AXE_CHECK_IDS]


# --------------------------------------------------------------------------- the registry


def test_every_registered_check_has_a_dutch_title_and_failure_title():
    checks = load_all()
    assert len(checks) >= 55
    for check in checks.values():
        info = check.info()
        assert info.title_nl.strip() and info.failure_title_nl.strip(), check.id
        # translated, not copied: no Dutch title is its English one
        assert info.title_nl != info.title and info.failure_title_nl != info.failure_title, check.id


# --------------------------------------------------------------------------- real audits


@pytest.mark.parametrize("audit", ["demo_audit", "fixture_site_audit"])
def test_every_finding_and_summary_of_a_real_audit_has_dutch(audit, request):
    report = load_json(request.getfixturevalue(audit) / "result.json")
    findings = report.findings()
    assert len(report.results) == len(load_all()) and len(findings) >= 30
    assert len({f.check_id for f in our_findings(report)}) >= 8  # many of our checks, not only axe
    lacking = [(f.check_id, f.rule, f.title) for f in findings
               if title_in_language(f.check_id, f.rule, f.title, f.title_nl, "nl") == f.title]
    assert lacking == []
    assert [(f.check_id, f.rule) for f in our_findings(report) if f.description and not f.description_nl] == []
    assert [(r.check_id, r.summary) for r in report.results if not r.summary_nl] == []
    assert all(info.title_nl and info.failure_title_nl for info in report.checks)


def test_the_dutch_report_shows_our_dutch_texts_and_the_english_one_english(demo_report):
    nl = render_html(demo_report, lang="nl")
    en = render_html(demo_report, lang="en")
    mine = our_findings(demo_report)
    assert len(mine) >= 10
    for finding in mine:
        assert escape(finding.title_nl) in nl, finding.title_nl
        assert escape(finding.title) in en, finding.title
        assert escape(finding.title_nl) not in en, finding.title_nl
        if finding.description:
            assert escape(finding.description_nl) in nl and escape(finding.description) in en
    # a static English title must not be left in the Dutch report beside its translation
    contact = next(f for f in mine if f.check_id == "contact-channels" and f.outcome == Outcome.PASS)
    assert contact.title.startswith("Found ") and escape(contact.title) not in nl
    criterion_titles = {c.title for c in demo_report.criteria}  # the framework's, in Dutch in both reports
    for info in demo_report.checks:
        assert escape(info.title_nl) in nl and escape(info.title) in en
        assert info.title_nl in criterion_titles or escape(info.title_nl) not in en
    # summaries: the page checks' counts and a site check's own words
    assert "pagina(&#39;s): " in nl and "page(s): " in en and "page(s): " not in nl
    contact_result = demo_report.result_for("contact-channels")
    assert escape(contact_result.summary_nl) in nl and escape(contact_result.summary) in en


@pytest.mark.parametrize("width", [1280, 320])
def test_the_dutch_demo_report_has_no_axe_violations(browser, demo_audit, width):  # noqa: F811
    assert 'lang="nl"' in (demo_audit / "report.html").read_text(encoding="utf-8")[:200]
    assert_no_axe_violations(browser, demo_audit / "report.html", width)


def test_result_json_keeps_english_and_stores_dutch_beside_it(demo_audit):
    data = json.loads((demo_audit / "result.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == "1.5"
    title_unique = next(r for r in data["results"] if r["check_id"] == "page-title-unique")
    assert title_unique["summary"] and title_unique["summary_nl"] and title_unique["summary"] != title_unique["summary_nl"]
    header = next(c for c in data["checks"] if c["id"] == "contact-channels")
    assert header["title"] == "Visitors find non-digital contact channels and help"
    assert header["title_nl"] == "Bezoekers vinden niet-digitale contactkanalen en hulp"
    findings_csv = (demo_audit / "findings.csv").read_text(encoding="utf-8-sig")
    # the CSV names each finding's check by its English title, never the Dutch one
    checks = {c["id"]: c for c in data["checks"]}
    listed = {f["check_id"] for r in data["results"] for f in r["findings"] if f["check_id"] not in AXE_CHECK_IDS}
    assert len(listed) >= 8
    for check_id in listed:
        assert checks[check_id]["title"] in findings_csv and checks[check_id]["title_nl"] not in findings_csv


def test_a_result_written_before_schema_1_5_loads_and_its_dutch_report_shows_english(demo_audit, tmp_path):
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in DUTCH_FIELDS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    data = strip(json.loads((demo_audit / "result.json").read_text(encoding="utf-8")))
    data["schema_version"] = "1.4"
    old = tmp_path / "result.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    report = load_json(old)
    assert all(not f.title_nl for f in report.findings())
    nl = render_html(report, lang="nl")
    mine = our_findings(report)
    assert mine and all(escape(f.title) in nl for f in mine)
    # the axe rules still come from the Dutch axe file
    axe = [f for f in report.findings() if f.check_id in AXE_CHECK_IDS and f.rule in axe_rule_texts()]
    assert axe and all(str(title_in_language(f.check_id, f.rule, f.title, "", "nl")) in nl for f in axe)


def test_rescore_writes_the_dutch_texts_again(demo_audit, demo_report):
    result = run_cli("rescore", str(demo_audit), "--lang", "nl")
    assert result.exit_code in (0, 2), result.output
    again = load_json(demo_audit / "result.json")
    before = sorted((f.fingerprint, f.title_nl) for f in our_findings(demo_report))
    assert sorted((f.fingerprint, f.title_nl) for f in our_findings(again)) == before
    assert [r.summary_nl for r in again.results] == [r.summary_nl for r in demo_report.results]


# --------------------------------------------------------------------------- the portfolio


def test_the_portfolio_lists_the_most_common_findings_in_the_report_language(tmp_path):
    ours = Finding(check_id="contact-channels", rule="phone-missing", outcome=Outcome.WARNING,
                   title="No phone number found", title_nl="Geen telefoonnummer gevonden",
                   fingerprint="contact-channels:phone:missing", severity=Severity.MODERATE, pages=["https://alfa.example/"])
    axe = Finding(check_id="axe-violations", rule="image-alt", outcome=Outcome.FAIL,
                  title="Images must have alternative text", fingerprint="axe-violations:image-alt:1",
                  severity=Severity.SERIOUS, pages=["https://alfa.example/"])
    store = Store.open(f"sqlite:///{tmp_path / 'fleet.db'}")
    try:
        run = fleet_report("r1", [axe], 0.5)
        run.results.append(CheckResult(check_id="contact-channels", outcome=Outcome.WARNING, findings=[ours]))
        store.complete_site(None, entries()[0].key, "h:1:a", run, "")
        common = common_findings(store)
    finally:
        store.close()
    assert {(g["rule"], g["title_nl"]) for g in common} == {("phone-missing", "Geen telefoonnummer gevonden"),
                                                            ("image-alt", "")}
    nl = render_portfolio_html([], tmp_path, common=common, lang="nl")
    en = render_portfolio_html([], tmp_path, common=common, lang="en")
    assert "phone-missing: Geen telefoonnummer gevonden" in nl and "No phone number found" not in nl
    assert "phone-missing: No phone number found" in en and "Geen telefoonnummer" not in en
    assert f"image-alt: {axe_rule_texts()['image-alt'].title}" in nl or "image-alt: Afbeeldingen" in nl
    assert "image-alt: Images must have alternative text" in en


# --------------------------------------------------------------------------- hostile text


def test_a_dutch_title_carrying_site_text_is_escaped(demo_report):
    """Dutch titles and summaries carry values from the site (a page title, a host): escaped like
    the English ones."""
    payload = "<script>alert(1)</script>"
    result = demo_report.result_for("page-title-unique")
    hostile = result.model_copy(update={
        "summary_nl": f"titel {payload}",
        "findings": [Finding(check_id="page-title-unique", rule="duplicate-title", outcome=Outcome.WARNING,
                             title=f"2 pages share the title {payload!r}", title_nl=f"2 pagina's delen de titel {payload!r}",
                             description="d", description_nl=f"beschrijving {payload}")]})
    report = demo_report.model_copy(update={
        "results": [hostile if r.check_id == "page-title-unique" else r for r in demo_report.results]})
    nl = render_html(report, lang="nl")
    assert payload not in nl
    assert "2 pagina&#39;s delen de titel &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;" in nl
    assert "beschrijving &lt;script&gt;" in nl and "titel &lt;script&gt;" in nl
