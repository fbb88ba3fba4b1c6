"""Site lists: TOML and CSV, validated with the file and line of every problem."""

from __future__ import annotations


import pytest

from auditor.shared.paths import config_path
from auditor.fleet.scan import run_folder_for
from auditor.model import Audience, SiteKind
from auditor.settings import AuditSettings
from auditor.fleet.sitelist import SiteListError, load_site_list, parse_site_list, safe_slug

CONFIGS = config_path("sites")

GOOD_TOML = """\
[defaults]
max_pages = 20

[[site]]
id = "voorbeeldegem"
organisation = "Gemeente Voorbeeldegem"
kind = "municipality"
audiences = ["citizens", "entrepreneurs"]
start_urls = ["https://www.voorbeeldegem.example/"]
max_pages = 5
explanations = { "accessibility-statement" = "Komt in maart." }

[[site]]
organisation = "Provincie Zuiderkempen"
kind = "province"
start_url = "www.zuiderkempen.example"
"""


def test_example_lists_load_and_agree():
    toml_entries = load_site_list(CONFIGS / "example.toml")
    csv_entries = load_site_list(CONFIGS / "example.csv")
    assert [e.key for e in toml_entries] == [e.key for e in csv_entries]
    assert len(toml_entries) == 4
    assert {e.site.kind for e in toml_entries} == {SiteKind.MUNICIPALITY, SiteKind.PROVINCE, SiteKind.FLEMISH_ENTITY}
    for entry in toml_entries:
        assert all(url.startswith("https://") and ".example/" in url for url in entry.site.start_urls)


def test_toml_values_defaults_limits_and_explanations():
    first, second = parse_site_list(GOOD_TOML, "sites.toml")
    assert (first.key, first.line) == ("voorbeeldegem", 4)
    assert first.site.audiences == [Audience.CITIZENS, Audience.ENTREPRENEURS]
    assert first.limits == {"max_pages": 5}
    assert first.explanations == {"accessibility-statement": "Komt in maart."}
    # no id: a slug of the organisation; defaults apply; a bare host gets https://
    assert (second.key, second.line) == ("provincie-zuiderkempen", 13)
    assert second.limits == {"max_pages": 20}
    assert second.site.start_urls == ["https://www.zuiderkempen.example/"]
    settings = first.settings(AuditSettings(max_pages=50, delay_s=0.0))
    assert (settings.max_pages, settings.delay_s) == (5, 0.0)


def test_csv_values_and_multi_valued_cells():
    text = ("id,organisation,kind,audiences,start_urls,max_pages,contact,explanations\n"
            'a,Gemeente A,municipality,citizens;associations,https://a.example/ https://loket.a.example/,7,x@a.example,"Uitleg, met komma"\n')
    (entry,) = parse_site_list(text, "sites.csv", fmt="csv")
    assert entry.line == 2
    assert entry.site.audiences == [Audience.CITIZENS, Audience.ASSOCIATIONS]
    assert entry.site.start_urls == ["https://a.example/", "https://loket.a.example/"]
    assert entry.limits == {"max_pages": 7}
    assert entry.explanations == "Uitleg, met komma"


@pytest.mark.parametrize("text, expected", [
    (GOOD_TOML.replace('kind = "province"', 'kind = "city"'), "sites.toml:15: unknown kind 'city'"),
    (GOOD_TOML.replace('max_pages = 5', 'max_pages = 0'), "sites.toml:10: max_pages must be between 1 and 100000"),
    (GOOD_TOML.replace('max_pages = 5', 'max_pagez = 5'), "sites.toml:10: unknown key 'max_pagez'"),
    (GOOD_TOML.replace('start_url = "www.zuiderkempen.example"', 'start_url = "ftp://x.example/"'),
     "sites.toml:16: invalid URL 'ftp://x.example/': only http and https"),
    (GOOD_TOML.replace('start_url = "www.zuiderkempen.example"', 'contact = "x"'), "sites.toml:13: site has no start_urls"),
    (GOOD_TOML.replace('audiences = ["citizens", "entrepreneurs"]', 'audiences = ["tourists"]'),
     "sites.toml:8: unknown audience 'tourists'"),
    (GOOD_TOML.replace('max_pages = 20', 'max_pages = "many"'), "sites.toml:2: max_pages must be a number"),
    (GOOD_TOML.replace('kind = "province"', 'kind = "province'), "sites.toml:15: not valid TOML"),
    (GOOD_TOML.replace('organisation = "Provincie Zuiderkempen"', 'id = "voorbeeldegem"'),
     "sites.toml:13: site id 'voorbeeldegem' is already used on line 4"),
    (GOOD_TOML.replace('id = "voorbeeldegem"', 'id = "../../etc"'), "sites.toml:5: id '../../etc' may hold only"),
])
def test_toml_errors_name_the_line(text, expected):
    with pytest.raises(SiteListError) as caught:
        parse_site_list(text, "sites.toml")
    message = str(caught.value)
    assert message.startswith(expected), message
    assert "\n" not in message


@pytest.mark.parametrize("rows, expected", [
    ("a,municipality,https://a.example/\nb,village,https://b.example/\n", "sites.csv:3: unknown kind 'village'"),
    ("a,municipality,https://a.example/\nb,province,\n", "sites.csv:3: site has no start_urls"),
    ('a,municipality,"https://a.example/\nhttps://b.example/"\nb,province,ftp://b.example/\n', "sites.csv:4: invalid URL"),
    ("a,municipality,https://a.example/,extra\n", "sites.csv:2: more fields than columns"),
])
def test_csv_errors_name_the_line(rows, expected):
    with pytest.raises(SiteListError) as caught:
        parse_site_list("organisation,kind,start_urls\n" + rows, "sites.csv", fmt="csv")
    assert str(caught.value).startswith(expected), str(caught.value)


def test_csv_unknown_column_and_empty_list(tmp_path):
    with pytest.raises(SiteListError, match=r"^sites.csv:1: unknown column 'adres'"):
        parse_site_list("organisation,adres,start_urls\n", "sites.csv", fmt="csv")
    with pytest.raises(SiteListError, match="holds no site"):
        parse_site_list("organisation,start_urls\n", "sites.csv", fmt="csv")
    with pytest.raises(SiteListError, match="file not found"):
        load_site_list(tmp_path / "missing.toml")
    (tmp_path / "sites.txt").write_text("x")
    with pytest.raises(SiteListError, match=r"\.toml or \.csv"):
        load_site_list(tmp_path / "sites.txt")


def test_folder_names_cannot_leave_the_output_folder(tmp_path):
    assert safe_slug("../../etc/passwd") == "etc-passwd"
    assert safe_slug("Sint-Niklaas (stad)") == "sint-niklaas-stad"
    assert safe_slug("..") == "site"
    assert safe_slug("Zélzate") == "zelzate"
    folder = run_folder_for(tmp_path, "../../evil", "../run")
    assert tmp_path.resolve() in folder.parents
    assert folder == tmp_path.resolve() / "evil" / "run"


def test_scan_settings_round_trip_through_the_database_json():
    from auditor.fleet.scan import settings_from_json, settings_to_json
    from auditor.settings import AuditSettings

    settings = AuditSettings(max_pages=7, resolve={("www.gemeente.be", 8443): "127.0.0.1"}, axe_tags=("wcag2a",))
    assert settings_from_json(settings_to_json(settings)) == settings


def test_csv_with_bare_carriage_returns_is_read_and_a_bad_header_refused_in_one_line():
    """Found by the fuzz test: a lone \\r once escaped as a raw csv.Error."""
    entries = parse_site_list("start_urls,organisation\rhttps://www.alfa.be/,Alfa\r", "sites.csv", fmt="csv")
    assert [e.site.organisation for e in entries] == ["Alfa"]
    with pytest.raises(SiteListError, match=r"^sites\.csv:1: "):
        parse_site_list("\r0", "sites.csv", fmt="csv")
