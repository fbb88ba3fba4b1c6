"""Site checks from hand-made site artifacts: HTTPS, broken links, statement pages."""

from __future__ import annotations

import pytest

from auditor.model import (
    BrokenLink,
    LinkRecord,
    Outcome,
    PageStatus,
    PageSummary,
    ResourceRecord,
    Site,
    SiteArtifacts,
    TransportProbe,
)
from checks.links import broken_links, broken_links_outcome
from checks.registry import CheckContext
from checks.statements import (
    accessibility_statement_linked,
    contact_page_linked,
    privacy_statement_linked,
)
from checks.transport import https_everywhere

BASE = "https://www.gemeente.be"
SITE = Site(start_urls=[f"{BASE}/"])
CONTEXT = CheckContext(site=SITE)


def summary(path: str, status: PageStatus = PageStatus.OK, *, final: str | None = None,
            footer: list[tuple[str, str]] | None = None, **fields) -> PageSummary:
    url = path if path.startswith("http") else f"{BASE}{path}"
    return PageSummary(
        url=url,
        final_url=final if final is not None else (url if status == PageStatus.OK else ""),
        status=status,
        footer_links=[LinkRecord(url=u if u.startswith("http") else f"{BASE}{u}", text=t, in_footer=True)
                      for u, t in (footer or [])],
        **fields,
    )


def artifacts(**fields) -> SiteArtifacts:
    return SiteArtifacts(site=SITE, **fields)


# ----------------------------------------------------------------------------- https-everywhere


def test_https_everywhere_passes_when_pages_are_https_and_http_redirects():
    site = artifacts(
        pages=[summary("/"), summary("/contact")],
        probes=[TransportProbe(url="http://www.gemeente.be/", final_url=f"{BASE}/", http_status=200)],
    )
    result = https_everywhere(site, CONTEXT)
    assert result.outcome == Outcome.PASS
    assert result.score == 1.0
    assert result.details["http_redirect_probed"] is True


def test_http_start_that_does_not_redirect_fails():
    site = artifacts(
        pages=[summary("/")],
        probes=[TransportProbe(url="http://gemeente.be/", final_url="http://gemeente.be/", http_status=200)],
    )
    result = https_everywhere(site, CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert result.score == pytest.approx(1 / 2)
    assert [f.rule for f in result.findings] == ["http-no-redirect"]


def test_plain_http_not_served_at_all_is_secure():
    site = artifacts(
        pages=[summary("/")],
        probes=[TransportProbe(url="http://www.gemeente.be/", error="connection refused",
                               failure=PageStatus.CONNECTION_REFUSED)],
    )
    assert https_everywhere(site, CONTEXT).outcome == Outcome.PASS


def test_pages_on_plain_http_are_listed():
    site = artifacts(pages=[
        summary("/"),
        summary("/oud", final="http://www.gemeente.be/oud"),
        summary("/kapot", PageStatus.CONNECTION_REFUSED),  # never answered: no scheme to judge
    ])
    result = https_everywhere(site, CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert result.details["pages_checked"] == 2
    finding = result.findings[0]
    assert finding.rule == "page-not-https"
    assert finding.pages == ["http://www.gemeente.be/oud"]
    assert result.score == pytest.approx(1 / 2)


def test_https_everywhere_not_applicable_without_anything_to_judge():
    assert https_everywhere(artifacts(), CONTEXT).outcome == Outcome.NOT_APPLICABLE


# ----------------------------------------------------------------------------- broken-links


@pytest.mark.parametrize("broken, tried, outcome", [
    (0, 50, Outcome.PASS),
    (1, 50, Outcome.WARNING),
    (4, 50, Outcome.WARNING),
    (5, 50, Outcome.FAIL),
    (1, 5, Outcome.FAIL),  # one of five internal URLs broken is 20 %: too many
])
def test_broken_links_thresholds(broken, tried, outcome):
    assert broken_links_outcome(broken, tried) == outcome


def test_broken_links_counts_error_answers_and_ignores_refusals():
    site = artifacts(
        pages=[summary(f"/p{i}") for i in range(30)],
        broken_links=[
            BrokenLink(url=f"{BASE}/weg", http_status=404, linked_from=[f"{BASE}/p1", f"{BASE}/p2"]),
            BrokenLink(url=f"{BASE}/stuk", http_status=500, linked_from=[f"{BASE}/p3"]),
            BrokenLink(url=f"{BASE}/geheim", http_status=403, linked_from=[f"{BASE}/p4"]),
            BrokenLink(url=f"{BASE}/traag", error="timeout", linked_from=[f"{BASE}/p5"]),
        ],
    )
    result = broken_links(site, CONTEXT)
    assert result.outcome == Outcome.WARNING
    assert result.details["broken_urls"] == 2
    assert result.details["not_counted_total"] == 2
    assert result.score == pytest.approx(1 - 2 / 32)
    first = result.findings[0]
    assert first.pages == [f"{BASE}/p1", f"{BASE}/p2"]
    assert first.occurrences == 2
    assert first.fingerprint == "broken-links:gemeente.be/weg"


def test_visited_pages_with_error_status_count_once_even_if_also_listed():
    site = artifacts(
        pages=[summary("/"), summary("/weg", PageStatus.HTTP_ERROR, http_status=404, found_on=f"{BASE}/")]
              + [summary(f"/ok{i}") for i in range(20)],
        broken_links=[BrokenLink(url=f"{BASE}/weg/", http_status=404, linked_from=[f"{BASE}/"])],
    )
    result = broken_links(site, CONTEXT)
    assert result.details["broken_urls"] == 1
    assert len(result.findings) == 1


def test_many_broken_links_fail():
    site = artifacts(
        pages=[summary(f"/p{i}") for i in range(100)],
        broken_links=[BrokenLink(url=f"{BASE}/dood{i}", http_status=404, linked_from=[f"{BASE}/"])
                      for i in range(6)],
    )
    result = broken_links(site, CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert len(result.findings) == 6


def test_no_broken_links_passes():
    result = broken_links(artifacts(pages=[summary("/")]), CONTEXT)
    assert result.outcome == Outcome.PASS
    assert result.score == 1.0


# ----------------------------------------------------------------------------- statements

STATEMENT = f"{BASE}/toegankelijkheidsverklaring"


def test_statement_found_loaded_and_in_every_footer_passes():
    footer = [("/toegankelijkheidsverklaring", "Toegankelijkheid")]
    site = artifacts(
        pages=[summary("/", footer=footer), summary("/nieuws", footer=footer),
               summary("/toegankelijkheidsverklaring", roles=["accessibility"], footer=footer)],
        role_pages={"accessibility": STATEMENT},
    )
    result = accessibility_statement_linked(site, CONTEXT)
    assert result.outcome == Outcome.PASS
    assert result.score == 1.0


def test_pages_lacking_the_footer_link_are_listed_as_evidence():
    footer = [("/toegankelijkheidsverklaring", "Toegankelijkheid")]
    site = artifacts(
        pages=[summary("/", footer=footer), summary("/nieuws", footer=[("/nieuws", "Nieuws")]),
               summary("/toegankelijkheidsverklaring", footer=footer),
               summary("/formulier")],  # no footer recognised: not held against the site
        role_pages={"accessibility": STATEMENT},
    )
    result = accessibility_statement_linked(site, CONTEXT)
    assert result.outcome == Outcome.WARNING
    assert result.score == pytest.approx(0.5 + 0.5 * 2 / 3)
    finding = result.findings[0]
    assert finding.pages == [f"{BASE}/nieuws"]
    assert finding.pages_total == 1


def test_footer_link_to_an_alias_counts_by_its_words():
    site = artifacts(
        pages=[summary("/", footer=[("/privacy", "Privacy")]),
               summary("/privacy", final=f"{BASE}/over-ons/privacyverklaring", footer=[("/privacy", "Privacy")])],
        role_pages={"privacy": f"{BASE}/over-ons/privacyverklaring"},
    )
    assert privacy_statement_linked(site, CONTEXT).outcome == Outcome.PASS


def test_missing_statement_fails():
    site = artifacts(pages=[summary("/", footer=[("/nieuws", "Nieuws")])])
    result = privacy_statement_linked(site, CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert result.score == 0.0
    assert result.findings[0].rule == "privacy-missing"


@pytest.mark.parametrize("status, outcome", [
    (PageStatus.HTTP_ERROR, Outcome.FAIL),
    (PageStatus.BLOCKED, Outcome.BLOCKED),
    (PageStatus.BROWSER_CRASH, Outcome.ERROR),
])
def test_statement_page_that_did_not_load(status, outcome):
    site = artifacts(
        pages=[summary("/"), summary("/contact", status, http_status=404 if status == PageStatus.HTTP_ERROR else None)],
        role_pages={"contact": f"{BASE}/contact"},
    )
    result = contact_page_linked(site, CONTEXT)
    assert result.outcome == outcome
    assert (result.score == 0.0) if outcome == Outcome.FAIL else (result.score is None)


def test_statement_as_a_document_warns_and_unvisited_needs_a_person():
    as_pdf = artifacts(pages=[summary("/")], role_pages={"accessibility": f"{BASE}/verklaring.pdf"},
                       resources=[ResourceRecord(url=f"{BASE}/verklaring.pdf", content_type="application/pdf")])
    assert accessibility_statement_linked(as_pdf, CONTEXT).outcome == Outcome.WARNING
    unvisited = artifacts(pages=[summary("/")], role_pages={"accessibility": STATEMENT})
    result = accessibility_statement_linked(unvisited, CONTEXT)
    assert result.outcome == Outcome.MANUAL
    assert result.score is None


def test_statement_checks_are_not_judged_when_no_page_loaded():
    blocked = artifacts(pages=[summary("/", PageStatus.BLOCKED, http_status=403)])
    assert contact_page_linked(blocked, CONTEXT).outcome == Outcome.BLOCKED
    assert contact_page_linked(artifacts(), CONTEXT).outcome == Outcome.NOT_APPLICABLE


def test_a_link_in_the_header_menu_counts_like_a_footer_link():
    footer = [("/nieuws", "Nieuws")]
    menu = [LinkRecord(url=f"{BASE}/contact", text="Contact", in_header=True)]
    contact = summary("/contact", footer=footer, roles=["contact"])
    with_menu = summary("/", footer=footer, header_links=menu)
    without_menu = summary("/nieuws", footer=footer)
    site = artifacts(pages=[with_menu, without_menu, contact], role_pages={"contact": f"{BASE}/contact"})
    result = contact_page_linked(site, CONTEXT)
    assert result.outcome == Outcome.WARNING
    assert result.findings[0].pages == [f"{BASE}/nieuws", f"{BASE}/contact"]
    site.pages[1] = summary("/nieuws", footer=footer, header_links=menu)
    site.pages[2] = summary("/contact", footer=footer, roles=["contact"], header_links=menu)
    assert contact_page_linked(site, CONTEXT).outcome == Outcome.PASS
