"""robots.txt parsing and fetching, with Google's conventions for failures."""

from __future__ import annotations

import socket

from auditor.crawl.http import make_client
from auditor.crawl.robots import RobotsRules, fetch_robots, robots_url

AGENT = "Mozilla/5.0 (compatible; auditor/0.1; +https://example.org/auditor)"

ROBOTS = """\ufeffUser-agent: *
Disallow: /intern/
Disallow: /*.pdf$
Allow: /intern/publiek
Crawl-delay: 2

User-agent: BadBot
Disallow: /

Sitemap: https://www.gemeente.be/sitemap_index.xml
Sitemap: https://www.gemeente.be/sitemap-nieuws.xml.gz
"""


def test_parse_rules() -> None:
    rules = RobotsRules.parse(ROBOTS)
    assert rules.can_fetch("https://www.gemeente.be/nieuws", AGENT)
    assert not rules.can_fetch("https://www.gemeente.be/intern/personeel", AGENT)
    assert rules.can_fetch("https://www.gemeente.be/intern/publiek/info", AGENT)  # longest match
    assert not rules.can_fetch("https://www.gemeente.be/docs/reglement.pdf", AGENT)
    assert rules.crawl_delay(AGENT) == 2.0
    assert rules.sitemaps == [
        "https://www.gemeente.be/sitemap_index.xml",
        "https://www.gemeente.be/sitemap-nieuws.xml.gz",
    ]
    assert not rules.disallows_everything(AGENT)


def test_group_for_our_agent_token() -> None:
    rules = RobotsRules.parse("User-agent: auditor\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    assert rules.disallows_everything(AGENT)
    assert not rules.disallows_everything("SomeOtherBot/1.0")


def test_disallows_everything_only_for_a_blanket_rule() -> None:
    assert RobotsRules.parse("User-agent: *\nDisallow: /").disallows_everything(AGENT)
    assert not RobotsRules.parse("User-agent: *\nDisallow: /$").disallows_everything(AGENT)
    assert not RobotsRules.parse("").disallows_everything(AGENT)
    assert not RobotsRules.parse("<html><body>Not a robots file</body></html>").disallows_everything(AGENT)


def test_blanket_rules() -> None:
    assert RobotsRules.allow_all().can_fetch("https://x.be/a", AGENT)
    assert not RobotsRules.disallow_all().can_fetch("https://x.be/a", AGENT)
    assert RobotsRules.disallow_all().sitemaps == []


def test_robots_url() -> None:
    assert robots_url("https://www.x.be:8443/a/b?c=1#d") == "https://www.x.be:8443/robots.txt"


async def test_fetch_found(local_site) -> None:
    local_site.add("/robots.txt", body=ROBOTS, content_type="text/plain")
    async with make_client(AGENT) as client:
        info, rules = await fetch_robots(client, local_site.url("/start"), AGENT)
    assert info.found and info.http_status == 200 and info.error == ""
    assert info.url == local_site.url("/robots.txt")
    assert info.crawl_delay == 2.0 and len(info.sitemaps) == 2
    assert not info.disallows_everything
    assert not rules.can_fetch(local_site.url("/intern/x"), AGENT)


async def test_fetch_missing_means_allow_all(local_site) -> None:
    async with make_client(AGENT) as client:
        info, rules = await fetch_robots(client, local_site.url(), AGENT)
    assert (info.found, info.http_status, info.error) == (False, 404, "")
    assert rules.can_fetch(local_site.url("/anything"), AGENT)


async def test_fetch_forbidden_is_allow_all_with_a_note(local_site) -> None:
    local_site.add("/robots.txt", status=403, body="forbidden")
    async with make_client(AGENT) as client:
        info, rules = await fetch_robots(client, local_site.url(), AGENT)
    assert info.http_status == 403 and "allow-all" in info.error
    assert rules.can_fetch(local_site.url("/a"), AGENT)


async def test_fetch_server_error_disallows_everything(local_site) -> None:
    local_site.add("/robots.txt", status=500, body="boom")
    async with make_client(AGENT) as client:
        info, rules = await fetch_robots(client, local_site.url(), AGENT, retries=0)
    assert info.http_status == 500 and info.disallows_everything and info.error
    assert not rules.can_fetch(local_site.url("/"), AGENT)


async def test_fetch_unreachable_disallows_everything() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with make_client(AGENT, timeout=2) as client:
        info, rules = await fetch_robots(client, f"http://127.0.0.1:{port}/", AGENT)
    assert info.http_status is None and info.disallows_everything
    assert "unreachable" in info.error and "refused" in info.error
    assert not rules.can_fetch(f"http://127.0.0.1:{port}/", AGENT)


async def test_fetch_follows_redirect(local_site) -> None:
    local_site.redirect("/robots.txt", "/real-robots.txt")
    local_site.add("/real-robots.txt", body="User-agent: *\nDisallow: /", content_type="text/plain")
    async with make_client(AGENT) as client:
        info, _ = await fetch_robots(client, local_site.url(), AGENT)
    assert info.found and info.disallows_everything
