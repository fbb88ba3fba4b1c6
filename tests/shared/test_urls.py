"""URL normalisation, de-duplication keys, scope, documents and private addresses."""

from __future__ import annotations

import pytest

from auditor.model import SkipReason
from auditor.shared.urls import (
    Scope,
    is_http_url,
    is_private_address,
    looks_like_document,
    normalize_url,
    registrable_domain,
    url_key,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://WWW.Gemeente.BE/Nieuws", "http://www.gemeente.be/Nieuws"),  # path case kept
        ("https://www.gemeente.be:443/a", "https://www.gemeente.be/a"),
        ("http://www.gemeente.be:80/a", "http://www.gemeente.be/a"),
        ("http://www.gemeente.be:8080/a", "http://www.gemeente.be:8080/a"),
        ("https://www.gemeente.be/a#inhoud", "https://www.gemeente.be/a"),
        ("https://www.gemeente.be", "https://www.gemeente.be/"),
        ("https://www.gemeente.be?", "https://www.gemeente.be/"),
        ("https://user:pw@www.gemeente.be/a", "https://www.gemeente.be/a"),
        ("https://www.gemeente.be/a/./b/../c", "https://www.gemeente.be/a/c"),
        ("https://www.gemeente.be/a;jsessionid=0A1B2C?x=1", "https://www.gemeente.be/a?x=1"),
        ("https://www.gemeente.be/caf%c3%a9", "https://www.gemeente.be/caf%C3%A9"),
        ("https://www.gemeente.be/café", "https://www.gemeente.be/caf%C3%A9"),
        ("https://www.gemeente.be./a", "https://www.gemeente.be/a"),
        ("http://[::1]:8080/", "http://[::1]:8080/"),
    ],
)
def test_normalize_url(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


def test_idn_host_becomes_punycode() -> None:
    assert normalize_url("https://www.Bücher.BE/") == "https://www.xn--bcher-kva.be/"
    assert url_key("https://www.bücher.be") == url_key("https://www.xn--bcher-kva.be/")


def test_tracking_parameters_removed_and_query_sorted() -> None:
    url = "https://x.be/zoek?utm_source=nb&q=afval&fbclid=abc&gclid=1&mc_cid=2&mc_eid=3&_ga=4&b=2&utm_medium=mail"
    assert normalize_url(url) == "https://x.be/zoek?b=2&q=afval"
    assert url_key("https://x.be/zoek?q=afval&b=2") == url_key(url)


def test_meaningful_parameters_are_kept() -> None:
    assert normalize_url("https://x.be/?page=2&id=") == "https://x.be/?id=&page=2"
    assert url_key("https://x.be/?page=2") != url_key("https://x.be/?page=3")


def test_trailing_slash_collapses_in_key_but_not_in_url() -> None:
    assert url_key("https://x.be/a/") == url_key("https://x.be/a") == "https://x.be/a"
    assert normalize_url("https://x.be/a/") == "https://x.be/a/"  # the server may care
    assert url_key("https://x.be") == url_key("https://x.be/") == "https://x.be/"
    assert url_key("https://x.be/a/?q=1") == "https://x.be/a?q=1"


def test_key_distinguishes_pages() -> None:
    keys = {url_key(u) for u in ["https://x.be/a", "https://x.be/A", "https://x.be/a?x=1", "http://x.be/a"]}
    assert len(keys) == 4


def test_relative_urls_resolve_against_base() -> None:
    assert normalize_url("../b#top", base="https://x.be/a/c/") == "https://x.be/a/b"


@pytest.mark.parametrize("bad", ["mailto:a@x.be", "tel:+32", "javascript:void(0)", "ftp://x.be/f", "/relative", "http://x.be:99999/", "https:///nohost"])
def test_normalize_rejects_what_cannot_be_crawled(bad: str) -> None:
    with pytest.raises(ValueError):
        normalize_url(bad)
    assert not is_http_url(bad) or bad.startswith("http://x.be:")


def test_is_http_url() -> None:
    assert is_http_url("https://x.be/")
    assert is_http_url("HTTP://x.be")
    assert not is_http_url("mailto:a@x.be")
    assert not is_http_url("x.be/a")


@pytest.mark.parametrize(
    "url",
    ["https://x.be/reglement.pdf", "https://x.be/Formulier.DOCX", "https://x.be/a/data.xlsx?v=2",
     "https://x.be/plan.odt", "https://x.be/foto.jpg", "https://x.be/archief.zip", "https://x.be/setup.exe",
     "https://x.be/podcast.mp3", "https://x.be/lijst.csv", "https://x.be/boek.epub", "https://x.be/a.pptx"],
)
def test_documents_recognised(url: str) -> None:
    assert looks_like_document(url)


@pytest.mark.parametrize(
    "url",
    ["https://x.be/", "https://x.be/nieuws", "https://x.be/index.html", "https://x.be/page.php?id=pdf",
     "https://x.be/pdf/", "https://x.be/v1.2/over-ons", "https://x.be/default.aspx"],
)
def test_pages_are_not_documents(url: str) -> None:
    assert not looks_like_document(url)


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost", "LOCALHOST.", "app.localhost", "10.1.2.3", "172.16.0.1", "192.168.1.1",
     "169.254.169.254", "::1", "[::1]", "fe80::1%eth0", "fc00::1", "0.0.0.0", "::ffff:127.0.0.1", "100.64.0.1"],
)
def test_private_addresses(host: str) -> None:
    assert is_private_address(host)


@pytest.mark.parametrize("host", ["8.8.8.8", "193.191.0.1", "2a02:2c40::1", "www.vlaanderen.be", "10.example.be"])
def test_public_addresses_and_names(host: str) -> None:
    assert not is_private_address(host)


class TestScope:
    def test_start_host_and_www_variant_in_scope(self) -> None:
        scope = Scope(["https://www.gemeente.be/"])
        assert scope.check("https://www.gemeente.be/nieuws") is None
        assert scope.check("http://gemeente.be/a") is None  # apex and other scheme: same site
        assert scope.check("https://loket.gemeente.be/") is SkipReason.OUT_OF_SCOPE
        assert scope.check("https://www.andere-gemeente.be/") is SkipReason.OUT_OF_SCOPE
        assert scope.check("https://www.gemeente.be:8443/") is SkipReason.OUT_OF_SCOPE
        assert scope.check("mailto:info@gemeente.be") is SkipReason.UNSUPPORTED_SCHEME

    def test_sibling_subdomains_with_option(self) -> None:
        scope = Scope(["https://www.gemeente.be/"], include_subdomains=True)
        assert scope.check("https://loket.gemeente.be/aanvraag") is None
        assert scope.check("https://a.b.gemeente.be/") is None
        assert scope.check("https://gemeente.be.evil.com/") is SkipReason.OUT_OF_SCOPE
        assert scope.check("https://www.vlaanderen.be/") is SkipReason.OUT_OF_SCOPE

    def test_registrable_domain_offline_public_suffix(self) -> None:
        assert registrable_domain("www.gemeente.be") == "gemeente.be"
        assert registrable_domain("a.b.example.co.uk") == "example.co.uk"
        assert registrable_domain("127.0.0.1") == ""

    def test_ip_start_host_has_no_siblings(self) -> None:
        scope = Scope(["http://127.0.0.1:8000/"], include_subdomains=True)
        assert scope.check("http://127.0.0.1:8000/a") is None
        assert scope.check("http://127.0.0.1:9000/a") is SkipReason.OUT_OF_SCOPE
        assert scope.check("http://127.0.0.2:8000/a") is SkipReason.OUT_OF_SCOPE

    def test_include_and_exclude_patterns(self) -> None:
        scope = Scope(["https://x.be/"], include=[r"/nl/", r"/over-ons"], exclude=[r"\?page=\d+", r"/nl/archief/"])
        assert scope.check("https://x.be/nl/nieuws") is None
        assert scope.check("https://x.be/over-ons") is None
        assert scope.check("https://x.be/fr/actualites") is SkipReason.EXCLUDED_BY_PATTERN
        assert scope.check("https://x.be/nl/nieuws?page=3") is SkipReason.EXCLUDED_BY_PATTERN
        assert scope.check("https://x.be/nl/archief/2001") is SkipReason.EXCLUDED_BY_PATTERN
        # patterns see the normalised URL: tracking parameters are gone before matching
        assert scope.check("https://x.be/nl/a?utm_source=page=2") is None

    def test_invalid_pattern_is_a_clear_error(self) -> None:
        with pytest.raises(ValueError, match=r"invalid --exclude pattern '\('"):
            Scope(["https://x.be/"], exclude=["("])


# --------------------------------------------------------------------------- IDN display


def test_display_host_shows_latin_idn_in_unicode_and_keeps_homographs_in_punycode():
    from auditor.shared.urls import ascii_host, display_host, display_url

    assert ascii_host("Gemeente-Ö.test") == "xn--gemeente--87a.test"
    assert display_host("xn--gemeente--87a.test") == "gemeente-ö.test"
    assert display_host("www.xn--brugge-st-32a.be") == "www.brugge-stä.be"
    # Cyrillic 'е' among Latin letters: a homograph, stays punycode
    assert display_host("xn--gmeente--u4a614f.test") == "xn--gmeente--u4a614f.test"
    assert display_host("xn--zz-broken") == "xn--zz-broken"  # not valid punycode: as is
    assert display_url("http://xn--gemeente--87a.test:8080/a?b=xn--c#d") == "http://gemeente-ö.test:8080/a?b=xn--c#d"
    assert display_url("not a url") == "not a url"


def test_ascii_host_url_changes_only_the_host():
    from auditor.shared.urls import ascii_host_url

    assert ascii_host_url("https://gemeente-ö.test:8443/Pad?q=Ö#x") == "https://xn--gemeente--87a.test:8443/Pad?q=Ö#x"
    assert ascii_host_url("https://example.be/ö") == "https://example.be/ö"


def test_resolve_maps_unicode_and_punycode_hosts_alike():
    from auditor.crawl.http import parse_resolve

    assert parse_resolve("gemeente-ö.test:80:127.0.0.1") == parse_resolve("xn--gemeente--87a.test:80:127.0.0.1")
