"""Property tests: the parsers that read what sites and users hand us never crash.

Arbitrary input may be refused, but only with the documented error type (``ValueError`` for
URLs, ``FrameworkError``/``SiteListError`` with a line for configuration files); robots.txt and
sitemaps never raise at all, since a hostile site must not stop an audit.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.score.framework import FrameworkError, load_framework
from auditor.crawl.robots import RobotsRules
from auditor.fleet.sitelist import SiteListError, parse_site_list, safe_slug
from auditor.crawl.sitemaps import parse_sitemap
from auditor.shared.urls import is_http_url, normalize_url, url_key

BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

URL_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",))
url_like = st.one_of(
    st.text(URL_ALPHABET, max_size=80),
    st.builds(
        lambda scheme, host, port, path, query: f"{scheme}://{host}{port}{path}{query}",
        st.sampled_from(["http", "https", "HTTP", "ftp", "file", "javascript", ""]),
        st.text(URL_ALPHABET, max_size=30),
        st.sampled_from(["", ":80", ":443", ":0", ":99999", ":x", ":"]),
        st.text(URL_ALPHABET, max_size=40),
        st.text(URL_ALPHABET, max_size=30).map(lambda q: "?" + q if q else ""),
    ),
)


@BOUNDED
@given(url=url_like, base=st.one_of(st.none(), st.just("https://www.gemeente.be/a/b"), url_like))
def test_url_normaliser_accepts_or_refuses_with_value_error(url, base):
    try:
        normalized = normalize_url(url, base)
    except ValueError:
        return
    assert is_http_url(normalized)
    # normalising is idempotent, and the key of a normalised URL is its own key
    assert normalize_url(normalized) == normalized
    assert url_key(normalized) == url_key(url, base)


robots_lines = st.lists(
    st.one_of(
        st.builds(lambda k, v: f"{k}: {v}",
                  st.sampled_from(["User-agent", "Disallow", "Allow", "Crawl-delay", "Sitemap", "Host", "x"]),
                  st.text(URL_ALPHABET, max_size=40)),
        st.text(URL_ALPHABET, max_size=60),
    ),
    max_size=30,
)


@BOUNDED
@given(lines=robots_lines, path=st.text(URL_ALPHABET, max_size=40))
def test_robots_parsing_never_raises(lines, path):
    rules = RobotsRules.parse("\n".join(lines))
    agent = "Mozilla/5.0 (compatible; auditor/1.0; +https://example.invalid/)"
    assert isinstance(rules.can_fetch("https://www.gemeente.be/" + path, agent), bool)
    delay = rules.crawl_delay(agent)
    assert delay is None or isinstance(delay, float)
    assert all(isinstance(url, str) for url in rules.sitemaps)
    assert isinstance(rules.disallows_everything(agent, "https://www.gemeente.be/"), bool)


xml_fragments = st.lists(
    st.one_of(
        st.sampled_from([
            '<?xml version="1.0"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
            "</urlset>", "<sitemapindex>", "</sitemapindex>", "<url>", "</url>", "<sitemap>",
            "</sitemap>", "<loc>", "</loc>", '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', "&e;",
            "https://www.gemeente.be/a", "\x00", "<![CDATA[", "]]>",
        ]),
        st.text(URL_ALPHABET, max_size=30),
    ),
    max_size=40,
)


@BOUNDED
@given(parts=xml_fragments, raw=st.binary(max_size=200))
def test_sitemap_parsing_never_raises_and_reads_no_entities(parts, raw):
    for content in ("".join(parts).encode("utf-8", "surrogatepass"), raw):
        parsed = parse_sitemap(content, "https://www.gemeente.be/sitemap.xml")
        assert parsed.kind in ("urlset", "sitemapindex", "text", "")
        assert all(isinstance(url, str) for url in parsed.locations)
        assert not any("root:" in url for url in parsed.locations)  # no external entity expanded


toml_values = st.one_of(
    st.text(URL_ALPHABET, max_size=20).map(lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'),
    st.integers(-5, 100).map(str), st.sampled_from(["true", "[]", "{}", "[1, 2]", "-1.5", "nan"]),
)
toml_keys = st.sampled_from(["id", "version", "title", "name", "weight", "checks", "principle", "kind",
                             "automation", "url", "organisation", "audiences", "start_urls", "max_pages"])
toml_documents = st.lists(
    st.one_of(
        st.builds(lambda k, v: f"{k} = {v}", toml_keys, toml_values),
        st.sampled_from(["[[principles]]", "[[criteria]]", "[[sites]]", "[framework]", "checks = [{ id = \"page-title\", weight = 1 }]"]),
        st.text(URL_ALPHABET, max_size=40),
    ),
    max_size=25,
).map("\n".join)


@BOUNDED
@given(text=toml_documents)
def test_framework_loader_refuses_with_a_located_message(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "framework.toml"
        path.write_text(text, encoding="utf-8")
        try:
            framework = load_framework(path, registry={"page-title"})
        except FrameworkError as exc:
            message = str(exc)
            assert message.startswith(str(path)) and "\n" not in message.strip()
            return
    assert framework.criteria is not None


@BOUNDED
@given(text=toml_documents, fmt=st.sampled_from(["toml", "csv"]))
def test_site_list_loader_refuses_with_a_located_message(text, fmt):
    try:
        entries = parse_site_list(text, "sites." + fmt, fmt=fmt)
    except SiteListError as exc:
        assert str(exc).startswith("sites." + fmt)
        return
    assert entries and all(entry.key for entry in entries)


@BOUNDED
@given(text=st.text(URL_ALPHABET, max_size=200))
def test_run_folder_slug_is_always_one_safe_name(text):
    slug = safe_slug(text)
    assert slug and len(slug) <= 80
    assert "/" not in slug and "\\" not in slug and ".." not in slug and slug not in (".", "..")


# --------------------------------------------------------------------------- IDN display and challenge pages

idn_hosts = st.lists(st.one_of(st.text(URL_ALPHABET, min_size=1, max_size=12),
                               st.text(URL_ALPHABET, max_size=12).map(lambda t: "xn--" + t)),
                     min_size=1, max_size=4).map(".".join)


@BOUNDED
@given(url=st.one_of(url_like, idn_hosts.map(lambda h: f"http://{h}:8080/p?q#f")))
def test_idn_display_never_crashes_and_keeps_the_address_around_the_host(url):
    from auditor.shared.urls import ascii_host_url, display_url

    shown = display_url(url)
    assert isinstance(shown, str)
    if "://" in url and "xn--" not in url:
        assert shown == url  # nothing to decode: unchanged
    try:
        assert isinstance(ascii_host_url(url), str)
    except ValueError:
        pass  # an invalid international host name is refused with a ValueError


@BOUNDED
@given(status=st.one_of(st.none(), st.integers(100, 599)),
       headers=st.dictionaries(st.text(URL_ALPHABET, max_size=20), st.text(URL_ALPHABET, max_size=40), max_size=5),
       html=st.text(URL_ALPHABET, max_size=400))
def test_challenge_detector_never_crashes(status, headers, html):
    from auditor.gather.challenge import detect_challenge

    detect_challenge(status, headers, html)
