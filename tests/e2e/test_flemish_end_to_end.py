"""End to end in Chromium: the Flemish collector, the login probe and the checks on fixture sites
that reproduce the real embed snippets (v4 embed, v5 entry, legacy widget, a test host, none),
an ACM/IDM login through a local stand-in for authenticatie.vlaanderen.be, an own-account
login form, and a Flemish entity on and off vlaanderen.be."""

from __future__ import annotations

import asyncio

import pytest

from auditor.model import Audience, Site, SiteArtifacts, SiteKind
from auditor.run.site_audit import audit_site
from auditor.settings import AuditSettings
from tests.fixtures.flemish_fixture_sites import (
    HEADER_UUID,
    LEGACY_ID,
    VLAANDEREN_HOSTS,
    municipality_site,
    vlaanderen_hosts_site,
    widget_script,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hosts(ca, tmp_path_factory):
    """The HTTPS stand-in for the Vlaanderen hosts, and settings that route those names to it."""
    server = vlaanderen_hosts_site(ca.issue_cert(*VLAANDEREN_HOSTS)).start()
    ca_file = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    resolve = {(host, server.port): "127.0.0.1" for host in VLAANDEREN_HOSTS}
    # refused at once: no waiting on the internet for the house-style CSS or the header's MBP link
    resolve[("ui.vlaanderen.be", 443)] = "127.0.0.1"
    resolve[("www.burgerprofiel.be", 443)] = "127.0.0.1"
    yield server, resolve, str(ca_file)
    server.stop()


def audit(hosts, start: str, out, kind=SiteKind.MUNICIPALITY, audiences=(Audience.CITIZENS,),
          organisation: str = "Gemeente Widgetdorp"):
    _, resolve, ca_file = hosts
    settings = AuditSettings(max_pages=10, delay_s=0, resolve=resolve, ca_bundle=ca_file, page_timeout_s=20)
    site = Site(start_urls=[start], organisation=organisation, kind=kind, audiences=list(audiences))
    report = asyncio.run(audit_site(site, settings, out))
    artifacts = SiteArtifacts.model_validate_json((out / "artifacts" / "site.json").read_text())
    return report, artifacts


def result(report, check_id):
    found = report.result_for(check_id)
    assert found is not None, check_id
    return found


def test_v4_embed_and_acmidm_login_on_a_municipality(hosts, tmp_path):
    server, _, _ = hosts
    port = server.port
    idp = f"https://authenticatie.vlaanderen.be:{port}/op/v1/auth?client_id=1234&redirect_uri=https%3A%2F%2Fwww.widgetdorp.be%2Fcb"
    site = municipality_site(
        widget_script("prod.widgets.burgerprofiel.vlaanderen.be", port, f"/api/v1/widget/{HEADER_UUID}/embed"),
        login=f"acmidm:{idp}",
    )
    with site:
        login_url = site.url("/aanmelden")
        report, artifacts = audit(hosts, site.url("/"), tmp_path)
    header = result(report, "mbp-global-header")
    assert header.outcome.value == "pass", header.summary
    assert header.details["versions"] == {"v4 widget": header.details["pages_with_header"]}
    assert header.details["pages_with_mounted_header"] == header.details["pages_checked"] >= 4
    cited = {(m["marker"], m["where"]) for m in header.details["markers"]}
    assert ("mbp-v4-embed-script", "script src") in cited
    assert ("mbp-v4-client-global", "global") in cited
    assert ("mbp-v4-header-mounted", "DOM after render") in cited
    # the login link was followed without credentials through the local authenticatie.vlaanderen.be
    probe = next(p for p in artifacts.login_probes if p.start_url == login_url)
    assert [hop.status for hop in probe.hops] == [302, 200]
    assert probe.hops[1].url == idp and probe.hops[1].https
    assert probe.hops[1].hits[0].marker_id == "acmidm-host"
    login = result(report, "login-identity-provider")
    assert login.outcome.value == "pass" and "acmidm-login" in login.details["services"]
    # the header's "Mijn Burgerprofiel" link is followed too; unreachable here, it is not judged
    assert set(login.details["services"]) <= {"acmidm-login", "unreachable"}
    assert server.hit_count("/op/v1/auth?client_id=1234&redirect_uri=https%3A%2F%2Fwww.widgetdorp.be%2Fcb") >= 1
    # the header's Mijn Burgerprofiel link counts for citizens; contact details are complete
    assert result(report, "eloket-links").outcome.value == "pass"
    assert result(report, "mbp-widget-production-host").outcome.value == "pass"
    contact = result(report, "contact-channels")
    assert contact.outcome.value == "pass", contact.summary
    assert result(report, "organisation-identifiable").outcome.value == "pass"
    # the criteria that use the building blocks are scored, not left manual
    reuse = next(c for c in report.criteria if c.criterion_id == "P3-G-02")
    assert reuse.score is not None and reuse.score > 0.9


def test_v5_entry_with_a_page_missing_it_and_an_own_account_form(hosts, tmp_path):
    server, _, _ = hosts
    site = municipality_site(
        widget_script("widgets.vlaanderen.be", server.port, f"/api/v2/widget/{HEADER_UUID}/entry"),
        login="own", contact=False, header_on_every_page=False,
    )
    with site:
        news_url = site.url("/nieuws")
        report, artifacts = audit(hosts, site.url("/"), tmp_path, audiences=(Audience.CITIZENS, Audience.ENTREPRENEURS))
    header = result(report, "mbp-global-header")
    assert header.outcome.value == "warning"
    assert "v5 global header/footer" in header.details["versions"]
    assert header.details["pages_missing"] == [news_url]
    assert ("mbp-v5-header-client-global", "global") in {(m["marker"], m["where"]) for m in header.details["markers"]}
    login = result(report, "login-identity-provider")
    assert login.outcome.value == "fail"  # a password asked over plain HTTP
    rules = {f.rule for f in login.findings}
    assert {"login-own-account-form", "login-insecure-hop"} <= rules
    eloket = result(report, "eloket-links")
    assert eloket.outcome.value == "fail" and eloket.details["missing"] == ["eloket-ondernemers"]
    contact = result(report, "contact-channels")
    assert contact.outcome.value == "fail", contact.summary


def test_test_widget_host_is_reported(hosts, tmp_path):
    server, _, _ = hosts
    site = municipality_site(widget_script("widgets.tni-vlaanderen.be", server.port, f"/api/v2/widget/{HEADER_UUID}/entry"))
    with site:
        report, _ = audit(hosts, site.url("/"), tmp_path)
    production = result(report, "mbp-widget-production-host")
    assert production.outcome.value == "fail"
    evidence = production.findings[0].evidence[0]
    assert "widgets.tni-vlaanderen.be" in evidence.snippet and "mbp-widget-test-host" in evidence.value
    assert result(report, "mbp-global-header").outcome.value == "pass"


def test_legacy_webuniversum_widget_is_told_apart(hosts, tmp_path):
    server, _, _ = hosts
    site = municipality_site(widget_script("widgets.vlaanderen.be", server.port, f"/widget/live/{LEGACY_ID}"))
    with site:
        report, _ = audit(hosts, site.url("/"), tmp_path)
    header = result(report, "mbp-global-header")
    assert header.outcome.value == "pass"
    assert list(header.details["versions"]) == ["legacy Webuniversum widget"]
    assert header.details["pages_with_mounted_header"] == 0


def test_no_header_on_a_flemish_entity_off_vlaanderen_be(hosts, tmp_path):
    site = municipality_site("")
    with site:
        report, _ = audit(hosts, site.url("/"), tmp_path, kind=SiteKind.FLEMISH_ENTITY, organisation="Agentschap Test")
    header = result(report, "mbp-global-header")
    assert header.outcome.value == "fail" and header.score == 0.0
    domain = result(report, "vlaanderen-domain")
    assert domain.outcome.value == "fail" and "127.0.0.1" in domain.summary
    assert result(report, "flemish-house-style").outcome.value == "fail"
    assert result(report, "login-identity-provider").outcome.value == "not_applicable"


def test_flemish_entity_on_vlaanderen_be_with_house_style(hosts, tmp_path):
    server, _, _ = hosts
    start = f"https://www.agentschap.vlaanderen.be:{server.port}/agentschap/"
    report, artifacts = audit(hosts, start, tmp_path, kind=SiteKind.FLEMISH_ENTITY, audiences=(Audience.ENTREPRENEURS,),
                              organisation="Agentschap Test")
    assert result(report, "vlaanderen-domain").outcome.value == "pass"
    style = result(report, "flemish-house-style")
    assert style.outcome.value == "pass", style.summary
    assert {"webuniversum-assets", "vl-components", "vlaanderen-logo-link"} <= set(style.details["found"])
    where = {(m["marker"], m["where"]) for m in style.details["markers"]}
    assert ("webuniversum-assets-host", "network request") in where
    assert ("vlaanderen-logo-link", "DOM after render") in where
    # entrepreneurs only: no Mijn Burgerprofiel header expected
    assert result(report, "mbp-global-header").outcome.value == "not_applicable"
    assert all(page.markers_version for page in artifacts.flemish_pages)
    assert report.method.framework_version
