"""SSRF: a hostile site cannot make the auditor reach private addresses outside the audited site.

The audited site runs on 127.0.0.1:A; a second loopback server on another port plays the
intranet / metadata service. Every way a site can point the auditor there (links, redirects
of pages and documents, sub-resources, sitemaps, login links) must leave it with zero requests.
"""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from click.testing import CliRunner

from auditor.crawl.address_guard import AddressGuard, PrivateAddressRefused
from auditor.cli.main import main
from auditor.crawl.http import fetch, make_client
from tests.fixtures.localserver import LocalSite


def run(coro):
    return asyncio.run(coro)


# --------------------------------------------------------------------------- the guard


def test_guard_trusts_the_audited_host_and_resolve_hosts_only():
    guard = AddressGuard(["http://127.0.0.1:8001/"], {("intranet.test", 80): "10.0.0.5"})
    assert guard.trusts("127.0.0.1", 8001)
    assert guard.trusts("intranet.test", 80)
    assert not guard.trusts("127.0.0.1", 8002)
    for target in [("127.0.0.1", 8002), ("169.254.169.254", 80), ("10.1.2.3", 443), ("localhost", 6379),
                   ("::1", 80), ("[fe80::1]", 80)]:
        with pytest.raises(PrivateAddressRefused):
            run(guard.connect_address(*target))
    assert run(guard.connect_address("127.0.0.1", 8001)) == "127.0.0.1"
    assert run(guard.connect_address("93.184.216.34", 443)) == "93.184.216.34"  # public: allowed


def test_guard_judges_urls_by_scheme_and_records_refusals():
    guard = AddressGuard(["https://www.gemeente.be/"])
    assert run(guard.refuses_url("http://169.254.169.254/latest/meta-data/"))
    assert run(guard.refuses_url("ws://localhost:9222/devtools"))
    assert not run(guard.refuses_url("data:text/html,<p>x"))
    assert not run(guard.refuses_url("blob:https://www.gemeente.be/1234"))
    assert not run(guard.refuses_url("http://10.0.0.1:not-a-port/"))  # unparsable: the browser refuses it
    assert guard.refused == ["http://169.254.169.254/latest/meta-data/", "ws://localhost:9222/devtools"]


# --------------------------------------------------------------------------- the HTTP client


@pytest.fixture
def two_sites():
    audited, intranet = LocalSite(), LocalSite()
    intranet.add("/", body="<p>secret intranet</p>")
    intranet.default = (200, {"Content-Type": "text/plain"}, "secret")
    with audited, intranet:
        yield audited, intranet


def test_http_client_refuses_a_redirect_hop_to_another_loopback_server(two_sites):
    audited, intranet = two_sites
    audited.redirect("/go", f"http://localhost:{intranet.port}/admin")
    audited.redirect("/go-ip", f"http://127.0.0.1:{intranet.port}/admin")
    audited.add("/ok", body="fine")

    async def scenario():
        guard = AddressGuard([audited.url("/")])
        async with make_client("test-agent", guard=guard) as client:
            ok = await fetch(client, audited.url("/ok"), retries=0)
            by_name = await fetch(client, audited.url("/go"), retries=0)
            by_ip = await fetch(client, audited.url("/go-ip"), retries=0)
            async with client.stream("GET", audited.url("/go"), follow_redirects=False) as hop:
                first_hop = hop.status_code  # the login probe's hop-by-hop walk sees the 301 …
            try:
                await client.get(f"http://localhost:{intranet.port}/")  # … and its next hop is refused
                second_hop = "fetched"
            except httpx.ConnectError as exc:
                second_hop = str(exc)
        return ok, by_name, by_ip, first_hop, second_hop

    ok, by_name, by_ip, first_hop, second_hop = run(scenario())
    assert ok.ok
    for result in (by_name, by_ip):
        assert result.response is None and result.failure.value == "error"
        assert "private address outside the audited site" in result.error
    assert first_hop == 301 and "private address" in second_hop
    assert intranet.hits == []


# --------------------------------------------------------------------------- a whole audit


@pytest.mark.browser
def test_audit_never_reaches_a_private_address_outside_the_site(two_sites, tmp_path):
    audited, intranet = two_sites
    other = f"http://localhost:{intranet.port}"
    audited.add("/", body=(
        "<html lang='nl'><head><title>Start</title></head><body><main>"
        f"<a href='/redirect'>doorverwijzing</a> <a href='/doc.pdf'>document</a>"
        f"<a href='/aanmelden'>Aanmelden</a> <a href='{other}/direct'>intranet</a>"
        f"<a href='http://127.0.0.1:{intranet.port}/by-ip'>intranet by ip</a>"
        f"<img src='{other}/pixel.png' alt='pixel'><iframe src='/frame'></iframe>"
        "<a href='file:///etc/passwd'>file</a><a href='javascript:alert(1)'>js</a>"
        "<a href='ftp://127.0.0.1/x'>ftp</a><a href='data:text/html,hi'>data</a>"
        "</main></body></html>"))
    audited.add("/frame", body=f"<script>fetch('{other}/from-frame').catch(() => 0)</script>")
    audited.redirect("/redirect", f"{other}/redirected")
    audited.redirect("/doc.pdf", f"{other}/secret.pdf")
    audited.redirect("/aanmelden", f"{other}/login")
    audited.add("/robots.txt", body=f"User-agent: *\nAllow: /\nSitemap: {audited.url('/sitemap.xml')}\n",
                content_type="text/plain")
    audited.add("/sitemap.xml", content_type="application/xml", body=(
        "<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        f"<sitemap><loc>{other}/sitemap.xml</loc></sitemap></sitemapindex>"))
    audited.redirect("/sitemap_index.xml", f"{other}/sitemap-redirect.xml")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["audit", audited.url("/"), "--out", str(out), "--max-pages", "10",
                                       "--delay", "0", "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert intranet.hits == []
    report = json.loads((out / "result.json").read_text(encoding="utf-8"))
    private = [s["url"] for s in report["skipped"] if s["reason"] == "private_address"]
    assert f"{other}/redirected" in private  # the page redirect hop, refused in the browser
    assert f"{other}/pixel.png" in private  # a sub-resource
    assert f"{other}/login" in private  # the login link's redirect hop
    assert f"localhost:{intranet.port}" in private  # the HTTP client's refusals (document HEAD, sitemap)
    document = next(r for r in report["resources"] if r["url"].endswith("/doc.pdf"))
    assert document["http_status"] is None  # its redirect was not followed
    schemes = {s["url"]: s["reason"] for s in report["skipped"]}
    for url in ("file:///etc/passwd", "javascript:alert(1)", "ftp://127.0.0.1/x", "data:text/html,hi"):
        assert schemes[url] == "unsupported_scheme"
    page = next(p for p in report["pages"] if p["url"].endswith("/redirect"))
    assert page["status"] == "error" and "BLOCKED_BY_CLIENT" in page["error"]


# --------------------------------------------------------------------------- hops outside the page's own frame


@pytest.mark.browser
def test_redirect_hops_in_cross_site_iframes_popups_and_consent_pages_are_refused(two_sites, tmp_path):
    """Redirect hops the page's own CDP session does not see: inside a cross-site iframe (its own
    renderer process), in a pop-up, and on the consent probe's fresh pages (an image that
    redirects). The second loopback server must receive nothing."""
    audited, intranet = two_sites
    secret = f"http://127.0.0.1:{intranet.port}"
    frames_host = f"frames.test:{audited.port}"  # another site, mapped to the audited server
    audited.add("/", body=(
        "<html lang='nl'><head><title>Start</title></head><body><main><h1>Start</h1>"
        f"<iframe title='kader' src='http://{frames_host}/frame'></iframe>"
        "<img src='/img-hop' alt='beeld'>"
        "<script>window.open('/popup-hop')</script>"
        "<a href='/info'>Info</a></main></body></html>"))
    audited.add("/info", body="<html lang='nl'><head><title>Info</title></head><body><main>Info</main></body></html>")
    audited.add("/frame", body="<p>kader</p><img src='/frame-img-hop' alt=''><script>location.href = '/frame-hop'</script>")
    audited.redirect("/frame-hop", f"{secret}/from-iframe-navigation", status=302)
    audited.redirect("/frame-img-hop", f"{secret}/from-iframe-image", status=302)
    audited.redirect("/popup-hop", f"{secret}/from-popup", status=302)
    audited.redirect("/img-hop", f"{secret}/from-image", status=302)
    audited.add("/robots.txt", body="User-agent: *\nAllow: /\n", content_type="text/plain")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "audit", audited.url("/"), "--out", str(out), "--max-pages", "3", "--delay", "0", "--quiet",
        "--no-mobile", "--consent-pages", "1", "--resolve", f"{frames_host}:127.0.0.1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    # the hops were really taken up to the refusal (the test is not vacuous)
    assert {"/frame-hop", "/frame-img-hop", "/img-hop"} <= {path for _, path in audited.hits}
    assert sorted(set(intranet.hits)) == []
    report = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert report["results"]  # the audit itself went on
