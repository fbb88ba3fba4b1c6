"""Site-level probes, gathered once per site with the HTTP client (not the browser):
robots.txt, sitemaps, and how the start URL answers over HTTP and HTTPS."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import httpx

from auditor.http import fetch
from auditor.model import Redirect, RobotsInfo, Site, SitemapInfo, TransportProbe
from auditor.robots import RobotsRules, fetch_robots
from auditor.sitemaps import discover_sitemaps


@dataclass
class SiteProbe:
    robots_info: RobotsInfo | None
    robots_rules: RobotsRules
    sitemaps: list[SitemapInfo] = field(default_factory=list)
    sitemap_urls: list[str] = field(default_factory=list)
    transport: list[TransportProbe] = field(default_factory=list)

    def robots_allows(self, url: str, user_agent: str) -> bool:
        return self.robots_rules.can_fetch(url, user_agent)


async def probe_transport(client: httpx.AsyncClient, url: str) -> TransportProbe:
    """Follow ``url``'s redirects and record the chain, the final status and headers."""
    result = await fetch(client, url, retries=1)
    probe = TransportProbe(url=url)
    if result.response is None:
        probe.failure = result.failure
        probe.error = result.error
        return probe
    response = result.response
    probe.redirects = [Redirect(url=str(r.url), status=r.status_code) for r in response.history]
    probe.final_url = str(response.url)
    probe.http_status = response.status_code
    probe.headers = {k.lower(): v[:2_000] for k, v in response.headers.items()}
    return probe


def plain_http_variant(url: str) -> str | None:
    """The http:// URL of an https:// start URL (default port only), to see whether plain
    HTTP is redirected to HTTPS."""
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.port not in (None, 443):
        return None
    return urlunsplit(("http", parts.hostname or "", parts.path or "/", parts.query, ""))


async def probe_site(
    client: httpx.AsyncClient, site: Site, user_agent: str, max_sitemap_urls: int = 5_000
) -> SiteProbe:
    start = site.start_urls[0]
    robots_info, rules = await fetch_robots(client, start, user_agent)
    discovery = await discover_sitemaps(client, start, robots_info.sitemaps or None, max_urls=max_sitemap_urls)
    transport = [await probe_transport(client, start)]
    http_variant = plain_http_variant(start)
    if http_variant:
        transport.append(await probe_transport(client, http_variant))
    return SiteProbe(
        robots_info=robots_info,
        robots_rules=rules,
        sitemaps=list(discovery.infos),
        sitemap_urls=list(discovery.urls),
        transport=transport,
    )
