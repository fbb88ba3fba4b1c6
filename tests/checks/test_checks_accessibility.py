"""Page checks from hand-made artifacts: axe families, language, title, viewport, structured data."""

from __future__ import annotations

import pytest

from auditor.model import Outcome, PageArtifacts, Severity, Site
from checks.accessibility import (
    axe_needs_review,
    axe_violations,
    html_lang,
    normalise_selector,
    page_title,
    target_selector,
    wcag_success_criteria,
)
from checks.mobile import viewport_meta
from checks.registry import CheckContext, load_all
from checks.structured_data import structured_data

CONTEXT = CheckContext(site=Site(start_urls=["https://www.gemeente.be/"]))


def page(url: str = "https://www.gemeente.be/", **fields) -> PageArtifacts:
    return PageArtifacts(url=url, final_url=url, **fields)


def node(selector, html: str = "<img src='x.png'>", summary: str = "Fix any of the following") -> dict:
    target = selector if isinstance(selector, list) else [selector]
    return {"target": target, "html": html, "failureSummary": summary}


def rule(rule_id: str, impact=None, nodes=(), tags=("wcag2a",)) -> dict:
    return {
        "id": rule_id,
        "impact": impact,
        "tags": list(tags),
        "description": f"{rule_id} description",
        "help": f"{rule_id} help",
        "helpUrl": f"https://dequeuniversity.com/rules/axe/4.12/{rule_id}",
        "nodes": list(nodes),
    }


def axe_results(violations=(), passes=(), incomplete=()) -> dict:
    return {
        "violations": list(violations),
        "passes": list(passes),
        "incomplete": list(incomplete),
        "inapplicable": [],
        "testEngine": {"name": "axe-core", "version": "4.12.1"},
    }


def test_every_check_of_these_families_is_registered_with_its_scope():
    registry = load_all()
    expected_scopes = {
        "axe-violations": "page", "axe-needs-review": "page", "html-lang": "page",
        "page-title": "page", "viewport-meta": "page", "structured-data": "page",
        "https-everywhere": "site", "broken-links": "site",
        "accessibility-statement-linked": "site", "privacy-statement-linked": "site",
        "contact-page-linked": "site",
    }
    for check_id, scope in expected_scopes.items():
        assert registry[check_id].scope == scope
        assert registry[check_id].failure_title != ""


# ----------------------------------------------------------------------------- helpers


def test_wcag_tags_become_success_criteria_and_level_tags_are_ignored():
    tags = ["cat.text-alternatives", "wcag2a", "wcag21aa", "wcag111", "wcag1410", "wcag412", "wcag111"]
    assert wcag_success_criteria(tags) == ["1.1.1", "1.4.10", "4.1.2"]


def test_iframe_and_shadow_targets_join_into_one_selector():
    assert target_selector(["iframe#kaart", "img.logo"]) == "iframe#kaart >>> img.logo"
    assert target_selector([["my-widget", "button"]]) == "my-widget >>> button"
    assert target_selector("a.plain") == "a.plain"


def test_normalised_selector_drops_positions_and_numbers_but_keeps_headings():
    assert normalise_selector("#block-123 > ul > li:nth-child(4) > a") == "#block-* > ul > li > a"
    assert normalise_selector("main > h2:nth-of-type(2)") == "main > h2"


# ----------------------------------------------------------------------------- axe-violations


def test_axe_violations_fails_with_one_finding_per_rule_and_lighthouse_weighted_score():
    artifacts = page(axe=axe_results(
        violations=[
            rule("image-alt", "critical", [node("img.a"), node("img.b")], tags=["wcag2a", "wcag111"]),
            rule("region", "moderate", [node("div.x")], tags=["best-practice"]),
        ],
        # passes carry no impact in axe output: the rule's declared impact is used
        passes=[rule("html-has-lang"), rule("document-title"), rule("list")],
    ))
    result = axe_violations(artifacts, CONTEXT)

    assert result.outcome == Outcome.FAIL
    # passed: html-has-lang serious 7 + document-title serious 7 + list serious 7 = 21
    # failed: image-alt critical 10 + region moderate 3 = 13
    assert result.score == pytest.approx(21 / 34)
    assert result.page_url == "https://www.gemeente.be/"
    assert [f.rule for f in result.findings] == ["image-alt", "region"]
    image_alt = result.findings[0]
    assert image_alt.severity == Severity.CRITICAL
    assert image_alt.wcag_sc == ["1.1.1"]
    assert image_alt.occurrences == 2
    assert image_alt.pages == ["https://www.gemeente.be/"]
    assert image_alt.help_url.endswith("/image-alt")
    assert image_alt.evidence[0].selector == "img.a"
    assert image_alt.evidence[0].value == "Fix any of the following"
    assert result.details["axe_version"] == "4.12.1"
    assert result.details["elements_failed"] == 3


def test_axe_violations_caps_evidence_but_counts_every_node_and_caps_snippets():
    from checks.accessibility import EVIDENCE_PER_FINDING

    nodes = [node(f"li:nth-child({i}) > img", html="<img " + "x" * 2000 + ">") for i in range(60)]
    result = axe_violations(page(axe=axe_results(violations=[rule("image-alt", "critical", nodes)])), CONTEXT)
    finding = result.findings[0]
    assert finding.occurrences == 60
    assert len(finding.evidence) == EVIDENCE_PER_FINDING < 60
    assert all(len(e.snippet) <= 500 for e in finding.evidence)


def test_same_template_error_on_two_pages_gets_one_fingerprint():
    first = page("https://www.gemeente.be/a", axe=axe_results(
        violations=[rule("link-name", "serious", [node("#menu-item-12 > a:nth-child(1)")])]))
    second = page("https://www.gemeente.be/b", axe=axe_results(
        violations=[rule("link-name", "serious", [node("#menu-item-47 > a:nth-child(3)")])]))
    other_rule = page("https://www.gemeente.be/c", axe=axe_results(
        violations=[rule("image-alt", "critical", [node("#menu-item-12 > a:nth-child(1)")])]))
    elsewhere = page("https://www.gemeente.be/d", axe=axe_results(
        violations=[rule("link-name", "serious", [node("footer > a")])]))

    fingerprints = [axe_violations(p, CONTEXT).findings[0].fingerprint
                    for p in (first, second, other_rule, elsewhere)]
    assert fingerprints[0] == fingerprints[1]
    assert fingerprints[0].startswith("axe-violations:link-name:")
    assert len(set(fingerprints)) == 3


def test_axe_violations_passes_with_full_score_when_no_violation():
    result = axe_violations(page(axe=axe_results(passes=[rule("image-alt"), rule("region")])), CONTEXT)
    assert result.outcome == Outcome.PASS
    assert result.score == 1.0
    assert result.findings == []


def test_axe_violations_is_not_applicable_when_no_rule_applied():
    result = axe_violations(page(axe=axe_results()), CONTEXT)
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.score is None


def test_missing_axe_results_on_a_rendered_page_is_our_error_not_the_sites():
    result = axe_violations(page(axe=None), CONTEXT)
    assert result.outcome == Outcome.ERROR
    assert result.score is None
    assert "axe did not run" in result.summary
    assert axe_needs_review(page(axe=None), CONTEXT).outcome == Outcome.ERROR
    assert axe_violations(page(axe={"error": "Timeout"}), CONTEXT).outcome == Outcome.ERROR


# ----------------------------------------------------------------------------- axe-needs-review


def test_incomplete_rules_become_manual_findings_without_score():
    artifacts = page(axe=axe_results(incomplete=[
        rule("color-contrast", "serious", [node("p.intro"), node("p.outro")], tags=["wcag2aa", "wcag143"]),
    ]))
    result = axe_needs_review(artifacts, CONTEXT)
    assert result.outcome == Outcome.MANUAL
    assert result.score is None
    assert result.pages_evaluated == 1 and result.pages_passed == 0
    finding = result.findings[0]
    assert finding.outcome == Outcome.MANUAL
    assert finding.wcag_sc == ["1.4.3"]
    assert finding.occurrences == 2
    assert finding.fingerprint.startswith("axe-needs-review:color-contrast:")


def test_nothing_to_review_is_not_applicable():
    result = axe_needs_review(page(axe=axe_results(passes=[rule("region")])), CONTEXT)
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.findings == []


# ----------------------------------------------------------------------------- html-lang


@pytest.mark.parametrize("html, outcome", [
    ('<html lang="nl"><head></head></html>', Outcome.PASS),
    ("<html lang='nl-BE' class=x>", Outcome.PASS),
    ("<HTML LANG=fr>", Outcome.PASS),
    ("<html>", Outcome.FAIL),
    ('<html lang="">', Outcome.FAIL),
    ('<html lang="nl_BE">', Outcome.FAIL),
    ('<html lang="{{ lang }}">', Outcome.FAIL),
    ('<html xml:lang="nl">', Outcome.FAIL),
])
def test_html_lang(html, outcome):
    result = html_lang(page(html=html), CONTEXT)
    assert result.outcome == outcome
    if outcome == Outcome.FAIL:
        assert result.score == 0.0
        assert result.findings[0].wcag_sc == ["3.1.1"]
        assert result.findings[0].evidence[0].snippet.lower().startswith("<html")
    else:
        assert result.score == 1.0


def test_html_lang_falls_back_to_browser_value_when_no_dom_was_saved():
    assert html_lang(page(html="", lang="nl"), CONTEXT).outcome == Outcome.PASS
    assert html_lang(page(html="", lang=""), CONTEXT).outcome == Outcome.FAIL


# ----------------------------------------------------------------------------- page-title


def test_page_title_from_browser_or_dom_and_fails_when_blank():
    assert page_title(page(title="Welkom | Gemeente"), CONTEXT).outcome == Outcome.PASS
    assert page_title(page(html="<html><head><title> Contact </title></head></html>"), CONTEXT).outcome == Outcome.PASS
    blank = page_title(page(title="   ", html="<html><head><title> </title></head></html>"), CONTEXT)
    assert blank.outcome == Outcome.FAIL
    assert blank.findings[0].wcag_sc == ["2.4.2"]


# ----------------------------------------------------------------------------- viewport-meta


@pytest.mark.parametrize("content, outcome, rules", [
    ("width=device-width, initial-scale=1", Outcome.PASS, []),
    ("width=device-width, initial-scale=1, maximum-scale=5", Outcome.PASS, []),
    ("width=device-width, user-scalable=no", Outcome.WARNING, ["viewport-zoom"]),
    ("width=device-width; maximum-scale=1.0", Outcome.WARNING, ["viewport-zoom"]),
    ("initial-scale=1", Outcome.WARNING, ["viewport-width"]),
    ("width=1024", Outcome.FAIL, ["viewport-width"]),
    ("width=1024, user-scalable=0", Outcome.FAIL, ["viewport-width", "viewport-zoom"]),
])
def test_viewport_meta(content, outcome, rules):
    result = viewport_meta(page(meta={"viewport": content}), CONTEXT)
    assert result.outcome == outcome
    assert [f.rule for f in result.findings] == rules
    if "viewport-zoom" in rules:
        zoom = next(f for f in result.findings if f.rule == "viewport-zoom")
        assert zoom.wcag_sc == ["1.4.4"]


def test_missing_viewport_fails_and_dom_is_read_when_meta_map_is_empty():
    assert viewport_meta(page(html="<html><head></head></html>"), CONTEXT).outcome == Outcome.FAIL
    from_dom = viewport_meta(
        page(html='<html><head><meta name="Viewport" content="width=device-width"></head></html>'), CONTEXT)
    assert from_dom.outcome == Outcome.PASS


# ----------------------------------------------------------------------------- structured-data


def test_structured_data_reports_json_ld_types_through_graph_and_microdata():
    html = """<html><head>
    <script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
        {"@type": "GovernmentOrganization", "name": "Gemeente"},
        {"@type": ["WebPage", "schema:AboutPage"], "about": {"@type": "GovernmentService"}}]}</script>
    </head><body><div itemscope itemtype="https://schema.org/PostalAddress"></div></body></html>"""
    result = structured_data(page(html=html), CONTEXT)
    assert result.outcome == Outcome.PASS
    assert result.details["types"] == [
        "GovernmentOrganization", "WebPage", "AboutPage", "GovernmentService", "PostalAddress"]
    assert result.details["formats"] == ["json-ld", "microdata"]


def test_no_structured_data_is_a_warning_and_broken_json_ld_is_reported():
    none = structured_data(page(html="<html><body><p>Hallo</p></body></html>"), CONTEXT)
    assert none.outcome == Outcome.WARNING
    assert none.score == 0.5
    broken = structured_data(
        page(html='<html><head><script type="application/ld+json">{"@type": </script></head></html>'), CONTEXT)
    assert broken.outcome == Outcome.WARNING
    assert {f.rule for f in broken.findings} == {"json-ld-invalid", "structured-data-missing"}


def test_structured_data_in_capitals_is_still_found():
    # the check skips its DOM walk when the markup never names JSON-LD, microdata or RDFa
    html = ('<HTML><BODY><DIV ITEMSCOPE ITEMTYPE="https://schema.org/PostalAddress"></DIV>'
            '<SCRIPT TYPE="Application/LD+JSON">{"@type": "GovernmentOrganization"}</SCRIPT></BODY></HTML>')
    result = structured_data(page(html=html), CONTEXT)
    assert result.outcome == Outcome.PASS
    assert result.details["types"] == ["GovernmentOrganization", "PostalAddress"]


def test_oslo_vocabulary_is_noticed():
    html = ('<html><body vocab="https://data.vlaanderen.be/ns/organisatie#">'
            '<div typeof="Organisatie"></div></body></html>')
    result = structured_data(page(html=html), CONTEXT)
    assert result.outcome == Outcome.PASS
    assert result.details["oslo"] is True
    assert result.details["formats"] == ["rdfa"]
