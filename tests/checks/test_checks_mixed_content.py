"""mixed-content and subresource-integrity from hand-made page artifacts (DOM and network log)."""

from __future__ import annotations

from auditor.model import Outcome, PageArtifacts, RequestRecord, Site
from checks.mixed_content import mixed_content, subresource_integrity
from checks.registry import CheckContext

URL = "https://www.gemeente.be/"
CONTEXT = CheckContext(site=Site(start_urls=[URL]))


def page(body: str = "", requests: list[RequestRecord] | None = None, url: str = URL) -> PageArtifacts:
    html = f"<!doctype html><html lang='nl'><head><title>t</title></head><body>{body}</body></html>"
    return PageArtifacts(url=url, final_url=url, http_status=200, html=html, requests=requests or [])


def rules(result) -> list[str]:
    return [f.rule for f in result.findings]


# ----------------------------------------------------------------------------- mixed-content


def test_clean_https_page_passes():
    good = page('<script src="/app.js"></script><img src="https://cdn.gemeente.be/logo.png" alt="">'
                '<a href="http://andere-site.be/">links are not loads</a>'
                '<form action="/zoeken"><input name="q"></form>',
                [RequestRecord(url="https://www.gemeente.be/app.js", resource_type="script")])
    result = mixed_content(good, CONTEXT)
    assert result.outcome == Outcome.PASS and result.findings == []


def test_active_mixed_content_in_the_dom_fails_with_the_element():
    result = mixed_content(page('<script src="http://cdn.example/lib.js"></script>'
                                '<link rel="stylesheet" href="http://cdn.example/site.css">'
                                '<iframe src="http://kaart.example/"></iframe>'), CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert rules(result) == ["active-mixed-content"]
    finding = result.findings[0]
    assert finding.occurrences == 3
    values = [e.value for e in finding.evidence]
    assert "http://cdn.example/lib.js (<script src>)" in values
    assert any('<link href="http://cdn.example/site.css"' in e.snippet for e in finding.evidence)
    assert finding.evidence[0].expected.startswith("the same resource from an https:// address")


def test_passive_mixed_content_is_a_warning():
    result = mixed_content(page('<img src="http://cdn.example/foto.jpg" alt="foto">'
                                '<img srcset="https://x.example/a.jpg 1x, http://x.example/b.jpg 2x" alt="">'), CONTEXT)
    assert result.outcome == Outcome.WARNING
    assert rules(result) == ["passive-mixed-content"]
    assert {e.value.split()[0] for e in result.findings[0].evidence} == {"http://cdn.example/foto.jpg",
                                                                          "http://x.example/b.jpg"}


def test_network_log_adds_fetches_fonts_and_websockets_that_the_dom_does_not_show():
    log = [
        RequestRecord(url="http://api.example/data.json", resource_type="fetch"),
        RequestRecord(url="http://fonts.example/f.woff2", resource_type="font"),
        RequestRecord(url="ws://live.example/socket", resource_type="websocket"),
        RequestRecord(url="http://cdn.example/foto.jpg", resource_type="image"),
        RequestRecord(url="https://www.gemeente.be/ok.js", resource_type="script"),
    ]
    result = mixed_content(page("", log), CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert result.details["active"] == ["http://api.example/data.json", "http://fonts.example/f.woff2",
                                        "ws://live.example/socket"]
    assert result.details["passive"] == ["http://cdn.example/foto.jpg"]


def test_same_address_in_dom_and_log_is_one_occurrence_and_active_wins():
    result = mixed_content(page('<img src="http://cdn.example/x">',
                                [RequestRecord(url="http://cdn.example/x", resource_type="script")]), CONTEXT)
    assert result.details["active"] == ["http://cdn.example/x"] and result.details["passive"] == []
    assert result.findings[0].evidence[0].snippet.startswith("<img")


def test_the_pages_own_http_navigation_is_not_mixed_content():
    artifacts = page("", [RequestRecord(url="http://www.gemeente.be/", resource_type="document")])
    artifacts.url = "http://www.gemeente.be/"
    assert mixed_content(artifacts, CONTEXT).outcome == Outcome.PASS


def test_form_posting_to_http_fails():
    result = mixed_content(page('<form method="post" action="http://formulier.example/verstuur">'
                                '<input name="naam"></form>'), CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert rules(result) == ["form-posts-to-http"]
    assert result.findings[0].evidence[0].selector == 'form[action="http://formulier.example/verstuur"]'


def test_http_page_is_not_applicable():
    assert mixed_content(page('<script src="http://x/y.js"></script>', url="http://www.gemeente.be/"),
                         CONTEXT).outcome == Outcome.NOT_APPLICABLE


# ----------------------------------------------------------------------------- subresource-integrity


def test_third_party_script_without_integrity_warns():
    result = subresource_integrity(page(
        '<script src="https://cdn.example/lib.js"></script>'
        '<script src="https://cdn.example/pinned.js" integrity="sha384-abc" crossorigin="anonymous"></script>'
        '<script src="/eigen.js"></script><script src="https://static.gemeente.be/x.js"></script>'), CONTEXT)
    assert result.outcome == Outcome.WARNING
    assert result.details == {"third_party_scripts": 2, "without_integrity": ["https://cdn.example/lib.js"]}
    assert result.findings[0].evidence[0].expected.startswith('integrity="sha384-')


def test_network_log_third_party_flag_decides():
    flagged = [RequestRecord(url="https://static.gemeente.be/x.js", resource_type="script", third_party=True)]
    result = subresource_integrity(page('<script src="https://static.gemeente.be/x.js"></script>', flagged), CONTEXT)
    assert result.outcome == Outcome.WARNING


def test_all_third_party_scripts_pinned_passes_and_none_is_not_applicable():
    pinned = page('<script src="https://cdn.example/a.js" integrity="sha256-xyz"></script>')
    assert subresource_integrity(pinned, CONTEXT).outcome == Outcome.PASS
    assert subresource_integrity(page('<script src="/a.js"></script>'), CONTEXT).outcome == Outcome.NOT_APPLICABLE
