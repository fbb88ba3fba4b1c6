"""The site probes behind the TLS, redirect and security.txt checks, against servers on 127.0.0.1
under real-looking host names (``--resolve``-style maps, a trustme CA): each bad case is flagged by
its check with the right reason, and the good twin passes."""

from __future__ import annotations

import asyncio
import datetime as dt
import ssl

import pytest

from auditor.crawl.http import make_client
from auditor.model import Outcome, Site, SiteArtifacts
from auditor.probes.site import (
    probe_security_txt,
    probe_site,
    probe_site_tls,
    probe_transport,
    site_host_names,
    transport_urls,
    twin_host,
)
from checks.registry import CheckContext
from checks.security_txt import security_txt
from checks.tls import http_redirects, tls_certificate, tls_protocols
from tests.fixtures.localserver import LocalSite
from tests.probes.test_tls_probe import TlsServer, make_cert, pem, server_context

HOST = "www.gemeente.test"
TWIN = "gemeente.test"


@pytest.fixture
def ca_file(ca, tmp_path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


def client_for(resolve: dict, ca) -> "httpx.AsyncClient":  # noqa: F821
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return make_client("auditor-test", timeout=5, resolve=resolve, verify=context)


def check(fn, start: str, **artifacts):
    site = Site(start_urls=[start])
    return fn(SiteArtifacts(site=site, **artifacts), CheckContext(site=site))


def rules(result) -> list[str]:
    return [f.rule for f in result.findings]


# ----------------------------------------------------------------------------- host names


def test_host_names_are_the_start_host_and_its_twin():
    assert site_host_names("https://www.gemeente.be/nl") == [("www.gemeente.be", "start"), ("gemeente.be", "twin")]
    assert twin_host("gemeente.be") == "www.gemeente.be"
    assert twin_host("127.0.0.1") is None and twin_host("localhost") is None and twin_host("www.be") is None
    assert transport_urls("https://www.gemeente.be/nl") == [
        "https://www.gemeente.be/nl", "http://www.gemeente.be/", "https://gemeente.be/", "http://gemeente.be/"]
    # on another port the plain-HTTP port cannot be guessed: only the HTTPS addresses
    assert transport_urls("https://www.gemeente.be:8443/") == ["https://www.gemeente.be:8443/",
                                                               "https://gemeente.be:8443/"]


# ----------------------------------------------------------------------------- TLS


def tls_check_of(start: str, resolve: dict, ca_file: str | None):
    infos = asyncio.run(probe_site_tls(start, resolve=resolve, ca_bundle=ca_file, timeout=3))
    return infos, check(tls_certificate, start, tls=infos), check(tls_protocols, start, tls=infos)


def test_good_certificate_on_both_host_names_passes(ca, ca_file):
    with LocalSite(tls_cert=ca.issue_cert(HOST, TWIN)) as site:
        start = f"https://{HOST}:{site.port}/"
        resolve = {(HOST, site.port): "127.0.0.1", (TWIN, site.port): "127.0.0.1"}
        infos, certificate, protocols = tls_check_of(start, resolve, ca_file)
    assert [(i.host, i.role, i.verified) for i in infos] == [(HOST, "start", True), (TWIN, "twin", True)]
    assert certificate.outcome == Outcome.PASS, certificate.summary
    assert protocols.outcome == Outcome.PASS, protocols.summary
    assert {p.version: p.status for p in infos[0].protocols}["TLSv1.2"] == "accepted"


def test_expired_certificate_is_flagged_expired(ca, ca_file):
    now = dt.datetime.now(dt.timezone.utc)
    leaf = ca.issue_cert(HOST, not_before=now - dt.timedelta(days=100), not_after=now - dt.timedelta(days=3))
    with LocalSite(tls_cert=leaf) as site:
        _, result, _ = tls_check_of(f"https://{HOST}:{site.port}/", {(HOST, site.port): "127.0.0.1"}, ca_file)
    assert result.outcome == Outcome.FAIL
    assert rules(result) == ["expired"]
    evidence = result.findings[0].evidence[0]
    assert "expired on" in evidence.value and "days ago" in evidence.value
    assert f"issued to {HOST}" in evidence.snippet


def test_wrong_host_is_flagged_hostname_mismatch(ca, ca_file):
    with LocalSite(tls_cert=ca.issue_cert("andere.gemeente.test")) as site:
        _, result, _ = tls_check_of(f"https://{HOST}:{site.port}/", {(HOST, site.port): "127.0.0.1"}, ca_file)
    assert result.outcome == Outcome.FAIL
    assert rules(result) == ["hostname-mismatch"]
    assert f"for andere.gemeente.test, not for {HOST}" in result.findings[0].evidence[0].value


def test_self_signed_certificate_is_flagged_self_signed(tmp_path, ca_file):
    cert, key = make_cert(HOST)
    with TlsServer(server_context(*pem(cert, key), tmp_path)) as server:
        _, result, _ = tls_check_of(f"https://{HOST}:{server.port}/", {(HOST, server.port): "127.0.0.1"}, ca_file)
    assert result.outcome == Outcome.FAIL
    assert rules(result) == ["self-signed"]
    assert "(self-signed)" in result.findings[0].evidence[0].snippet


def test_unreachable_host_is_blocked_not_a_crash():
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    infos, certificate, protocols = tls_check_of(f"https://{HOST}:{port}/", {(HOST, port): "127.0.0.1"}, None)
    assert infos[0].failure == "connection_refused"
    assert certificate.outcome == Outcome.BLOCKED and "refused" in certificate.summary
    assert protocols.outcome == Outcome.BLOCKED


# ----------------------------------------------------------------------------- redirects


def test_redirect_chains_are_recorded_and_judged(ca):
    """http://gemeente.test first leaves for https://www. (off-host: warning); http://www. goes
    straight to https://www. (good); a third site answers plain HTTP without redirect (fail)."""
    with LocalSite(tls_cert=ca.issue_cert(HOST, TWIN)) as secure, LocalSite() as plain:
        https_start = f"https://{HOST}:{secure.port}/"
        secure.add("/", body="<h1>Welkom</h1>")
        plain.add("/", body="<h1>Geen redirect</h1>")
        plain.redirect("/www", https_start)

        resolve = {(HOST, secure.port): "127.0.0.1", (HOST, plain.port): "127.0.0.1",
                   (TWIN, plain.port): "127.0.0.1"}

        async def run():
            async with client_for(resolve, ca) as client:
                return (await probe_transport(client, f"http://{TWIN}:{plain.port}/www"),
                        await probe_transport(client, f"http://{HOST}:{plain.port}/"))

        off_host, no_redirect = asyncio.run(run())
    assert [r.status for r in off_host.redirects] == [301]
    assert off_host.final_url == https_start and off_host.http_status == 200
    warned = check(http_redirects, https_start, probes=[off_host])
    assert warned.outcome == Outcome.WARNING and rules(warned) == ["first-redirect-off-host"]
    assert f"first redirects to {https_start}" in warned.findings[0].evidence[0].value
    failed = check(http_redirects, https_start, probes=[off_host, no_redirect])
    assert failed.outcome == Outcome.FAIL and "no-redirect" in rules(failed)


def test_redirect_to_https_on_the_same_host_passes_and_a_broken_hop_keeps_the_chain(ca):
    with LocalSite(tls_cert=ca.issue_cert(HOST)) as secure, LocalSite() as plain:
        target = f"https://{HOST}:{secure.port}/"
        secure.add("/", body="ok")
        plain.redirect("/", target, status=308)
        plain.redirect("/kapot", f"https://{HOST}:1/")  # nothing listens there
        plain_port = plain.port
        resolve = {(HOST, secure.port): "127.0.0.1", (HOST, plain_port): "127.0.0.1", (HOST, 1): "127.0.0.1"}

        async def run():
            async with client_for(resolve, ca) as client:
                return (await probe_transport(client, f"http://{HOST}:{plain_port}/"),
                        await probe_transport(client, f"http://{HOST}:{plain_port}/kapot"))

        good, broken = asyncio.run(run())
    assert check(http_redirects, target, probes=[good]).outcome == Outcome.PASS
    assert [r.url for r in broken.redirects] == [f"http://{HOST}:{plain_port}/kapot"]
    assert broken.final_url == f"https://{HOST}:1/" and broken.failure is not None
    # it did go to HTTPS first, on the same host: the redirect itself is right
    assert check(http_redirects, target, probes=[broken]).outcome == Outcome.PASS


# ----------------------------------------------------------------------------- security.txt


def future(days: int) -> str:
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("body, status, outcome, rule", [
    (f"Contact: mailto:security@gemeente.test\nExpires: {future(200)}\n", 200, Outcome.PASS, None),
    (f"Contact: mailto:security@gemeente.test\nExpires: {future(-10)}\n", 200, Outcome.FAIL, "expired"),
    ("", 404, Outcome.FAIL, "missing"),
])
def test_security_txt_valid_expired_missing(ca, body, status, outcome, rule):
    with LocalSite(tls_cert=ca.issue_cert(HOST)) as site:
        if status == 200:
            site.add("/.well-known/security.txt", body=body, content_type="text/plain; charset=utf-8")
        start = f"https://{HOST}:{site.port}/"

        async def run():
            async with client_for({(HOST, site.port): "127.0.0.1"}, ca) as client:
                return await probe_security_txt(client, start)

        info = asyncio.run(run())
    assert info.url == start + ".well-known/security.txt"
    result = check(security_txt, start, security_txt=info)
    assert result.outcome == outcome, result.summary
    assert rules(result) == ([rule] if rule else [])


def test_security_txt_is_read_with_a_size_cap(ca):
    with LocalSite(tls_cert=ca.issue_cert(HOST)) as site:
        site.add("/.well-known/security.txt", body="# x\n" * 20_000, content_type="text/plain")

        async def run():
            async with client_for({(HOST, site.port): "127.0.0.1"}, ca) as client:
                return await probe_security_txt(client, f"https://{HOST}:{site.port}/", max_bytes=1_000)

        info = asyncio.run(run())
    assert info.truncated and len(info.text) == 1_000


# ----------------------------------------------------------------------------- all probes at once


def test_probe_site_gathers_transport_tls_and_security_txt(ca, ca_file):
    with LocalSite(tls_cert=ca.issue_cert(HOST)) as site:
        site.add("/", body="<h1>Welkom</h1>")
        site.add("/.well-known/security.txt", body=f"Contact: mailto:a@gemeente.test\nExpires: {future(90)}\n",
                 content_type="text/plain")
        start = f"https://{HOST}:{site.port}/"
        resolve = {(HOST, site.port): "127.0.0.1"}

        async def run():
            async with client_for(resolve, ca) as client:
                return await probe_site(client, Site(start_urls=[start]), "auditor-test",
                                        resolve=resolve, ca_bundle=ca_file, tls_timeout=3)

        probe = asyncio.run(run())
    assert [p.url for p in probe.transport] == [start, start.replace(HOST, TWIN)]
    assert probe.transport[0].http_status == 200
    assert probe.transport[1].failure is not None  # the twin does not resolve: not in use
    assert [(t.host, t.role) for t in probe.tls] == [(HOST, "start"), (TWIN, "twin")]
    assert probe.tls[0].verified and probe.tls[1].failure == "dns_resolution_error"
    assert probe.security_txt is not None and probe.security_txt.http_status == 200
    artifacts = {"tls": probe.tls, "probes": probe.transport, "security_txt": probe.security_txt}
    assert check(tls_certificate, start, **artifacts).outcome == Outcome.PASS
    assert check(security_txt, start, **artifacts).outcome == Outcome.PASS
