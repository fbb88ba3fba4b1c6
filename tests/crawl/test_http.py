"""The HTTP client: --resolve (with verified TLS), retries, Retry-After, failure classes.
Also exercises the LocalSite test server other tests rely on."""

from __future__ import annotations

import gzip
import socket
import ssl
import time
from datetime import datetime, timedelta, UTC
from email.utils import format_datetime

import httpcore
import httpx
import pytest

from auditor.crawl.http import (
    ResolvingTransport,
    ResolvingBackend,
    classify_exception,
    classify_http_status,
    fetch,
    make_client,
    parse_resolve,
    parse_resolve_all,
    parse_retry_after,
)
from auditor.model import PageStatus
from tests.fixtures.localserver import LocalSite, Request

HOST = "www.example-gemeente.be"
UA = "Mozilla/5.0 (compatible; auditor/0.1; +https://example.org/auditor)"


def trusting(ca) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def sequence(*responses):
    """A route answering each request with the next response, then repeating the last."""
    remaining = list(responses)

    def route(request: Request):
        return remaining.pop(0) if len(remaining) > 1 else remaining[0]

    return route


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------- --resolve


def test_parse_resolve() -> None:
    assert parse_resolve("www.Example-Gemeente.be:443:127.0.0.1") == ((HOST, 443), "127.0.0.1")
    assert parse_resolve("h:8443:[::1]") == (("h", 8443), "::1")
    assert parse_resolve("h:80:::1") == (("h", 80), "::1")
    assert parse_resolve_all(["a:80:10.0.0.1", "a:80:10.0.0.2"]) == {("a", 80): "10.0.0.2"}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("www.x.be:443", "expected HOST:PORT:ADDRESS"),
        ("www.x.be", "expected HOST:PORT:ADDRESS"),
        (":443:127.0.0.1", "expected HOST:PORT:ADDRESS"),
        ("www.x.be:https:127.0.0.1", "is not a number"),
        ("www.x.be:70000:127.0.0.1", "out of range"),
        ("www.x.be:443:localhost", "is not an IP address"),
    ],
)
def test_parse_resolve_rejects_bad_input_in_one_line(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        parse_resolve(spec)
    assert "\n" not in str(caught.value)


async def test_resolve_https_with_verified_certificate_for_the_host_name(ca) -> None:
    with LocalSite(tls_cert=ca.issue_cert(HOST)) as site:
        site.add("/", body="<h1>Welkom</h1>")
        site.routes["/echo"] = lambda r: (200, {"Content-Type": "text/plain"}, r.headers["host"])
        resolve = {(HOST, site.port): "127.0.0.1"}
        async with make_client(UA, timeout=5, resolve=resolve, verify=trusting(ca)) as client:
            response = await client.get(f"https://{HOST}:{site.port}/")
            assert response.status_code == 200 and "Welkom" in response.text
            assert str(response.url) == f"https://{HOST}:{site.port}/"
            echoed = await client.get(f"https://{HOST}:{site.port}/echo")
            assert echoed.text == f"{HOST}:{site.port}"  # the Host header keeps the name


async def test_resolve_still_verifies_the_certificate_name(ca) -> None:
    with LocalSite(tls_cert=ca.issue_cert("other.example.be")) as site:
        resolve = {(HOST, site.port): "127.0.0.1"}
        async with make_client(UA, timeout=5, resolve=resolve, verify=trusting(ca)) as client:
            result = await fetch(client, f"https://{HOST}:{site.port}/", retries=0)
    assert result.failure is PageStatus.INVALID_SSL_CERT
    assert "\n" not in result.error


async def test_untrusted_certificate_is_invalid_ssl_cert(ca) -> None:
    with LocalSite(tls_cert=ca.issue_cert("127.0.0.1")) as site:
        site.add("/", body="ok")
        async with make_client(UA, timeout=5) as client:  # system trust store only
            result = await fetch(client, site.url(), retries=2)
        async with make_client(UA, timeout=5, verify=trusting(ca)) as client:
            trusted = await fetch(client, site.url())
    assert result.failure is PageStatus.INVALID_SSL_CERT and result.attempts == 1  # not retried
    assert trusted.ok


async def test_resolve_maps_only_the_given_host_and_port() -> None:
    class Recorder(httpcore.AsyncNetworkBackend):
        def __init__(self) -> None:
            self.hosts: list[tuple[str, int]] = []

        async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
            self.hosts.append((host, port))
            raise httpcore.ConnectError("recorded")

    recorder = Recorder()
    backend = ResolvingBackend({(HOST, 443): "192.0.2.7"}, recorder)
    for host, port in [(HOST, 443), (HOST.upper(), 443), (HOST, 8443), ("www.andere.be", 443)]:
        with pytest.raises(httpcore.ConnectError):
            await backend.connect_tcp(host, port)
    assert recorder.hosts == [("192.0.2.7", 443), ("192.0.2.7", 443), (HOST, 8443), ("www.andere.be", 443)]


def test_resolving_transport_wraps_the_pool_backend() -> None:
    """Guards the one private attribute --resolve relies on (httpx has no public hook)."""
    transport = ResolvingTransport(resolve={(HOST, 443): "127.0.0.1"})
    assert isinstance(transport._pool._network_backend, ResolvingBackend)


# --------------------------------------------------------------------------- retries


async def test_user_agent_and_head(local_site) -> None:
    local_site.routes["/"] = lambda r: (200, {"Content-Type": "text/plain"}, r.headers["user-agent"])
    async with make_client(UA) as client:
        got = await fetch(client, local_site.url())
        head = await fetch(client, local_site.url(), method="HEAD")
    assert got.response.text == UA
    assert head.ok and head.response.content == b""
    assert head.response.headers["content-length"] == str(len(UA))
    assert local_site.hits == [("GET", "/"), ("HEAD", "/")]


async def test_server_error_retried_then_succeeds(local_site) -> None:
    local_site.routes["/"] = sequence((503, {}, "busy"), (500, {}, "oops"), (200, {}, "ok"))
    async with make_client(UA) as client:
        result = await fetch(client, local_site.url(), retries=2, backoff=0.01)
    assert result.ok and result.response.text == "ok"
    assert result.attempts == 3 and result.statuses == [503, 500, 200]


async def test_retries_exhausted_returns_last_response(local_site) -> None:
    local_site.routes["/"] = lambda r: (502, {}, "bad gateway")
    async with make_client(UA) as client:
        result = await fetch(client, local_site.url(), retries=2, backoff=0.01)
    assert result.response.status_code == 502 and result.failure is None
    assert result.status is PageStatus.HTTP_ERROR
    assert local_site.hit_count("/") == 3


async def test_client_errors_not_retried(local_site) -> None:
    local_site.add("/weg", status=404, body="nee")
    async with make_client(UA) as client:
        result = await fetch(client, local_site.url("/weg"), retries=2, backoff=0.01)
    assert result.attempts == 1 and result.status is PageStatus.HTTP_ERROR


async def test_retry_after_honoured_on_429(local_site) -> None:
    local_site.routes["/"] = sequence((429, {"Retry-After": "1"}, "slow down"), (200, {}, "ok"))
    started = time.monotonic()
    async with make_client(UA) as client:
        result = await fetch(client, local_site.url(), retries=2, backoff=0.01)
    elapsed = time.monotonic() - started
    assert result.ok and result.attempts == 2
    assert elapsed >= 0.95 and result.waited >= 0.95  # not the 0.01 s backoff


async def test_retry_after_capped_by_max_wait(local_site) -> None:
    local_site.routes["/"] = sequence((503, {"Retry-After": "3600"}, "later"), (200, {}, "ok"))
    started = time.monotonic()
    async with make_client(UA) as client:
        result = await fetch(client, local_site.url(), retries=1, max_wait=0.2)
    assert result.ok and time.monotonic() - started < 2


async def test_persistent_429_is_blocked(local_site) -> None:
    local_site.routes["/"] = lambda r: (429, {"Retry-After": "0"}, "no")
    async with make_client(UA) as client:
        result = await fetch(client, local_site.url(), retries=1)
    assert result.status is PageStatus.BLOCKED and result.attempts == 2


def test_parse_retry_after() -> None:
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120
    assert parse_retry_after("0.5") == 0.5
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now) == 30
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now=now) == 0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


# --------------------------------------------------------------------------- failures


async def test_timeout_classified(local_site) -> None:
    def slow(request: Request):
        time.sleep(1.0)
        return 200, {}, "late"

    local_site.routes["/slow"] = slow
    async with make_client(UA, timeout=0.2) as client:
        result = await fetch(client, local_site.url("/slow"), retries=0)
    assert result.failure is PageStatus.TIMEOUT and result.response is None


async def test_connection_refused_classified_and_not_retried() -> None:
    async with make_client(UA, timeout=2) as client:
        result = await fetch(client, f"http://127.0.0.1:{free_port()}/", retries=2)
    assert result.failure is PageStatus.CONNECTION_REFUSED and result.attempts == 1


async def test_too_many_redirects(local_site) -> None:
    local_site.redirect("/a", "/b")
    local_site.redirect("/b", "/a")
    async with make_client(UA, max_redirects=5) as client:
        result = await fetch(client, local_site.url("/a"))
    assert result.failure is PageStatus.TOO_MANY_REDIRECTS


async def test_redirect_chain_recorded(local_site) -> None:
    local_site.redirect("/oud", "/nieuw", status=301)
    local_site.add("/nieuw", body="hier")
    async with make_client(UA) as client:
        result = await fetch(client, local_site.url("/oud"))
    assert str(result.response.url) == local_site.url("/nieuw")
    assert [r.status_code for r in result.response.history] == [301]


def _wrapped(inner: BaseException) -> httpx.ConnectError:
    """httpx wraps OS errors in its own ConnectError, as a real failed connect does."""
    try:
        try:
            raise inner
        except BaseException as exc:
            raise httpx.ConnectError(str(exc)) from exc
    except httpx.ConnectError as outer:
        return outer


@pytest.mark.parametrize(
    ("inner", "status"),
    [
        (socket.gaierror(-2, "Name or service not known"), PageStatus.DNS_RESOLUTION_ERROR),
        (socket.gaierror(-3, "Temporary failure in name resolution"), PageStatus.DNS_RESOLUTION_ERROR),
        (ConnectionRefusedError(111, "Connection refused"), PageStatus.CONNECTION_REFUSED),
        (ConnectionResetError(104, "Connection reset by peer"), PageStatus.CONNECTION_RESET),
        (ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number"), PageStatus.INVALID_SSL_CERT),
        (RuntimeError("something odd"), PageStatus.ERROR),
    ],
)
def test_classify_exception(inner: BaseException, status: PageStatus) -> None:
    got, message = classify_exception(_wrapped(inner))
    assert got is status
    assert message and "\n" not in message


def test_classify_timeouts_and_redirects() -> None:
    assert classify_exception(httpx.ReadTimeout("x"))[0] is PageStatus.TIMEOUT
    assert classify_exception(httpx.ConnectTimeout("x"))[0] is PageStatus.TIMEOUT
    assert classify_exception(httpx.TooManyRedirects("x"))[0] is PageStatus.TOO_MANY_REDIRECTS


def test_classify_http_status() -> None:
    assert classify_http_status(200) is PageStatus.OK
    assert classify_http_status(304) is PageStatus.OK
    assert classify_http_status(403) is PageStatus.BLOCKED
    assert classify_http_status(429) is PageStatus.BLOCKED
    assert classify_http_status(404) is PageStatus.HTTP_ERROR
    assert classify_http_status(500) is PageStatus.HTTP_ERROR


# --------------------------------------------------------------------------- the test server


def test_local_site_serves_bytes_verbatim_and_matches_queries() -> None:
    packed = gzip.compress(b"<urlset/>")
    with LocalSite({"/s.xml.gz": (200, {"Content-Type": "application/gzip"}, packed)}) as site:
        site.add("/zoek?q=a", body="query route")
        site.add("/zoek", body="plain route")
        assert httpx.get(site.url("/s.xml.gz")).content == packed
        assert httpx.get(site.url("/zoek?q=a")).text == "query route"
        assert httpx.get(site.url("/zoek?q=b")).text == "plain route"
        assert httpx.get(site.url("/nergens")).status_code == 404
        assert site.hits[-1] == ("GET", "/nergens")
    with pytest.raises(RuntimeError):
        _ = site.port


def test_browser_host_resolver_rules_keep_the_port() -> None:
    from auditor.gather.browser import host_resolver_rules

    assert host_resolver_rules({(HOST, 8443): "127.0.0.1"}) == [
        f"--host-resolver-rules=MAP {HOST}:8443 127.0.0.1"
    ]
    assert host_resolver_rules({}) == []
