"""End to end, in real Chromium: four fixture sites on 127.0.0.1 — a complete Dutch privacy
statement with a cookie table, an incomplete municipal one (no DPO, no complaint route, the
federal authority) with a cookie page that lists nothing, a French one, and a site without a
statement. Each is told apart with evidence: the sentence, the cookie rows, the pages lacking
the link; the report shows the statement as a checklist."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from auditor.cli.main import main
from checks.privacy_statement import ELEMENT_NAMES, ELEMENT_NAMES_NL
from tests.fixtures.localserver import LocalSite
from tests.fixtures.privacy_fixtures import COOKIE_PLAIN, COOKIE_TABLE, PRIVACY_FR, PRIVACY_INCOMPLETE, PRIVACY_NL, as_html

pytestmark = pytest.mark.browser


def page(title: str, body: str, footer: str, lang: str = "nl") -> str:
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><header><a href=\"/\">Start</a></header><main><h1>{title}</h1>{body}</main>"
            f"<footer>{footer}</footer></body></html>")


def build(kind: str, routes: dict[str, tuple[str, str]], footer: str, lang: str = "nl",
          bare_footer_paths: tuple[str, ...] = ()) -> LocalSite:
    """``routes``: path → (title, body); every page gets ``footer``, except ``bare_footer_paths``
    which get a footer without the statement links."""
    site = LocalSite().start()
    for path, (title, body) in routes.items():
        site.add(path, body=page(title, body, '<a href="/">Start</a>' if path in bare_footer_paths else footer,
                                 lang))
    site.kind = kind
    return site


def run_audit(site: LocalSite, out) -> dict:
    result = CliRunner().invoke(main, [
        "audit", site.url("/"), "--out", str(out), "--max-pages", "10", "--delay", "0", "--quiet", "--no-mobile",
        "--organisation", "Testgemeente", "--kind", site.kind,
    ], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads((out / "result.json").read_text(encoding="utf-8"))


def result_of(report: dict, check_id: str) -> dict:
    return next(r for r in report["results"] if r["check_id"] == check_id)


def elements(report: dict, check_id: str) -> dict[str, dict]:
    return {f["rule"]: f for f in result_of(report, check_id)["findings"]}


NEWS = ("Nieuws", "<p>De markt gaat door op zaterdag.</p><p><a href=\"/\">Terug</a></p>")


@pytest.fixture(scope="module")
def audits(tmp_path_factory):
    footer_nl = '<a href="/privacyverklaring">Privacyverklaring</a> <a href="/cookieverklaring">Cookieverklaring</a>'
    sites = {
        "complete": build("municipality", {
            "/": ("Welkom", '<p><a href="/nieuws">Nieuws</a></p>'), "/nieuws": NEWS,
            "/privacyverklaring": ("Privacyverklaring", as_html(PRIVACY_NL)),
            "/cookieverklaring": (COOKIE_TABLE[0], as_html(COOKIE_TABLE[1])),
        }, footer_nl),
        "incomplete": build("municipality", {
            "/": ("Welkom", '<p><a href="/nieuws">Nieuws</a></p>'), "/nieuws": NEWS,
            "/privacy": ("Privacy", as_html(PRIVACY_INCOMPLETE)),
            "/cookies": (COOKIE_PLAIN[0], as_html(COOKIE_PLAIN[1])),
        }, '<a href="/privacy">Privacy</a> <a href="/cookies">Cookies</a>', bare_footer_paths=("/nieuws",)),
        "french": build("province", {
            "/": ("Bienvenue", '<p><a href="/actualites">Actualités</a></p>'),
            "/actualites": ("Actualités", "<p>Le marché a lieu samedi.</p>"),
            "/vie-privee": ("Vie privée", as_html(PRIVACY_FR)),
        }, '<a href="/vie-privee">Vie privée</a>', lang="fr"),
        "none": build("municipality", {
            "/": ("Welkom", '<p><a href="/nieuws">Nieuws</a></p>'), "/nieuws": NEWS,
        }, '<a href="/">Start</a> <a href="/nieuws">Nieuws</a>'),
    }
    reports = {}
    try:
        for name, site in sites.items():
            out = tmp_path_factory.mktemp(name)
            reports[name] = (site, out, run_audit(site, out))
        yield reports
    finally:
        for site in sites.values():
            site.stop()


def test_complete_dutch_statement_passes_every_element_with_its_sentence(audits):
    site, out, report = audits["complete"]
    linked = result_of(report, "privacy-statement-linked")
    assert linked["outcome"] == "pass" and linked["details"]["url"] == site.url("/privacyverklaring")
    content = result_of(report, "privacy-statement-content")
    assert content["outcome"] == "pass" and content["score"] == 1.0
    found = elements(report, "privacy-statement-content")
    assert list(found) == list(ELEMENT_NAMES)
    for rule, finding in found.items():
        assert finding["outcome"] == "pass", rule
        assert finding["evidence"][0]["snippet"] and finding["pages"] == [site.url("/privacyverklaring")]
    assert "Vlaamse Toezichtcommissie" in found["supervisory-authority"]["evidence"][0]["snippet"]
    assert found["dpo-contact"]["evidence"][0]["value"] == "dpo@testdorp.be"


def test_cookie_table_is_read_from_the_rendered_page(audits):
    site, _, report = audits["complete"]
    assert result_of(report, "cookie-statement-linked")["outcome"] == "pass"
    cookies = elements(report, "cookie-statement-content")
    assert all(f["outcome"] == "pass" for f in cookies.values())
    assert cookies["cookie-names"]["evidence"][0]["value"] == "cookie-consent; _pk_id; PHPSESSID"
    assert cookies["cookie-lifetimes"]["evidence"][0]["value"] == "1 jaar; 13 maanden; Einde van de sessie"
    assert cookies["cookie-names"]["pages"] == [site.url("/cookieverklaring")]


def test_report_shows_the_statement_as_a_checklist_with_the_proving_sentence(audits):
    _, out, _ = audits["complete"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count('class="wide checklist"') == 2  # privacy and cookies
    # the report is Dutch: the elements are named in Dutch
    privacy = next(part for part in html.split('class="wide checklist"')[1:] if ELEMENT_NAMES_NL["controller"] in part)
    privacy = privacy.split("</table>", 1)[0]
    assert privacy.count("badge-pass") == len(ELEMENT_NAMES)
    assert "<blockquote>Deze privacyverklaring werd laatst bijgewerkt op 15 september 2025.</blockquote>" in privacy


def test_incomplete_municipal_statement_is_flagged_with_evidence(audits):
    site, out, report = audits["incomplete"]
    found = elements(report, "privacy-statement-content")
    assert found["dpo-contact"]["outcome"] == "fail"
    assert found["complaint-right"]["outcome"] == "fail"
    wrong = found["supervisory-authority"]
    assert wrong["outcome"] == "fail" and wrong["title"].startswith("Wrong supervisory authority")
    assert "Gegevensbeschermingsautoriteit" in wrong["evidence"][0]["snippet"]
    assert result_of(report, "privacy-statement-content")["outcome"] == "fail"
    # /nieuws has a footer without the privacy link: listed
    linked = result_of(report, "privacy-statement-linked")
    assert linked["outcome"] == "warning" and linked["findings"][0]["pages"] == [site.url("/nieuws")]
    cookies = elements(report, "cookie-statement-content")
    assert cookies["cookie-names"]["outcome"] == "fail" and cookies["cookie-lifetimes"]["outcome"] == "fail"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Verkeerde toezichthouder: noemt de GBA" in html and "Wrong supervisory authority" not in html
    assert "badge-fail" in html


def test_french_statement_is_read(audits):
    site, _, report = audits["french"]
    assert result_of(report, "privacy-statement-linked")["details"]["url"] == site.url("/vie-privee")
    found = elements(report, "privacy-statement-content")
    assert all(f["outcome"] == "pass" for f in found.values()), {r: f["title"] for r, f in found.items()}
    assert "Commission de contrôle flamande" in found["supervisory-authority"]["evidence"][0]["snippet"]


def test_site_without_a_statement_fails_and_lists_the_pages_lacking_the_link(audits):
    site, _, report = audits["none"]
    linked = result_of(report, "privacy-statement-linked")
    assert linked["outcome"] == "fail"
    assert set(linked["findings"][0]["pages"]) == {site.url("/"), site.url("/nieuws")}
    assert result_of(report, "privacy-statement-content")["outcome"] == "not_applicable"
    assert result_of(report, "cookie-statement-linked")["outcome"] == "warning"
    p5 = next(c for c in report["criteria"] if c["criterion_id"] == "P5-G-02")
    assert p5["outcome"] == "fail"
