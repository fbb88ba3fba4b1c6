"""Mobile checks from hand-made artifacts: no browser, each check against a bad page and its
good twin."""

from __future__ import annotations

import pytest

from auditor.score.aggregate import aggregate_page_results
from auditor.settings.budgets import BudgetsError, default_budgets_path, load_budgets
from auditor.model import (
    ClippedText,
    LayoutAtWidth,
    MobileArtifacts,
    OversizedImage,
    OverflowingElement,
    Outcome,
    PageArtifacts,
    PageWeight,
    RequestRecord,
    ResourceWeight,
    Site,
    SmallTapTarget,
    SmallTextSample,
)
from checks.mobile import (
    DEFAULT_BUDGETS,
    clipped_content,
    has_mobile_layout,
    legible_text,
    mobile_overflow,
    page_weight,
    reflow_320,
    tap_targets,
)
from checks.registry import CheckContext, load_all

CONTEXT = CheckContext(site=Site(start_urls=["https://gemeente.example/"]))
DEVICE_WIDTH = "width=device-width, initial-scale=1"
URL = "https://gemeente.example/afval"


def layout(width: int = 412, **fields) -> LayoutAtWidth:
    values = {"width": width, "height": 915, "scroll_width": width, "client_width": width,
              "tap_targets": 12, "text_chars": 1000}
    values.update(fields)
    return LayoutAtWidth(**values)


def page(viewport: str | None = DEVICE_WIDTH, phone: LayoutAtWidth | None = None,
         reflow: LayoutAtWidth | None = None, weight: PageWeight | None = None, **fields) -> PageArtifacts:
    mobile = MobileArtifacts(phone=phone or layout(412), reflow=reflow or layout(320), weight=weight or PageWeight(
        bytes=300_000, resources=12, lcp_ms=900.0))
    return PageArtifacts(url=URL, final_url=URL, meta={"viewport": viewport} if viewport is not None else {},
                         mobile=mobile, **fields)


def fixed_width(width: int) -> LayoutAtWidth:
    return layout(width, scroll_width=1216, overflowing=[
        OverflowingElement(selector="body > div.wrapper", right=1216, width=1200)], overflowing_total=1)


def test_every_mobile_check_is_registered_in_the_mobile_family():
    registry = load_all()
    for check_id in ("reflow-320", "mobile-overflow", "tap-targets", "legible-text", "clipped-content", "page-weight"):
        assert registry[check_id].family == "mobile" and registry[check_id].scope == "page"


# ----------------------------------------------------------------------------- viewport


@pytest.mark.parametrize("viewport, expected", [
    (DEVICE_WIDTH, True), ("initial-scale=1", True), ("width=1200", False), (None, False),
])
def test_mobile_layout_needs_device_width(viewport, expected):
    assert has_mobile_layout(page(viewport)) is expected


# ----------------------------------------------------------------------------- overflow


def test_reflow_fails_on_a_fixed_layout_and_names_the_element():
    result = reflow_320(page(reflow=fixed_width(320)), CONTEXT)
    assert result.outcome == Outcome.FAIL
    finding = result.findings[0]
    assert finding.wcag_sc == ["1.4.10"] and finding.wcag_level == "AA"
    evidence = finding.evidence[0]
    assert evidence.selector == "body > div.wrapper"
    assert "right edge at 1216 px" in evidence.value and "320 px viewport" in evidence.value


def test_reflow_passes_within_the_two_pixel_tolerance():
    assert reflow_320(page(reflow=layout(320, scroll_width=322)), CONTEXT).outcome == Outcome.PASS
    assert reflow_320(page(reflow=layout(320, scroll_width=323)), CONTEXT).outcome == Outcome.FAIL


def test_reflow_fails_when_overflow_is_cut_off_rather_than_scrollable():
    # overflow-x: hidden on the page: scrollWidth equals clientWidth, the content is lost
    cut_off = fixed_width(320).model_copy(update={"scroll_width": 320, "root_clips_x": True})
    result = reflow_320(page(reflow=cut_off), CONTEXT)
    assert result.outcome == Outcome.FAIL and "cut off" in result.findings[0].title
    assert result.findings[0].evidence[0].selector == "body > div.wrapper"
    assert reflow_320(page(reflow=layout(320, root_clips_x=True)), CONTEXT).outcome == Outcome.PASS


def test_overflow_without_a_named_element_points_at_the_page():
    result = reflow_320(page(reflow=layout(320, scroll_width=700)), CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert result.findings[0].evidence[0].selector == "html"
    assert "page 700 px wide" in result.findings[0].evidence[0].value


def test_mobile_overflow_fails_a_fixed_layout_and_passes_the_responsive_twin():
    bad = mobile_overflow(page(phone=fixed_width(412)), CONTEXT)
    assert bad.outcome == Outcome.FAIL
    assert [f.rule for f in bad.findings] == ["horizontal-scroll"]
    assert bad.findings[0].evidence[0].selector == "body > div.wrapper"
    assert mobile_overflow(page(), CONTEXT).outcome == Outcome.PASS


def test_no_overflow_without_viewport_meta_is_not_a_pass():
    result = mobile_overflow(page(viewport=None), CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert result.findings[0].rule == "no-mobile-layout"
    assert "no viewport meta" in result.findings[0].evidence[0].value
    assert result.details["mobile_layout"] is False


def test_screenshot_travels_with_the_overflow_evidence():
    shot = fixed_width(412).model_copy(update={"screenshot": "evidence/mobile/abc-412.jpg"})
    result = mobile_overflow(page(phone=shot), CONTEXT)
    assert result.findings[0].evidence[0].screenshot == "evidence/mobile/abc-412.jpg"


def test_one_template_overflow_on_many_pages_is_one_finding_listing_the_pages():
    results = []
    for n in range(3):
        artifacts = page(reflow=fixed_width(320))
        artifacts.final_url = f"https://gemeente.example/p/{n}"
        results.append(reflow_320(artifacts, CONTEXT))
    merged = aggregate_page_results("reflow-320", results)
    assert merged.outcome == Outcome.FAIL and len(merged.findings) == 1
    assert merged.findings[0].pages_total == 3


# ----------------------------------------------------------------------------- tap targets


def test_tap_targets_lists_small_crowded_targets_with_their_size():
    small = [SmallTapTarget(selector=f"footer a.icon:nth-of-type({n})", width=16, height=16, text="f")
             for n in range(1, 5)]
    result = tap_targets(page(phone=layout(small_tap_targets=small, small_tap_targets_total=4)), CONTEXT)
    assert result.outcome == Outcome.FAIL
    finding = result.findings[0]
    assert finding.occurrences == 4 and finding.wcag_sc == ["2.5.8"]
    assert finding.evidence[0].value.startswith("16×16 px")
    assert tap_targets(page(), CONTEXT).outcome == Outcome.PASS


def test_tap_targets_and_legible_text_are_not_judged_without_a_mobile_layout():
    for check in (tap_targets, legible_text):
        result = check(page(viewport=None), CONTEXT)
        assert result.outcome == Outcome.NOT_APPLICABLE and "shrinks the whole page" in result.summary


# ----------------------------------------------------------------------------- legible text


@pytest.mark.parametrize("small, outcome", [(0, Outcome.PASS), (100, Outcome.PASS), (200, Outcome.WARNING),
                                            (401, Outcome.FAIL), (900, Outcome.FAIL)])
def test_legible_text_thresholds(small, outcome):
    samples = [SmallTextSample(selector="footer p", font_size=10, text="Kleine lettertjes")] if small else []
    result = legible_text(page(phone=layout(small_text_chars=small, small_text=samples)), CONTEXT)
    assert result.outcome == outcome
    assert result.score == pytest.approx(1 - small / 1000)
    if outcome != Outcome.PASS:
        assert result.findings[0].evidence[0].value == "font size 10 px"
        assert result.findings[0].evidence[0].selector == "footer p"


def test_legible_text_without_text_is_not_applicable():
    assert legible_text(page(phone=layout(text_chars=0)), CONTEXT).outcome == Outcome.NOT_APPLICABLE


# ----------------------------------------------------------------------------- clipped content


def test_clipped_text_fails_and_deliberate_truncation_only_warns():
    cut = ClippedText(selector="div.teaser", text="Vanaf 1 januari…", axis="vertical")
    result = clipped_content(page(reflow=layout(320, clipped=[cut], clipped_total=1)), CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert result.findings[0].evidence[0].selector == "div.teaser"
    assert "vertical" in result.findings[0].evidence[0].value
    ellipsis = cut.model_copy(update={"deliberate": True})
    warned = clipped_content(page(phone=layout(clipped=[ellipsis], clipped_total=1)), CONTEXT)
    assert warned.outcome == Outcome.WARNING
    assert clipped_content(page(), CONTEXT).outcome == Outcome.PASS


def test_clipped_text_seen_at_both_widths_is_reported_once():
    cut = ClippedText(selector="div.teaser", text="tekst", axis="vertical")
    result = clipped_content(page(phone=layout(clipped=[cut], clipped_total=1),
                                  reflow=layout(320, clipped=[cut], clipped_total=1)), CONTEXT)
    assert len(result.findings) == 1 and len(result.findings[0].evidence) == 1


# ----------------------------------------------------------------------------- page weight


def heavy_weight(**fields) -> PageWeight:
    values = dict(bytes=1_801_691, resources=2, lcp_ms=700.0, lcp_element="main > img", largest=[
        ResourceWeight(url="https://gemeente.example/hero.bmp", resource_type="img", bytes=1_800_354)])
    values.update(fields)
    return PageWeight(**values)


def test_page_weight_fails_over_the_byte_budget_and_names_the_largest_resource():
    result = page_weight(page(weight=heavy_weight()), CONTEXT)
    assert result.outcome == Outcome.FAIL
    finding = next(f for f in result.findings if f.rule == "over-byte-budget")
    assert finding.evidence[0].value.startswith("1.8 MB") and finding.evidence[0].expected == "at most 1.5 MB"
    assert "hero.bmp" in finding.evidence[1].snippet
    assert page_weight(page(), CONTEXT).outcome == Outcome.PASS


def test_page_weight_fails_a_slow_lcp_and_reports_the_timings():
    artifacts = page(weight=PageWeight(bytes=200_000, lcp_ms=3_400.0, lcp_element="main > h1"),
                     timings={"ttfb": 900.0, "dom_content_loaded": 2_000.0, "load": 3_300.0})
    result = page_weight(artifacts, CONTEXT)
    assert result.outcome == Outcome.FAIL
    evidence = result.findings[0].evidence[0]
    assert evidence.selector == "main > h1"
    assert "LCP 3.40 s" in evidence.value and "TTFB 900 ms" in evidence.value
    assert result.details["ttfb_ms"] == 900.0


def test_oversized_images_warn_only_when_heavy_enough():
    big = OversizedImage(url="https://gemeente.example/hero.jpg", selector="main > img", natural_width=4000,
                         natural_height=3000, displayed_width=400, displayed_height=300, bytes=900_000)
    small = big.model_copy(update={"bytes": 20_000, "selector": "main > img.logo"})
    result = page_weight(page(weight=PageWeight(bytes=950_000, oversized_images=[big, small])), CONTEXT)
    assert result.outcome == Outcome.WARNING
    finding = result.findings[0]
    assert finding.rule == "oversized-image" and finding.occurrences == 1
    assert "4000×3000 file shown at 400×300 px (10.0× wider)" in finding.evidence[0].value


def test_budgets_come_from_the_run_settings():
    strict = CheckContext(site=CONTEXT.site, settings={"budgets": {"page_bytes": 100_000, "lcp_ms": 500}})
    assert page_weight(page(), strict).outcome == Outcome.FAIL
    lenient = CheckContext(site=CONTEXT.site, settings={"budgets": {"page_bytes": 5_000_000}})
    assert page_weight(page(weight=heavy_weight()), lenient).outcome == Outcome.PASS


def test_sizes_hidden_by_timing_are_taken_from_content_length_and_flagged_as_lower_bound():
    weight = PageWeight(bytes=1_400_000, sizes_unknown=["https://cdn.example/app.js", "https://cdn.example/x.js"],
                        sizes_unknown_total=2)
    requests = [RequestRecord(url="https://cdn.example/app.js", size=200_000),
                RequestRecord(url="https://cdn.example/x.js")]
    result = page_weight(page(weight=weight, requests=requests), CONTEXT)
    assert result.details["bytes"] == 1_600_000 and result.details["requests"] == 2
    assert result.details["bytes_lower_bound"] is True and result.summary.startswith("at least 1.6 MB")
    assert result.outcome == Outcome.FAIL


def test_many_requests_warn():
    requests = [RequestRecord(url=f"https://gemeente.example/{n}.js", size=100) for n in range(150)]
    result = page_weight(page(requests=requests), CONTEXT)
    assert result.outcome == Outcome.WARNING and result.findings[0].rule == "many-requests"


# ----------------------------------------------------------------------------- no mobile pass


@pytest.mark.parametrize("check", [reflow_320, mobile_overflow, tap_targets, legible_text, clipped_content, page_weight])
def test_checks_without_the_mobile_pass(check):
    skipped = PageArtifacts(url=URL, meta={"viewport": DEVICE_WIDTH})
    assert check(skipped, CONTEXT).outcome == Outcome.NOT_APPLICABLE
    broken = PageArtifacts(url=URL, meta={"viewport": DEVICE_WIDTH}, collector_errors={"mobile": "Timeout"})
    result = check(broken, CONTEXT)
    assert result.outcome == Outcome.ERROR and "Timeout" in result.summary


# ----------------------------------------------------------------------------- budgets file


def test_default_budgets_file_matches_the_checks_fallback():
    assert load_budgets() == DEFAULT_BUDGETS
    assert load_budgets()["page_bytes"] == 1_500_000 and load_budgets()["lcp_ms"] == 2500
    assert default_budgets_path().name == "budgets.toml"


def test_a_budgets_file_overrides_some_keys(tmp_path):
    path = tmp_path / "budgets.toml"
    path.write_text("[budgets]\nlcp_ms = 4000\n", encoding="utf-8")
    budgets = load_budgets(path)
    assert budgets["lcp_ms"] == 4000 and budgets["page_bytes"] == 1_500_000


@pytest.mark.parametrize("text, message", [
    ("[budgets]\npage_kb = 3\n", "unknown budget"),
    ("[budgets]\nlcp_ms = -1\n", "positive number"),
    ("[budgets]\nlcp_ms = 'snel'\n", "positive number"),
    ("lcp_ms = 1\n", r"no \[budgets\] table"),
    ("[budgets\n", "not valid TOML"),
])
def test_bad_budgets_files_are_one_clear_error(tmp_path, text, message):
    path = tmp_path / "budgets.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BudgetsError, match=message):
        load_budgets(path)
    with pytest.raises(BudgetsError, match="cannot read"):
        load_budgets(tmp_path / "missing.toml")
