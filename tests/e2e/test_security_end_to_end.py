"""End-to-end: the ``auditor audit`` command on local HTTPS sites under real-looking host names
(``--resolve`` + ``--ca-bundle`` with the suite's trustme CA), in real Chromium.

A well-configured site passes every security check and its TLS probe is stored; a badly
configured one is told apart check by check with the evidence; a site whose certificate cannot
be trusted is not assessable, and the TLS check says why with the certificate."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli.main import main
from tests.fixtures.fixture_site import html_page
from tests.fixtures.localserver import LocalSite

pytestmark = pytest.mark.browser

HOST = "www.gemeente.test"
TWIN = "gemeente.test"
GOOD_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'self'",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def expires_in(days: int) -> str:
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def audit(site: LocalSite, out: Path, ca_file: Path | None, *hosts: str):
    start = f"https://{HOST}:{site.port}/"
    args = ["audit", start, "--out", str(out), "--max-pages", "3", "--delay", "0", "--quiet"]
    for host in hosts or (HOST,):
        args += ["--resolve", f"{host}:{site.port}:127.0.0.1"]
    if ca_file is not None:
        args += ["--ca-bundle", str(ca_file)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    report = json.loads((out / "result.json").read_text(encoding="utf-8"))
    artifacts = json.loads((out / "artifacts" / "site.json").read_text(encoding="utf-8"))
    return result, report, artifacts


def outcomes(report: dict) -> dict[str, str]:
    return {r["check_id"]: r["outcome"] for r in report["results"]}


def result_of(report: dict, check_id: str) -> dict:
    return next(r for r in report["results"] if r["check_id"] == check_id)


@pytest.fixture
def ca_file(ca, tmp_path) -> Path:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


def test_well_configured_site_passes_and_tls_is_stored(ca, ca_file, tmp_path):
    site = LocalSite(tls_cert=ca.issue_cert(HOST, TWIN))
    site.add("/", body=html_page("Gemeente Testdorp", '<p>Welkom.</p><a href="/contact">Contact</a>'
                                 '<img src="/logo.png" alt="Logo">'), headers=GOOD_HEADERS)
    site.add("/contact", body=html_page("Contact", "<p>Bel ons.</p>"), headers=GOOD_HEADERS)
    site.add("/logo.png", body=b"\x89PNG\r\n\x1a\n", content_type="image/png", headers=GOOD_HEADERS)
    site.add("/.well-known/security.txt", content_type="text/plain; charset=utf-8",
             body=f"Contact: mailto:security@gemeente.test\nExpires: {expires_in(180)}\n")
    with site:
        result, report, artifacts = audit(site, tmp_path / "out", ca_file, HOST, TWIN)
    assert result.exit_code == 0, result.output
    stored = {t["host"]: t for t in artifacts["tls"]}
    assert set(stored) == {HOST, TWIN}
    assert stored[HOST]["verified"] and stored[TWIN]["verified"]
    assert "trustme" in stored[HOST]["certificate"]["issuer"] and stored[HOST]["certificate"]["days_left"] > 30
    assert {p["version"]: p["status"] for p in stored[HOST]["protocols"]}["TLSv1.3"] == "accepted"
    assert artifacts["security_txt"]["http_status"] == 200
    seen = outcomes(report)
    for check_id in ("tls-certificate", "tls-protocols", "security-txt", "mixed-content", "hsts",
                     "security-headers", "https-everywhere"):
        assert seen[check_id] == "pass", (check_id, result_of(report, check_id)["summary"])
    # an https:// start URL on another port: the plain-HTTP port is unknown, and the report says so
    assert seen["http-redirects"] == "not_applicable"
    transport = next(c for c in report["criteria"] if c["criterion_id"] == "P5-G-01")
    assert transport["outcome"] == "pass" and transport["score"] == 1.0
    assert result_of(report, "tls-certificate")["details"]["hosts"][0]["certificate"].startswith(f"issued to {HOST}")


def test_badly_configured_site_is_told_apart_check_by_check(ca, ca_file, tmp_path):
    now = dt.datetime.now(dt.timezone.utc)
    leaf = ca.issue_cert(HOST, not_before=now - dt.timedelta(days=90), not_after=now - dt.timedelta(days=2))
    site = LocalSite(tls_cert=leaf)
    weak_headers = {"X-Content-Type-Options": "nosniff", "Set-Cookie": "sessionid=abc123; Path=/"}
    site.add("/", headers=weak_headers, body=html_page(
        "Gemeente Slordig",
        '<p>Welkom.</p><script src="http://cdn.gemeente.test/lib.js"></script>'
        '<img src="http://cdn.gemeente.test/foto.jpg" alt="Foto">'
        '<form action="http://formulier.gemeente.test/verstuur" method="post"><input name="naam"></form>'))
    with site:
        result, report, artifacts = audit(site, tmp_path / "out", ca_file)
    assert result.exit_code == 0, result.output
    seen = outcomes(report)

    certificate = result_of(report, "tls-certificate")
    assert seen["tls-certificate"] == "fail"
    assert [f["rule"] for f in certificate["findings"]] == ["expired"]
    assert "expired on" in certificate["findings"][0]["evidence"][0]["value"]
    assert f"issued to {HOST}" in certificate["findings"][0]["evidence"][0]["snippet"]

    mixed = result_of(report, "mixed-content")
    assert seen["mixed-content"] == "fail"
    assert {f["rule"] for f in mixed["findings"]} == {"active-mixed-content", "passive-mixed-content",
                                                     "form-posts-to-http"}
    assert seen["hsts"] == "fail"
    header_rules = {f["rule"] for f in result_of(report, "security-headers")["findings"]}
    assert {"hsts-missing", "csp-missing", "x-frame-options-missing"} <= header_rules
    cookies = result_of(report, "cookie-security")
    assert seen["cookie-security"] == "fail"
    assert {f["rule"] for f in cookies["findings"]} >= {"no-secure", "session-no-httponly"}
    # the HTTP client verifies like a browser: with an expired certificate security.txt cannot be
    # read, which is said (its own expiry is tested at probe level)
    security_txt = result_of(report, "security-txt")
    assert seen["security-txt"] == "blocked" and "certificate has expired" in security_txt["summary"]
    assert artifacts["tls"][0]["verify_reason"] == "expired"


def test_untrusted_certificate_is_not_assessable_and_the_tls_check_says_why(ca, tmp_path):
    site = LocalSite(tls_cert=ca.issue_cert(HOST))
    site.add("/", body=html_page("Gemeente", "<p>Welkom.</p>"))
    with site:
        result, report, _ = audit(site, tmp_path / "out", None)  # no --ca-bundle: the test CA is unknown
    assert "Traceback" not in result.output
    assert result.exit_code == 1
    assert report["assessable"] is False
    assert "invalid_ssl_cert" in report["not_assessable_reason"]
    certificate = result_of(report, "tls-certificate")
    assert certificate["outcome"] == "fail"
    assert [f["rule"] for f in certificate["findings"]] == ["unknown-issuer"]
    evidence = certificate["findings"][0]["evidence"][0]
    assert "not a trusted certificate authority" in evidence["value"]
    assert f"issued to {HOST}" in evidence["snippet"]
