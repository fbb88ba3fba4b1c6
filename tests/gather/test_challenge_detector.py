"""The WAF / bot-challenge detector on pages shaped like the real interstitials, on ordinary
pages that only mention WAFs and captchas, and its strict signature loader."""

from __future__ import annotations

import pytest

from auditor.gather.challenge import ChallengeSignaturesError, detect_challenge, load_signatures
from tests.fixtures.hostile_sites import CHALLENGE_PAGES, NOT_A_CHALLENGE


@pytest.mark.parametrize("path, status, headers, body, vendor", CHALLENGE_PAGES, ids=[p[0] for p in CHALLENGE_PAGES])
def test_challenge_pages_are_detected_with_their_vendor(path, status, headers, body, vendor):
    challenge = detect_challenge(status, headers, body)
    assert challenge is not None and challenge.vendor == vendor
    assert vendor in challenge.describe(status) and f"HTTP {status}" in challenge.describe(status)


@pytest.mark.parametrize("path, status, headers, body", NOT_A_CHALLENGE, ids=[p[0] for p in NOT_A_CHALLENGE])
def test_pages_that_mention_wafs_and_captchas_are_not_challenges(path, status, headers, body):
    assert detect_challenge(status, headers, body) is None


def test_header_alone_is_enough_and_is_case_insensitive():
    assert detect_challenge(202, {"X-Amzn-Waf-Action": "Captcha"}, "").vendor == "AWS WAF"
    assert detect_challenge(200, {"x-amzn-waf-action": "allow"}, "") is None


def test_title_rule_needs_its_status():
    page = "<html><head><title>Just a moment...</title></head><body>Even geduld.</body></html>"
    assert detect_challenge(503, {}, page).vendor == "Cloudflare"
    assert detect_challenge(200, {}, page) is None  # a 200 page may be titled so; no marker, no challenge


def test_captcha_widget_on_a_short_page_with_many_links_is_not_a_captcha_page():
    links = "".join(f'<a href="/p{i}">p{i}</a>' for i in range(5))
    page = f'<html><body><div class="g-recaptcha"></div>{links}</body></html>'
    assert detect_challenge(200, {}, page) is None
    assert detect_challenge(200, {}, '<html><body><div class="g-recaptcha"></div></body></html>').vendor.startswith(
        "reCAPTCHA")


def test_broken_and_huge_html_does_not_break_the_detector():
    assert detect_challenge(200, {}, "<scr<ipt <a href=<<<" + "\x00\xff" * 1000) is None
    huge = "<p>" + "x" * 2_000_000 + '<script src="/cdn-cgi/challenge-platform/x"></script>'
    assert detect_challenge(200, {}, huge) is None  # beyond the cap: not read


def test_the_shipped_signatures_load():
    vendors = [s.vendor for s in load_signatures()]
    assert {"Cloudflare", "Akamai", "Imperva Incapsula", "AWS WAF", "DataDome"} <= set(vendors)


@pytest.mark.parametrize("text, message", [
    ("[[signature]]\nvendor = 'X'\nrules = [{ markup = 'a', header = 'b' }]\n", "exactly one of"),
    ("[[signature]]\nvendor = 'X'\nrules = [{ body = 'a' }]\n", "unknown key(s) body"),
    ("[[signature]]\nvendor = 'X'\nrules = [{ text = 'a' }]\n", "needs statuses"),
    ("[[signature]]\nvendor = 'X'\nrules = [{ markup = 'a', values = ['b'] }]\n", "values only go with header"),
    ("[[signature]]\nvendor = 'X'\nrules = [{ markup = 'a', statuses = [99] }]\n", "HTTP status codes"),
    ("[[signature]]\nvendor = 'X'\nrules = [{ markup = 'a', max_links = -1 }]\n", "max_links must be"),
    ("[[signature]]\nvendor = ''\nrules = [{ markup = 'a' }]\n", "vendor must be"),
    ("[[signature]]\nvendor = 'X'\nrules = []\n", "rules must be a non-empty list"),
    ("[[signatures]]\nvendor = 'X'\n", "unknown key(s) signatures"),
    ("vendor = [", "not valid TOML"),
])
def test_loader_refuses_mistakes_in_one_line(tmp_path, text, message):
    path = tmp_path / "signatures.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ChallengeSignaturesError) as caught:
        load_signatures(path)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_missing_file_is_one_line(tmp_path):
    with pytest.raises(ChallengeSignaturesError, match="cannot read challenge signatures"):
        load_signatures(tmp_path / "nope.toml")
