"""Sitemaps: urlset, index (recursive, bounded), gzip by magic bytes, broken XML."""

from __future__ import annotations

import gzip

from auditor.crawl.http import make_client
from auditor.crawl.sitemaps import discover_sitemaps, maybe_gunzip, parse_sitemap
from tests.fixtures.localserver import LocalSite

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
UA = "auditor-test/0.1"


def urlset(*locs: str) -> str:
    entries = "".join(f"<url><loc>{loc}</loc><lastmod>2024-01-01</lastmod></url>" for loc in locs)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS}>{entries}</urlset>'


def index(*locs: str) -> str:
    entries = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex {NS}>{entries}</sitemapindex>'


def xml_site(site: LocalSite, path: str, body: str | bytes, content_type: str = "application/xml") -> None:
    site.add(path, body=body, content_type=content_type)


def test_parse_urlset_and_index() -> None:
    parsed = parse_sitemap(urlset("https://x.be/a", " https://x.be/b\n").encode())
    assert (parsed.kind, parsed.locations, parsed.error) == ("urlset", ["https://x.be/a", "https://x.be/b"], "")
    parsed = parse_sitemap(index("https://x.be/s1.xml").encode())
    assert parsed.is_index and parsed.locations == ["https://x.be/s1.xml"]


def test_parse_without_namespace_and_relative_locations() -> None:
    parsed = parse_sitemap(b"<urlset><url><loc>/a</loc></url></urlset>", base_url="https://x.be/sitemap.xml")
    assert parsed.locations == ["https://x.be/a"]


def test_parse_ignores_non_http_and_image_locs() -> None:
    body = (f'<urlset {NS} xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
            "<url><loc>https://x.be/a</loc><image:image><image:loc>https://x.be/i.jpg</image:loc></image:image></url>"
            "<url><loc>ftp://x.be/f</loc></url></urlset>")
    assert parse_sitemap(body.encode()).locations == ["https://x.be/a"]


def test_broken_xml_is_salvaged_with_an_error() -> None:
    parsed = parse_sitemap(f"<urlset {NS}><url><loc>https://x.be/a</loc></url><url><loc>https://x.be/b".encode())
    assert parsed.kind == "urlset" and "https://x.be/a" in parsed.locations
    assert parsed.error.startswith("invalid XML")


def test_garbage_and_html_are_errors_not_exceptions() -> None:
    assert parse_sitemap(b"\x00\x01\x02<<<").error
    html = parse_sitemap(b"<!doctype html><html><body>Pagina niet gevonden</body></html>")
    assert html.kind == "" and html.locations == [] and html.error
    assert parse_sitemap(b"").error == "empty sitemap"


def test_entities_are_not_resolved() -> None:
    body = (b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
            b"<urlset><url><loc>https://x.be/&secret;</loc></url></urlset>")
    parsed = parse_sitemap(body)
    assert all("file" not in loc and len(loc) < 30 for loc in parsed.locations)


def test_text_sitemap() -> None:
    parsed = parse_sitemap(b"https://x.be/a\nhttps://x.be/b\n\n")
    assert (parsed.kind, parsed.locations) == ("text", ["https://x.be/a", "https://x.be/b"])


def test_gunzip_by_magic_bytes_and_bomb_refused() -> None:
    assert maybe_gunzip(gzip.compress(b"<urlset/>")) == b"<urlset/>"
    assert maybe_gunzip(b"<urlset/>") == b"<urlset/>"
    try:
        maybe_gunzip(gzip.compress(b"0" * 10_000), limit=1000)
    except ValueError as exc:
        assert "exceeds" in str(exc)
    else:
        raise AssertionError("oversized gzip accepted")


async def test_index_with_gzip_child_nested_index_and_failures(local_site) -> None:
    base = local_site.url("")[:-1]
    xml_site(local_site, "/sitemap_index.xml", index(
        f"{base}/sitemap-paginas.xml",
        f"{base}/sitemap-nieuws.xml.gz",
        f"{base}/sub-index.xml",
        f"{base}/kapot.xml",
        f"{base}/ontbreekt.xml",
    ))
    xml_site(local_site, "/sitemap-paginas.xml", urlset(f"{base}/", f"{base}/over-ons", f"{base}/contact"))
    # gzip served as a binary download without Content-Encoding: only the magic bytes say so
    local_site.add("/sitemap-nieuws.xml.gz", body=gzip.compress(urlset(f"{base}/nieuws/1", f"{base}/over-ons").encode()),
                   content_type="application/octet-stream")
    xml_site(local_site, "/sub-index.xml", index(f"{base}/sitemap-agenda.xml"))
    # gzip with Content-Encoding: httpx decodes it transparently
    local_site.add("/sitemap-agenda.xml", body=gzip.compress(urlset(f"{base}/agenda").encode()),
                   headers={"Content-Encoding": "gzip"}, content_type="application/xml")
    xml_site(local_site, "/kapot.xml", f"<urlset {NS}><url><loc>{base}/gered</loc></url><url><loc>")

    async with make_client(UA) as client:
        urls, infos = await discover_sitemaps(client, base + "/", [f"{base}/sitemap_index.xml"])

    assert urls == [f"{base}/", f"{base}/over-ons", f"{base}/contact", f"{base}/nieuws/1", f"{base}/gered", f"{base}/agenda"]
    by_path = {info.url.removeprefix(base): info for info in infos}
    assert by_path["/sitemap_index.xml"].is_index and by_path["/sitemap_index.xml"].url_count == 5
    assert by_path["/sitemap-nieuws.xml.gz"].url_count == 2 and by_path["/sitemap-nieuws.xml.gz"].error == ""
    assert by_path["/sitemap-agenda.xml"].url_count == 1
    assert by_path["/kapot.xml"].error.startswith("invalid XML")
    assert by_path["/ontbreekt.xml"].http_status == 404 and by_path["/ontbreekt.xml"].error == "HTTP 404"


async def test_default_location_without_robots_sitemaps(local_site) -> None:
    xml_site(local_site, "/sitemap.xml", urlset(local_site.url("/a")))
    async with make_client(UA) as client:
        urls, infos = await discover_sitemaps(client, local_site.url("/start/page"))
    assert urls == [local_site.url("/a")]
    assert [i.url for i in infos] == [local_site.url("/sitemap.xml")]


async def test_no_sitemap_is_recorded_not_raised(local_site) -> None:
    async with make_client(UA) as client:
        urls, infos = await discover_sitemaps(client, local_site.url())
    assert urls == [] and infos[0].http_status == 404


async def test_bounded_urls_and_depth(local_site) -> None:
    base = local_site.url("")[:-1]
    xml_site(local_site, "/big.xml", urlset(*(f"{base}/p{i}" for i in range(100))))
    async with make_client(UA) as client:
        urls, infos = await discover_sitemaps(client, base, [f"{base}/big.xml"], max_urls=10)
    assert len(urls) == 10 and "stopped at 10 URLs" in infos[0].error

    # an index that points at itself through a chain deeper than allowed
    for level in range(1, 6):
        xml_site(local_site, f"/level{level}.xml", index(f"{base}/level{level + 1}.xml"))
    async with make_client(UA) as client:
        urls, infos = await discover_sitemaps(client, base, [f"{base}/level1.xml"], max_depth=3)
    assert [i.url.removeprefix(base) for i in infos] == ["/level1.xml", "/level2.xml", "/level3.xml"]
    assert "nested deeper" in infos[-1].error


async def test_index_loop_is_read_once(local_site) -> None:
    base = local_site.url("")[:-1]
    xml_site(local_site, "/a.xml", index(f"{base}/b.xml"))
    xml_site(local_site, "/b.xml", index(f"{base}/a.xml"))
    async with make_client(UA) as client:
        _, infos = await discover_sitemaps(client, base, [f"{base}/a.xml"], max_depth=10)
    assert len(infos) == 2
