"""security-txt from hand-made probe results: valid, expired, missing and the RFC 9116 details."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from auditor.model import Outcome, PageStatus, SecurityTxtInfo, Site, SiteArtifacts
from checks.registry import CheckContext
from checks.security_txt import parse_expires, parse_security_txt, security_txt

URL = "https://www.gemeente.be/.well-known/security.txt"
SITE = Site(start_urls=["https://www.gemeente.be/"])
CONTEXT = CheckContext(site=SITE)
FETCHED = datetime(2026, 6, 1, tzinfo=timezone.utc)
GOOD = "# Gemeente\nContact: mailto:security@gemeente.be\nExpires: 2026-12-31T23:00:00.000Z\nPreferred-Languages: nl, en\n"


def info(text: str = GOOD, status: int | None = 200, content_type: str = "text/plain; charset=utf-8",
         url: str = URL, **fields) -> SecurityTxtInfo:
    return SecurityTxtInfo(url=url, final_url=url, http_status=status, content_type=content_type, text=text,
                           fetched_at=FETCHED, **fields)


def run(probe: SecurityTxtInfo | None):
    return security_txt(SiteArtifacts(site=SITE, security_txt=probe), CONTEXT)


def rules(result) -> list[str]:
    return [f.rule for f in result.findings]


def test_valid_file_passes():
    result = run(info())
    assert result.outcome == Outcome.PASS, result.summary
    assert result.details["contact"] == ["mailto:security@gemeente.be"]
    assert "expires 2026-12-31T23:00:00.000Z" in result.summary


def test_expired_file_fails_with_the_date():
    result = run(info(GOOD.replace("2026-12-31", "2026-01-31")))
    assert result.outcome == Outcome.FAIL
    assert rules(result) == ["expired"]
    assert "Expires: 2026-01-31T23:00:00.000Z (120 days before it was fetched)" in result.findings[0].evidence[0].value


@pytest.mark.parametrize("probe, words", [
    (info("<html><body>Welkom</body></html>", content_type="text/html"), "answers with a web page"),
    (info("", status=404), "answers 404"),
    (info("   \n"), "is empty"),
])
def test_missing_file_fails(probe, words):
    result = run(probe)
    assert result.outcome == Outcome.FAIL
    assert rules(result) == ["missing"]
    assert words in result.findings[0].evidence[0].value
    assert "Contact: mailto:" in result.findings[0].evidence[0].expected


def test_missing_fields_fail_each_with_its_rule():
    assert rules(run(info("Expires: 2026-12-31T23:00:00Z\n"))) == ["no-contact"]
    assert rules(run(info("Contact: mailto:a@b.be\n"))) == ["no-expires"]
    assert rules(run(info("Contact: mailto:a@b.be\nExpires: volgend jaar\n"))) == ["expires-unreadable"]
    assert rules(run(info(GOOD + "Expires: 2026-11-30T23:00:00Z\n"))) == ["several-expires"]


def test_warnings_far_expiry_wrong_type_and_http_contact():
    result = run(info("Contact: http://www.gemeente.be/meld\nExpires: 2029-01-01T00:00:00Z\n",
                      content_type="application/octet-stream"))
    assert result.outcome == Outcome.WARNING
    assert set(rules(result)) == {"expires-far", "content-type", "contact-not-https"}


def test_served_over_plain_http_fails():
    result = run(info(url="http://www.gemeente.be/.well-known/security.txt"))
    assert rules(result) == ["not-https"]


def test_network_failure_and_refusal_are_blocked_and_not_probed_is_not_applicable():
    assert run(info("", status=None, failure=PageStatus.TIMEOUT, error="timed out")).outcome == Outcome.BLOCKED
    assert run(info("", status=403)).outcome == Outcome.BLOCKED
    assert run(None).outcome == Outcome.NOT_APPLICABLE


def test_signed_file_is_read_inside_the_signature():
    signed = ("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" + GOOD
              + "-----BEGIN PGP SIGNATURE-----\n\niQIzBAEBCAAdFiEE\n-----END PGP SIGNATURE-----\n")
    parsed = parse_security_txt(signed)
    assert parsed.signed and parsed.values("contact") == ["mailto:security@gemeente.be"]
    assert "hash" not in parsed.fields and "iqizbaebcaadfiee" not in parsed.fields
    assert run(info(signed)).outcome == Outcome.PASS


def test_expires_needs_a_time_and_an_offset():
    assert parse_expires("2026-12-31T23:00:00.000Z") == datetime(2026, 12, 31, 23, tzinfo=timezone.utc)
    assert parse_expires("2026-12-31T23:00:00+02:00") is not None
    assert parse_expires("2026-12-31") is None
    assert parse_expires("2026-12-31T23:00:00") is None
