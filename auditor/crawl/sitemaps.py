"""Sitemaps: the URLs a site says it has, read before any link is followed.

Handles ``urlset`` and ``sitemapindex`` (followed to a bounded depth), gzip recognised by its
magic bytes (servers often send ``.xml.gz`` as ``application/octet-stream`` without a
Content-Encoding), plain-text sitemaps, and broken XML: an error is recorded and whatever
can be salvaged is used, since one bad sitemap must not stop an audit.

Sitemaps are hostile input: entities are not resolved, nothing is fetched by the parser,
and decompression and URL counts are bounded.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urljoin

import httpx
from lxml import etree

from auditor.crawl.http import fetch
from auditor.model import SitemapInfo
from auditor.shared.urls import is_http_url

__all__ = ["ParsedSitemap", "SitemapDiscovery", "parse_sitemap", "discover_sitemaps",
           "default_sitemap_urls", "maybe_gunzip"]

GZIP_MAGIC = b"\x1f\x8b"
# The sitemap protocol caps a file at 50 MB uncompressed; anything larger is not a sitemap.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_DEPTH = 3
DEFAULT_MAX_URLS = 5000
DEFAULT_MAX_SITEMAPS = 50


@dataclass
class ParsedSitemap:
    kind: str  # "urlset", "sitemapindex", "text" or "" when unrecognised
    locations: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def is_index(self) -> bool:
        return self.kind == "sitemapindex"


class SitemapDiscovery(NamedTuple):
    """Page URLs (in sitemap order, unique) and one :class:`SitemapInfo` per sitemap read."""

    urls: list[str]
    infos: list[SitemapInfo]


def maybe_gunzip(content: bytes, limit: int = MAX_SITEMAP_BYTES) -> bytes:
    """Decompress gzip content (recognised by its magic bytes), at most ``limit`` bytes out.

    Raises ValueError on corrupt or oversized data (a gzip bomb is refused, not expanded).
    """
    if not content.startswith(GZIP_MAGIC):
        return content
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(content, limit)
    except zlib.error as exc:
        raise ValueError(f"corrupt gzip data: {exc}") from None
    if inflater.unconsumed_tail:
        raise ValueError(f"decompressed sitemap exceeds {limit} bytes")
    return data


def _xml_parser(recover: bool) -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           recover=recover, remove_comments=True, remove_pis=True)


def parse_sitemap(content: bytes, base_url: str = "") -> ParsedSitemap:
    """Parse one sitemap document (already decompressed) into its kind and locations.

    ``<loc>`` values are matched by local name, so sitemaps with a wrong or missing
    namespace still work. Relative locations are resolved against ``base_url``.
    """
    stripped = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        return ParsedSitemap(kind="", error="empty sitemap")
    if not stripped.startswith(b"<"):
        return _parse_text_sitemap(stripped, base_url)
    error = ""
    try:
        root = etree.fromstring(stripped, _xml_parser(recover=False))
    except etree.XMLSyntaxError as exc:
        error = f"invalid XML: {' '.join(str(exc).split())[:200]}"
        try:
            root = etree.fromstring(stripped, _xml_parser(recover=True))
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            return ParsedSitemap(kind="", error=error)
    kind = etree.QName(root).localname if isinstance(root.tag, str) else ""
    if kind not in ("urlset", "sitemapindex"):
        return ParsedSitemap(kind="", error=error or f"not a sitemap (root element <{kind}>)")
    entry = "url" if kind == "urlset" else "sitemap"
    locations = []
    for element in root.iter("{*}loc"):
        parent = element.getparent()
        if parent is None or etree.QName(parent).localname != entry:
            continue
        location = _clean_location(element.text or "", base_url)
        if location:
            locations.append(location)
    return ParsedSitemap(kind=kind, locations=locations, error=error)


def _parse_text_sitemap(content: bytes, base_url: str) -> ParsedSitemap:
    """The protocol also allows a plain list of URLs, one per line."""
    lines = content.decode("utf-8", errors="replace").splitlines()
    locations = [loc for loc in (_clean_location(line, base_url) for line in lines) if loc]
    if not locations:
        return ParsedSitemap(kind="", error="not a sitemap (neither XML nor a list of URLs)")
    return ParsedSitemap(kind="text", locations=locations)


def _clean_location(text: str, base_url: str) -> str:
    location = text.strip()
    if base_url and location:
        location = urljoin(base_url, location)
    return location if is_http_url(location) else ""


def default_sitemap_urls(site_url: str, robots_sitemaps: list[str] | None = None) -> list[str]:
    """Where to look: the sitemaps robots.txt names, else ``/sitemap.xml`` at the site root."""
    if robots_sitemaps:
        return list(dict.fromkeys(robots_sitemaps))
    return [urljoin(site_url, "/sitemap.xml")]


async def discover_sitemaps(
    client: httpx.AsyncClient,
    site_url: str,
    robots_sitemaps: list[str] | None = None,
    *,
    max_urls: int = DEFAULT_MAX_URLS,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_sitemaps: int = DEFAULT_MAX_SITEMAPS,
    retries: int = 1,
) -> SitemapDiscovery:
    """Read the site's sitemaps breadth-first and collect page URLs.

    Bounded on every axis a hostile or huge site could abuse: index nesting (``max_depth``,
    the top level being 1), number of sitemap files (``max_sitemaps``) and page URLs kept
    (``max_urls``). Never raises for network or parse trouble: each sitemap's
    :class:`SitemapInfo` carries its status and error.
    """
    urls: dict[str, None] = {}
    infos: list[SitemapInfo] = []
    queue: list[tuple[str, int]] = [(u, 1) for u in default_sitemap_urls(site_url, robots_sitemaps)]
    seen: set[str] = set()
    while queue and len(infos) < max_sitemaps and len(urls) < max_urls:
        sitemap_url, depth = queue.pop(0)
        if sitemap_url in seen:
            continue
        seen.add(sitemap_url)
        info, parsed = await _read_one(client, sitemap_url, retries)
        infos.append(info)
        if parsed is None:
            continue
        if parsed.is_index:
            if depth >= max_depth:
                info.error = _join(
                    info.error, f"nested deeper than {max_depth} levels; children not read"
                )
                continue
            queue.extend((child, depth + 1) for child in parsed.locations if child not in seen)
            continue
        for location in parsed.locations:
            if len(urls) >= max_urls:
                info.error = _join(info.error, f"stopped at {max_urls} URLs")
                break
            urls.setdefault(location, None)
    return SitemapDiscovery(list(urls), infos)


async def _read_one(
    client: httpx.AsyncClient, url: str, retries: int
) -> tuple[SitemapInfo, ParsedSitemap | None]:
    result = await fetch(client, url, retries=retries, max_wait=10.0, max_bytes=MAX_SITEMAP_BYTES)
    response = result.response
    if response is None:
        return SitemapInfo(url=url, error=result.error), None
    if response.status_code >= 400:
        return SitemapInfo(url=url, http_status=response.status_code,
                           error=f"HTTP {response.status_code}"), None
    try:
        content = maybe_gunzip(response.content)
    except ValueError as exc:
        return SitemapInfo(url=url, http_status=response.status_code, error=str(exc)), None
    if result.truncated and b"\n" in content:
        content = content[: content.rfind(b"\n") + 1]  # a cut last line is not a URL
    parsed = parse_sitemap(content, base_url=str(response.url))
    error = parsed.error
    if result.truncated:
        cut = f"larger than the sitemap limit of {MAX_SITEMAP_BYTES / (1024 * 1024):g} MB: only its start was read"
        error = _join(cut, error) if error else cut
    info = SitemapInfo(url=url, http_status=response.status_code, url_count=len(parsed.locations),
                       is_index=parsed.is_index, error=error)
    return info, (parsed if parsed.kind else None)


def _join(first: str, second: str) -> str:
    return f"{first}; {second}" if first else second
