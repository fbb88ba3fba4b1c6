"""The crawl frontier: BFS order, dedupe, scope, robots, limits, must-visit, resources."""

from __future__ import annotations

from auditor.crawl.frontier import Frontier
from auditor.model import SkipReason
from auditor.crawl.robots import RobotsRules
from auditor.shared.urls import Scope

SITE = "https://www.gemeente.be/"


def make(**kwargs) -> Frontier:
    scope = kwargs.pop("scope", None) or Scope([SITE])
    frontier = Frontier(scope=scope, **kwargs)
    frontier.add_start(SITE)
    return frontier


def drain(frontier: Frontier) -> list[str]:
    urls = []
    while (item := frontier.next()) is not None:
        urls.append(item.url)
    return urls


def reasons(frontier: Frontier) -> dict[str, SkipReason]:
    return {s.url: s.reason for s in frontier.skipped}


def test_breadth_first_by_depth() -> None:
    frontier = make()
    assert frontier.next().url == SITE
    frontier.add(SITE + "a", 1, SITE)
    frontier.add(SITE + "b", 1, SITE)
    item = frontier.next()
    assert (item.url, item.depth, item.found_on) == (SITE + "a", 1, SITE)
    frontier.add(SITE + "a/deep", 2, SITE + "a")
    frontier.add(SITE + "c", 1, SITE)
    assert drain(frontier) == [SITE + "b", SITE + "a/deep", SITE + "c"]
    assert frontier.next() is None


def test_duplicates_are_offered_once() -> None:
    frontier = make()
    variants = [
        SITE + "nieuws", SITE + "nieuws/", SITE + "nieuws#top", SITE + "nieuws?utm_source=x&fbclid=y",
        "https://WWW.GEMEENTE.BE:443/nieuws", "https://www.gemeente.be/./nieuws",
    ]
    queued = [frontier.add(url, 1, SITE) for url in variants]
    assert queued == [True, False, False, False, False, False]
    assert frontier.add(SITE, 1, SITE + "nieuws") is False  # the start page itself
    assert drain(frontier) == [SITE, SITE + "nieuws"]
    assert frontier.skipped == []


def test_out_of_scope_and_unsupported_are_skipped_with_reason() -> None:
    frontier = make()
    assert not frontier.add("https://www.facebook.com/gemeente", 1, SITE)
    assert not frontier.add("mailto:info@gemeente.be", 1, SITE)
    assert not frontier.add("javascript:void(0)", 1, SITE)
    assert not frontier.add("mailto:info@gemeente.be", 1, SITE + "b")  # counted once
    assert reasons(frontier) == {
        "https://www.facebook.com/gemeente": SkipReason.OUT_OF_SCOPE,
        "mailto:info@gemeente.be": SkipReason.UNSUPPORTED_SCHEME,
        "javascript:void(0)": SkipReason.UNSUPPORTED_SCHEME,
    }
    assert frontier.skipped[0].found_on == SITE
    assert frontier.skipped_total == 3


def test_sibling_subdomains_only_with_option() -> None:
    narrow = make()
    wide = make(scope=Scope([SITE], include_subdomains=True))
    for frontier in (narrow, wide):
        frontier.add("https://loket.gemeente.be/aanvraag", 1, SITE)
    assert reasons(narrow) == {"https://loket.gemeente.be/aanvraag": SkipReason.OUT_OF_SCOPE}
    assert "https://loket.gemeente.be/aanvraag" in drain(wide)


def test_include_exclude_patterns_but_start_url_always_admitted() -> None:
    frontier = make(scope=Scope([SITE], include=[r"/nl/"], exclude=[r"/nl/archief"]))
    frontier.add(SITE + "nl/nieuws", 1, SITE)
    frontier.add(SITE + "fr/actualites", 1, SITE)
    frontier.add(SITE + "nl/archief/2001", 1, SITE)
    assert drain(frontier) == [SITE, SITE + "nl/nieuws"]
    assert set(reasons(frontier).values()) == {SkipReason.EXCLUDED_BY_PATTERN}
    assert len(frontier.skipped) == 2


def test_robots_disallow_honoured() -> None:
    rules = RobotsRules.parse("User-agent: *\nDisallow: /intern/\n")
    frontier = make(robots=lambda url: rules.can_fetch(url, "auditor"))
    frontier.add(SITE + "intern/personeel", 1, SITE)
    frontier.add(SITE + "intern/handleiding.pdf", 1, SITE)
    frontier.add(SITE + "publiek", 1, SITE)
    assert drain(frontier) == [SITE, SITE + "publiek"]
    assert frontier.next_resource() is None
    assert set(reasons(frontier).values()) == {SkipReason.ROBOTS_DISALLOWED}


def test_depth_limit() -> None:
    frontier = make(max_depth=1)
    frontier.add(SITE + "a", 1, SITE)
    frontier.add(SITE + "a/b", 2, SITE + "a")
    assert drain(frontier) == [SITE, SITE + "a"]
    assert reasons(frontier) == {SITE + "a/b": SkipReason.DEPTH_LIMIT}


def test_page_budget_counts_start_page() -> None:
    frontier = make(max_pages=3)
    for i in range(5):
        frontier.add(f"{SITE}p{i}", 1, SITE)
    assert drain(frontier) == [SITE, SITE + "p0", SITE + "p1"]
    assert [s.reason for s in frontier.skipped] == [SkipReason.PAGE_BUDGET] * 3


def test_must_visit_admitted_past_budget_bounded_per_role_and_first() -> None:
    frontier = make(max_pages=2)
    frontier.add(SITE + "nieuws", 1, SITE)
    frontier.add(SITE + "agenda", 1, SITE)  # over budget
    frontier.add(SITE + "legaal/privacyverklaring", 1, SITE, "Privacy")
    frontier.add(SITE + "toegankelijkheid", 1, SITE, "Toegankelijkheidsverklaring")
    frontier.add(SITE + "contact", 3, SITE, "Contact")
    frontier.add(SITE + "privacy-2", 1, SITE, "Privacybeleid")
    frontier.add(SITE + "privacy-3", 1, SITE, "Privacy")  # third privacy page: over the role cap
    assert frontier.next().url == SITE
    visited = drain(frontier)
    # must-visit pages jump the queue so a time budget cannot starve them
    assert visited[:4] == [SITE + "legaal/privacyverklaring", SITE + "toegankelijkheid", SITE + "contact", SITE + "privacy-2"]
    assert visited[4:] == [SITE + "nieuws"]
    assert reasons(frontier) == {SITE + "agenda": SkipReason.PAGE_BUDGET, SITE + "privacy-3": SkipReason.PAGE_BUDGET}
    assert frontier.stats().must_visit_extra == 4


def test_must_visit_roles_travel_with_the_item() -> None:
    frontier = make()
    frontier.next()
    frontier.add(SITE + "legaal/privacy-en-cookies", 1, SITE, "Privacy")
    frontier.add(SITE + "legaal/privacy-en-cookies/", 1, SITE, "Cookiebeleid")  # same page, more roles
    item = frontier.next()
    assert item.roles == ("privacy", "cookies")
    assert frontier.role_links["privacy"] == [SITE + "legaal/privacy-en-cookies"]


def test_page_skipped_for_budget_is_lifted_when_found_as_must_visit() -> None:
    frontier = make(max_pages=1)
    frontier.add(SITE + "over-ons/contact", 1, SITE, "Meer info")  # path says contact → admitted
    frontier.add(SITE + "info", 1, SITE, "Meer info")  # budget full
    assert reasons(frontier) == {SITE + "info": SkipReason.PAGE_BUDGET}
    assert frontier.add(SITE + "info", 1, SITE + "x", "Contacteer ons")
    assert frontier.skipped == [] and frontier.skipped_total == 0
    assert drain(frontier) == [SITE, SITE + "over-ons/contact", SITE + "info"]


def test_out_of_scope_role_link_is_noted_not_visited() -> None:
    frontier = make()
    frontier.add("https://authenticatie.vlaanderen.be/op/v1/auth", 1, SITE, "Aanmelden")
    assert frontier.role_links == {"login": ["https://authenticatie.vlaanderen.be/op/v1/auth"]}
    assert reasons(frontier)["https://authenticatie.vlaanderen.be/op/v1/auth"] is SkipReason.OUT_OF_SCOPE


def test_documents_go_to_the_resource_queue_not_the_budget() -> None:
    frontier = make(max_pages=1, max_resources=2)
    assert frontier.add(SITE + "reglement.pdf", 1, SITE, "Reglement (PDF)")
    assert frontier.add(SITE + "formulier.docx", 1, SITE)
    assert not frontier.add(SITE + "foto.jpg", 1, SITE)  # over the resource cap
    assert drain(frontier) == [SITE]
    first = frontier.next_resource()
    assert (first.url, first.found_on, first.is_resource) == (SITE + "reglement.pdf", SITE, True)
    assert frontier.next_resource().url == SITE + "formulier.docx"
    assert frontier.next_resource() is None
    assert reasons(frontier) == {SITE + "foto.jpg": SkipReason.NOT_HTML}
    assert frontier.stats().resources == 2


def test_skipped_list_is_capped_but_everything_is_counted() -> None:
    frontier = make(max_skipped=3)
    for i in range(10):
        frontier.add(f"https://elders.be/{i}", 1, SITE)
    assert len(frontier.skipped) == 3
    assert frontier.skipped_total == 10


def test_counters_for_progress() -> None:
    frontier = make(max_pages=3)
    for path in ("a", "b", "c", "d"):
        frontier.add(SITE + path, 1, SITE)
    frontier.add(SITE + "doc.pdf", 1, SITE)
    frontier.next()
    stats = frontier.stats()
    assert (stats.discovered, stats.queued, stats.visited, stats.remaining) == (6, 3, 1, 2)
    assert (stats.resources, stats.skipped) == (1, 2)


def test_redirect_target_marked_seen() -> None:
    frontier = make()
    frontier.next()
    frontier.mark_seen(SITE + "nieuw-adres/")
    assert frontier.is_seen(SITE + "nieuw-adres")
    assert not frontier.add(SITE + "nieuw-adres", 1, SITE)
    assert frontier.next() is None


def test_skip_remaining_on_time_budget() -> None:
    frontier = make()
    frontier.add(SITE + "a", 1, SITE)
    frontier.add(SITE + "b", 1, SITE)
    frontier.next()
    dropped = frontier.skip_remaining()
    assert [d.url for d in dropped] == [SITE + "a", SITE + "b"]
    assert {s.reason for s in frontier.skipped} == {SkipReason.TIME_BUDGET}
    assert frontier.stats().visited == 1 and frontier.remaining == 0


async def test_robots_and_sitemap_feed_the_frontier(local_site) -> None:
    """The crawl start as the runner will do it: robots → sitemaps → frontier."""
    from auditor.crawl.http import make_client
    from auditor.crawl.robots import fetch_robots
    from auditor.crawl.sitemaps import discover_sitemaps

    agent = "Mozilla/5.0 (compatible; auditor/0.1)"
    base = local_site.url("")[:-1]
    local_site.add("/robots.txt", body=f"User-agent: *\nDisallow: /intern/\nSitemap: {base}/sm.xml\n",
                   content_type="text/plain")
    entries = "".join(f"<url><loc>{base}{p}</loc></url>" for p in
                      ["/", "/nieuws", "/intern/lonen", "/nieuws/?utm_source=sm", "/plan.pdf"])
    local_site.add("/sm.xml", body=f"<urlset>{entries}</urlset>", content_type="application/xml")
    async with make_client(agent) as client:
        robots_info, rules = await fetch_robots(client, base + "/", agent)
        urls, _ = await discover_sitemaps(client, base + "/", robots_info.sitemaps)
    frontier = Frontier(scope=Scope([base + "/"]), robots=lambda u: rules.can_fetch(u, agent))
    frontier.add_start(base + "/")
    for url in urls:
        frontier.add(url, 1, "sitemap")
    assert drain(frontier) == [base + "/", base + "/nieuws"]
    assert reasons(frontier) == {base + "/intern/lonen": SkipReason.ROBOTS_DISALLOWED}
    assert frontier.next_resource().url == base + "/plan.pdf"


def test_claim_takes_a_visited_url_out_of_the_queue():
    frontier = Frontier(Scope(["https://www.gemeente.be/"]), max_pages=10)
    frontier.add_start("https://www.gemeente.be/")
    frontier.add("https://www.gemeente.be/a", depth=1, found_on="https://www.gemeente.be/")
    assert frontier.claim("https://www.gemeente.be/") is True
    assert frontier.claim("https://www.gemeente.be/elders") is False  # never queued: now seen
    assert frontier.add("https://www.gemeente.be/elders", depth=1, found_on="x") is False
    assert frontier.next().url == "https://www.gemeente.be/a"
    assert frontier.next() is None
