"""Follow a site's login links without credentials and record where they lead.

A login link ("Aanmelden", "Inloggen", "Mijn dossier"…) is requested with the engine's HTTP
client, one hop at a time (redirects are not followed automatically, so every hop, its status
and its TLS outcome are recorded), until a page answers. The hops are matched against the
login-service markers (ACM/IDM, its test environment, CSAM/FAS, itsme), and the page at the
end is read for a password field, which shows the site runs its own account system.

Polite and bounded: a few links per site, a few hops per link, GET only, no form is ever
submitted, nothing is stored but the chain. ``checks/flemish.py`` classifies the result.
"""

from __future__ import annotations

import asyncio
import re
from typing import Iterable, Optional
from urllib.parse import urljoin, urlsplit

import httpx

from auditor.crawl.http import fetch
from auditor.shared.markers import MarkerError, MarkerSet, default_markers, match_hosts
from auditor.model import LoginHop, LoginProbe, PageStatus, SiteArtifacts
from auditor.shared.urls import url_key

MAX_LINKS = 3
MAX_HOPS = 8
BODY_MAX_BYTES = 500_000
PROBE_TIMEOUT_S = 30.0

LOGIN_LINK_PROVES = frozenset({"login-link", "acmidm-login", "acmidm-login-test"})

_META_REFRESH = re.compile(
    r"""<meta[^>]+http-equiv\s*=\s*["']?refresh["']?[^>]*content\s*=\s*["']?\s*\d+\s*[;,]\s*url\s*=\s*['"]?([^"'>\s]+)""",
    re.IGNORECASE,
)
_PASSWORD_INPUT = re.compile(r"""<input\b[^>]*\btype\s*=\s*["']?password\b[^>]*>""", re.IGNORECASE)
_SCRIPT_SRC = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


def login_candidates(site: SiteArtifacts, role_links: Iterable[str] = ()) -> list[tuple[str, str, str]]:
    """``(url, link text, found on)`` of the login links worth following, best first: the login
    page the crawl found, login links the frontier saw (in or out of scope), and links that
    matched a login marker on a rendered page."""
    candidates: list[tuple[str, str, str]] = []
    login_page = site.role_pages.get("login")
    if login_page:
        candidates.append((login_page, "", ""))
    for page in site.pages:
        if "login" in page.roles:
            candidates.append((page.url, "", page.found_on))
    for url in role_links:
        candidates.append((url, "", ""))
    for evidence in site.flemish_pages:
        for hit in evidence.hits:
            if hit.kind == "link" and hit.proves in LOGIN_LINK_PROVES and " → " in hit.value:
                text, url = hit.value.rsplit(" → ", 1)
                candidates.append((url, text, evidence.page_url))
    chosen: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for url, text, found_on in candidates:
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        key = url_key(url)
        if key in seen:
            # keep the first URL but fill in a text or origin a later sighting knows
            for i, (u, t, f) in enumerate(chosen):
                if url_key(u) == key:
                    chosen[i] = (u, t or text, f or found_on)
            continue
        seen.add(key)
        chosen.append((url, text, found_on))
    return chosen


async def probe_login_links(
    client: httpx.AsyncClient,
    site: SiteArtifacts,
    role_links: Iterable[str] = (),
    max_links: int = MAX_LINKS,
) -> list[LoginProbe]:
    """Follow up to ``max_links`` login links; never raises."""
    try:
        markers: Optional[MarkerSet] = default_markers()
    except MarkerError:
        markers = None  # the Flemish checks report the marker file error themselves
    probes = []
    for url, text, found_on in login_candidates(site, role_links)[:max_links]:
        probe = LoginProbe(start_url=url, link_text=text, found_on=found_on)
        try:
            await asyncio.wait_for(_follow(client, probe, markers), timeout=PROBE_TIMEOUT_S)
        except asyncio.TimeoutError:
            probe.error = f"the login chain did not end within {PROBE_TIMEOUT_S:g} s"
        except Exception as exc:  # noqa: BLE001 - one odd link must not break the audit
            probe.error = f"{type(exc).__name__}: {exc}"[:300]
        probes.append(probe)
    return probes


async def _follow(client: httpx.AsyncClient, probe: LoginProbe, markers: Optional[MarkerSet]) -> None:
    url = probe.start_url
    for _ in range(MAX_HOPS):
        hop = LoginHop(url=url, https=urlsplit(url).scheme == "https")
        if markers is not None:
            hop.hits = match_hosts(markers, [url])
        probe.hops.append(hop)
        result = await fetch(client, url, retries=0, max_bytes=BODY_MAX_BYTES, follow_redirects=False)
        response = result.response
        if response is None:
            hop.failure, hop.error = result.failure, result.error
            probe.error = f"{url}: {hop.error}"
            return
        hop.status = response.status_code
        location = response.headers.get("location")
        body = response.content
        if response.is_redirect and location:
            url = urljoin(url, location.strip())
            continue
        html = body.decode(response.encoding or "utf-8", errors="replace")
        refresh = _META_REFRESH.search(html)
        if response.status_code < 400 and refresh:
            url = urljoin(url, refresh.group(1))
            continue
        probe.final_url, probe.final_status = url, response.status_code
        password = _PASSWORD_INPUT.search(html)
        probe.password_field = password is not None
        probe.password_snippet = password.group(0)[:200] if password else ""
        hosts = []
        for src in _SCRIPT_SRC.findall(html):
            host = urlsplit(urljoin(url, src)).hostname or ""
            if host and host not in hosts:
                hosts.append(host)
        probe.script_hosts = hosts[:30]
        return
    probe.error = f"more than {MAX_HOPS} redirects"
    probe.hops[-1].failure = PageStatus.TOO_MANY_REDIRECTS
