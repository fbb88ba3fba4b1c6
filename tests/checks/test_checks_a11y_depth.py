"""Accessibility checks beyond axe: each flags its bad fixture and passes its good twin."""

from __future__ import annotations

import re

from datetime import date, timedelta

import pytest

from auditor.probes.documents import analyse_pdf, pick_documents
from auditor.model import (
    CheckResult,
    DocumentInfo,
    FocusStep,
    KeyboardArtifacts,
    Outcome,
    PageArtifacts,
    PageSummary,
    ReadabilityScore,
    ResourceRecord,
    Site,
    SiteArtifacts,
    WcagCoverage,
)
from auditor.score.reducers.readability import page_readability
from auditor.shared.wcag import describe, level_from_axe_tags, lowest_level
from checks.content import heading_structure, link_purpose, page_title_unique
from checks.documents import document_accessibility
from checks.keyboard import focus_visible
from checks.language import lang_matches_text
from checks.media import autoplay_media, blink_marquee, meta_refresh
from checks.readability import readability
from checks.registry import CheckContext
from checks.statement_content import accessibility_statement_content, assess_statement
from tests.fixtures.pdf_fixtures import ACCESSIBLE_PDF_ARGS, make_pdf

SITE = Site(start_urls=["https://www.testdorp.be/"], organisation="Gemeente Testdorp")
CONTEXT = CheckContext(site=SITE)

DUTCH = (
    "De gemeente organiseert elke week een markt op het dorpsplein. Iedereen is welkom om langs te komen. "
    "U kunt er groenten, fruit, brood en kaas kopen bij lokale handelaars. Het zwembad is open van maandag tot "
    "zaterdag en kinderen zwemmen gratis op woensdagnamiddag. De bibliotheek heeft veel nieuwe boeken voor jong "
    "en oud. Afval zet u op de juiste dag buiten; kijk in de kalender welke dag dat is voor uw straat."
)
FRENCH = (
    "La commune organise chaque semaine un marché sur la place du village. Tout le monde est le bienvenu. "
    "Vous pouvez y acheter des légumes, des fruits, du pain et du fromage auprès des commerçants locaux. "
    "La piscine est ouverte du lundi au samedi et les enfants nagent gratuitement le mercredi après-midi. "
    "La bibliothèque propose de nombreux nouveaux livres pour les jeunes et les moins jeunes."
)


def page(body: str, *, lang: str = "nl", title: str = "Testpagina", text: str = "", head: str = "",
         url: str = "https://www.testdorp.be/p", **extra) -> PageArtifacts:
    html = (f'<!doctype html><html lang="{lang}"><head><title>{title}</title>{head}</head>'
            f"<body>{body}</body></html>")
    return PageArtifacts(url=url, final_url=url, html=html, lang=lang, title=title, text=text or body, **extra)


# ----------------------------------------------------------------------------- WCAG table


def test_wcag_levels_come_from_axe_tags_or_the_criteria_table():
    assert level_from_axe_tags(["cat.color", "wcag2aa", "wcag143"], ["1.4.3"]) == "AA"
    assert level_from_axe_tags(["best-practice"], []) == ""
    assert lowest_level(["2.4.7", "1.3.1"]) == "A"
    assert describe("2.4.7") == "2.4.7 Focus Visible (AA)"


# ----------------------------------------------------------------------------- link purpose


def test_link_purpose_flags_generic_texts_and_one_text_for_two_targets():
    bad = page('<main><h1>Nieuws</h1><p>Afvalkalender: <a href="/afval">Lees meer</a></p>'
               '<p><a href="/a">klik hier</a></p><a href="/tarieven-2025">Tarieven</a>'
               '<a href="/tarieven-2026">Tarieven</a></main>')
    result = link_purpose(bad, CONTEXT)
    assert result.outcome == Outcome.WARNING
    rules = {f.rule: f for f in result.findings}
    assert rules["generic-link-text"].occurrences == 2 and rules["generic-link-text"].wcag_sc == ["2.4.4"]
    assert rules["generic-link-text"].wcag_level == "A"
    assert "lees meer" in rules["generic-link-text"].evidence[0].value.lower()
    assert "tarieven" in rules["same-text-different-targets"].evidence[0].value.lower()


def test_link_purpose_passes_descriptive_links_and_aria_labels():
    good = page('<main><a href="/afval">Lees meer over de afvalkalender</a>'
                '<a href="/b" aria-label="Lees meer over het zwembad">Lees meer</a>'
                '<a href="/c">Lees meer<span class="visually-hidden"> over de bibliotheek</span></a>'
                '<a href="/tarieven">Tarieven</a><a href="/tarieven#boven">Tarieven</a></main>')
    result = link_purpose(good, CONTEXT)
    assert result.outcome == Outcome.PASS, result.findings


# ----------------------------------------------------------------------------- headings


@pytest.mark.parametrize("body, rule", [
    ("<h2>Geen titel</h2><p>x</p>", "no-h1"),
    ("<h1>Een</h1><h1>Twee</h1>", "several-h1"),
    ("<h1>Titel</h1><h2>Deel</h2><h4>Te diep</h4>", "skipped-level"),
    ("<h1>Titel</h1><h2></h2>", "empty-heading"),
])
def test_heading_structure_flags_each_barrier(body, rule):
    result = heading_structure(page(body), CONTEXT)
    assert result.outcome in (Outcome.WARNING, Outcome.FAIL)
    finding = next(f for f in result.findings if f.rule == rule)
    assert "1.3.1" in finding.wcag_sc and finding.evidence[0].page_url


def test_heading_structure_passes_a_logical_outline():
    good = page('<h1>Titel</h1><h2>Deel</h2><h3>Sub</h3><h2>Deel 2</h2><div role="heading" aria-level="3">Sub</div>'
                '<h1 hidden>Verborgen</h1>')
    assert heading_structure(good, CONTEXT).outcome == Outcome.PASS


# ----------------------------------------------------------------------------- titles


def summary(url: str, title: str, **extra) -> PageSummary:
    return PageSummary(url=url, final_url=url, title=title, **extra)


def test_page_titles_duplicated_or_only_the_site_name_are_reported():
    site = SiteArtifacts(site=SITE, pages=[
        summary("https://www.testdorp.be/", "Gemeente Testdorp"),
        summary("https://www.testdorp.be/a", "Nieuws"),
        summary("https://www.testdorp.be/b", "Nieuws"),
        summary("https://www.testdorp.be/c", "Gemeente Testdorp"),
        summary("https://www.testdorp.be/d", "Contact - Gemeente Testdorp"),
    ])
    result = page_title_unique(site, CONTEXT)
    assert result.outcome == Outcome.WARNING
    rules = {f.rule: f for f in result.findings}
    assert rules["duplicate-title"].pages_total == 2 and rules["duplicate-title"].wcag_sc == ["2.4.2"]
    assert rules["title-is-site-name"].pages == ["https://www.testdorp.be/c"]


def test_distinct_page_titles_pass():
    site = SiteArtifacts(site=SITE, pages=[
        summary("https://www.testdorp.be/", "Gemeente Testdorp"),
        summary("https://www.testdorp.be/a", "Nieuws - Gemeente Testdorp"),
    ])
    assert page_title_unique(site, CONTEXT).outcome == Outcome.PASS


# ----------------------------------------------------------------------------- language


def test_lang_that_does_not_match_the_text_fails_and_a_match_passes():
    bad = page(f"<main><p>{FRENCH}</p></main>", lang="nl", text=FRENCH)
    result = lang_matches_text(bad, CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert result.findings[0].wcag_sc == ["3.1.1"] and "fr" in result.findings[0].evidence[0].value
    good = page(f"<main><p>{DUTCH}</p></main>", lang="nl-BE", text=DUTCH)
    assert lang_matches_text(good, CONTEXT).outcome == Outcome.PASS
    short = page("<main><p>Welkom</p></main>", lang="nl", text="Welkom")
    assert lang_matches_text(short, CONTEXT).outcome == Outcome.NOT_APPLICABLE


def test_the_language_is_detected_on_the_opening_of_the_main_text():
    from checks.language import DETECTION_SAMPLE_CHARS

    dutch = (DUTCH + " ") * (DETECTION_SAMPLE_CHARS // len(DUTCH) + 1)
    french = (FRENCH + " ") * (4000 // len(FRENCH) + 1)
    text = dutch + french  # Dutch for the first 2,000 characters, then more French than Dutch
    result = lang_matches_text(page(f"<main><p>{text}</p></main>", lang="nl", text=text), CONTEXT)
    assert result.outcome == Outcome.PASS and result.details["detected"] == "nl"
    assert result.details["words"] == len(re.findall(r"\w+", text[:6000]))  # all words still counted


# ----------------------------------------------------------------------------- media


def test_autoplay_audio_fails_muted_video_without_controls_warns_and_controlled_media_passes():
    bad = autoplay_media(page('<audio src="a.mp3" autoplay></audio>'), CONTEXT)
    assert bad.outcome == Outcome.FAIL and bad.findings[0].wcag_sc == ["1.4.2"]
    motion = autoplay_media(page('<video src="v.mp4" autoplay muted loop></video>'), CONTEXT)
    assert motion.outcome == Outcome.WARNING and motion.findings[0].wcag_sc == ["2.2.2"]
    embed = autoplay_media(page('<iframe src="https://www.youtube.com/embed/x?autoplay=1" title="v"></iframe>'), CONTEXT)
    assert embed.outcome == Outcome.WARNING
    good = autoplay_media(page('<video src="v.mp4" controls></video><audio src="a.mp3" controls></audio>'), CONTEXT)
    assert good.outcome == Outcome.PASS


def test_timed_meta_refresh_fails_and_an_immediate_redirect_passes():
    bad = meta_refresh(page("<p>x</p>", head='<meta http-equiv="refresh" content="30">'), CONTEXT)
    assert bad.outcome == Outcome.FAIL and bad.findings[0].wcag_sc == ["2.2.1"]
    assert "30" in bad.findings[0].evidence[0].value
    good = meta_refresh(page("<p>x</p>", head='<meta http-equiv="refresh" content="0; url=/nieuw">'), CONTEXT)
    assert good.outcome == Outcome.PASS
    assert meta_refresh(page("<p>x</p>"), CONTEXT).outcome == Outcome.NOT_APPLICABLE


def test_blink_and_marquee_fail_and_static_text_passes():
    bad = blink_marquee(page('<marquee>Nieuws!</marquee><span style="text-decoration: blink">Nu</span>'), CONTEXT)
    assert bad.outcome == Outcome.FAIL
    assert {f.rule for f in bad.findings} == {"marquee", "blink-style"}
    assert all(f.wcag_sc == ["2.2.2"] for f in bad.findings)
    assert blink_marquee(page("<p>Nieuws</p>"), CONTEXT).outcome == Outcome.PASS


# ----------------------------------------------------------------------------- keyboard


def test_focus_without_visible_change_fails_and_visible_focus_passes():
    steps = [FocusStep(index=1, selector="#menu > a", snippet='<a href="/">', tag="a", visible_change=False),
             FocusStep(index=2, selector="#zoek", snippet="<input id=zoek>", tag="input",
                       visible_change=True, changed=["outline-style"])]
    bad = focus_visible(page("<p>x</p>", keyboard=KeyboardArtifacts(steps=steps, tab_presses=2)), CONTEXT)
    assert bad.outcome == Outcome.FAIL and bad.score == 0.5
    assert bad.findings[0].wcag_sc == ["2.4.7"] and bad.findings[0].wcag_level == "AA"
    assert bad.findings[0].evidence[0].selector == "#menu > a"
    good = focus_visible(page("<p>x</p>", keyboard=KeyboardArtifacts(steps=steps[1:], tab_presses=1)), CONTEXT)
    assert good.outcome == Outcome.PASS
    assert focus_visible(page("<p>x</p>"), CONTEXT).outcome == Outcome.NOT_APPLICABLE
    broken = focus_visible(page("<p>x</p>", collector_errors={"keyboard": "boom"}), CONTEXT)
    assert broken.outcome == Outcome.ERROR


# ----------------------------------------------------------------------------- readability

HARD = (
    "Overeenkomstig de bepalingen van het bestuursdecreet betreffende de toegankelijkheidsverplichtingen van "
    "overheidsinstanties worden de aanvragen tot tegemoetkoming in de kosten van infrastructuurwerkzaamheden "
    "administratief afgehandeld door de bevoegde dienstverlenende entiteit, onverminderd de toepassing van de "
    "geldende reglementering inzake overheidsopdrachten en de daaruit voortvloeiende verplichtingen.\n"
)


def test_readability_is_measured_on_dutch_prose_only():
    easy = page_readability(DUTCH + "\n" + DUTCH, "nl-BE")
    hard = page_readability(HARD * 3, "nl")
    assert easy is not None and hard is not None and easy.score > 60 > 30 > hard.score
    assert page_readability(DUTCH * 2, "fr") is None
    assert page_readability("Home\nNieuws\nContact", "nl") is None


def test_readability_warns_on_hard_pages_with_the_hardest_listed_and_passes_plain_text():
    def site_with(*scores):
        return SiteArtifacts(site=SITE, pages=[
            summary(f"https://www.testdorp.be/{i}", f"P{i}", readability=ReadabilityScore(score=s, words=200, sentences=10))
            for i, s in enumerate(scores)])
    bad = readability(site_with(20.0, 45.0, 70.0), CONTEXT)
    assert bad.outcome == Outcome.WARNING and bad.details["median"] == 45.0
    assert bad.details["hardest_pages"][0]["url"].endswith("/0")
    assert bad.findings[0].wcag_sc == ["3.1.5"] and bad.findings[0].pages == ["https://www.testdorp.be/0"]
    good = readability(site_with(65.0, 72.0, 80.0), CONTEXT)
    assert good.outcome == Outcome.PASS and not good.findings
    assert readability(SiteArtifacts(site=SITE), CONTEXT).outcome == Outcome.NOT_APPLICABLE


# ----------------------------------------------------------------------------- documents


def test_generated_pdfs_are_analysed_tagged_and_untagged():
    good = analyse_pdf(make_pdf(**ACCESSIBLE_PDF_ARGS))
    assert (good.tagged, good.title, good.lang, good.has_text) == (True, "Jaarverslag 2025", "nl-BE", True)
    bare = analyse_pdf(make_pdf())
    assert (bare.tagged, bare.title, bare.lang, bare.has_text) == (False, "", "", False)
    assert analyse_pdf(b"%PDF-1.4\n%%EOF\n").error
    assert "not a PDF" in analyse_pdf(b"<html></html>").error


def test_document_check_reports_each_missing_property_and_the_share_accessible():
    good = analyse_pdf(make_pdf(**ACCESSIBLE_PDF_ARGS), DocumentInfo(url="https://www.testdorp.be/goed.pdf"))
    bad = analyse_pdf(make_pdf(), DocumentInfo(url="https://www.testdorp.be/scan.pdf", linked_from="https://www.testdorp.be/"))
    broken = DocumentInfo(url="https://www.testdorp.be/kapot.pdf", error="the PDF could not be read")
    result = document_accessibility(SiteArtifacts(site=SITE, documents=[good, bad, broken]), CONTEXT)
    assert result.outcome == Outcome.FAIL and result.score == 0.5
    by_rule = {f.rule: f for f in result.findings if f.outcome == Outcome.FAIL}
    assert set(by_rule) == {"untagged-pdf", "pdf-no-text", "pdf-no-title", "pdf-no-language"}
    assert by_rule["untagged-pdf"].pages == ["https://www.testdorp.be/scan.pdf"]
    assert by_rule["pdf-no-text"].wcag_sc == ["1.1.1"] and by_rule["pdf-no-language"].wcag_sc == ["3.1.1"]
    assert "1 of 2" in result.summary and result.details["not_analysed"] == 1
    assert any(f.rule == "pdf-not-analysed" and f.outcome == Outcome.MANUAL for f in result.findings)
    only_good = document_accessibility(SiteArtifacts(site=SITE, documents=[good]), CONTEXT)
    assert only_good.outcome == Outcome.PASS and only_good.score == 1.0
    only_broken = document_accessibility(SiteArtifacts(site=SITE, documents=[broken]), CONTEXT)
    assert only_broken.outcome == Outcome.MANUAL and only_broken.findings[0].outcome == Outcome.MANUAL


def test_only_pdfs_that_answered_are_sampled_within_the_cap():
    resources = [ResourceRecord(url=f"https://x.be/{i}.pdf", content_type="application/pdf") for i in range(5)]
    resources += [ResourceRecord(url="https://x.be/weg.pdf", http_status=404),
                  ResourceRecord(url="https://x.be/tabel.xlsx", content_type="application/vnd.ms-excel")]
    assert [r.url for r in pick_documents(resources, limit=3)] == [f"https://x.be/{i}.pdf" for i in range(3)]
    assert all("weg" not in r.url and "xlsx" not in r.url for r in pick_documents(resources, limit=10))


# ----------------------------------------------------------------------------- statement content

TODAY = date.today()
RECENT = (TODAY - timedelta(days=60)).strftime("%d/%m/%Y")
OLD = (TODAY - timedelta(days=800)).strftime("%d/%m/%Y")

STATEMENT_NL = f"""Toegankelijkheidsverklaring
De gemeente Testdorp streeft ernaar haar website toegankelijk te maken, overeenkomstig het bestuursdecreet van 7 december 2018.
Nalevingsstatus
Deze website voldoet gedeeltelijk aan de Web Content Accessibility Guidelines versie 2.1 niveau AA.
Niet-toegankelijke inhoud
De inhoud hieronder is om de volgende redenen niet toegankelijk. Niet-naleving van het bestuursdecreet: sommige PDF-documenten zijn niet getagd.
U kunt een toegankelijk alternatief van elk document op aanvraag krijgen.
Opstelling van deze toegankelijkheidsverklaring
Deze verklaring is opgesteld op {RECENT} en voor het laatst herzien op {RECENT}.
Feedback en contactgegevens
Meld een toegankelijkheidsprobleem via toegankelijkheid@testdorp.be of bel 09 123 45 67.
Handhavingsprocedure
Bent u niet tevreden met ons antwoord? Dien dan een klacht in bij de Vlaamse Ombudsdienst, Leuvenseweg 86, 1000 Brussel.
"""

STATEMENT_FR = f"""Déclaration d'accessibilité
La commune s'engage à rendre son site internet accessible.
État de conformité
Ce site internet est partiellement conforme aux règles WCAG 2.1 niveau AA.
Contenus non accessibles
Certains documents PDF ne sont pas accessibles. Une alternative accessible est disponible sur demande.
Établissement de cette déclaration
Cette déclaration a été établie le 3 mars {TODAY.year - 3}.
Retour d'information et coordonnées
Pour signaler un problème, contactez-nous via accessibilite@commune.be.
Procédure de mise en œuvre
En cas de réponse insatisfaisante, vous pouvez introduire une plainte auprès du médiateur.
"""


def test_complete_dutch_statement_passes_each_element_with_its_sentence():
    findings = {f.rule: f for f in assess_statement(STATEMENT_NL, TODAY)}
    assert set(findings) == {"compliance-status", "non-accessible-content", "alternatives",
                             "feedback-mechanism", "enforcement-procedure", "review-date"}
    assert all(f.outcome == Outcome.PASS for f in findings.values()), [
        (f.rule, f.outcome) for f in findings.values()]
    assert findings["compliance-status"].evidence[0].value == "gedeeltelijk"
    assert "voldoet gedeeltelijk" in findings["compliance-status"].evidence[0].snippet
    assert "Vlaamse Ombudsdienst" in findings["enforcement-procedure"].evidence[0].snippet
    assert "testdorp.be" in findings["feedback-mechanism"].evidence[0].snippet


def test_french_statement_is_read_and_an_old_review_date_is_flagged():
    findings = {f.rule: f for f in assess_statement(STATEMENT_FR, TODAY)}
    assert findings["compliance-status"].outcome == Outcome.PASS
    assert findings["compliance-status"].evidence[0].value == "gedeeltelijk"
    assert findings["non-accessible-content"].outcome == Outcome.PASS
    assert findings["alternatives"].outcome == Outcome.PASS
    assert findings["feedback-mechanism"].outcome == Outcome.PASS
    assert findings["enforcement-procedure"].outcome == Outcome.PASS
    assert findings["review-date"].outcome == Outcome.WARNING
    assert findings["review-date"].evidence[0].value == f"{TODAY.year - 3}-03-03"


@pytest.mark.parametrize("text", [
    "Toegankelijkheidsverklaring\nWij vinden toegankelijkheid belangrijk en werken eraan.\n",
    "Déclaration d'accessibilité\nNous travaillons à rendre ce site accessible à tous.\n",
])
def test_incomplete_statements_fail_with_each_missing_element(text):
    site = SiteArtifacts(site=SITE, role_pages={"accessibility": "https://www.testdorp.be/toegankelijkheid"},
                         role_texts={"accessibility": text})
    result = accessibility_statement_content(site, CONTEXT)
    assert result.outcome == Outcome.FAIL and result.score < 0.2
    missing = {f.rule for f in result.findings if f.outcome == Outcome.FAIL}
    assert {"compliance-status", "feedback-mechanism", "enforcement-procedure", "review-date"} <= missing
    assert all(f.pages == ["https://www.testdorp.be/toegankelijkheid"] for f in result.findings)


def test_statement_content_check_passes_a_complete_statement_and_is_honest_without_one():
    site = SiteArtifacts(site=SITE, role_pages={"accessibility": "https://www.testdorp.be/t"},
                         role_texts={"accessibility": STATEMENT_NL})
    result = accessibility_statement_content(site, CONTEXT)
    assert result.outcome == Outcome.PASS and result.score == 1.0
    assert accessibility_statement_content(SiteArtifacts(site=SITE), CONTEXT).outcome == Outcome.NOT_APPLICABLE
    pdf_only = SiteArtifacts(site=SITE, role_pages={"accessibility": "https://www.testdorp.be/t.pdf"})
    assert accessibility_statement_content(pdf_only, CONTEXT).outcome == Outcome.MANUAL


# ----------------------------------------------------------------------------- report


def test_report_shows_wcag_per_principle_and_the_score_formula():
    from reports.html_report import render_html
    from tests.fixtures.sample_report import sample_report

    html = render_html(sample_report(), lang="en")
    assert 'id="wcag"' in html and "Perceivable" in html and "Robust" in html
    section = html.split('id="wcag"', 1)[1].split("</section>", 1)[0]
    assert "1.1.1, 1.4.3" in section and "4.1.3" in section
    assert "critical 10, serious 7, moderate 3, minor 1" in html
    assert "Waarneembaar" in render_html(sample_report(), lang="nl")


def test_wcag_coverage_follows_the_axe_tags_of_the_run():
    from checks.wcag_coverage import wcag_coverage

    default = wcag_coverage(SiteArtifacts(site=SITE), CONTEXT)
    assert default.outcome == Outcome.MANUAL and default.score is None
    operable = default.details["principles"]["operable"]
    assert "2.4.7" in operable["automated"] and "2.1.2" in operable["manual"]
    assert "2.5.8" not in operable["automated"] + operable["manual"]  # WCAG 2.2 only
    with_22 = wcag_coverage(SiteArtifacts(site=SITE), CheckContext(
        site=SITE, settings={"axe_tags": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]}))
    assert with_22.details["wcag_version"] == "2.2"
    assert "2.5.8" in with_22.details["principles"]["operable"]["automated"]
    # the reports read the same details through the typed model
    typed = WcagCoverage.from_result(with_22)
    assert typed.wcag_version == "2.2" and typed.axe_tags == ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
    assert list(typed.principles) == ["perceivable", "operable", "understandable", "robust"]
    assert typed.principles["operable"].number == "2"
    assert typed.principles["operable"].automated == with_22.details["principles"]["operable"]["automated"]
    assert typed.principles["robust"].manual == with_22.details["principles"]["robust"]["manual"]


def test_typed_wcag_coverage_reads_none_from_a_result_without_it():
    assert WcagCoverage.from_result(None) is None
    assert WcagCoverage.from_result(CheckResult(check_id="wcag-coverage", outcome=Outcome.MANUAL)) is None
    odd = CheckResult(check_id="wcag-coverage", outcome=Outcome.MANUAL, details={"principles": {"robust": 4}})
    assert WcagCoverage.from_result(odd) is None
    old = CheckResult(check_id="wcag-coverage", outcome=Outcome.MANUAL,
                      details={"principles": {"robust": {"number": 4, "automated": ["4.1.2"]}}})
    assert WcagCoverage.from_result(old).principles["robust"].number == "4"
    assert WcagCoverage.from_result(old).wcag_version == "2.1"


def test_media_checks_find_elements_in_any_letter_case_of_the_markup():
    # these checks skip their walk over the DOM when the markup never names what they look
    # for: markup in capitals (hand-written or saved from another tool) must still be seen
    assert blink_marquee(page("<MARQUEE>Nieuws!</MARQUEE>"), CONTEXT).outcome == Outcome.FAIL
    assert blink_marquee(page('<span STYLE="TEXT-DECORATION: BLINK">Nu</span>'), CONTEXT).outcome == Outcome.FAIL
    assert autoplay_media(page('<AUDIO SRC="a.mp3" AUTOPLAY></AUDIO>'), CONTEXT).outcome == Outcome.FAIL
