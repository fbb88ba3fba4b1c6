"""The Flemish marker file: strict loading with one-line errors, and matching without a browser."""

from __future__ import annotations

import re

import pytest

import checks.contact_channels as contact_checks
import checks.flemish as flemish_checks
from auditor.shared.markers import (
    KINDS,
    PROVES,
    MarkerError,
    default_markers,
    load_markers,
    match_cookies,
    match_hosts,
    match_links,
    match_requests,
    match_script_urls,
)
from auditor.model import CookieRecord, LinkRecord, RequestRecord

UUID = "b0dae312-7a4d-4b37-8c6e-1f2a3b4c5d6e"

GOOD_MARKER = """
[[markers]]
id = "x"
kind = "script_src"
pattern = 'widgets\\.vlaanderen\\.be'
proves = "mbp-header-v4"
confidence = "high"
source = "test"
"""


def write(tmp_path, text: str):
    path = tmp_path / "markers.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_marker_file_loads_and_covers_every_kind_and_building_block():
    markers = default_markers()
    assert re.fullmatch(r"\d{4}\.\d{2}\.\d+", markers.version)
    assert {m.kind for m in markers.markers} == set(KINDS)
    assert {m.proves for m in markers.markers} == set(PROVES)
    assert all(m.source for m in markers.markers)
    # inferred markers ([I] in the research notes) are never high confidence
    for marker in markers.markers:
        if "[I]" in marker.source and "[C" not in marker.source:
            assert marker.confidence != "high", marker.id


def test_checks_only_read_building_blocks_the_marker_file_can_prove():
    used = (set(flemish_checks.HEADER_ON_PAGE) | set(flemish_checks.LOGIN_SERVICES)
            | {proves for proves, _ in flemish_checks.ELOKETTEN.values()} | set(flemish_checks.HOUSE_STYLE_GROUPS)
            | {flemish_checks.MBP_EMBED, flemish_checks.OWN_ACCOUNT, "contact-form", "digital-help", "pdf-form",
               "online-form", "online-appointment"})
    assert used <= set(PROVES)
    assert contact_checks  # the module imports cleanly next to checks.flemish


@pytest.mark.parametrize(
    "text, message",
    [
        ('description = "x"\n' + GOOD_MARKER, "version"),
        ('version = "1"\n', "no [[markers]]"),
        ('version = "1"\nextra = 1\n' + GOOD_MARKER, "unknown top-level key"),
        ('version = "1"\n' + GOOD_MARKER.replace('"script_src"', '"script"'), "kind 'script' is not one of"),
        ('version = "1"\n' + GOOD_MARKER.replace('"high"', '"sure"'), "confidence 'sure'"),
        ('version = "1"\n' + GOOD_MARKER.replace('"mbp-header-v4"', '"mbp-header-v9"'), "proves 'mbp-header-v9'"),
        ('version = "1"\n' + GOOD_MARKER.replace("widgets\\.vlaanderen", "widgets(vlaanderen"), "not a valid regular expression"),
        ('version = "1"\n' + GOOD_MARKER + GOOD_MARKER, "used twice"),
        ('version = "1"\n' + GOOD_MARKER.replace('source = "test"', 'source = "test"\ncolour = "red"'), "unknown field(s): colour"),
        ('version = "1"\n' + GOOD_MARKER.replace('source = "test"', 'source = ""'), "'source' must be a non-empty string"),
        ('version = "1"\n' + GOOD_MARKER.replace('"script_src"', '"js_global"').replace("'widgets\\.vlaanderen\\.be'", '"window[0]"'),
         "dotted name"),
        ('version = "1"\n' + GOOD_MARKER.replace('"script_src"', '"dom_selector"').replace("'widgets\\.vlaanderen\\.be'", '"a { color: red }"'),
         "CSS selector"),
        ("version = [", "not valid TOML"),
    ],
)
def test_invalid_marker_files_are_refused_in_one_line(tmp_path, text, message):
    with pytest.raises(MarkerError) as caught:
        load_markers(write(tmp_path, text))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert str(tmp_path) in str(caught.value)


def test_missing_marker_file_is_named(tmp_path):
    with pytest.raises(MarkerError, match="marker file not found"):
        load_markers(tmp_path / "nope.toml")


def test_a_valid_custom_file_loads(tmp_path):
    markers = load_markers(write(tmp_path, 'version = "7"\n' + GOOD_MARKER))
    assert markers.version == "7" and [m.id for m in markers.markers] == ["x"]


def test_script_markers_tell_v4_v5_legacy_and_test_hosts_apart():
    markers = default_markers()
    proves = lambda url: {h.proves for h in match_script_urls(markers, [url])}  # noqa: E731
    assert proves(f"https://prod.widgets.burgerprofiel.vlaanderen.be/api/v1/widget/{UUID}/embed") == {"mbp-header-v4"}
    assert proves("https://prod.widgets.burgerprofiel.vlaanderen.be/api/v1/node_modules/@govflanders/vl-widget-client/dist/index.js") == {"mbp-header-v4"}
    assert proves(f"https://widgets.vlaanderen.be/api/v2/widget/{UUID}/entry") == {"mbp-header-v5"}
    assert proves("https://widgets.vlaanderen.be/widget/live/0123456789abcdef0123456789abcdef") == {"mbp-header-legacy"}
    assert proves(f"https://widgets.tni-vlaanderen.be:8443/api/v2/widget/{UUID}/entry") == {"mbp-header-v5"}
    assert proves(f"https://notwidgets.vlaanderen.be.evil.example/api/v1/widget/{UUID}/embed") == set()
    assert proves("https://www.gemeente.be/js/app.js") == set()
    hosts = {h.proves for h in match_hosts(markers, [f"https://widgets.tni-vlaanderen.be/api/v2/widget/{UUID}/entry"])}
    assert hosts == {"mbp-widget-test-host"}


def test_requests_cookies_and_links_are_matched_with_where_they_were_seen():
    markers = default_markers()
    hits = match_requests(markers, [
        RequestRecord(url=f"https://prod.widgets.burgerprofiel.vlaanderen.be/api/v1/widget/{UUID}", resource_type="fetch"),
        RequestRecord(url="https://ui.vlaanderen.be/3.latest/css/vlaanderen-ui.css", resource_type="stylesheet"),
        RequestRecord(url="https://authenticatie-ti.vlaanderen.be/op/v1/auth?client_id=1", resource_type="document"),
    ])
    by_proves = {h.proves: h for h in hits}
    assert by_proves["mbp-header-v4"].where == "network request"
    assert by_proves["webuniversum-assets"].marker_id == "webuniversum-assets-host"
    assert by_proves["acmidm-login-test"].confidence == "high"
    # authenticatie-ti is the test host, not the production one
    assert "acmidm-login" not in by_proves
    cookie = match_cookies(markers, [CookieRecord(name="VOGANONUSER", domain=".vlaanderen.be")])
    assert cookie[0].proves == "mbp-header-cookie" and cookie[0].where == "cookie"
    links = match_links(markers, [
        LinkRecord(url="https://www.verenigingsloket.be/nl", text="Verenigingen"),
        LinkRecord(url="https://www.gemeente.be/ondernemen", text="Naar het E-loket voor ondernemers"),
        LinkRecord(url="https://www.gemeente.be/docs/aanvraagformulier-parkeerkaart.pdf", text="Formulier"),
        LinkRecord(url="https://www.gemeente.be/nieuwsbrief", text="Nieuws"),
    ])
    assert {h.proves for h in links} >= {"eloket-verenigingen", "eloket-ondernemers", "pdf-form"}
    assert all(h.where == "link" and " → " in h.value for h in links)
    assert not any("nieuwsbrief" in h.value for h in links)
