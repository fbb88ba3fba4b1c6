"""Reliability: WAF and bot-challenge pages, in a real audit (``auditor audit`` in Chromium).

One site where some pages are challenges (Cloudflare, Akamai, Imperva, AWS WAF, DataDome, a
captcha-only page, with statuses 200, 202, 403 and 503): each is ``blocked`` with its vendor
named and never judged, the ordinary pages, including ones that mention Cloudflare and
captchas, are audited. One site whose start URL is a challenge: one clear line, exit 1."""

from __future__ import annotations

import json

import pytest

from auditor.cli.main import EXIT_ERROR
from tests.fixtures.hostile_sites import CHALLENGE_PAGES, build_challenge_site, build_challenged_start_site
from tests.e2e.test_hostile_sites import audit, hit_count

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def challenge_run(tmp_path_factory):
    site = build_challenge_site()
    with site:
        result, report, artifacts = audit(site, tmp_path_factory.mktemp("challenge") / "out", max_pages=20)
        hits, origin = site.hits, site.url("/").rstrip("/")
    pages = {page["url"].removeprefix(origin): page for page in artifacts["pages"]}
    return result, report, artifacts, pages, hits


def test_ordinary_pages_are_audited_next_to_challenges(challenge_run):
    result, report, _, pages, _ = challenge_run
    assert result.exit_code == 0, result.output
    for path in ("/", "/gewoon-1", "/over-beveiliging", "/contact"):
        assert pages[path]["status"] == "ok", (path, pages[path])
    assert pages["/over-beveiliging"]["title"] == "Over onze beveiliging"
    assert report["coverage"]["pages_blocked"] == len(CHALLENGE_PAGES) + 1  # + the ordinary 403


@pytest.mark.parametrize("path, status, vendor", [(p, s, v) for p, s, _, _, v in CHALLENGE_PAGES],
                         ids=[p[0] for p in CHALLENGE_PAGES])
def test_challenge_page_is_blocked_with_its_vendor(challenge_run, path, status, vendor):
    _, _, _, pages, _ = challenge_run
    page = pages[path]
    assert page["status"] == "blocked" and page["http_status"] == status
    assert f"bot challenge by {vendor}" in page["error"]
    assert page["footer_links"] == [] and page["header_links"] == []


def test_challenge_pages_are_never_judged(challenge_run):
    """Every challenge page has an image without alt and no lang: judged, they would fail."""
    _, report, artifacts, _, _ = challenge_run
    challenge_paths = {p for p, *_ in CHALLENGE_PAGES}
    judged = [r for r in report["results"] for url in [r.get("page_url") or ""]
              if any(url.endswith(p) for p in challenge_paths)]
    assert judged == []
    # https-everywhere alone may name them: the address a page answered on is the site's,
    # whatever answered it (and this test site is plain HTTP)
    mentioned = json.dumps([r for r in report["results"] if r["outcome"] in ("fail", "warning")
                            and r["check_id"] != "https-everywhere"])
    assert not any(f'{p}"' in mentioned for p in challenge_paths)
    assert not any(link["url"].endswith(tuple(challenge_paths)) for link in artifacts["broken_links"])
    # the page checks judged exactly the pages that are the site's own
    axe = next(r for r in report["results"] if r["check_id"] == "axe-violations")
    assert axe["pages_evaluated"] == sum(p["status"] == "ok" for p in artifacts["pages"]) == 5


def test_a_challenge_is_not_retried(challenge_run):
    _, _, _, _, hits = challenge_run
    assert hit_count(hits, "/cf-503") == 1  # a 503 that is not a challenge is retried once


def test_an_ordinary_403_stays_blocked_without_a_vendor(challenge_run):
    _, _, _, pages, _ = challenge_run
    assert pages["/verboden"]["status"] == "blocked" and pages["/verboden"]["error"] == "HTTP 403"


def test_start_url_behind_a_challenge_is_one_clear_line(tmp_path):
    site = build_challenged_start_site()
    with site:
        result, report, artifacts = audit(site, tmp_path / "out")
    assert result.exit_code == EXIT_ERROR
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "Traceback" not in result.output
    assert "nothing could be audited: the site refused the auditor (bot challenge by Cloudflare" in errors[0]
    assert [p["status"] for p in artifacts["pages"]] == ["blocked"]
    # the HTTP probe of the start URL saw it too, and says so
    start = artifacts["probes"][0]
    assert start["bot_challenge"] == "Cloudflare" and start["http_status"] == 403
    assert any("HTTP probe" in note and "Cloudflare" in note for note in report["notes"])
    assert not report["assessable"] and report["overall_score"] is None
    # no check judges the challenge: only the plain-HTTP address of a page (this test site is
    # plain HTTP) may fail; the plain-HTTP redirect could not be seen and is blocked
    failed = {r["check_id"] for r in report["results"] if r["outcome"] == "fail"}
    assert failed <= {"https-everywhere"}, failed
    redirects = next(r for r in report["results"] if r["check_id"] == "http-redirects")
    assert redirects["outcome"] == "blocked" and "Cloudflare bot challenge" in redirects["summary"]
