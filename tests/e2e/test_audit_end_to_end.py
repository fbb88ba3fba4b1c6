"""End-to-end: the ``auditor`` command on fixture sites served on 127.0.0.1, in real Chromium."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from auditor.cli.main import main
from tests.fixtures.fixture_site import CHAIN_PAGES, build_fixture_site, html_page
from tests.fixtures.localserver import LocalSite

pytestmark = pytest.mark.browser

AUDITOR = [sys.executable, "-m", "auditor.cli.main"]


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def load_result(out: Path) -> dict:
    return json.loads((out / "result.json").read_text(encoding="utf-8"))


def load_pages_jsonl(out: Path) -> list[dict]:
    lines = (out / "artifacts" / "pages.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def fixture_site():
    site = build_fixture_site().start()
    yield site
    site.stop()


@pytest.fixture(scope="module")
def fifty_page_audit(fixture_site, tmp_path_factory):
    out = tmp_path_factory.mktemp("audit50")
    result = run_cli("audit", fixture_site.url("/"), "--out", str(out), "--max-pages", "50", "--max-depth", "100",
                     "--delay", "0", "--quiet", "--organisation", "Gemeente Testdorp", "--kind", "municipality")
    return result, out


def test_fifty_page_audit_accounts_for_every_page(fifty_page_audit, fixture_site):
    result, out = fifty_page_audit
    assert result.exit_code == 0, result.output
    report = load_result(out)
    visited = {p["url"] for p in report["pages"]}
    skipped = {s["url"]: s["reason"] for s in report["skipped"]}
    resources = {r["url"] for r in report["resources"]}
    # the budget is 50 pages; the must-visit pages (privacy, accessibility, contact) come on top
    assert 50 <= len(visited) <= 53
    assert report["coverage"]["pages_visited"] == len(visited)
    # every page the server was asked for is accounted for
    for method, path in fixture_site.hits:
        if path in ("/robots.txt", "/sitemap_index.xml", "/sitemap-pages.xml.gz", "/kaart/inhoud",
                    "/tussenstap", "/nieuw-adres", "/kaart.png", "/favicon.ico", "/.well-known/security.txt"):
            continue
        url = fixture_site.url(path)
        assert url in visited or url in resources, (method, path)
    # chain pages beyond the budget are skipped with a reason, not lost
    chain_skipped = {url: reason for url, reason in skipped.items() if "/p/" in url}
    assert len(chain_skipped) == 1 and set(chain_skipped.values()) == {"page_budget"}
    assert fixture_site.url(f"/p/{CHAIN_PAGES}") not in visited
    assert skipped[fixture_site.url("/private/geheim")] == "robots_disallowed"
    assert skipped["https://extern.example/"] == "out_of_scope"
    assert fixture_site.hit_count("/private/geheim") == 0
    # tracking parameters and fragments do not cause a second visit
    assert fixture_site.hit_count("/p/1", "GET") == 1
    # the sitemap index with its gzip child was read
    assert fixture_site.url("/enkel-in-sitemap") in visited
    # the PDF is recorded, not rendered
    pdf = next(r for r in report["resources"] if r["url"].endswith("jaarverslag.pdf"))
    assert pdf["content_type"] == "application/pdf" and pdf["size"] == len(b"%PDF-1.4\n%%EOF\n")
    # the broken link is reported with the page that links to it
    broken = {b["url"]: b for b in report["broken_links"]}
    assert broken[fixture_site.url("/bestaat-niet")]["http_status"] == 404
    assert fixture_site.url("/") in broken[fixture_site.url("/bestaat-niet")]["linked_from"]


def test_audit_records_redirect_chain_and_roles(fifty_page_audit, fixture_site):
    _, out = fifty_page_audit
    pages = {p["url"]: p for p in load_pages_jsonl(out)}
    moved = pages[fixture_site.url("/oud-adres")]
    assert [r["status"] for r in moved["redirects"]] == [301, 302]
    assert moved["final_url"] == fixture_site.url("/nieuw-adres")
    assert "privacy" in pages[fixture_site.url("/privacyverklaring")]["roles"]
    home = pages[fixture_site.url("/")]
    assert home["lang"] == "nl" and home["title"] == "Gemeente Testdorp"
    assert home["axe"]["testEngine"]["version"].startswith("4.")
    report = load_result(out)
    assert report["method"]["axe_version"] == home["axe"]["testEngine"]["version"]
    assert report["method"]["browser_version"]
    assert report["method"]["framework_id"] == "dienstverleningsstrategie"


def test_axe_violation_inside_iframe_is_reported_in_json_and_csv(fifty_page_audit, fixture_site):
    _, out = fifty_page_audit
    report = load_result(out)
    axe = next(r for r in report["results"] if r["check_id"] == "axe-violations")
    image_alt = next(f for f in axe["findings"] if f["rule"] == "image-alt")
    assert fixture_site.url("/kaart") in image_alt["pages"]
    assert "1.1.1" in image_alt["wcag_sc"]
    assert any("iframe" in e["selector"] for e in image_alt["evidence"])
    with open(out / "findings.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    alt_rows = [r for r in rows if r["rule"] == "image-alt"]
    assert alt_rows and all(r["wcag_sc"] == "1.1.1" for r in alt_rows)
    assert {r["principle"] for r in alt_rows} <= {"P1", "P2", "P3", "P4", "P5"}
    assert alt_rows[0]["site"] == fixture_site.url("/")
    assert alt_rows[0]["outcome"] == "fail"


def test_scores_and_html_report(fifty_page_audit):
    _, out = fifty_page_audit
    report = load_result(out)
    assert report["assessable"] is True and report["partial"] is False
    assert 0 < report["overall_score"] < 1
    assert [p["principle_id"] for p in report["principles"]] == ["P1", "P2", "P3", "P4", "P5"]
    assert any(c["automation"] == "manual" and c["outcome"] == "manual" for c in report["criteria"])
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Gemeente Testdorp" in html and "Toegankelijkheidsverklaring" in html
    assert (out / "findings.xlsx").stat().st_size > 0


def test_rescore_reproduces_the_scores_without_a_browser(fifty_page_audit, tmp_path):
    _, out = fifty_page_audit
    before = load_result(out)
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-r", str(out), str(copy)], check=True)
    env = dict(os.environ, AUDITOR_CHROMIUM="/nonexistent/chromium")  # no browser may be needed
    done = subprocess.run([*AUDITOR, "rescore", str(copy)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    after = load_result(copy)
    assert after["overall_score"] == pytest.approx(before["overall_score"])
    assert [c["score"] for c in after["criteria"]] == [c["score"] for c in before["criteria"]]
    assert "rescored from saved artifacts" in after["notes"]
    # the same artifacts and framework give byte-identical JSON
    first = (copy / "result.json").read_bytes()
    first_html = (copy / "report.html").read_bytes()
    again = subprocess.run([*AUDITOR, "rescore", str(copy)], capture_output=True, text=True, env=env, timeout=120)
    assert again.returncode == 0, again.stderr
    assert (copy / "result.json").read_bytes() == first
    # and a byte-identical report.html: the matplotlib charts carry no date or random ids
    assert b'role="img"' in first_html and (copy / "report.html").read_bytes() == first_html


def test_rescore_in_worker_processes_gives_the_same_report_as_one_process(fifty_page_audit):
    from auditor.run.rescore import rescore_run

    _, out = fifty_page_audit
    alone = rescore_run(out, workers=1)
    shared = rescore_run(out, workers=2)  # pages checked in two processes, folded in order
    assert alone.coverage.pages_ok > 10 and any(r.findings for r in alone.results)
    assert shared.model_dump_json() == alone.model_dump_json()


def test_rescore_on_lxml_trees_writes_the_result_json_beautiful_soup_trees_gave(fifty_page_audit, monkeypatch):
    """The DOM checks read lxml's tree (checks/_dom.py) instead of Beautiful Soup's: a rescore of
    the same run must write byte for byte the same result.json as with Beautiful Soup trees."""
    from bs4 import BeautifulSoup

    import checks
    from auditor.run.rescore import rescore_run
    from reports.json_report import dumps_json

    _, out = fifty_page_audit
    on_lxml = dumps_json(rescore_run(out, workers=1))
    readers = [module for module in vars(checks).values() if getattr(module, "parse_dom", None) is not None]
    assert {m.__name__ for m in readers} >= {"checks.content", "checks.language", "checks.media", "checks.mixed_content"}
    for module in readers:
        monkeypatch.setattr(module, "parse_dom", lambda html: BeautifulSoup(html, "lxml"))
    on_beautiful_soup = dumps_json(rescore_run(out, workers=1))
    assert '"link-purpose"' in on_lxml and '"heading-structure"' in on_lxml
    assert on_lxml == on_beautiful_soup


def test_rescore_in_workers_skips_a_cut_short_last_line_and_names_a_broken_one(fifty_page_audit, tmp_path):
    import shutil

    from auditor.run.rescore import rescore_run
    from auditor.run.run_folder import RunFolderError

    _, out = fifty_page_audit
    copy = tmp_path / "run"
    shutil.copytree(out, copy)
    pages = copy / "artifacts" / "pages.jsonl"
    lines = pages.read_text(encoding="utf-8").splitlines(keepends=True)
    pages.write_text("".join(lines) + lines[0][: len(lines[0]) // 2], encoding="utf-8")  # killed mid-write
    alone = rescore_run(copy, workers=1)
    shared = rescore_run(copy, workers=2)  # the workers parse the raw lines themselves
    assert alone.coverage.pages_ok > 10
    assert shared.model_dump_json() == alone.model_dump_json()
    pages.write_text("".join([*lines[:3], "{not json\n", *lines[3:]]), encoding="utf-8")
    for workers in (1, 2):
        with pytest.raises(RunFolderError, match="line 4 is not valid"):
            rescore_run(copy, workers=workers)


def test_rescore_with_csv_sep_semicolon_writes_semicolon_csv(fifty_page_audit, tmp_path):
    _, out = fifty_page_audit
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-r", str(out), str(copy)], check=True)
    env = dict(os.environ, AUDITOR_CHROMIUM="/nonexistent/chromium")
    done = subprocess.run([*AUDITOR, "rescore", str(copy), "--csv-sep", ";"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    header = (copy / "findings.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("site;organisation;run_id;") and "," not in header
    summary = pd.read_csv(copy / "summary.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert len(summary) == 1 and summary.loc[0, "overall_score"] == pytest.approx(load_result(copy)["overall_score"])
    criteria = pd.read_csv(copy / "criteria.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert len(criteria) == len(load_result(copy)["criteria"])


def test_explanations_from_the_site_file_show_in_the_report(fixture_site, tmp_path):
    site_file = tmp_path / "site.toml"
    site_file.write_text(
        f'start_urls = ["{fixture_site.url("/")}"]\n'
        '[[explanations]]\ncriterion = "P5-G-01"\nreason = "Overstap naar HTTPS gepland"\nexpires = 2099-01-01\n'
        '[[explanations]]\ncriterion = "X-99"\nreason = "onbekend"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("audit", "--site-file", str(site_file), "--out", str(out), "--max-pages", "2", "--delay", "0", "--quiet")
    assert result.exit_code == 0, result.output
    report = load_result(out)
    https = next(c for c in report["criteria"] if c["criterion_id"] == "P5-G-01")
    assert https["outcome"] == "explained" and https["measured_outcome"] in ("fail", "warning")
    assert any("X-99" in note for note in report["notes"])
    assert "Overstap naar HTTPS gepland" in (out / "report.html").read_text(encoding="utf-8")


def test_must_visit_pages_are_visited_past_a_tiny_budget(fixture_site, tmp_path):
    result = run_cli("audit", fixture_site.url("/"), "--out", str(tmp_path), "--max-pages", "2",
                     "--delay", "0", "--quiet")
    assert result.exit_code == 0, result.output
    report = load_result(tmp_path)
    visited = {p["url"] for p in report["pages"]}
    for path in ("/privacyverklaring", "/toegankelijkheid", "/contact"):
        assert fixture_site.url(path) in visited
    assert len(visited) <= 2 + 3 + 1  # budget + must-visit pages (+ a login page if any)
    privacy = next(r for r in report["results"] if r["check_id"] == "privacy-statement-linked")
    assert privacy["outcome"] == "pass"


def test_include_and_exclude_patterns_narrow_the_crawl(fixture_site, tmp_path):
    result = run_cli("audit", fixture_site.url("/"), "--out", str(tmp_path), "--max-pages", "20",
                     "--exclude", r"/p/\d*[13579]$", "--delay", "0", "--quiet")
    assert result.exit_code == 0, result.output
    report = load_result(tmp_path)
    visited = {p["url"] for p in report["pages"]}
    assert fixture_site.url("/p/1") not in visited
    reasons = {s["url"]: s["reason"] for s in report["skipped"]}
    assert reasons[fixture_site.url("/p/1")] == "excluded_by_pattern"


def test_fail_under_gives_exit_code_two(fixture_site, tmp_path):
    result = run_cli("audit", fixture_site.url("/"), "--out", str(tmp_path), "--max-pages", "3",
                     "--delay", "0", "--quiet", "--fail-under", "100")
    assert result.exit_code == 2
    assert (tmp_path / "result.json").exists()


def test_site_file_gives_metadata_and_defaults_are_stated(fixture_site, tmp_path):
    site_file = tmp_path / "site.toml"
    site_file.write_text(
        f'organisation = "Provincie Test"\nkind = "province"\nstart_urls = ["{fixture_site.url("/")}"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run_cli("audit", "--site-file", str(site_file), "--out", str(out), "--max-pages", "2",
                     "--delay", "0", "--quiet")
    assert result.exit_code == 0, result.output
    site = load_result(out)["site"]
    assert site["organisation"] == "Provincie Test" and site["kind"] == "province"
    assert site["defaulted"] == ["audiences"] and site["audiences"] == ["citizens"]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "url, message",
    [
        ("ftp://example.be/", "only http and https"),
        ("http://exa mple.be/", "invalid URL"),
        ("https://example.be:99999/", "invalid URL"),
    ],
)
def test_invalid_url_is_one_line_and_exit_one(url, message, tmp_path):
    done = subprocess.run([*AUDITOR, "audit", url, "--out", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert message in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("kind", ["refused", "dns", "forbidden", "not_found", "not_html"])
def test_unauditable_start_page_is_not_assessable(kind, tmp_path):
    site = LocalSite()
    site.add("/", status={"forbidden": 403, "not_found": 404}.get(kind, 200),
             body="%PDF-1.4" if kind == "not_html" else "<h1>nee</h1>",
             content_type="application/pdf" if kind == "not_html" else "text/html")
    with site:
        url = {"refused": f"http://127.0.0.1:{_closed_port()}/", "dns": "http://nergens.invalid/"}.get(kind, site.url("/"))
        done = subprocess.run([*AUDITOR, "audit", url, "--out", str(tmp_path), "--quiet", "--delay", "0"],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "nothing could be audited" in done.stderr
    report = load_result(tmp_path)
    assert report["assessable"] is False
    expected = {"refused": "connection_refused", "dns": "dns_resolution_error", "forbidden": "blocked",
                "not_found": "http_error", "not_html": "not_html"}[kind]
    assert report["pages"][0]["status"] == expected
    # a refusal is "blocked", never a failing score
    assert report["overall_score"] is None or kind != "forbidden"


def test_version_names_tool_axe_and_chromium():
    done = subprocess.run([*AUDITOR, "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0].startswith("auditor ") and lines[1].startswith("axe-core 4.")
    assert lines[2].startswith("Chromium ") and lines[2] != "Chromium not found"


def test_broken_framework_is_refused_in_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[framework]\nid = "x"\nversion = "1"\nname = "x"\n[[principles]]\nid = "P1"\nname = "a"\n'
                   'definition = "d"\n'
                   '[[criteria]]\nid = "C1"\nprinciple = "P1"\ntitle = "t"\nkind = "user"\n'
                   'automation = "automated"\nchecks = [{ id = "no-such-check", weight = 1 }]\n')
    done = subprocess.run([*AUDITOR, "criteria", "--framework", str(bad)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "no-such-check" in done.stderr and "Traceback" not in done.stderr


# --------------------------------------------------------------------------- interruption


def test_ctrl_c_writes_partial_results(tmp_path):
    """SIGINT mid-crawl: the pages gathered so far are scored and written, marked partial."""
    site = LocalSite()

    def slow_page(request):
        time.sleep(0.4)
        n = int(request.path.rsplit("/", 1)[-1] or 0)
        return 200, {"Content-Type": "text/html; charset=utf-8"}, html_page(f"Traag {n}", f'<a href="/t/{n + 1}">volgende</a>')

    site.add("/", body=html_page("Start", '<a href="/t/1">traag</a>'))
    for n in range(1, 40):
        site.routes[f"/t/{n}"] = slow_page
    with site:
        proc = subprocess.Popen([*AUDITOR, "audit", site.url("/"), "--out", str(tmp_path), "--quiet", "--delay", "0",
                                 "--concurrency", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        pages_file = tmp_path / "artifacts" / "pages.jsonl"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if pages_file.exists() and len(pages_file.read_text().splitlines()) >= 3:
                break
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
        base = site.url("/")
    assert "Traceback" not in stderr
    report = load_result(tmp_path)
    assert report["partial"] is True
    assert report["coverage"]["pages_visited"] >= 3 and report["coverage"]["pages_ok"] >= 1
    # the page being visited when the signal came is accounted for, not lost
    assert any(s["reason"] == "interrupted" for s in report["skipped"])
    visited = {p["url"] for p in report["pages"]} | {s["url"] for s in report["skipped"]}
    last = max(int(u.rsplit("/", 1)[-1]) for u in visited if "/t/" in u)
    assert all(f"{base}t/{n}" in visited for n in range(1, last + 1))


def test_resolve_audits_a_real_host_name_over_https(ca, tmp_path):
    """--resolve maps a real host name to 127.0.0.1 for both the browser and the HTTP client;
    --ca-bundle lets the HTTP client verify the (test) certificate for that name."""
    host = "www.example-gemeente.be"
    cert = ca.issue_cert(host)
    site = build_fixture_site(tls_cert=cert)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    out = tmp_path / "out"
    with site:
        port = site.port
        start = f"https://{host}:{port}/"
        result = run_cli("audit", start, "--resolve", f"{host}:{port}:127.0.0.1", "--ca-bundle", str(ca_file),
                         "--out", str(out), "--max-pages", "5", "--delay", "0", "--quiet")
    assert result.exit_code == 0, result.output
    report = load_result(out)
    assert report["pages"][0]["url"] == start and report["pages"][0]["status"] == "ok"
    assert all(p["url"].startswith(f"https://{host}:") for p in report["pages"])
    site_artifacts = json.loads((out / "artifacts" / "site.json").read_text())
    assert site_artifacts["probes"][0]["http_status"] == 200  # verified TLS with the test CA
    assert site_artifacts["robots"]["found"] is True
    assert report["method"]["settings"]["resolve"] == [f"{host}:{port}:127.0.0.1"]


def test_rate_limited_page_is_retried_after_retry_after(tmp_path):
    """429 with Retry-After: the page is visited again after the wait, and then audited."""
    site = LocalSite()
    answers = iter([(429, {"Retry-After": "1", "Content-Type": "text/html"}, "<h1>Te veel</h1>")])
    browser_visits = []

    def limited(request):
        if "text/html" in request.headers.get("accept", ""):  # the browser, not the HTTP probes
            browser_visits.append(request.path)
            return next(answers, (200, {"Content-Type": "text/html; charset=utf-8"}, html_page("Start", "<p>Welkom.</p>")))
        return 200, {"Content-Type": "text/html; charset=utf-8"}, html_page("Start", "<p>Welkom.</p>")

    site.routes["/"] = limited
    with site:
        # the consent probe would visit "/" again in fresh browsers; this test counts the crawl's visits
        result = run_cli("audit", site.url("/"), "--out", str(tmp_path), "--quiet", "--delay", "0", "--consent-pages", "-1")
    assert result.exit_code == 0, result.output
    report = load_result(tmp_path)
    assert report["pages"][0]["status"] == "ok"
    assert browser_visits == ["/", "/"]  # the 429 visit, then the retried visit


def test_untrusted_certificate_is_named(ca, tmp_path):
    site = LocalSite(tls_cert=ca.issue_cert("127.0.0.1"))
    site.add("/", body=html_page("Start", "<p>Welkom.</p>"))
    with site:
        done = subprocess.run([*AUDITOR, "audit", site.url("/"), "--out", str(tmp_path), "--quiet", "--delay", "0"],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    report = load_result(tmp_path)
    assert report["assessable"] is False
    assert report["pages"][0]["status"] == "invalid_ssl_cert"


def test_resume_after_sigkill_loses_nothing_and_visits_nothing_twice(tmp_path):
    site = LocalSite()

    def slow_page(request):
        time.sleep(0.3)
        n = int(request.path.rsplit("/", 1)[-1] or 0)
        link = f'<a href="/t/{n + 1}">volgende</a>' if n < 12 else ""
        return 200, {"Content-Type": "text/html; charset=utf-8"}, html_page(f"Traag {n}", link)

    site.add("/", body=html_page("Start", '<a href="/t/1">traag</a>'))
    for n in range(1, 13):
        site.routes[f"/t/{n}"] = slow_page
    with site:
        base = site.url("/")
        # no consent probe: it visits pages again in fresh browsers, and this test counts the crawl's visits
        args = [*AUDITOR, "audit", base, "--out", str(tmp_path), "--quiet", "--delay", "0", "--concurrency", "1",
                "--max-depth", "50", "--consent-pages", "-1"]
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        pages_file = tmp_path / "artifacts" / "pages.jsonl"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if pages_file.exists() and len(pages_file.read_text().splitlines()) >= 6:
                break
            time.sleep(0.05)
        proc.kill()  # SIGKILL: no chance to write anything more
        proc.communicate(timeout=30)
        assert not (tmp_path / "result.json").exists()
        done = subprocess.run([*AUDITOR, "audit", "--resume", "--out", str(tmp_path), "--quiet"],
                              capture_output=True, text=True, timeout=120)
        hits = {n: site.hit_count(f"/t/{n}", "GET") for n in range(1, 13)}
    assert done.returncode == 0, done.stderr
    report = load_result(tmp_path)
    urls = [p["url"] for p in report["pages"]]
    assert len(urls) == len(set(urls))  # nothing recorded twice
    assert all(f"{base}t/{n}" in urls for n in range(1, 13))  # nothing lost
    assert report["partial"] is False and any("resumed" in note for note in report["notes"])
    # only the page in flight when the process died may have been requested a second time
    assert sum(count > 1 for count in hits.values()) <= 1, hits
