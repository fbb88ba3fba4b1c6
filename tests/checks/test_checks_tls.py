"""tls-certificate, tls-protocols and http-redirects from hand-made site artifacts: each problem is
told apart with its own rule and plain-words evidence, and a good site passes."""

from __future__ import annotations

import pytest

from auditor.model import (
    Outcome,
    PageStatus,
    Redirect,
    Site,
    SiteArtifacts,
    TlsCertificate,
    TlsInfo,
    TlsProtocol,
    TransportProbe,
)
from checks.registry import CheckContext, load_all
from checks.tls import http_redirects, tls_certificate, tls_protocols

START = "https://www.gemeente.be/"
SITE = Site(start_urls=[START])
CONTEXT = CheckContext(site=SITE)
MODERN = {"TLSv1.0": "refused", "TLSv1.1": "refused", "TLSv1.2": "accepted", "TLSv1.3": "accepted"}


def cert(**fields) -> TlsCertificate:
    values = dict(subject="CN=www.gemeente.be", subject_cn="www.gemeente.be",
                  sans=["www.gemeente.be", "gemeente.be"], issuer="CN=R11,O=Let's Encrypt", issuer_cn="R11",
                  not_before="2026-01-01T00:00:00+00:00", not_after="2026-12-31T00:00:00+00:00", days_left=200,
                  key_type="EC", key_size=256, key_curve="secp256r1", signature_hash="sha256",
                  fingerprint_sha256="ab" * 32, matches_host=True)
    values.update(fields)
    return TlsCertificate(**values)


def tls(host: str = "www.gemeente.be", role: str = "start", *, protocols: dict[str, str] | None = None,
        certificate: TlsCertificate | None = None, **fields) -> TlsInfo:
    values = dict(host=host, port=443, role=role, reachable=True, verified=True,
                  negotiated_protocol="TLSv1.3", certificate=certificate or cert())
    values.update(fields)
    protocol_status = MODERN if protocols is None else protocols
    return TlsInfo(protocols=[TlsProtocol(version=v, status=s) for v, s in protocol_status.items()], **values)


def twin_unresolved() -> TlsInfo:
    return TlsInfo(host="gemeente.be", role="twin", failure="dns_resolution_error",
                   error="cannot resolve gemeente.be",
                   protocols=[TlsProtocol(version=v, status="not_tested") for v in MODERN])


def site(**fields) -> SiteArtifacts:
    return SiteArtifacts(site=SITE, **fields)


def rules(result) -> list[str]:
    return [f.rule for f in result.findings]


def test_checks_are_registered_as_site_checks():
    registry = load_all()
    for check_id in ("tls-certificate", "tls-protocols", "http-redirects"):
        assert registry[check_id].scope == "site"


# ----------------------------------------------------------------------------- tls-certificate


def test_good_certificate_passes_and_twin_not_in_use_is_ignored():
    result = tls_certificate(site(tls=[tls(), twin_unresolved()]), CONTEXT)
    assert result.outcome == Outcome.PASS, result.summary
    assert "valid until 2026-12-31" in result.summary and "R11" in result.summary
    assert result.details["not_in_use"] == ["gemeente.be: the host name does not resolve (cannot resolve gemeente.be)"]
    assert result.details["hosts"][0]["certificate"].startswith("issued to www.gemeente.be, gemeente.be")


@pytest.mark.parametrize("info, rule, words", [
    (tls(verified=False, verify_reason="expired", verify_error="certificate has expired",
         certificate=cert(expired=True, days_left=-12, not_after="2026-01-05T00:00:00+00:00")),
     "expired", "expired on 2026-01-05 (12 days ago)"),
    (tls(verified=False, verify_reason="not_yet_valid", certificate=cert(not_yet_valid=True,
                                                                          not_before="2030-01-01T00:00:00+00:00")),
     "not-yet-valid", "only valid from 2030-01-01"),
    (tls(verified=False, verify_reason="hostname_mismatch",
         certificate=cert(sans=["andere.be"], subject_cn="andere.be", matches_host=False)),
     "hostname-mismatch", "for andere.be, not for www.gemeente.be"),
    (tls(verified=False, verify_reason="self_signed",
         certificate=cert(self_signed=True, issuer_cn="www.gemeente.be", issuer="CN=www.gemeente.be")),
     "self-signed", "signed by itself (www.gemeente.be)"),
    (tls(verified=False, verify_reason="unknown_issuer", certificate=cert(issuer_cn="Intern CA")),
     "unknown-issuer", "issued by Intern CA, which is not a trusted certificate authority"),
    (tls(certificate=cert(key_type="RSA", key_size=1024, key_curve="")), "weak-key", "RSA key of 1024 bits"),
    (tls(certificate=cert(signature_hash="sha1", signature_hash_weak=True)), "weak-signature", "uses SHA1"),
])
def test_each_certificate_problem_has_its_own_rule_and_plain_words(info, rule, words):
    result = tls_certificate(site(tls=[info]), CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert rule in rules(result)
    finding = next(f for f in result.findings if f.rule == rule)
    evidence = finding.evidence[0]
    assert words in evidence.value
    assert evidence.expected
    assert evidence.page_url == "https://www.gemeente.be/"
    assert "issued to" in evidence.snippet  # the certificate itself is shown
    assert finding.fingerprint == f"tls-certificate:{rule}:www.gemeente.be"


def test_self_signed_and_unknown_issuer_and_expired_are_told_apart():
    expired = tls(verified=False, verify_reason="expired", certificate=cert(expired=True, days_left=-1))
    self_signed = tls(verified=False, verify_reason="self_signed", certificate=cert(self_signed=True))
    unknown = tls(verified=False, verify_reason="unknown_issuer")
    assert rules(tls_certificate(site(tls=[expired]), CONTEXT)) == ["expired"]
    assert rules(tls_certificate(site(tls=[self_signed]), CONTEXT)) == ["self-signed"]
    assert rules(tls_certificate(site(tls=[unknown]), CONTEXT)) == ["unknown-issuer"]


def test_certificate_expiring_within_30_days_warns():
    result = tls_certificate(site(tls=[tls(certificate=cert(days_left=12, not_after="2026-03-01T00:00:00+00:00"))]),
                             CONTEXT)
    assert result.outcome == Outcome.WARNING
    assert rules(result) == ["expires-soon"]
    assert "in 12 days" in result.findings[0].evidence[0].value


def test_twin_host_with_a_bad_certificate_fails_on_its_own_host():
    twin = tls("gemeente.be", "twin", verified=False, verify_reason="hostname_mismatch",
               certificate=cert(sans=["www.gemeente.be"], matches_host=False))
    result = tls_certificate(site(tls=[tls(), twin]), CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert [f.fingerprint for f in result.findings] == ["tls-certificate:hostname-mismatch:gemeente.be"]


def test_unreachable_start_host_is_blocked_with_the_reason():
    down = TlsInfo(host="www.gemeente.be", role="start", failure="connection_refused",
                   error="connection to www.gemeente.be:443 refused")
    result = tls_certificate(site(tls=[down]), CONTEXT)
    assert result.outcome == Outcome.BLOCKED
    assert "connection was refused" in result.summary and result.score is None


def test_refused_modern_handshake_with_certificate_is_a_failure_not_blocked():
    legacy_only = tls(verified=False, verify_reason="handshake_failed", negotiated_protocol="TLSv1.0",
                      verify_error="[SSL: UNSUPPORTED_PROTOCOL] unsupported protocol")
    result = tls_certificate(site(tls=[legacy_only]), CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert rules(result) == ["rejected-handshake-failed"]
    assert "TLSv1.0" in result.findings[0].evidence[0].value


def test_no_tls_probe_is_not_applicable():
    assert tls_certificate(site(), CONTEXT).outcome == Outcome.NOT_APPLICABLE


# ----------------------------------------------------------------------------- tls-protocols


def test_modern_protocols_only_pass():
    result = tls_protocols(site(tls=[tls(), twin_unresolved()]), CONTEXT)
    assert result.outcome == Outcome.PASS
    assert "accepts TLSv1.2, TLSv1.3" in result.summary


def test_legacy_protocol_offered_fails():
    result = tls_protocols(site(tls=[tls(protocols={**MODERN, "TLSv1.0": "accepted"})]), CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert rules(result) == ["legacy-protocol"]
    assert "accepts TLSv1.0" in result.findings[0].evidence[0].value


def test_no_modern_protocol_fails():
    result = tls_protocols(site(tls=[tls(protocols={"TLSv1.0": "accepted", "TLSv1.1": "accepted",
                                                    "TLSv1.2": "refused", "TLSv1.3": "refused"})]), CONTEXT)
    assert set(rules(result)) == {"legacy-protocol", "no-modern-protocol"}


def test_untestable_versions_are_said_not_counted_as_refused():
    result = tls_protocols(site(tls=[tls(protocols={**MODERN, "TLSv1.0": "not_testable", "TLSv1.1": "not_testable"})]),
                           CONTEXT)
    assert result.outcome == Outcome.PASS
    assert "TLSv1.0, TLSv1.1 could not be tested" in result.summary


def test_tls12_only_passes_with_a_note():
    result = tls_protocols(site(tls=[tls(protocols={**MODERN, "TLSv1.3": "refused"})]), CONTEXT)
    assert result.outcome == Outcome.PASS
    assert "TLS 1.3 not offered" in result.summary


def test_protocols_of_an_unreachable_host_are_blocked():
    result = tls_protocols(site(tls=[TlsInfo(host="www.gemeente.be", role="start", failure="timeout",
                                             protocols=[TlsProtocol(version="TLSv1.2", status="not_tested")])]),
                           CONTEXT)
    assert result.outcome == Outcome.BLOCKED


# ----------------------------------------------------------------------------- http-redirects


def probe(url: str, hops: list[tuple[str, int]], final: str, status: int | None = 200, **fields) -> TransportProbe:
    return TransportProbe(url=url, redirects=[Redirect(url=u, status=s) for u, s in hops], final_url=final,
                          http_status=status, **fields)


GOOD_PROBES = [
    probe(START, [], START),
    probe("http://www.gemeente.be/", [("http://www.gemeente.be/", 301)], START),
    probe("http://gemeente.be/", [("http://gemeente.be/", 301), ("https://gemeente.be/", 301)], START),
]


def test_both_host_names_redirecting_straight_to_https_pass():
    result = http_redirects(site(probes=GOOD_PROBES), CONTEXT)
    assert result.outcome == Outcome.PASS, result.summary
    assert "http://gemeente.be/ (301) → https://gemeente.be/ (301) → https://www.gemeente.be/ answered 200" \
        in result.details["chains"]


def test_http_without_redirect_fails():
    bad = probe("http://gemeente.be/", [], "http://gemeente.be/")
    result = http_redirects(site(probes=[GOOD_PROBES[1], bad]), CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert rules(result) == ["no-redirect"]
    assert "answers 200 over plain HTTP and does not redirect" in result.findings[0].evidence[0].value
    assert result.findings[0].evidence[0].expected == "a redirect (301 or 308) from http://gemeente.be/ to https://gemeente.be/"


def test_first_redirect_to_another_host_warns():
    off_host = probe("http://gemeente.be/", [("http://gemeente.be/", 301)], START)
    result = http_redirects(site(probes=[GOOD_PROBES[1], off_host]), CONTEXT)
    assert result.outcome == Outcome.WARNING
    assert rules(result) == ["first-redirect-off-host"]
    assert "first redirects to https://www.gemeente.be/" in result.findings[0].evidence[0].value


def test_first_redirect_to_plain_http_fails():
    via_http = probe("http://gemeente.be/", [("http://gemeente.be/", 301), ("http://www.gemeente.be/", 301)], START)
    result = http_redirects(site(probes=[via_http]), CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert rules(result) == ["first-redirect-not-https"]


def test_chain_ending_on_plain_http_fails():
    ends_http = probe("http://www.gemeente.be/", [("http://www.gemeente.be/", 301), ("https://www.gemeente.be/", 302)],
                      "http://www.gemeente.be/home")
    assert rules(http_redirects(site(probes=[ends_http]), CONTEXT)) == ["ends-on-http"]


def test_plain_http_not_served_passes_and_unresolved_twin_is_not_in_use():
    refused = TransportProbe(url="http://www.gemeente.be/", final_url="http://www.gemeente.be/",
                             failure=PageStatus.CONNECTION_REFUSED, error="connection refused")
    unresolved = TransportProbe(url="http://gemeente.be/", final_url="http://gemeente.be/",
                                failure=PageStatus.DNS_RESOLUTION_ERROR, error="host name not resolved")
    result = http_redirects(site(probes=[refused, unresolved]), CONTEXT)
    assert result.outcome == Outcome.PASS
    assert result.details["addresses_evaluated"] == 1
    assert any("not in use" in chain for chain in result.details["chains"])


def test_no_plain_http_probe_is_not_applicable():
    result = http_redirects(site(probes=[probe("https://www.gemeente.be:8443/", [], "https://www.gemeente.be:8443/")]),
                            CheckContext(site=Site(start_urls=["https://www.gemeente.be:8443/"])))
    assert result.outcome == Outcome.NOT_APPLICABLE
