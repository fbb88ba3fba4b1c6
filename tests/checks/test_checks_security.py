"""Security header, HSTS and cookie checks from hand-made page artifacts: each problem is flagged
with the right rule and evidence, and a well-configured page passes."""

from __future__ import annotations

import pytest

from auditor.model import CookieRecord, Outcome, PageArtifacts, Site
from checks.registry import CheckContext, load_all
from checks.security_headers import (
    cookie_security,
    grade_for,
    hsts,
    looks_like_session_cookie,
    security_headers,
)

URL = "https://www.gemeente.be/"
CONTEXT = CheckContext(site=Site(start_urls=[URL]))

GOOD_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; frame-ancestors 'self'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "SAMEORIGIN",
    "referrer-policy": "strict-origin-when-cross-origin",
    "strict-transport-security": "max-age=31536000; includeSubDomains; preload",
}


def page(headers: dict[str, str] | None = None, *, url: str = URL, html: str = "", meta=None,
         cookies: list[CookieRecord] | None = None, drop: tuple[str, ...] = ()) -> PageArtifacts:
    merged = dict(GOOD_HEADERS if headers is None else headers)
    for name in drop:
        merged.pop(name, None)
    return PageArtifacts(url=url, final_url=url, http_status=200, headers=merged, html=html,
                         meta=meta or {}, cookies=cookies or [])


def rules(result) -> set[str]:
    return {f.rule for f in result.findings}


# ----------------------------------------------------------------------------- security-headers


def test_checks_are_registered():
    registry = load_all()
    for check_id in ("security-headers", "hsts", "cookie-security"):
        assert registry[check_id].scope == "page"


def test_good_page_gets_a_plus_and_passes():
    result = security_headers(page(), CONTEXT)
    assert result.outcome == Outcome.PASS
    assert result.details["grade"] == "A+"
    assert result.score == 1.0
    assert result.findings == []
    # 100 + 5 (strict CSP) + 5 (frame-ancestors) + 5 (private referrer)
    assert result.details["points"] == 115


@pytest.mark.parametrize("header, rule, base, points", [
    ("content-security-policy", "csp-missing", 75, 75),
    ("x-content-type-options", "x-content-type-options-missing", 95, 110),  # 95 ≥ 90: bonuses count
    ("strict-transport-security", "hsts-missing", 80, 80),
])
def test_each_missing_header_costs_its_modifier(header, rule, base, points):
    result = security_headers(page(drop=(header,)), CONTEXT)
    assert rule in rules(result)
    assert result.details["base_points"] == base
    assert result.details["points"] == points
    finding = next(f for f in result.findings if f.rule == rule)
    assert finding.evidence[0].value and finding.evidence[0].expected


def test_missing_csp_is_a_warning_grade_b():
    result = security_headers(page(drop=("content-security-policy",)), CONTEXT)
    assert result.outcome == Outcome.WARNING
    assert result.details["grade"] == "B"
    assert result.score == 0.75
    # without CSP, X-Frame-Options alone protects against framing: no penalty, no bonus
    assert "x-frame-options-missing" not in rules(result)


def test_no_framing_protection_at_all():
    headers = dict(GOOD_HEADERS, **{"content-security-policy": "default-src 'self'"})
    headers.pop("x-frame-options")
    result = security_headers(page(headers), CONTEXT)
    assert "x-frame-options-missing" in rules(result)
    assert result.details["points"] == 80


def test_frame_ancestors_replaces_x_frame_options():
    result = security_headers(page(drop=("x-frame-options",)), CONTEXT)
    assert not {r for r in rules(result) if r.startswith("x-frame-options")}
    assert result.outcome == Outcome.PASS


def test_unsafe_inline_scripts_in_csp():
    headers = dict(GOOD_HEADERS, **{"content-security-policy": "default-src 'self' 'unsafe-inline'; frame-ancestors 'none'"})
    result = security_headers(page(headers), CONTEXT)
    assert "csp-unsafe-inline" in rules(result)
    assert result.details["points"] == 80  # bonuses do not count below 90
    assert result.outcome == Outcome.WARNING


def test_unsafe_inline_with_a_nonce_is_not_penalised():
    headers = dict(GOOD_HEADERS, **{
        "content-security-policy": "script-src 'nonce-abc' 'unsafe-inline'; frame-ancestors 'self'"})
    assert "csp-unsafe-inline" not in rules(security_headers(page(headers), CONTEXT))


def test_csp_in_meta_counts_but_not_its_frame_ancestors():
    html = ('<html><head><meta http-equiv="Content-Security-Policy" '
            'content="default-src \'self\'; frame-ancestors \'none\'"></head><body></body></html>')
    result = security_headers(page(html=html, drop=("content-security-policy", "x-frame-options")), CONTEXT)
    assert "csp-missing" not in rules(result)
    assert result.details["csp"]["source"] == "meta"
    assert "x-frame-options-missing" in rules(result)


def test_report_only_csp_counts_as_missing():
    headers = dict(GOOD_HEADERS)
    headers["content-security-policy-report-only"] = headers.pop("content-security-policy")
    result = security_headers(page(headers), CONTEXT)
    finding = next(f for f in result.findings if f.rule == "csp-missing")
    assert "Report-Only" in finding.evidence[0].value


def test_referrer_policy_missing_is_noted_unsafe_costs_five():
    missing = security_headers(page(drop=("referrer-policy",)), CONTEXT)
    assert "referrer-policy-missing" in rules(missing)
    assert missing.details["modifiers"]["referrer-policy-missing"] == 0
    unsafe = security_headers(page(dict(GOOD_HEADERS, **{"referrer-policy": "unsafe-url"})), CONTEXT)
    assert "referrer-policy-unsafe" in rules(unsafe)
    assert unsafe.details["base_points"] == 95


def test_short_hsts_costs_ten():
    result = security_headers(page(dict(GOOD_HEADERS, **{"strict-transport-security": "max-age=86400"})), CONTEXT)
    assert "hsts-short" in rules(result)
    assert result.details["base_points"] == 90
    assert result.details["points"] == 105  # at 90 the bonuses still count
    assert result.outcome == Outcome.PASS


def test_bare_page_fails_with_grade_f_and_every_problem_named():
    result = security_headers(page({}), CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert result.details["points"] == 30  # 100 - 25 - 5 - 20 - 0 - 20
    assert result.details["grade"] == "D"
    assert rules(result) == {"csp-missing", "x-content-type-options-missing", "x-frame-options-missing",
                             "referrer-policy-missing", "hsts-missing"}
    assert result.score == pytest.approx(0.30)


def test_http_pages_are_not_applicable():
    result = security_headers(page({}, url="http://www.gemeente.be/"), CONTEXT)
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.score is None


@pytest.mark.parametrize("points, letter", [(115, "A+"), (100, "A+"), (95, "A"), (90, "A"), (85, "A-"),
                                            (80, "B+"), (75, "B"), (65, "B-"), (60, "C+"), (50, "C"),
                                            (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"), (20, "F"), (0, "F")])
def test_grade_steps_follow_the_observatory(points, letter):
    assert grade_for(points) == letter


# ----------------------------------------------------------------------------- hsts


def test_hsts_one_year_passes_and_notes_flags():
    result = hsts(page(), CONTEXT)
    assert result.outcome == Outcome.PASS
    assert result.details["include_subdomains"] and result.details["preload"]


def test_hsts_short_is_a_warning():
    result = hsts(page({"strict-transport-security": "max-age=15768000"}), CONTEXT)
    assert result.outcome == Outcome.WARNING
    assert rules(result) == {"hsts-short"}
    assert "182 days" in result.findings[0].evidence[0].value


def test_hsts_missing_fails():
    result = hsts(page({}), CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert rules(result) == {"hsts-missing"}


def test_hsts_invalid_fails():
    result = hsts(page({"strict-transport-security": "max-age=forever"}), CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert rules(result) == {"hsts-invalid"}


def test_hsts_not_applicable_over_http():
    assert hsts(page({}, url="http://www.gemeente.be/"), CONTEXT).outcome == Outcome.NOT_APPLICABLE


# ----------------------------------------------------------------------------- cookies


def cookie(name: str, *, secure=True, http_only=True, same_site="Lax", first_seen_on=URL) -> CookieRecord:
    return CookieRecord(name=name, domain="www.gemeente.be", secure=secure, http_only=http_only,
                        same_site=same_site, first_seen_on=first_seen_on)


def test_no_cookies_is_not_applicable():
    assert cookie_security(page(), CONTEXT).outcome == Outcome.NOT_APPLICABLE


def test_cookies_first_seen_elsewhere_are_not_judged_again():
    result = cookie_security(page(cookies=[cookie("PHPSESSID", secure=False,
                                                  first_seen_on="https://www.gemeente.be/other")]), CONTEXT)
    assert result.outcome == Outcome.NOT_APPLICABLE


def test_protected_cookies_pass():
    result = cookie_security(page(cookies=[cookie("PHPSESSID"), cookie("lang", http_only=False)]), CONTEXT)
    assert result.outcome == Outcome.PASS
    assert result.score == 1.0


def test_cookie_without_secure_on_https_fails():
    result = cookie_security(page(cookies=[cookie("lang", secure=False, http_only=False)]), CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert rules(result) == {"no-secure"}
    assert "lang" in result.findings[0].evidence[0].value


def test_session_cookie_without_httponly_fails():
    result = cookie_security(page(cookies=[cookie("ASP.NET_SessionId", http_only=False)]), CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert rules(result) == {"session-no-httponly"}


def test_missing_samesite_and_none_without_secure_warn():
    result = cookie_security(page(cookies=[cookie("prefs", same_site="")]), CONTEXT)
    assert result.outcome == Outcome.WARNING
    assert rules(result) == {"samesite"}
    over_http = page(url="http://www.gemeente.be/",
                     cookies=[cookie("prefs", secure=False, same_site="None",
                                     first_seen_on="http://www.gemeente.be/")])
    result = cookie_security(over_http, CONTEXT)
    assert result.outcome == Outcome.WARNING  # no Secure requirement on plain HTTP, but SameSite=None
    assert rules(result) == {"samesite"}


@pytest.mark.parametrize("name, session", [("JSESSIONID", True), ("sid", True), ("auth_token", True),
                                           ("PHPSESSID", True), ("_ga", False), ("lang", False)])
def test_session_cookie_names(name, session):
    assert looks_like_session_cookie(name) is session
