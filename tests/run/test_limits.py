"""Size limits are configurable everywhere the other limits are: ``auditor audit`` and
``auditor scan`` options, site lists (TOML and CSV), schedules, and they travel with the
settings a run records (resume, fleet workers)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from auditor.cli.main import main
from auditor.fleet.scan import settings_from_json, settings_to_json
from auditor.settings.limits import SIZE_LIMITS, size_limit_settings
from auditor.fleet.schedule import ScheduleError, load_schedules
from auditor.settings import AuditSettings
from auditor.fleet.sitelist import SiteListError, parse_site_list

SITES = """\
[defaults]
max_links = 800

[[site]]
id = "alfa"
organisation = "Gemeente Alfa"
start_url = "https://www.alfa.example/"
max_response_mb = 1.5
max_document_mb = 40

[[site]]
id = "bravo"
organisation = "Gemeente Bravo"
start_url = "https://www.bravo.example/"
"""


def test_defaults_match_the_settings():
    settings = AuditSettings()
    assert (settings.max_response_bytes, settings.max_dom_bytes, settings.max_text_chars, settings.max_links,
            settings.max_document_bytes) == (5_000_000, 2_000_000, 200_000, 5_000, 15_000_000)
    assert {limit.key: limit.default for limit in SIZE_LIMITS} == {
        "max_response_mb": 5, "max_dom_mb": 2, "max_text_chars": 200_000, "max_links": 5_000, "max_document_mb": 15}


def test_values_convert_to_settings_fields():
    assert size_limit_settings({"max_response_mb": 0.5, "max_links": 10, "max_dom_mb": None}) == {
        "max_response_bytes": 500_000, "max_links": 10}


def test_site_list_limits_reach_the_settings():
    alfa, bravo = parse_site_list(SITES, "sites.toml")
    settings = alfa.settings(AuditSettings())
    assert (settings.max_response_bytes, settings.max_document_bytes, settings.max_links) == (1_500_000, 40_000_000, 800)
    assert bravo.settings(AuditSettings()).max_links == 800
    assert bravo.settings(AuditSettings()).max_response_bytes == 5_000_000


def test_site_list_csv_limits():
    (entry,) = parse_site_list("organisation,start_url,max_links,max_dom_mb\nGemeente Charlie,https://c.example/,50,0.5\n",
                               "sites.csv", fmt="csv")
    settings = entry.settings(AuditSettings())
    assert (settings.max_links, settings.max_dom_bytes) == (50, 500_000)


@pytest.mark.parametrize("line, message", [
    ("max_links = 0", r"sites.toml:5: max_links must be between 1 and 1e\+06, not 0"),
    ('max_response_mb = "veel"', r"sites.toml:5: max_response_mb must be a number, not 'veel'"),
])
def test_site_list_limit_errors_name_the_line(line, message):
    text = f'[[site]]\nid = "d"\norganisation = "D"\nstart_url = "https://d.example/"\n{line}\n'
    with pytest.raises(SiteListError, match=message):
        parse_site_list(text, "sites.toml")


def test_schedule_limits(tmp_path):
    path = tmp_path / "schedules.toml"
    path.write_text('[[schedule]]\nname = "w"\ncron = "0 3 * * 1"\nsites = "s.toml"\n'
                    'max_text_chars = 50000\nmax_response_mb = 2\n', encoding="utf-8")
    (schedule,) = load_schedules(path)
    settings = schedule.audit_settings()
    assert (settings.max_text_chars, settings.max_response_bytes) == (50_000, 2_000_000)
    path.write_text('[[schedule]]\nname = "w"\ncron = "0 3 * * 1"\nsites = "s.toml"\nmax_dom_mb = 0\n', encoding="utf-8")
    with pytest.raises(ScheduleError, match=r"schedules.toml:1: max_dom_mb must be between 0.01 and 100, not 0"):
        load_schedules(path)


def test_limits_travel_with_the_recorded_settings():
    settings = AuditSettings(max_links=7, max_response_bytes=123_000, max_document_bytes=9)
    again = settings_from_json(settings_to_json(settings))
    assert (again.max_links, again.max_response_bytes, again.max_document_bytes) == (7, 123_000, 9)


def test_cli_rejects_an_out_of_range_limit_in_one_line():
    result = CliRunner().invoke(main, ["audit", "https://www.example.be/", "--max-links", "0"])
    assert result.exit_code == 2
    assert "Invalid value for '--max-links': 0 is not in the range 1<=x<=1000000" in result.output
    assert "Traceback" not in result.output
