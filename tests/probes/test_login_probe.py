"""The login probe follows login links hop by hop without credentials (no browser)."""

from __future__ import annotations

from auditor.crawl.http import make_client
from auditor.probes.login import login_candidates, probe_login_links
from auditor.shared.markers import default_markers
from auditor.model import FlemishArtifacts, PageStatus, PageSummary, Site, SiteArtifacts
from tests.fixtures.fixture_site import html_page
from tests.fixtures.localserver import LocalSite


def site_with(login_url: str, **extra) -> SiteArtifacts:
    return SiteArtifacts(site=Site(start_urls=["http://127.0.0.1/"]), role_pages={"login": login_url}, **extra)


def test_candidates_come_from_role_pages_frontier_links_and_link_markers_without_duplicates():
    link_hit = default_markers().by_id("login-link-text").hit("Inloggen → https://www.gemeente.be/inloggen")
    site = SiteArtifacts(
        site=Site(start_urls=["https://www.gemeente.be/"]),
        role_pages={"login": "https://www.gemeente.be/aanmelden"},
        pages=[PageSummary(url="https://www.gemeente.be/aanmelden", roles=["login"], found_on="https://www.gemeente.be/")],
        flemish_pages=[FlemishArtifacts(page_url="https://www.gemeente.be/", hits=[link_hit])],
    )
    chosen = login_candidates(site, ["https://www.gemeente.be/aanmelden/", "mailto:x@y.be"])
    assert [url for url, _, _ in chosen] == ["https://www.gemeente.be/aanmelden", "https://www.gemeente.be/inloggen"]
    assert chosen[0][2] == "https://www.gemeente.be/" and chosen[1][1] == "Inloggen"


async def test_redirects_meta_refresh_and_password_page_are_recorded(local_site):
    local_site.redirect("/aanmelden", "/sso", status=302)
    local_site.add("/sso", body='<html><head><meta http-equiv="refresh" content="0; url=/login"></head></html>')
    local_site.add("/login", body=html_page("Login", '<form><input type="password" name="pw"></form>'
                                                     '<script src="https://www.googletagmanager.com/gtm.js"></script>'))
    async with make_client("test-agent") as client:
        [probe] = await probe_login_links(client, site_with(local_site.url("/aanmelden")))
    assert [hop.status for hop in probe.hops] == [302, 200, 200]
    assert probe.final_url == local_site.url("/login") and probe.password_field
    assert 'type="password"' in probe.password_snippet
    assert probe.script_hosts == ["www.googletagmanager.com"]


async def test_untrusted_certificate_hop_is_classified_not_raised(ca):
    server = LocalSite(tls_cert=ca.issue_cert("127.0.0.1"))
    server.add("/login", body=html_page("Login", "<p>x</p>"))
    with server:
        async with make_client("test-agent") as client:  # the test CA is not trusted here
            [probe] = await probe_login_links(client, site_with(server.url("/login")))
    assert probe.hops[0].failure == PageStatus.INVALID_SSL_CERT and probe.hops[0].https
    assert "certificate" in probe.error


async def test_redirect_loop_stops(local_site):
    local_site.redirect("/a", "/b", status=302)
    local_site.redirect("/b", "/a", status=302)
    async with make_client("test-agent") as client:
        [probe] = await probe_login_links(client, site_with(local_site.url("/a")))
    assert len(probe.hops) == 8 and probe.hops[-1].failure == PageStatus.TOO_MANY_REDIRECTS
    assert "more than 8 redirects" in probe.error
