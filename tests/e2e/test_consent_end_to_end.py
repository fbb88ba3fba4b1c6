"""End to end in Chromium: the consent probe and the consent/tracker checks on fixture sites whose
tracker (a stand-in for www.google-analytics.com, which IS in Ghostery's database) is served on
127.0.0.1 through --resolve: tracking before consent, a Complianz banner whose reject still fires
the tracker, a clean Complianz banner, a Flemish banner where rejecting needs the settings layer,
a site with neither trackers nor banner, a form posting to HubSpot; then rescore, attempted
requests under --block-third-party and missing npm packages."""

from __future__ import annotations

import asyncio

import pytest

from auditor.model import Outcome, Site, SiteArtifacts
from auditor.run.rescore import rescore_run
from auditor.run.site_audit import audit_site
from auditor.settings import AuditSettings
from reports.html_report import write_html
from tests.fixtures import consent_fixture_sites as fixtures

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def tracker(ca, tmp_path_factory):
    server = fixtures.tracker_server(ca.issue_cert(*fixtures.TRACKER_HOSTS))
    ca_file = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    yield server, str(ca_file)
    server.stop()


def audit(tracker, site, out, **overrides):
    server, ca_file = tracker
    settings = AuditSettings(max_pages=8, delay_s=0, resolve=fixtures.resolve_for(server), ca_bundle=ca_file,
                             page_timeout_s=20, skip_collectors=["mobile", "keyboard"], consent_pages=2, **overrides)
    report = asyncio.run(audit_site(Site(start_urls=[site.url("/")], organisation="Gemeente Koekjesdorp"), settings, out))
    artifacts = SiteArtifacts.model_validate_json((out / "artifacts" / "site.json").read_text())
    return report, artifacts


def outcomes(report, *check_ids):
    return {check_id: report.result_for(check_id).outcome for check_id in check_ids}


def evidence_values(result):
    return [e.value for f in result.findings for e in f.evidence]


@pytest.fixture(scope="module")
def tracking_run(tracker, tmp_path_factory):
    site = fixtures.tracking_site(tracker[0].port)
    out = tmp_path_factory.mktemp("tracking")
    with site:
        report, artifacts = audit(tracker, site, out)
    return report, artifacts, out


def test_tracking_before_consent_fails_with_the_cookie_name_and_the_tracker_host(tracking_run):
    report, artifacts, _ = tracking_run
    result = report.result_for("trackers-before-consent")
    assert result.outcome == Outcome.FAIL, result.summary
    values = evidence_values(result)
    assert any(v.startswith("www.google-analytics.com: Google Analytics (Google, US; site_analytics)") for v in values)
    cookie = next(v for v in values if v.startswith("cookie _ga "))
    assert "set by https://www.google-analytics.com:" in cookie and "/analytics.js" in cookie
    assert any(v.startswith("localStorage _ga_session") for v in values)
    # measured in fresh contexts: the home page and the sample, nothing clicked
    probe = artifacts.consent
    assert [v.state for v in probe.before] == ["before_consent"] * 3
    assert probe.trackerdb.startswith("Ghostery TrackerDB, npm @ghostery/trackerdb ")
    assert probe.autoconsent.startswith("DuckDuckGo autoconsent, npm @duckduckgo/autoconsent ")
    assert not probe.banner_found and probe.reject is None
    assert report.method.data_sources["trackerdb"].endswith("(CC-BY-NC-SA-4.0)")
    assert report.method.data_sources["consent_rules"].endswith("(MPL-2.0)")
    assert outcomes(report, "consent-reject-respected", "consent-reject-effort", "privacy-friendly-analytics") == {
        "consent-reject-respected": Outcome.FAIL, "consent-reject-effort": Outcome.NOT_APPLICABLE,
        "privacy-friendly-analytics": Outcome.FAIL}
    flows = report.result_for("third-party-data-flows")
    assert flows.outcome == Outcome.WARNING and {f.rule for f in flows.findings} == {"outside-eea"}
    row = next(r for r in flows.details["hosts"] if r["host"] == "www.google-analytics.com")
    assert (row["owner"], row["country"], row["outside_eea"]) == ("Google", "US", True)


def test_rescore_recomputes_the_consent_checks_without_a_browser(tracking_run):
    report, _, out = tracking_run
    rescored = rescore_run(out)
    ids = ("trackers-before-consent", "consent-reject-respected", "third-party-data-flows", "privacy-friendly-analytics")
    assert outcomes(rescored, *ids) == outcomes(report, *ids)
    assert rescored.result_for("trackers-before-consent").findings == report.result_for("trackers-before-consent").findings
    # the report's method names the data sets with their versions and licences
    html = write_html(rescored, out / "rescored.html", lang="en").read_text(encoding="utf-8")
    assert f"Tracker database</dt><dd>{report.method.data_sources['trackerdb']}" in html
    assert "Consent rules</dt><dd>npm @duckduckgo/autoconsent" in html


def test_a_banner_whose_reject_still_fires_the_tracker_fails(tracker, tmp_path):
    site = fixtures.banner_site(tracker[0].port, "complianz", leaky=True)
    with site:
        report, artifacts = audit(tracker, site, tmp_path)
    probe = artifacts.consent
    assert probe.banner_found and probe.banner_cmp == "Complianz banner"
    assert (probe.reject.method, probe.reject.cmp, probe.reject.done) == ("autoconsent", "Complianz banner", True)
    assert report.result_for("trackers-before-consent").outcome == Outcome.PASS
    result = report.result_for("consent-reject-respected")
    assert result.outcome == Outcome.FAIL, result.summary
    assert "www.google-analytics.com: Google Analytics" in result.summary
    assert any(v.startswith("cookie _ga ") for v in evidence_values(result))


def test_a_clean_banner_stops_the_tracker_on_reject_and_loads_it_on_accept(tracker, tmp_path):
    site = fixtures.banner_site(tracker[0].port, "complianz")
    with site:
        report, artifacts = audit(tracker, site, tmp_path)
    assert outcomes(report, "trackers-before-consent", "consent-reject-respected", "consent-reject-effort") == {
        "trackers-before-consent": Outcome.PASS, "consent-reject-respected": Outcome.PASS,
        "consent-reject-effort": Outcome.PASS}
    probe = artifacts.consent
    assert probe.reject.clicks == probe.accept.clicks == 1
    after_accept = {h.host for v in probe.accept.visits for h in v.hosts}
    assert "www.google-analytics.com" in after_accept
    assert all(not v.hosts for v in probe.reject.visits)
    assert [c.name for v in probe.reject.visits for c in v.cookies] == ["site_consent", "site_consent"]
    # the tracker only loads after "accept", and the analytics check still sees it
    assert report.result_for("privacy-friendly-analytics").outcome == Outcome.FAIL


def test_a_flemish_banner_where_reject_needs_the_settings_layer_is_flagged(tracker, tmp_path):
    site = fixtures.banner_site(tracker[0].port, "layered")
    with site:
        report, artifacts = audit(tracker, site, tmp_path)
    probe = artifacts.consent
    assert probe.banner_found and probe.banner_cmp == ""  # no autoconsent rule: our texts found it
    assert probe.banner_buttons == ["Alles aanvaarden", "Instellingen"]
    assert (probe.reject.method, probe.reject.clicked) == ("fallback", ["Instellingen", "Alles weigeren"])
    assert probe.accept.clicked == ["Alles aanvaarden"]
    effort = report.result_for("consent-reject-effort")
    assert effort.outcome == Outcome.FAIL and effort.summary == "rejecting takes 2 clicks, accepting 1"
    assert report.result_for("consent-reject-respected").outcome == Outcome.PASS


def test_a_site_without_trackers_or_banner_passes_or_is_not_applicable(tracker, tmp_path):
    site = fixtures.clean_site()
    with site:
        report, _ = audit(tracker, site, tmp_path)
    assert outcomes(report, "trackers-before-consent", "consent-reject-respected", "consent-reject-effort",
                    "third-party-data-flows", "privacy-friendly-analytics") == {
        "trackers-before-consent": Outcome.PASS, "consent-reject-respected": Outcome.NOT_APPLICABLE,
        "consent-reject-effort": Outcome.NOT_APPLICABLE, "third-party-data-flows": Outcome.PASS,
        "privacy-friendly-analytics": Outcome.NOT_APPLICABLE}


def test_a_form_page_sending_to_a_third_party_fails_and_is_measured_first(tracker, tmp_path):
    site = fixtures.form_to_third_party_site(tracker[0].port)
    with site:
        report, artifacts = audit(tracker, site, tmp_path)
        form_page = site.url("/melding")
    flows = report.result_for("third-party-data-flows")
    assert flows.outcome == Outcome.FAIL, flows.summary
    leak = next(f for f in flows.findings if f.rule == "form-data-to-third-party")
    assert leak.evidence[0].value.startswith("forms.hsforms.com: HubSpot Forms (HubSpot, US")
    assert leak.evidence[0].snippet.endswith("/submit") and leak.pages == [form_page]
    assert any(f.rule == "trackers-on-form-pages" for f in flows.findings)
    # pages with a form come first in the consent sample; GA there fails before consent
    assert artifacts.consent.before[1].url == form_page and artifacts.consent.before[1].has_form
    assert report.result_for("trackers-before-consent").outcome == Outcome.FAIL
    # self-hosted Matomo beside Google Analytics
    analytics = report.result_for("privacy-friendly-analytics")
    assert analytics.outcome == Outcome.WARNING
    assert any("Matomo" in name for name in analytics.details["privacy_friendly"])


def test_block_third_party_still_sees_the_attempted_tracker_requests(tracker, tmp_path):
    site = fixtures.tracking_site(tracker[0].port)
    with site:
        report, artifacts = audit(tracker, site, tmp_path, third_party="abort")
    result = report.result_for("trackers-before-consent")
    assert result.outcome == Outcome.FAIL
    assert {f.rule for f in result.findings} == {"tracker-requests"}  # aborted: the script never ran
    assert artifacts.third_parties.hosts[0].host == "www.google-analytics.com"


def test_missing_npm_packages_make_the_checks_say_so_without_crashing(tracker, tmp_path, monkeypatch):
    monkeypatch.setenv("AUDITOR_NODE_MODULES", str(tmp_path / "no-node-modules"))
    site = fixtures.clean_site()
    with site:
        report, _ = audit(tracker, site, tmp_path / "run")
    for check_id in ("trackers-before-consent", "consent-reject-respected", "consent-reject-effort",
                     "third-party-data-flows", "privacy-friendly-analytics"):
        result = report.result_for(check_id)
        assert result.outcome == Outcome.ERROR, (check_id, result.summary)
        assert "npm package @ghostery/trackerdb is not installed" in result.summary
    assert report.method.data_sources["trackerdb"].startswith("missing: ")
