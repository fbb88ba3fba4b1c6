"""Lookups in Ghostery's tracker database as installed by `make setup` (npm ci), and the honest
error when it is missing."""

from __future__ import annotations

import json

import pytest

from auditor.probes.trackerdb import (
    TRACKERDB_PACKAGE,
    TrackerDb,
    TrackerDbMissing,
    data_sources,
    load_trackerdb,
    node_modules_dir,
    npm_package,
)
from auditor.shared.trackers import is_tracking, outside_eea, tracker_text


@pytest.fixture(scope="module")
def db() -> TrackerDb:
    return load_trackerdb()


def test_installed_version_is_the_pinned_one_and_named_with_its_licence(db):
    lock = json.loads((node_modules_dir().parent / "package-lock.json").read_text())
    pinned = lock["packages"][f"node_modules/{TRACKERDB_PACKAGE}"]["version"]
    assert db.version == pinned
    assert db.source == f"Ghostery TrackerDB, npm {TRACKERDB_PACKAGE} {pinned} (CC-BY-NC-SA-4.0)"


def test_subdomains_match_their_tracker_domain_and_the_longest_entry_wins(db):
    match = db.lookup_host("www.google-analytics.com")
    assert (match.tracker_id, match.category, match.company, match.country) == (
        "google_analytics", "site_analytics", "Google", "US")
    assert match.matched == "google-analytics.com"
    assert db.lookup_host("region1.google-analytics.com").matched == "region1.google-analytics.com"
    assert db.lookup_host("WWW.Google-Analytics.com.").tracker_id == "google_analytics"
    # a parent domain that merely ends the same way is no match
    assert db.lookup_host("notgoogle-analytics.com") is None
    assert db.lookup_host("www.gemeente-koekjesdorp.be") is None
    assert db.lookup_host("") is None


def test_company_country_and_category_come_from_the_database(db):
    hotjar = db.lookup_host("static.hotjar.com")
    assert (hotjar.company, hotjar.country, hotjar.category) == ("Hotjar", "MT", "site_analytics")
    assert not outside_eea(hotjar.country) and is_tracking(hotjar)
    facebook = db.lookup_host("connect.facebook.net")
    assert facebook.category == "advertising" and outside_eea(facebook.country)
    cookiebot = db.lookup_host("consent.cookiebot.com")
    assert cookiebot.category == "consent" and not is_tracking(cookiebot)
    fonts = db.lookup_host("fonts.googleapis.com")
    assert fonts.category == "hosting" and not is_tracking(fonts)
    assert "Hotjar (Hotjar, MT; site_analytics)" == tracker_text(hotjar)


def test_self_hosted_trackers_are_recognised_by_their_path_on_the_sites_own_host(db):
    matomo = db.lookup_url("https://www.gemeente.be/stats/matomo.js", third_party=False)
    assert matomo.tracker_id == "matomo" and matomo.self_hosted and matomo.matched == "/matomo.js"
    assert db.lookup_url("https://www.gemeente.be/piwik.php?idsite=3&rec=1", third_party=False).tracker_id == "matomo"
    assert "served from the site's own host" in tracker_text(matomo)
    assert db.lookup_url("https://www.gemeente.be/matomostats.json", third_party=False) is None
    assert db.lookup_url("https://www.gemeente.be/nieuws", third_party=False) is None
    # third-party URLs are judged by host, not by path
    assert db.lookup_url("https://cdn.example.org/matomo.js", third_party=True) is None


def test_a_missing_package_is_one_clear_line_not_a_traceback(tmp_path, monkeypatch):
    with pytest.raises(TrackerDbMissing) as error:
        load_trackerdb(tmp_path)
    assert str(error.value) == f"npm package {TRACKERDB_PACKAGE} is not installed (run `make setup`, which runs `npm ci`)"
    assert "\n" not in str(error.value)
    sources = data_sources(tmp_path)
    assert sources["trackerdb"].startswith("missing: npm package @ghostery/trackerdb is not installed")
    # a package.json without its database file
    root = tmp_path / "with-manifest"
    (root / TRACKERDB_PACKAGE).mkdir(parents=True)
    (root / TRACKERDB_PACKAGE / "package.json").write_text('{"version": "9.9.9", "license": "X"}')
    assert npm_package(TRACKERDB_PACKAGE, root).version == "9.9.9"
    with pytest.raises(TrackerDbMissing, match="trackerdb.db is missing"):
        load_trackerdb(root)


def test_runs_made_with_another_tracker_database_are_not_like_for_like():
    from auditor.fleet.history import method_differences
    from auditor.fleet.store.models import RunRow

    def run(version: str, pages: int) -> RunRow:
        return RunRow(run_id=version, method={
            "settings": {"consent_pages": pages},
            "data_sources": {"trackerdb": f"npm @ghostery/trackerdb {version} (CC-BY-NC-SA-4.0)"}})

    assert method_differences(run("1.0.945", 3), run("1.0.945", 3)) == []
    assert method_differences(run("1.0.945", 3), run("1.0.950", 2)) == [
        "setting consent_pages: 3 → 2",
        "data trackerdb: npm @ghostery/trackerdb 1.0.945 (CC-BY-NC-SA-4.0) → npm @ghostery/trackerdb 1.0.950 (CC-BY-NC-SA-4.0)",
    ]
