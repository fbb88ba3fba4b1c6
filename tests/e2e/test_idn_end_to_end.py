"""Internationalised domain names end to end: ``auditor audit http://gemeente-ö.test:PORT/``
in real Chromium, the host mapped to 127.0.0.1 with ``--resolve`` given in Unicode or in
punycode. Links spelling the host in Unicode, punycode or capitals are one host; a homograph
(a Cyrillic 'е') is another host, out of scope; result.json keeps punycode, the HTML report
shows the host in Unicode."""

from __future__ import annotations

import pytest

from tests.fixtures.hostile_sites import (
    HOMOGRAPH_HOST,
    HOMOGRAPH_HOST_ASCII,
    IDN_HOST,
    IDN_HOST_ASCII,
    add_idn_pages,
    build_idn_site,
)
from tests.e2e.test_hostile_sites import audit, hit_count

pytestmark = pytest.mark.browser

PAGES = {"/", "/unicode", "/punycode", "/hoofdletters", "/relatief"}


def idn_audit(out, resolve_host: str):
    site = build_idn_site()
    with site:
        add_idn_pages(site)
        port = site.port
        resolve = (f"{resolve_host}:{port}:127.0.0.1", f"{HOMOGRAPH_HOST}:{port}:127.0.0.1")
        result, report, artifacts = audit(
            site, out, max_pages=10, start_url=f"http://{IDN_HOST}:{port}/",
            extra=tuple(arg for spec in resolve for arg in ("--resolve", spec)))
        hits = site.hits
    return result, report, artifacts, hits, port


@pytest.fixture(scope="module", params=[IDN_HOST, IDN_HOST_ASCII], ids=["resolve-unicode", "resolve-punycode"])
def idn_run(request, tmp_path_factory):
    out = tmp_path_factory.mktemp("idn") / "out"
    return (*idn_audit(out, request.param), out)


def test_the_crawl_sees_every_spelling_of_the_host_as_one_host(idn_run):
    result, report, artifacts, hits, port, _ = idn_run
    assert result.exit_code == 0, result.output
    origin = f"http://{IDN_HOST_ASCII}:{port}"
    assert {p["url"].removeprefix(origin) for p in artifacts["pages"]} == PAGES
    assert all(p["status"] == "ok" for p in artifacts["pages"]), artifacts["pages"]
    # each page fetched once by the browser although linked in two spellings
    assert all(hit_count(hits, path) == 1 for path in PAGES - {"/"}), hits


def test_a_homograph_host_is_another_host(idn_run):
    _, _, artifacts, hits, port, _ = idn_run
    assert hit_count(hits, "/homograaf") == 0
    skipped = {s["url"]: s["reason"] for s in artifacts["skipped"]}
    assert skipped[f"http://{HOMOGRAPH_HOST_ASCII}:{port}/homograaf"] == "out_of_scope"


def test_result_json_keeps_punycode_and_the_report_shows_unicode(idn_run):
    _, report, _, _, port, out = idn_run
    assert report["site"]["start_urls"] == [f"http://{IDN_HOST_ASCII}:{port}/"]
    assert report["site"]["organisation"] == IDN_HOST
    assert all(IDN_HOST_ASCII in p["url"] for p in report["pages"])
    html = (out / "report.html").read_text(encoding="utf-8")
    assert f">http://{IDN_HOST}:{port}/unicode<" in html  # the link text people read
    assert f'href="http://{IDN_HOST_ASCII}:{port}/unicode"' in html  # the address itself
    # the skipped look-alike is listed in punycode, never shown looking alike
    assert f">http://{HOMOGRAPH_HOST_ASCII}:{port}/homograaf<" in html and HOMOGRAPH_HOST not in html
