"""portfolio.html from a fleet database: the golden structure of the page (league table with
principle names, kind and audience filters, score distribution, common findings), escaping and
the links to site reports."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from auditor.fleet.history import common_findings, portfolio_rows, principle_names
from auditor.fleet.store import Store
from reports.portfolio import render_portfolio_html, write_portfolio_html
from tests.fixtures.portfolio_fixtures import fill_portfolio_store


@pytest.fixture
def fleet(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'fleet.db'}")
    folders = fill_portfolio_store(store, tmp_path / "runs")
    yield store, tmp_path, folders
    store.close()


def _texts(elements) -> list[str]:
    return [" ".join(e.get_text(" ", strip=True).split()) for e in elements]


def test_common_findings_group_latest_runs_by_check_and_rule(fleet):
    store, _, _ = fleet
    groups = common_findings(store)
    assert [(g["check_id"], g["rule"], g["outcome"], g["sites"], g["pages"]) for g in groups] == [
        ("axe-violations", "image-alt", "fail", 3, 4),
        ("axe-violations", "color-contrast", "warning", 1, 1),
    ]
    assert common_findings(store, limit=1) == groups[:1]


def test_portfolio_page_golden_structure(fleet):
    store, tmp_path, folders = fleet
    (tmp_path / "out").mkdir()
    rows = portfolio_rows(store)
    page_path = write_portfolio_html(rows, tmp_path / "out" / "portfolio.html", title="Portfolio",
                                     common=common_findings(store), lang="en",
                                     principle_names=principle_names(rows, "en"))
    page = page_path.read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert soup.html["lang"] == "en" and soup.title.string == "Portfolio"
    assert _texts(soup.find_all(["h1", "h2"])) == [
        "Portfolio", "League table by overall score", "Distribution of overall scores",
        "Most common findings across the fleet"]
    # self-contained: nothing loaded from elsewhere, no script
    assert not soup.find_all(["script", "link", "img", "iframe"])
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page

    league = soup.find("table", class_="league")
    assert _texts(league.thead.find_all("th")) == [
        "Rank", "Site", "Organisation", "Kind", "Overall score", "Digital by default", "Pages OK / visited",
        "Failing findings", "Run", "Date"]
    rows = league.tbody.find_all("tr")
    assert [_texts(r.find_all(["th", "td"]))[:6] for r in rows] == [
        ["1", "alfa", "Gemeente Alfa", "Municipality", "85", "85"],
        ["2", "charlie", "Agentschap Charlie", "Flemish government entity", "65", "65"],
        ["3", "bravo", "Provincie <script>alert(1)</script>", "Province", "42", "42"],
        ["4", "delta", "Gemeente Delta", "Municipality", "not assessable", "not assessable"],
    ]
    # one radio per kind present plus "all"; each row carries its kind's token
    kind_filter, audience_filter = soup.select("fieldset.filter")
    radios = kind_filter.select("input[type=radio]")
    assert [r["id"] for r in radios] == ["kind-all", "kind-k0", "kind-k1", "kind-k2"]
    assert _texts(kind_filter.select("label")) == [
        "All kinds", "Municipality", "Flemish government entity", "Province"]
    assert radios[0].has_attr("checked") and not any(r.has_attr("checked") for r in radios[1:])
    assert "main:has(#kind-k2:checked) .league tbody tr:not(.kind-k2) { display: none; }" in soup.style.string
    # one radio per audience present plus "all", in the model's order; a row has one token per audience
    assert _texts(audience_filter.select("legend")) == ["Show audience"]
    assert [r["id"] for r in audience_filter.select("input[type=radio]")] == [
        "audience-all", "audience-a0", "audience-a1", "audience-a2"]
    assert _texts(audience_filter.select("label")) == ["All audiences", "Citizens", "Entrepreneurs", "Associations"]
    assert [r["class"] for r in rows] == [["kind-k0", "audience-a0", "audience-a1"], ["kind-k1", "audience-a1"],
                                          ["kind-k2", "audience-a0"], ["kind-k0", "audience-a2"]]
    assert ("main:has(#audience-a1:checked) .league tbody tr:not(.audience-a1) { display: none; }"
            in soup.style.string)

    # only alfa's run folder holds report.html: a relative link; the others are plain text
    links = league.tbody.find_all("a")
    assert [(a["href"], a.get_text()) for a in links] == [("../runs/alfa/ra/report.html", "ra")]
    assert (page_path.parent / links[0]["href"]).resolve() == (folders["alfa"] / "report.html").resolve()

    chart = soup.find("svg")
    assert chart["role"] == "img"
    # matplotlib draws each band's label left-aligned above its bar and its value right-aligned
    texts = chart.find_all("text")
    assert _texts(t for t in texts if "text-anchor: start" in t["style"]) == [
        "0–20", "20–40", "40–60", "60–80", "80–100"]
    assert _texts(t for t in texts if "text-anchor: end" in t["style"]) == [
        "0 site(s)", "0 site(s)", "1 site(s)", "1 site(s)", "1 site(s)"]
    assert "1 site(s) without a score are not in the chart." in page

    common = soup.find("table", class_="common")
    assert [_texts(r.find_all(["th", "td"])) for r in common.tbody.find_all("tr")] == [
        ["axe-violations", "image-alt: image-alt problem", "Fail", "3", "4"],
        ["axe-violations", "color-contrast: color-contrast problem", "Warning", "1", "1"],
    ]


def test_portfolio_page_in_dutch_and_bad_language(fleet):
    store, tmp_path, _ = fleet
    rows = portfolio_rows(store)
    page = render_portfolio_html(rows, tmp_path, title="Portfolio", lang="nl", principle_names=principle_names(rows, "nl"))
    soup = BeautifulSoup(page, "html.parser")
    assert soup.html["lang"] == "nl" and "Gemeente" in _texts(soup.select("fieldset.filter label"))
    assert {"Alle doelgroepen", "Burgers", "Ondernemers", "Verenigingen"} <= set(_texts(soup.select("fieldset.filter label")))
    # the league table's principle column carries the framework's Dutch name
    assert "Standaard digitaal" in _texts(soup.select("table.league thead th"))
    assert "Geen falende bevindingen." in page  # no common findings handed over
    with pytest.raises(ValueError, match="unknown report language 'fr'"):
        render_portfolio_html([], tmp_path, lang="fr")


def test_portfolio_rows_carry_the_scan_audiences_and_framework(fleet):
    store, _, _ = fleet
    rows = {row["site"]: row for row in portfolio_rows(store)}
    assert {key: row["audiences"] for key, row in rows.items()} == {
        "alfa": "citizens,entrepreneurs", "bravo": "citizens", "charlie": "entrepreneurs", "delta": "associations"}
    assert {row["framework_id"] for row in rows.values()} == {"dienstverleningsstrategie"}


def test_rows_without_audiences_or_known_framework_show_ids_and_no_audience_filter(tmp_path):
    rows = [{"site": "x", "organisation": "X", "kind": "other", "overall_score": 50.0, "score_Q9": 50.0, "framework_id": "elsewhere", "run_id": "r", "started_at": "",
             "audiences": ""}]
    soup = BeautifulSoup(render_portfolio_html(rows, tmp_path, lang="en"), "html.parser")
    assert len(soup.select("fieldset.filter")) == 1  # kind only: no audience is known
    assert "Q9" in _texts(soup.select("table.league thead th"))
    assert soup.select("table.league tbody tr")[0]["class"] == ["kind-k0"]
