"""End to end, in real Chromium: a fixture site with seeded accessibility barriers and their
known-good twins. Every barrier is reported with its WCAG criterion; no good twin is flagged."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from auditor.cli.main import main
from tests.fixtures.localserver import LocalSite
from tests.fixtures.pdf_fixtures import ACCESSIBLE_PDF_ARGS, make_pdf

pytestmark = pytest.mark.browser

FOOTER = ('<footer><a href="/toegankelijkheid">Toegankelijkheidsverklaring</a> '
          '<a href="/">Startpagina van Testdorp</a></footer>')
PLAIN = ("<p>De gemeente organiseert elke week een markt op het dorpsplein en iedereen is welkom.</p>"
         "<p>U kunt er groenten, fruit, brood en kaas kopen bij de handelaars uit de buurt.</p>"
         "<p>Het zwembad is open van maandag tot zaterdag en kinderen zwemmen gratis op woensdag.</p>"
         "<p>De bibliotheek heeft veel nieuwe boeken voor jong en oud, kom gerust eens langs.</p>"
         "<p>Afval zet u op de juiste dag buiten, kijk in de kalender welke dag dat is voor uw straat.</p>"
         "<p>Heeft u een vraag over uw afval? Bel ons gerust of kom langs aan het loket in het gemeentehuis.</p>")
HARD = ("<p>Overeenkomstig de bepalingen van het bestuursdecreet betreffende de toegankelijkheidsverplichtingen "
        "van overheidsinstanties worden de aanvragen tot tegemoetkoming in de kosten van "
        "infrastructuurwerkzaamheden administratief afgehandeld door de bevoegde dienstverlenende entiteit, "
        "onverminderd de toepassing van de geldende reglementering inzake overheidsopdrachten en de daaruit "
        "voortvloeiende verplichtingen.</p>") * 3
FRENCH = ("<p>La commune organise chaque semaine un marché sur la place du village et tout le monde est le "
          "bienvenu. Vous pouvez y acheter des légumes, des fruits, du pain et du fromage auprès des "
          "commerçants locaux. La piscine est ouverte du lundi au samedi et les enfants nagent gratuitement "
          "le mercredi après-midi. La bibliothèque propose de nombreux nouveaux livres.</p>")
REVIEWED = (date.today() - timedelta(days=40)).strftime("%d/%m/%Y")
STATEMENT = f"""<h2>Nalevingsstatus</h2>
<p>Deze website voldoet gedeeltelijk aan de Web Content Accessibility Guidelines versie 2.1 niveau AA.</p>
<h2>Niet-toegankelijke inhoud</h2>
<p>Niet-naleving van het bestuursdecreet: sommige oudere PDF-documenten zijn niet getagd.</p>
<p>U krijgt een toegankelijk alternatief van elk document op aanvraag.</p>
<h2>Opstelling van deze toegankelijkheidsverklaring</h2>
<p>Deze verklaring is opgesteld op {REVIEWED} en voor het laatst herzien op {REVIEWED}.</p>
<h2>Feedback en contactgegevens</h2>
<p>Meld een toegankelijkheidsprobleem via toegankelijkheid@testdorp.be of bel 09 123 45 67.</p>
<h2>Handhavingsprocedure</h2>
<p>Bent u niet tevreden met ons antwoord? Dien een klacht in bij de Vlaamse Ombudsdienst.</p>"""


def doc(title: str, body: str, *, lang: str = "nl", head: str = "", h1: bool = True) -> str:
    heading = f"<h1>{title}</h1>" if h1 else ""
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title} - Testdorp</title>{head}</head><body><main>{heading}{body}</main>{FOOTER}</body></html>")


# path → (html, check id that must flag it, WCAG criterion, or None for a good twin)
BAD = {
    "/slecht/focus": (doc("Focus onzichtbaar", '<p><a href="/goed/focus">Naar de focuspagina</a> '
                          '<button>Zoeken</button></p>', head="<style>a:focus,button:focus{outline:none}</style>"),
                      "focus-visible", "2.4.7"),
    "/slecht/links": (doc("Nieuwsoverzicht", '<p>Markt: <a href="/goed/links">Lees meer</a></p>'
                          '<p>Zwembad: <a href="/goed/koppen">klik hier</a></p>'),
                      "link-purpose", "2.4.4"),
    "/slecht/koppen": (doc("Koppen", "<h2>Deel</h2><h4>Te diep</h4><p>Tekst.</p>", h1=False),
                       "heading-structure", "1.3.1"),
    "/slecht/taal": (doc("Marché", FRENCH, lang="nl"), "lang-matches-text", "3.1.1"),
    "/slecht/geluid": (doc("Geluid", '<audio src="/geluid.mp3" autoplay></audio>'), "autoplay-media", "1.4.2"),
    "/slecht/verversen": (doc("Verversen", "<p>Deze pagina ververst.</p>",
                              head='<meta http-equiv="refresh" content="600">'), "meta-refresh", "2.2.1"),
    "/slecht/lichtkrant": (doc("Lichtkrant", "<marquee>Nieuws uit Testdorp</marquee>"), "blink-marquee", "2.2.2"),
}
GOOD = {
    "/goed/focus": doc("Focus zichtbaar", '<p><a href="/slecht/focus">Naar de andere focuspagina</a> '
                       '<button>Zoeken</button></p>'),
    "/goed/links": doc("Nieuws", '<p><a href="/slecht/links">Lees meer over de markt</a></p>' + PLAIN),
    "/goed/koppen": doc("Koppen goed", "<h2>Deel</h2><h3>Onderdeel</h3>" + PLAIN),
    "/goed/taal": doc("Markt", PLAIN),
    "/goed/media": doc("Media", '<video src="/film.mp4" controls></video><p>Een film over de markt.</p>'),
}


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    site = LocalSite().start()
    links = "".join(f'<li><a href="{path}">{path.strip("/").replace("/", " ")} pagina</a></li>'
                    for path in [*BAD, *GOED_PATHS])
    site.add("/", body=doc("Welkom", f"<ul>{links}</ul>"
                          '<p><a href="/docs/jaarverslag.pdf">Jaarverslag 2025 (PDF)</a> '
                          '<a href="/docs/scan.pdf">Gescand reglement (PDF)</a></p>' + PLAIN))
    for path, (html, _, _) in BAD.items():
        site.add(path, body=html)
    for path, html in GOOD.items():
        site.add(path, body=html)
    site.add("/slecht/moeilijk", body=doc("Reglement", HARD))
    site.add("/dubbel/een", body=doc("Dubbel", PLAIN))
    site.add("/dubbel/twee", body=doc("Dubbel", PLAIN))
    site.add("/toegankelijkheid", body=doc("Toegankelijkheidsverklaring", STATEMENT))
    site.add("/docs/jaarverslag.pdf", headers={"Content-Type": "application/pdf"},
             body=make_pdf(**ACCESSIBLE_PDF_ARGS))
    site.add("/docs/scan.pdf", headers={"Content-Type": "application/pdf"}, body=make_pdf())
    out = tmp_path_factory.mktemp("a11y")
    result = CliRunner().invoke(main, [
        "audit", site.url("/"), "--out", str(out), "--max-pages", "40", "--delay", "0", "--quiet",
        "--organisation", "Gemeente Testdorp", "--axe-tags", "wcag2a,wcag2aa,wcag21a,wcag21aa,wcag22aa",
    ], catch_exceptions=False)
    yield site, out, result
    site.stop()


GOED_PATHS = ["/goed/focus", "/goed/links", "/goed/koppen", "/goed/taal", "/goed/media",
              "/slecht/moeilijk", "/dubbel/een", "/dubbel/twee"]
OWN_CHECKS = {"focus-visible", "link-purpose", "heading-structure", "lang-matches-text", "autoplay-media",
              "meta-refresh", "blink-marquee", "page-title-unique", "readability", "document-accessibility",
              "accessibility-statement-content"}


def findings_of(report: dict, check_id: str) -> list[dict]:
    return [f for r in report["results"] if r["check_id"] == check_id for f in r["findings"]]


def test_every_seeded_barrier_is_reported_with_its_wcag_criterion(audit):
    site, out, result = audit
    assert result.exit_code == 0, result.output
    report = json.loads((out / "result.json").read_text(encoding="utf-8"))
    for path, (_, check_id, criterion) in BAD.items():
        flagged = [f for f in findings_of(report, check_id)
                   if f["outcome"] in ("fail", "warning") and site.url(path) in f["pages"]]
        assert flagged, f"{check_id} did not flag {path}"
        assert criterion in flagged[0]["wcag_sc"] and flagged[0]["wcag_level"] in ("A", "AA")
        assert flagged[0]["evidence"] and flagged[0]["evidence"][0]["page_url"]
    titles = findings_of(report, "page-title-unique")
    assert any({site.url("/dubbel/een"), site.url("/dubbel/twee")} <= set(f["pages"]) for f in titles)
    hard = findings_of(report, "readability")
    assert hard and site.url("/slecht/moeilijk") in hard[0]["pages"] and hard[0]["wcag_sc"] == ["3.1.5"]
    documents = {f["rule"]: f for f in findings_of(report, "document-accessibility")}
    assert set(documents) == {"untagged-pdf", "pdf-no-text", "pdf-no-title", "pdf-no-language"}
    assert documents["untagged-pdf"]["pages"] == [site.url("/docs/scan.pdf")]
    doc_result = next(r for r in report["results"] if r["check_id"] == "document-accessibility")
    assert doc_result["details"]["share_accessible"] == 0.5


def test_no_false_positive_on_the_good_twins(audit):
    site, out, _ = audit
    report = json.loads((out / "result.json").read_text(encoding="utf-8"))
    good = {site.url(p) for p in GOOD}
    for finding in (f for r in report["results"] if r["check_id"] in OWN_CHECKS for f in r["findings"]):
        if finding["outcome"] in ("fail", "warning"):
            assert not good & set(finding["pages"]), (finding["check_id"], finding["title"], finding["pages"])
    statement = next(r for r in report["results"] if r["check_id"] == "accessibility-statement-content")
    assert statement["outcome"] == "pass", statement["summary"]
    assert len(statement["findings"]) == 6 and all(f["evidence"][0]["snippet"] for f in statement["findings"])
    focus = next(r for r in report["results"] if r["check_id"] == "focus-visible")
    assert focus["pages_passed"] >= len(GOOD)  # the good twins were really tabbed through


def test_occurrences_csv_and_report_sections(audit):
    site, out, _ = audit
    with open(out / "occurrences.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    focus_rows = [r for r in rows if r["check_id"] == "focus-visible"]
    assert {r["page_url"] for r in focus_rows} == {site.url("/slecht/focus")}
    assert len(focus_rows) >= 2 and all(r["wcag_sc"] == "2.4.7" and r["wcag_level"] == "AA" for r in focus_rows)
    assert any(r["check_id"] == "axe-violations" and r["selector"] for r in rows)
    # the workbook's occurrences sheet holds the same rows, and pages.csv every page visited
    from openpyxl import load_workbook

    book = load_workbook(out / "findings.xlsx", read_only=True)
    sheet_rows = list(book["occurrences"].iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[3], r[10] or "") for r in sheet_rows] == [(r["page_url"], r["check_id"], r["selector"]) for r in rows]
    report_pages = json.loads((out / "result.json").read_text(encoding="utf-8"))["pages"]
    with open(out / "pages.csv", encoding="utf-8-sig", newline="") as fh:
        assert [r["url"] for r in csv.DictReader(fh)] == [p["url"] for p in report_pages]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="wcag"' in html and "Waarneembaar" in html
    report = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert report["method"]["settings"]["axe_tags"][-1] == "wcag22aa"
    coverage = next(r for r in report["results"] if r["check_id"] == "wcag-coverage")
    assert coverage["details"]["wcag_version"] == "2.2"
