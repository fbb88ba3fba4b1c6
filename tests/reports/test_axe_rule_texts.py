"""The Dutch texts of axe-core's rules (configs/axe-rules.nl.toml) and how the report uses them."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from auditor.model import Finding, Outcome
from reports.axe_rule_texts import (AXE_RULES_NL, AxeRuleTextsError, axe_rule_texts, code_markup,
                                    finding_text)
from reports.html_report import render_html
from tests.fixtures.sample_report import sample_report
from tests.reports.test_report_browser import browser  # noqa: F401  (the module's Chromium fixture)
from auditor.shared.toml_file import read_toml


@pytest.fixture(scope="module")
def axe_rules(browser):  # noqa: F811
    """Every rule of the axe-core the auditor runs, as ``axe.getRules()`` describes it."""
    from axe_playwright_python.base import AXE_SCRIPT

    page = browser.new_page()
    try:
        page.evaluate(AXE_SCRIPT)
        return page.evaluate("() => ({version: axe.version, rules: axe.getRules()})")
    finally:
        page.close()


def test_every_axe_rule_has_a_dutch_text_translated_from_its_current_help(axe_rules):
    texts = axe_rule_texts()
    current = {rule["ruleId"]: rule["help"] for rule in axe_rules["rules"]}
    missing = sorted(set(current) - set(texts))
    assert not missing, f"axe-core {axe_rules['version']} has rules without a Dutch text: {missing}"
    changed = sorted(rule for rule, help_text in current.items() if texts[rule].source_help != help_text)
    assert not changed, f"axe-core changed the help of {changed}: translate them again"
    gone = sorted(set(texts) - set(current))
    assert not gone, f"rules no longer in axe-core {axe_rules['version']}: {gone}"
    assert read_toml(AXE_RULES_NL, ValueError, "axe rule texts")["axe_core_version"] == axe_rules["version"]


def test_dutch_texts_are_translations_not_copies():
    texts = axe_rule_texts()
    assert len(texts) >= 100
    same = sorted(rule for rule, text in texts.items() if text.title == text.source_help)
    assert same == []
    assert all(text.title.count("`") % 2 == 0 and text.description.count("`") % 2 == 0
               for text in texts.values())


@pytest.mark.parametrize("content, message", [
    ("[rules", "is not valid TOML"),
    ("axe_core_version = '4.12.1'\n", "no [rules.<id>] tables"),
    ("[rules]\nimage-alt = 'x'\n", "rules.image-alt is not a table"),
    ("[rules.image-alt]\ntitle = 'a'\ndescription = 'b'\n", "rules.image-alt: field 'source_help' must be a non-empty string"),
    ("[rules.image-alt]\ntitle = ' '\ndescription = 'b'\nsource_help = 'c'\n", "rules.image-alt: field 'title' must be"),
    ("[rules.image-alt]\ntitle = 'a'\ndescription = 'b'\nsource_help = 'c'\ntitel = 'd'\n", "rules.image-alt: unknown field(s): titel"),
])
def test_a_broken_rule_file_is_refused_in_one_line(tmp_path, content, message):
    path = tmp_path / "axe-rules.nl.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AxeRuleTextsError) as caught:
        axe_rule_texts(path)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_a_missing_rule_file_is_refused_in_one_line(tmp_path):
    with pytest.raises(AxeRuleTextsError, match="^cannot read axe rule texts .*"):
        axe_rule_texts(tmp_path / "none.toml")


def test_backticks_become_code_and_the_rest_is_escaped():
    assert str(code_markup("Zorg dat `<img>`-elementen <b>tekst</b> hebben")) == (
        "Zorg dat <code>&lt;img&gt;</code>-elementen &lt;b&gt;tekst&lt;/b&gt; hebben")


def test_only_axe_findings_in_a_dutch_report_are_translated():
    axe = Finding(check_id="axe-violations", outcome=Outcome.FAIL, rule="image-alt", title="Images must have alternative text")
    assert finding_text(axe, "nl").title == "Afbeeldingen moeten een alternatieve tekst hebben"
    assert finding_text(axe, "en") is None
    assert finding_text(axe.model_copy(update={"check_id": "html-lang"}), "nl") is None
    assert finding_text(axe.model_copy(update={"rule": "no-such-rule"}), "nl") is None


def _finding_texts(html: str) -> list[tuple[str, str]]:
    soup = BeautifulSoup(html, "html.parser")
    def text(element) -> str:
        return " ".join(element.get_text().split()) if element else ""

    return [(text(a.h4), text(a.find("p"))) for a in soup.select("article.finding")]


def test_the_dutch_report_shows_axe_rules_in_dutch_and_the_english_one_as_axe_wrote_them():
    report = sample_report()
    nl = _finding_texts(render_html(report, lang="nl"))
    en = _finding_texts(render_html(report, lang="en"))
    assert ("Afbeeldingen moeten een alternatieve tekst hebben",
            "Zorg ervoor dat <img>-elementen een alternatieve tekst hebben of de rol none of presentation") in nl
    assert ("Images must have alternative text",
            "Ensure <img> elements have alternative text or a role of none or presentation") in en
    assert not any(title == "Images must have alternative text" for title, _ in nl)
    # the HTML/ARIA terms are code in the Dutch text
    assert "<code>&lt;img&gt;</code>-elementen" in render_html(report, lang="nl")
    # result data keep axe's English text
    assert next(f for f in report.findings() if f.rule == "image-alt").title == "Images must have alternative text"
