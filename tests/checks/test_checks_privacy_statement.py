"""The privacy and cookie statement checks, from hand-made artifacts: each GDPR art. 13 element
found with its sentence or reported missing, the competent authority per kind of site, cookie
tables, and the statement links (German words, pages lacking the link)."""

from __future__ import annotations

import pytest

from auditor.model import (CheckResult, LinkRecord, Outcome, PageStatus, PageSummary, Severity, Site, SiteArtifacts,
                           SiteKind, StatementChecklist)
from auditor.crawl.roles import link_roles
from checks.cookie_statement import (
    assess_cookie_statement,
    cookie_statement_content,
    cookie_statement_linked,
    cookie_tables,
)
from checks.privacy_statement import (
    ELEMENT_NAMES,
    assess_privacy_statement,
    authority_finding,
    expected_authority,
    privacy_statement_content,
)
from checks.registry import CheckContext
from checks.statements import privacy_statement_linked
from tests.fixtures.privacy_fixtures import (
    COOKIE_PLAIN,
    COOKIE_TABLE,
    PRIVACY_FR,
    PRIVACY_INCOMPLETE,
    PRIVACY_NL,
    as_text,
)

HOME = "https://www.testdorp.be/"
PRIVACY_URL = "https://www.testdorp.be/privacyverklaring"


def site_of(kind: SiteKind = SiteKind.MUNICIPALITY) -> Site:
    return Site(start_urls=[HOME], kind=kind)


def by_rule(text: str, kind: SiteKind = SiteKind.MUNICIPALITY) -> dict:
    return {f.rule: f for f in assess_privacy_statement(text, kind)}


def proof(finding) -> str:
    return " ".join(e.snippet for e in finding.evidence)


# ----------------------------------------------------------------------------- whole statements


def test_complete_dutch_statement_passes_every_element_with_its_sentence():
    findings = by_rule(as_text(PRIVACY_NL))
    assert list(findings) == list(ELEMENT_NAMES)
    assert {rule: f.outcome for rule, f in findings.items()} == dict.fromkeys(ELEMENT_NAMES, Outcome.PASS)
    assert all(f.evidence[0].snippet for f in findings.values())
    assert "0207.451.227" in proof(findings["controller"]) and "Marktplein 1" in proof(findings["controller"])
    assert findings["dpo-contact"].evidence[0].value == "dpo@testdorp.be"
    assert "doeleinden" in proof(findings["purposes"])
    assert set(findings["legal-basis"].evidence[0].value.split(", ")) == {"legal obligation", "public task", "consent"}
    assert "buiten de Europese Unie" in proof(findings["transfers-outside-eu"])
    assert "archiefdecreet" in proof(findings["retention"])
    assert "missing" not in findings["data-subject-rights"].evidence[0].value
    assert "intrekken" in proof(findings["withdraw-consent"])
    assert "klacht" in proof(findings["complaint-right"])
    assert "Vlaamse Toezichtcommissie" in proof(findings["supervisory-authority"])
    assert findings["date-or-version"].evidence[0].value == "2025-09-15"


def test_incomplete_municipal_statement_flags_no_dpo_no_complaint_route_and_the_wrong_authority():
    findings = by_rule(as_text(PRIVACY_INCOMPLETE), SiteKind.MUNICIPALITY)
    assert findings["dpo-contact"].outcome == Outcome.FAIL
    assert findings["complaint-right"].outcome == Outcome.FAIL
    wrong = findings["supervisory-authority"]
    assert wrong.outcome == Outcome.FAIL and wrong.severity == Severity.SERIOUS
    assert wrong.title.startswith("Wrong supervisory authority")
    assert "Gegevensbeschermingsautoriteit" in proof(wrong)
    assert "Vlaamse Toezichtcommissie" in wrong.evidence[0].expected
    # what it does say is still credited, with its sentence
    assert findings["purposes"].outcome == Outcome.PASS and "doel" in proof(findings["purposes"])
    assert findings["controller"].outcome == Outcome.WARNING  # address, but no KBO number
    assert "enterprise number" in findings["controller"].evidence[0].value


def test_french_statement_is_read():
    findings = by_rule(as_text(PRIVACY_FR), SiteKind.PROVINCE)
    assert {rule: f.outcome for rule, f in findings.items()} == dict.fromkeys(ELEMENT_NAMES, Outcome.PASS)
    assert findings["dpo-contact"].evidence[0].value == "dpd@testbrabant.be"
    assert "0253.973.219" in findings["controller"].evidence[0].value
    assert "retirer votre consentement" in proof(findings["withdraw-consent"])
    assert findings["date-or-version"].evidence[0].value == "2026-02-01"


ENGLISH = """Privacy statement
The City of Testdorp, Market Square 1, 9999 Testdorp (enterprise number 0207.451.227) is the data controller.
Contact our data protection officer at dpo@testdorp.be.
We process your personal data for the purposes of handling your requests.
The legal basis is a legal obligation or a task in the public interest.
Your data are shared with processors that work for us; they are not transferred outside the EU.
The retention period is five years.
Your rights: the right of access, rectification, erasure, restriction of processing, portability and the right to object.
You may withdraw your consent at any time.
You can lodge a complaint with the Flemish Supervisory Commission.
Last updated: 2026-01-10.
"""


def test_english_statement_is_read():
    findings = by_rule(ENGLISH)
    assert {rule: f.outcome for rule, f in findings.items()} == dict.fromkeys(ELEMENT_NAMES, Outcome.PASS)


# ----------------------------------------------------------------------------- one element at a time


@pytest.mark.parametrize("rule, sentence", [
    ("purposes", "Wij verwerken uw gegevens voor de volgende doeleinden: uw aanvraag behandelen."),
    ("purposes", "Vos données sont traitées à des fins statistiques."),
    ("legal-basis", "De verwerking is nodig om te voldoen aan een wettelijke verplichting."),
    ("legal-basis", "The lawful basis for processing is your consent."),
    ("recipients", "We geven uw persoonsgegevens nooit door aan derden."),
    ("recipients", "Les destinataires de vos données sont nos services internes."),
    ("transfers-outside-eu", "Uw gegevens worden nooit doorgegeven naar derde landen."),
    ("transfers-outside-eu", "Your data never leave the European Economic Area; we do not transfer them outside the EEA."),
    ("retention", "De bewaartermijn van uw gegevens is tien jaar."),
    ("retention", "Vos données sont conservées pendant deux ans."),
    ("withdraw-consent", "U kan uw toestemming altijd opnieuw intrekken."),
    ("complaint-right", "U kunt een klacht indienen bij de toezichthoudende autoriteit."),
    ("complaint-right", "You have the right to complain to a supervisory authority."),
    ("date-or-version", "Versie 3.2 van deze verklaring."),
    ("date-or-version", "Deze verklaring werd aangepast op 3 maart 2025."),
])
def test_each_element_is_found_from_its_own_sentence_and_missing_without_it(rule, sentence):
    found = by_rule(f"Privacyverklaring\n{sentence}\n")[rule]
    assert found.outcome == Outcome.PASS, found.title
    assert sentence in proof(found)
    missing = by_rule("Privacyverklaring\nWe vinden uw privacy belangrijk.\n")[rule]
    assert missing.outcome in (Outcome.FAIL, Outcome.WARNING) and not proof(missing)


def test_a_question_heading_is_proven_with_the_answer_that_follows():
    text = "Hoelang bewaren we uw persoonsgegevens?\nTien jaar na het afsluiten van uw dossier.\n"
    assert proof(by_rule(text)["retention"]) == (
        "Hoelang bewaren we uw persoonsgegevens? Tien jaar na het afsluiten van uw dossier.")


def test_words_about_something_else_do_not_count():
    findings = by_rule("Disclaimer\nDeze website bevat links naar websites van derden.\n"
                       "Het doel van deze website is u te informeren.\nCookies worden twee jaar bewaard.\n")
    assert findings["recipients"].outcome == Outcome.FAIL
    assert findings["purposes"].outcome == Outcome.FAIL
    assert findings["retention"].outcome == Outcome.FAIL


def test_controller_needs_identity_address_and_enterprise_number_and_the_authority_address_is_not_ours():
    assert by_rule("Gemeente Testdorp is verantwoordelijk voor de verwerking.\n")["controller"].outcome == Outcome.WARNING
    not_named = by_rule("Marktplein 1, 9999 Testdorp, KBO 0207.451.227\n")["controller"]
    assert not_named.outcome == Outcome.FAIL and "0207.451.227" in proof(not_named)
    borrowed = by_rule("Gemeente Testdorp is de verwerkingsverantwoordelijke (KBO 0207.451.227).\n"
                       "Klachten: Vlaamse Toezichtcommissie, Koning Albert II-laan 15, 1210 Brussel.\n")["controller"]
    assert borrowed.outcome == Outcome.WARNING and borrowed.evidence[0].value == "missing: address"


def test_dpo_needs_an_email_address():
    named = by_rule("Onze functionaris voor gegevensbescherming helpt u graag.\n")["dpo-contact"]
    assert named.outcome == Outcome.WARNING
    mailbox = by_rule("Vragen over privacy? Schrijf naar aiv.dpo@vlaanderen.be.\n")["dpo-contact"]
    assert mailbox.outcome == Outcome.PASS and mailbox.evidence[0].value == "aiv.dpo@vlaanderen.be"
    next_line = by_rule("Functionaris voor gegevensbescherming\nU bereikt haar via privacy@testdorp.be.\n")["dpo-contact"]
    assert next_line.outcome == Outcome.PASS and next_line.evidence[0].value == "privacy@testdorp.be"


def test_rights_are_counted_and_the_missing_ones_named():
    some = by_rule("Uw rechten\nU hebt het recht op inzage en op verbetering van uw gegevens.\n")["data-subject-rights"]
    assert some.outcome == Outcome.WARNING
    assert some.evidence[0].value == ("found: access, rectification; missing: erasure, restriction, portability, "
                                      "objection")
    assert by_rule("Geen rechten hier.\n")["data-subject-rights"].outcome == Outcome.FAIL


def test_consent_without_withdrawal_fails_and_no_consent_at_all_only_warns():
    assert by_rule("We vragen uw toestemming voor de nieuwsbrief.\n")["withdraw-consent"].outcome == Outcome.FAIL
    silent = by_rule("We verwerken gegevens voor een taak van algemeen belang.\n")["withdraw-consent"]
    assert silent.outcome == Outcome.WARNING and silent.severity == Severity.MINOR


# ----------------------------------------------------------------------------- the authority


VTC = "U kunt klacht indienen bij de Vlaamse Toezichtcommissie."
GBA = "U kunt klacht indienen bij de Gegevensbeschermingsautoriteit."
BOTH = "Klachten: de Vlaamse Toezichtcommissie (VTC); voor private partners de Gegevensbeschermingsautoriteit."
APD = "Vous pouvez introduire une plainte auprès de l'Autorité de protection des données."


@pytest.mark.parametrize("kind, sentence, outcome, value", [
    (SiteKind.MUNICIPALITY, VTC, Outcome.PASS, "Vlaamse Toezichtcommissie (VTC)"),
    (SiteKind.PROVINCE, VTC, Outcome.PASS, "Vlaamse Toezichtcommissie (VTC)"),
    (SiteKind.FLEMISH_ENTITY, BOTH, Outcome.PASS, "Vlaamse Toezichtcommissie (VTC) (also names the GBA)"),
    (SiteKind.MUNICIPALITY, GBA, Outcome.FAIL, "Gegevensbeschermingsautoriteit (GBA)"),
    (SiteKind.FLEMISH_ENTITY, APD, Outcome.FAIL, "Gegevensbeschermingsautoriteit (GBA)"),
    (SiteKind.OTHER, GBA, Outcome.PASS, "Gegevensbeschermingsautoriteit (GBA)"),
    (SiteKind.OTHER, APD, Outcome.PASS, "Gegevensbeschermingsautoriteit (GBA)"),
    (SiteKind.OTHER, VTC, Outcome.WARNING, "Vlaamse Toezichtcommissie (VTC)"),
    (SiteKind.MUNICIPALITY, "U kunt klacht indienen.", Outcome.FAIL, ""),
])
def test_the_competent_authority_depends_on_the_kind_of_site(kind, sentence, outcome, value):
    finding = authority_finding([sentence], kind)
    assert finding.outcome == outcome and finding.evidence[0].value == value
    if value:
        assert finding.evidence[0].snippet == sentence


def test_expected_authority_per_kind():
    assert {kind: expected_authority(kind) for kind in SiteKind} == {
        SiteKind.FLEMISH_ENTITY: "vtc", SiteKind.MUNICIPALITY: "vtc", SiteKind.PROVINCE: "vtc", SiteKind.OTHER: "gba"}


def test_a_word_containing_vtc_letters_is_not_the_authority():
    assert authority_finding(["Klacht? Mail naar vtcdienst@testdorp.be of de gba-dienst."],
                             SiteKind.MUNICIPALITY).title == "No supervisory authority named"


# ----------------------------------------------------------------------------- the check


def test_check_result_pins_findings_to_the_statement_and_scores_the_share_found():
    site = site_of()
    artifacts = SiteArtifacts(site=site, role_pages={"privacy": PRIVACY_URL},
                              role_texts={"privacy": as_text(PRIVACY_INCOMPLETE)})
    result = privacy_statement_content(artifacts, CheckContext(site=site))
    assert result.outcome == Outcome.FAIL
    assert len(result.findings) == len(ELEMENT_NAMES)
    assert all(f.pages == [PRIVACY_URL] and f.evidence[0].page_url == PRIVACY_URL for f in result.findings)
    assert result.details["expected_authority"] == "vtc" and result.details["elements"]["dpo-contact"] == "fail"
    # the reports read the checklist through the typed model, in the check's order
    checklist = StatementChecklist.from_result(result)
    assert list(checklist.elements) == [f.rule for f in result.findings]
    assert checklist.elements["dpo-contact"] == "fail"
    assert checklist.name("dpo-contact") == ELEMENT_NAMES["dpo-contact"] and checklist.name_nl("dpo-contact")
    assert StatementChecklist.from_result(CheckResult(check_id="x", outcome=Outcome.PASS)) is None
    assert 0 < result.score < 0.4
    complete = SiteArtifacts(site=site, role_pages={"privacy": PRIVACY_URL}, role_texts={"privacy": as_text(PRIVACY_NL)})
    passed = privacy_statement_content(complete, CheckContext(site=site))
    assert passed.outcome == Outcome.PASS and passed.score == 1.0


def test_check_is_honest_without_a_statement_or_without_text():
    site = site_of()
    none = privacy_statement_content(SiteArtifacts(site=site), CheckContext(site=site))
    assert none.outcome == Outcome.NOT_APPLICABLE and none.score is None
    empty = SiteArtifacts(site=site, role_pages={"privacy": PRIVACY_URL}, role_texts={"privacy": "  "})
    assert privacy_statement_content(empty, CheckContext(site=site)).outcome == Outcome.MANUAL


# ----------------------------------------------------------------------------- cookies


def test_cookie_table_gives_names_purposes_and_lifetimes_with_the_rows():
    text = as_text(COOKIE_TABLE[1])
    tables = cookie_tables(text)
    assert len(tables) == 1 and len(tables[0].rows) == 3
    findings = {f.rule: f for f in assess_cookie_statement(text)}
    assert all(f.outcome == Outcome.PASS for f in findings.values())
    assert findings["cookie-names"].evidence[0].value == "cookie-consent; _pk_id; PHPSESSID"
    assert findings["cookie-lifetimes"].evidence[0].value == "1 jaar; 13 maanden; Einde van de sessie"
    assert "Naam | Doel | Bewaartermijn" in findings["cookie-purposes"].evidence[0].snippet


def test_cookie_statement_without_a_list_fails_names_and_lifetimes():
    findings = {f.rule: f for f in assess_cookie_statement(as_text(COOKIE_PLAIN[1]))}
    assert findings["cookie-names"].outcome == Outcome.FAIL
    assert findings["cookie-lifetimes"].outcome == Outcome.FAIL
    general = findings["cookie-purposes"]
    assert general.outcome == Outcome.WARNING and "cookies om uw bezoek te verbeteren" in general.evidence[0].snippet


@pytest.mark.parametrize("text", [
    "Naam: _ga\nDoel: bezoekersstatistieken\nGeldigheid: 2 jaar\n",
    "We plaatsen de cookie _ga om het aantal bezoekers te meten; die vervalt na 2 jaar.\n",
    "Name\tPurpose\tExpiry\n_ga\tAnalytics\t2 years\n",
    "Nom\tFinalité\tDurée\n_ga\tStatistiques\t2 ans\n",
])
def test_cookie_lists_are_read_as_labelled_lines_sentences_or_tables(text):
    findings = assess_cookie_statement(text)
    assert [f.outcome for f in findings] == [Outcome.PASS] * 3, [(f.rule, f.title) for f in findings]
    assert "_ga" in findings[0].evidence[0].value


def _pages(*links: LinkRecord, url: str = HOME) -> PageSummary:
    return PageSummary(url=url, final_url=url, status=PageStatus.OK, footer_links=list(links))


def test_cookie_information_inside_the_privacy_statement_counts():
    site = site_of()
    text = as_text(PRIVACY_NL) + as_text(COOKIE_TABLE[1])
    artifacts = SiteArtifacts(site=site, pages=[_pages(LinkRecord(url=PRIVACY_URL, text="Privacy", in_footer=True))],
                              role_pages={"privacy": PRIVACY_URL}, role_texts={"privacy": text})
    linked = cookie_statement_linked(artifacts, CheckContext(site=site))
    assert linked.outcome == Outcome.PASS and linked.details["source"] == "privacy statement"
    content = cookie_statement_content(artifacts, CheckContext(site=site))
    assert content.outcome == Outcome.PASS and content.details["cookies_listed"] == 3
    assert all(f.pages == [PRIVACY_URL] for f in content.findings)


def test_no_cookie_statement_warns_and_its_content_is_not_applicable():
    site = site_of()
    artifacts = SiteArtifacts(site=site, pages=[_pages()])
    linked = cookie_statement_linked(artifacts, CheckContext(site=site))
    assert linked.outcome == Outcome.WARNING and linked.findings[0].pages == [HOME]
    assert cookie_statement_content(artifacts, CheckContext(site=site)).outcome == Outcome.NOT_APPLICABLE


# ----------------------------------------------------------------------------- links and roles


def test_pages_lacking_the_privacy_link_are_listed_and_the_home_page_weighs_more():
    site = site_of()
    other = "https://www.testdorp.be/nieuws"
    artifacts = SiteArtifacts(site=site, role_pages={"privacy": PRIVACY_URL}, pages=[
        _pages(LinkRecord(url=other, text="Nieuws", in_footer=True)),
        _pages(LinkRecord(url="https://www.testdorp.be/datenschutz", text="Datenschutzerklärung", in_footer=True),
               url=other),
        PageSummary(url=PRIVACY_URL, final_url=PRIVACY_URL, status=PageStatus.OK, roles=["privacy"]),
    ])
    result = privacy_statement_linked(artifacts, CheckContext(site=site))
    assert result.outcome == Outcome.WARNING and result.details["home_page_lacks_link"] is True
    finding = result.findings[0]
    assert finding.pages == [HOME] and finding.severity == Severity.MODERATE  # the German link counts
    assert finding.title == "The home page does not link to the privacy statement"


def test_no_privacy_statement_lists_every_page_visited():
    site = site_of()
    pages = [_pages(url=f"{HOME}p{i}") for i in range(3)]
    result = privacy_statement_linked(SiteArtifacts(site=site, pages=pages), CheckContext(site=site))
    assert result.outcome == Outcome.FAIL
    assert result.findings[0].pages == [f"{HOME}p{i}" for i in range(3)] and result.findings[0].pages_total == 3


@pytest.mark.parametrize("url, text, roles", [
    ("https://x.be/disclaimer-en-privacy", "", ["privacy"]),
    ("https://x.be/over-ons/gegevensverwerking-en-uitwisseling", "", ["privacy"]),
    ("https://x.be/bescherming-van-persoonsgegevens-privacyverklaring", "", ["privacy"]),
    ("https://x.be/data-protection", "", ["privacy"]),
    ("https://x.be/datenschutzerklaerung", "", ["privacy"]),
    ("https://x.be/a", "Data protection", ["privacy"]),
    ("https://x.be/a", "Verwerking van persoonsgegevens", ["privacy"]),
    ("https://x.be/a", "Datenschutzerklärung", ["privacy"]),
    ("https://x.be/legaal/privacy-en-cookies", "", ["privacy", "cookies"]),
    ("https://x.be/cookie-richtlinie", "", ["cookies"]),
    ("https://x.be/a", "Politique de cookies", ["cookies"]),
    ("https://x.be/nieuws/privacyweek", "Lees meer", []),
])
def test_privacy_and_cookie_pages_are_recognised_by_path_or_text(url, text, roles):
    assert link_roles(url, text) == roles


def test_a_right_is_proven_by_a_sentence_about_rights_not_by_a_nearby_sentence():
    text = ("Gemeente Testdorp respecteert uw rechten.\nWe willen onze dienstverlening verbeteren.\n"
            "U hebt het recht op inzage en het recht op verbetering van uw gegevens.\n")
    rights = by_rule(text)["data-subject-rights"]
    assert [e.snippet for e in rights.evidence] == [
        "U hebt het recht op inzage en het recht op verbetering van uw gegevens."]


def test_report_checklist_lists_every_element_in_order_and_escapes_the_sentences():
    from reports.html_report import render_html
    from tests.fixtures.sample_report import sample_report

    site = site_of()
    hostile = as_text(PRIVACY_INCOMPLETE) + "Deze verklaring werd laatst bijgewerkt op 1 mei 2025 <script>alert(1)</script>.\n"
    artifacts = SiteArtifacts(site=site, role_pages={"privacy": PRIVACY_URL}, role_texts={"privacy": hostile})
    report = sample_report()
    report.results.append(privacy_statement_content(artifacts, CheckContext(site=site)))
    html = render_html(report, lang="en")
    table = html.split('<table class="wide checklist">', 1)[1].split("</table>", 1)[0]
    assert "Checklist: required parts of the statement" in table
    from markupsafe import escape

    positions = [table.index(str(escape(name))) for name in ELEMENT_NAMES.values()]
    assert positions == sorted(positions)
    assert table.count("badge-fail") == 7 and table.count("badge-warning") == 3 and table.count("badge-pass") == 2
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in table
    assert "Expected: Vlaamse Toezichtcommissie (VTC)" in table
