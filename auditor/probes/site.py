"""Site-level probes, gathered once per site with the HTTP client and ``ssl`` (not the browser):
robots.txt, sitemaps, how every host name of the site answers over HTTP and HTTPS (redirect chain
recorded hop by hop), the TLS certificate and protocol versions of each HTTPS host name, and
``/.well-known/security.txt``.

"Every host name the site uses" is the start URL's host and its twin: ``www.x.be`` for ``x.be``
and the other way round. A twin that does not resolve is simply not in use; the checks say so.
"""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from auditor.gather.challenge import MAX_HTML_CHARS as CHALLENGE_HTML_CHARS
from auditor.gather.challenge import detect_challenge
from auditor.crawl.http import ResolveMap, fetch
from auditor.model import (
    PageStatus,
    Redirect,
    RobotsInfo,
    SecurityTxtInfo,
    Site,
    SitemapInfo,
    TlsInfo,
    TransportProbe,
    utc_now,
)
from auditor.crawl.robots import RobotsRules, fetch_robots
from auditor.crawl.sitemaps import SitemapDiscovery, discover_sitemaps
from auditor.probes.tls import probe_tls, tls_report_to_dict

SECURITY_TXT_PATH = "/.well-known/security.txt"
SECURITY_TXT_MAX_BYTES = 32_768  # real files are a few hundred bytes; anything bigger is not one
MAX_PROBE_REDIRECTS = 10
HEADER_VALUE_MAX_CHARS = 2_000
RETRY_BACKOFF_S = 0.5
MAX_RETRY_WAIT_S = 10.0  # a probe does not wait longer than this for Retry-After

ROLE_START = "start"
ROLE_TWIN = "twin"


@dataclass
class SiteProbe:
    robots_info: RobotsInfo | None
    robots_rules: RobotsRules
    sitemaps: list[SitemapInfo] = field(default_factory=list)
    sitemap_urls: list[str] = field(default_factory=list)
    transport: list[TransportProbe] = field(default_factory=list)
    tls: list[TlsInfo] = field(default_factory=list)
    security_txt: Optional[SecurityTxtInfo] = None

    def robots_allows(self, url: str, user_agent: str) -> bool:
        return self.robots_rules.can_fetch(url, user_agent)


# ---------------------------------------------------------------------------- host names


def twin_host(host: str) -> Optional[str]:
    """``www.x.be`` ↔ ``x.be``; None for IP addresses and single-label names (``localhost``)."""
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return None
    except ValueError:
        pass
    if host.startswith("www."):
        bare = host[4:]
        return bare if "." in bare else None
    return f"www.{host}" if "." in host else None


def site_host_names(start_url: str) -> list[tuple[str, str]]:
    """(host, role) for the start URL's host and its twin."""
    try:
        host = (urlsplit(start_url).hostname or "").lower()
    except ValueError:
        return []
    if not host:
        return []
    names = [(host, ROLE_START)]
    twin = twin_host(host)
    if twin:
        names.append((twin, ROLE_TWIN))
    return names


def _port(url: str) -> Optional[int]:
    try:
        return urlsplit(url).port
    except ValueError:
        return None


def https_port(start_url: str) -> Optional[int]:
    """The port HTTPS is probed on: the start URL's own for https://, 443 for http:// on the
    default port, None for http:// on another port (where HTTPS would be a guess)."""
    try:
        parts = urlsplit(start_url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme == "https":
        return port or 443
    if parts.scheme == "http" and port in (None, 80):
        return 443
    return None


def _origin_url(scheme: str, host: str, port: Optional[int], path: str = "/") -> str:
    default = {"http": 80, "https": 443}[scheme]
    netloc = host if port in (None, default) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, path, "", ""))


def _origin_key(url: str) -> tuple[str, str, Optional[int]]:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


def transport_urls(start_url: str) -> list[str]:
    """What the transport probe asks, the start URL first: then, for the start host and its
    twin, the https:// address (on the HTTPS port) and the http:// address (default ports only:
    an http:// port cannot be guessed from an https:// one)."""
    urls = [start_url]
    port = https_port(start_url)
    probe_plain_http = _port(start_url) in (None, 80, 443)
    for host, _ in site_host_names(start_url):
        if port is not None:
            urls.append(_origin_url("https", host, port))
        if probe_plain_http:
            urls.append(_origin_url("http", host, None))
    unique: list[str] = []
    seen: set[tuple[str, str, Optional[int]]] = set()
    for url in urls:
        key = _origin_key(url)
        if key not in seen:
            seen.add(key)
            unique.append(url)
    return unique


# ---------------------------------------------------------------------------- transport


async def _one_hop(client: httpx.AsyncClient, url: str) -> tuple[Optional[httpx.Response], Optional[PageStatus], str]:
    """One request without following redirects; once more after a transient failure or a
    429/5xx (after its Retry-After, capped), as the engine's fetch does. The body is read only
    as far as the challenge detector looks, within the client's response deadline, so a huge
    or trickling start page cannot hold the probe."""
    result = await fetch(client, url, retries=1, backoff=RETRY_BACKOFF_S, max_wait=MAX_RETRY_WAIT_S,
                         max_bytes=CHALLENGE_HTML_CHARS * 4, follow_redirects=False)
    return result.response, result.failure, result.error


async def probe_transport(client: httpx.AsyncClient, url: str,
                          max_redirects: int = MAX_PROBE_REDIRECTS) -> TransportProbe:
    """Follow ``url``'s redirects one hop at a time and record the chain, the final status and
    headers. A hop that fails keeps the chain before it: ``final_url`` is the address that
    failed, ``failure``/``error`` say why."""
    probe = TransportProbe(url=url)
    current = url
    for _ in range(max_redirects + 1):
        response, failure, error = await _one_hop(client, current)
        probe.final_url = current
        if response is None:
            probe.failure, probe.error = failure, error
            return probe
        location = response.headers.get("location", "")
        if response.is_redirect and location:
            probe.redirects.append(Redirect(url=current, status=response.status_code))
            try:
                current = urljoin(current, location.strip())
            except ValueError:
                probe.failure, probe.error = PageStatus.ERROR, f"unreadable redirect target {location[:200]!r}"
                return probe
            if urlsplit(current).scheme not in ("http", "https"):
                probe.failure, probe.error = PageStatus.ERROR, f"redirect to a non-web address {current[:200]!r}"
                return probe
            continue
        probe.http_status = response.status_code
        probe.headers = {k.lower(): v[:HEADER_VALUE_MAX_CHARS] for k, v in response.headers.items()}
        challenge = detect_challenge(response.status_code, response.headers, _body_text(response))
        if challenge is not None:
            probe.bot_challenge = challenge.vendor
            probe.error = challenge.describe(response.status_code)
        return probe
    probe.failure = PageStatus.TOO_MANY_REDIRECTS
    probe.error = f"more than {max_redirects} redirects"
    return probe


def _body_text(response: httpx.Response) -> str:
    """The start of an HTML answer's body (decoded), for the challenge detector; "" otherwise."""
    media = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media not in ("text/html", "application/xhtml+xml", ""):
        return ""
    try:
        return response.content[:CHALLENGE_HTML_CHARS * 4].decode(response.encoding or "utf-8", errors="replace")
    except (LookupError, httpx.ResponseNotRead):
        return ""


# ---------------------------------------------------------------------------- security.txt


async def probe_security_txt(client: httpx.AsyncClient, origin_url: str,
                             max_bytes: int = SECURITY_TXT_MAX_BYTES) -> SecurityTxtInfo:
    """Fetch ``/.well-known/security.txt`` of ``origin_url``'s origin, reading at most
    ``max_bytes``; never raises for network trouble."""
    parts = urlsplit(origin_url)
    url = urlunsplit((parts.scheme, parts.netloc, SECURITY_TXT_PATH, "", ""))
    info = SecurityTxtInfo(url=url, fetched_at=utc_now())
    result = await fetch(client, url, retries=0, max_bytes=max_bytes)
    response = result.response
    if response is None:
        info.failure, info.error = result.failure, result.error
        return info
    info.http_status = response.status_code
    info.final_url = str(response.url)
    info.content_type = response.headers.get("content-type", "")[:200]
    if response.status_code == 200:
        info.truncated = result.truncated
        info.text = response.content.decode("utf-8", errors="replace")
    return info


# ---------------------------------------------------------------------------- TLS


async def probe_site_tls(
    start_url: str, resolve: ResolveMap | None = None, ca_bundle: Optional[str] = None, timeout: float = 10.0
) -> list[TlsInfo]:
    """The TLS probe of every HTTPS host name of the site (start host and twin), at once."""
    port = https_port(start_url)
    if port is None:
        return []
    resolve = resolve or {}
    names = site_host_names(start_url)
    reports = await asyncio.gather(*(
        probe_tls(host, port, address=resolve.get((host, port)), ca_file=ca_bundle, timeout=timeout)
        for host, _ in names
    ))
    infos = []
    for (_, role), report in zip(names, reports):
        info = TlsInfo.model_validate(tls_report_to_dict(report))
        info.role = role
        infos.append(info)
    return infos


# ---------------------------------------------------------------------------- the site


async def probe_site(
    client: httpx.AsyncClient,
    site: Site,
    user_agent: str,
    max_sitemap_urls: int = 5_000,
    *,
    resolve: ResolveMap | None = None,
    ca_bundle: Optional[str] = None,
    tls_timeout: float = 10.0,
) -> SiteProbe:
    """robots.txt first; then sitemaps, the transport probes then security.txt, and the TLS
    probes run at once (at most three connections to the site at a time). A robots.txt that
    disallows everything is obeyed here too: no page, sitemap or /.well-known path is
    requested, only the TLS handshake (the checks of those probes say not fetched)."""
    start = site.start_urls[0]
    tls_task = asyncio.ensure_future(probe_site_tls(start, resolve=resolve, ca_bundle=ca_bundle, timeout=tls_timeout))
    robots_info, rules = await fetch_robots(client, start, user_agent)
    # robots.txt unreachable counts as closed for the crawl, but the probes name the real failure
    closed = robots_info.disallows_everything and robots_info.http_status is not None

    async def sitemaps() -> SitemapDiscovery:
        if closed:  # every URL a sitemap could list is disallowed
            return SitemapDiscovery([], [])
        return await discover_sitemaps(client, start, robots_info.sitemaps or None, max_urls=max_sitemap_urls)

    async def transport_and_security_txt():
        if closed:
            return [], None
        transport = [await probe_transport(client, url) for url in transport_urls(start)]
        # security.txt belongs to the origin the site settles on (www. or not, https)
        settled = transport[0].final_url if transport[0].http_status is not None else start
        return transport, await probe_security_txt(client, settled or start)

    discovery, (transport, security_txt), tls = await asyncio.gather(
        sitemaps(),
        transport_and_security_txt(),
        tls_task,
    )
    return SiteProbe(
        robots_info=robots_info,
        robots_rules=rules,
        sitemaps=list(discovery.infos),
        sitemap_urls=list(discovery.urls),
        transport=transport,
        tls=tls,
        security_txt=security_txt,
    )
