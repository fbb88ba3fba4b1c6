"""Renderers of the result model: JSON, CSV, XLSX and HTML, from a hand-built report."""

from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from auditor.shared.paths import PROJECT_ROOT
from auditor.model import RESULT_SCHEMA_VERSION, SiteReport
from reports.csv_report import (
    CRITERIA_COLUMNS,
    FINDING_COLUMNS,
    finding_rows,
    guard_cell,
    OCCURRENCE_COLUMNS,
    PAGE_COLUMNS,
    summary_columns,
    write_criteria_csv,
    write_csv,
    write_occurrences_csv,
    write_pages_csv,
    write_summary_csv,
    write_xlsx,
)
from reports.html_report import render_html, safe_href, svg_bar_chart, write_html
from reports.json_report import dumps_json, load_json, result_json_schema, write_json
from tests.fixtures.sample_report import (
    FORMULA,
    IMG_SNIPPET,
    JS_URL,
    ORGANISATION,
    SCRIPT_TITLE,
    not_assessable_report,
    sample_report,
)


@pytest.fixture
def report() -> SiteReport:
    return sample_report()


def _expected_row_count(report: SiteReport) -> int:
    total = 0
    for finding in report.findings():
        n = sum(
            any(ch.check_id == finding.check_id for ch in c.checks) for c in report.criteria
        )
        total += max(n, 1)
    return total


# --------------------------------------------------------------------------- JSON


def test_json_round_trip(report, tmp_path):
    path = write_json(report, tmp_path / "out" / "result.json")
    loaded = load_json(path)
    assert loaded == report
    text = path.read_text(encoding="utf-8")
    assert "Zélzate" in text  # UTF-8, not \u escapes
    assert json.loads(text)["schema_version"] == RESULT_SCHEMA_VERSION
    assert not list(tmp_path.glob("out/*.tmp"))


def test_json_round_trip_not_assessable(tmp_path):
    report = not_assessable_report()
    assert load_json(write_json(report, tmp_path / "r.json")) == report


def test_load_json_refuses_other_major_version(report, tmp_path):
    data = json.loads(dumps_json(report))
    data["schema_version"] = "99.0"
    path = tmp_path / "result.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="schema version 99.0"):
        load_json(path)


def test_load_json_refuses_garbage(tmp_path):
    path = tmp_path / "result.json"
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(ValueError, match="not a JSON file"):
        load_json(path)


def test_json_schema_describes_result(report):
    schema = result_json_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["x-schema-version"] == RESULT_SCHEMA_VERSION
    assert schema["type"] == "object"
    for name in ("schema_version", "run_id", "site", "method", "coverage", "criteria", "results"):
        assert name in schema["properties"]
    assert {"run_id", "site", "started_at", "method", "coverage"} <= set(schema["required"])
    json.dumps(schema)  # serialisable


def test_json_output_validates_against_schema(report):
    jsonschema = pytest.importorskip("jsonschema")
    schema = result_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    for r in (report, not_assessable_report()):
        jsonschema.validate(json.loads(dumps_json(r)), schema)


# --------------------------------------------------------------------------- CSV


def test_guard_cell():
    assert guard_cell("=1+1") == "'=1+1"
    for start in "+-@\t\r":
        assert guard_cell(start + "x") == "'" + start + "x"
    assert guard_cell("gewoon") == "gewoon"
    assert guard_cell(12) == 12
    assert guard_cell("") == ""


def test_finding_rows_one_per_finding_and_criterion(report):
    rows = list(finding_rows(report))
    assert len(rows) == _expected_row_count(report) == 6
    assert all(tuple(row) == FINDING_COLUMNS for row in rows)
    axe = [r for r in rows if r["check_id"] == "axe-violations" and r["rule"] == "image-alt"]
    assert sorted((r["criterion_id"], r["principle"]) for r in axe) == [
        ("DH-1", "digitaal_herdacht"),
        ("GC-1", "gebruiker_centraal"),
    ]
    first = axe[0]
    assert first["page_url"] == "https://www.zélzate-noord.example/"
    assert first["wcag_sc"] == "1.1.1"
    assert first["severity"] == "critical"
    assert first["outcome"] == "fail"
    assert first["occurrences"] == 12
    assert first["pages_total"] == 5
    assert first["evidence"] == IMG_SNIPPET
    assert first["selector"] == "main > img.logo"
    assert first["check_title"] == "Toegankelijkheid volgens axe-core (WCAG 2.1 AA)"
    # a check that informs no criterion still gives one row, with an empty criterion
    broken = [r for r in rows if r["check_id"] == "links.broken"]
    assert len(broken) == 1 and broken[0]["criterion_id"] == "" and broken[0]["principle"] == ""


def test_csv_file(report, tmp_path):
    path = write_csv(report, tmp_path / "findings.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(FINDING_COLUMNS)
    assert len(frame) == _expected_row_count(report)
    assert set(frame["organisation"]) == {ORGANISATION}  # accents intact
    assert (frame["site"] == "https://www.zélzate-noord.example/").all()
    # formula injection guarded; nothing starts with a formula character
    headers = frame[frame["check_id"] == "security.headers"].iloc[0]
    assert headers["selector"] == "'" + FORMULA
    assert headers["evidence"].startswith("'-1+2")
    for column in frame.columns:
        for cell in frame[column]:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
    assert IMG_SNIPPET in set(frame["evidence"])


def test_csv_with_semicolon(report, tmp_path):
    path = write_csv(report, tmp_path / "findings.csv", sep=";")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh, delimiter=";"))
    assert header == list(FINDING_COLUMNS)
    frame = pd.read_csv(path, sep=";", encoding="utf-8-sig")
    assert len(frame) == _expected_row_count(report)


def test_semicolon_csv_uses_a_decimal_comma_and_keeps_the_formula_guard(report, tmp_path):
    rows = [{"page_url": "https://example.org/a", "selector": "=HYPERLINK(1)", "check_id": "x.y", "load": 0.25}]
    path = write_occurrences_csv(report, rows, tmp_path / "occurrences.csv", sep=";")
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == ";".join(OCCURRENCE_COLUMNS)
    frame = pd.read_csv(path, sep=";", encoding="utf-8-sig", decimal=",", dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(OCCURRENCE_COLUMNS)
    assert frame.loc[0, "selector"] == "'=HYPERLINK(1)"
    assert frame.loc[0, "page_url"] == "https://example.org/a"
    from reports.csv_report import _csv_cell
    assert _csv_cell(0.25, ";") == "0,25" and _csv_cell(0.25, ",") == 0.25
    assert _csv_cell("=1+1", ";") == "'=1+1" and _csv_cell(3, ";") == 3


@pytest.mark.parametrize("sep", [",", ";"])
def test_summary_and_criteria_csv_round_trip_with_pandas(report, tmp_path, sep):
    decimal = "," if sep == ";" else "."
    summary = pd.read_csv(write_summary_csv(report, tmp_path / "summary.csv", sep=sep), sep=sep,
                          decimal=decimal, encoding="utf-8-sig")
    assert list(summary.columns) == summary_columns(report) and len(summary) == 1
    assert summary.loc[0, "overall_score"] == pytest.approx(report.overall_score)
    assert summary.loc[0, "pages"] == len(report.pages)
    for p in report.principles:
        assert f"score_{p.principle_id}" in summary.columns
        assert summary.loc[0, f"coverage_{p.principle_id}"] == pytest.approx(p.coverage)
    criteria = pd.read_csv(write_criteria_csv(report, tmp_path / "criteria.csv", sep=sep), sep=sep,
                           decimal=decimal, encoding="utf-8-sig")
    assert list(criteria.columns) == list(CRITERIA_COLUMNS) and len(criteria) == len(report.criteria)
    scored = [(c.criterion_id, c.score) for c in report.criteria if c.score is not None]
    assert scored
    by_id = dict(zip(criteria["criterion_id"], criteria["score"]))
    for criterion_id, score in scored:
        assert by_id[criterion_id] == pytest.approx(score)


def test_csv_without_findings_has_header(tmp_path):
    path = write_csv(not_assessable_report(), tmp_path / "findings.csv")
    frame = pd.read_csv(path, encoding="utf-8-sig")
    assert list(frame.columns) == list(FINDING_COLUMNS)
    assert frame.empty


def test_xlsx_file(report, tmp_path):
    path = write_xlsx(report, tmp_path / "findings.xlsx")
    sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
    assert list(sheets) == ["findings", "criteria", "summary", "pages", "occurrences"]
    findings = sheets["findings"]
    assert list(findings.columns) == list(FINDING_COLUMNS)
    assert len(findings) == _expected_row_count(report)
    assert set(findings["organisation"]) == {ORGANISATION}
    headers = findings[findings["check_id"] == "security.headers"].iloc[0]
    assert headers["selector"] == "'" + FORMULA
    assert "\x07" not in headers["evidence"]  # control characters removed
    criteria = sheets["criteria"]
    assert list(criteria.columns) == list(CRITERIA_COLUMNS)
    assert len(criteria) == len(report.criteria)


def test_xlsx_cells_are_text_not_formulas(report, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = write_xlsx(report, tmp_path / "findings.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["findings"]
    assert book.sheetnames == ["findings", "criteria", "summary", "pages", "occurrences"]
    assert sheet.freeze_panes == "A2"
    last_column = openpyxl.utils.get_column_letter(len(FINDING_COLUMNS))
    assert sheet.auto_filter.ref == f"A1:{last_column}{_expected_row_count(report) + 1}"
    assert book["criteria"].freeze_panes == "A2" and book["criteria"].auto_filter.ref
    assert 10 <= sheet.column_dimensions["A"].width <= 61
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value


OCCURRENCE_LOG = [
    {"page_url": "https://example.org/a", "check_id": "axe-violations", "rule": "image-alt", "outcome": "fail",
     "selector": "img.logo", "snippet": "<img src=logo.png>", "wcag_sc": "1.1.1"},
    {"page_url": "https://example.org/b", "check_id": "axe-violations", "rule": "image-alt", "outcome": "fail",
     "selector": "=HYPERLINK(\"https://evil.example\")", "snippet": "-1+1\x07"},
]


def test_xlsx_pages_and_occurrences_sheets_match_their_csvs(report, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(write_xlsx(report, tmp_path / "findings.xlsx", occurrences=OCCURRENCE_LOG))
    pages_csv = pd.read_csv(write_pages_csv(report, tmp_path / "pages.csv"), encoding="utf-8-sig", dtype=str,
                            keep_default_na=False)
    occurrences_csv = pd.read_csv(write_occurrences_csv(report, OCCURRENCE_LOG, tmp_path / "occurrences.csv"),
                                  encoding="utf-8-sig", dtype=str, keep_default_na=False)
    for name, columns, csv_frame in (("pages", PAGE_COLUMNS, pages_csv),
                                     ("occurrences", OCCURRENCE_COLUMNS, occurrences_csv)):
        sheet = book[name]
        rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        assert rows[0] == list(columns) == list(csv_frame.columns)
        assert sheet.freeze_panes == "A2"
        last = openpyxl.utils.get_column_letter(len(columns))
        assert sheet.auto_filter.ref == f"A1:{last}{len(rows)}"
        assert all(10 <= sheet.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width <= 61
                   for i in range(len(columns)))
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
        # the same cells as the CSV (the sheet drops control characters the CSV keeps)
        assert [[v.replace("\x07", "") for v in r] for r in csv_frame.values.tolist()] == rows[1:]
    pages = {row[2]: row for row in book["pages"].iter_rows(min_row=2, values_only=True)}
    assert len(pages) == len(report.pages)
    assert pages[JS_URL][PAGE_COLUMNS.index("error")] == "'" + FORMULA  # formula guard
    assert pages[JS_URL][PAGE_COLUMNS.index("depth")] == 2
    occurrences = list(book["occurrences"].iter_rows(min_row=2, values_only=True))
    assert [row[OCCURRENCE_COLUMNS.index("selector")] for row in occurrences] == [
        "img.logo", "'=HYPERLINK(\"https://evil.example\")"]
    assert occurrences[1][OCCURRENCE_COLUMNS.index("snippet")] == "'-1+1"
    assert {row[0] for row in occurrences} == {report.site.start_urls[0]}


def test_xlsx_without_an_occurrence_log_keeps_the_headers(report, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(write_xlsx(report, tmp_path / "findings.xlsx"))["occurrences"]
    assert [c.value for c in sheet[1]] == list(OCCURRENCE_COLUMNS) and sheet.max_row == 1


@pytest.mark.parametrize("sep", [",", ";"])
def test_pages_csv_round_trips_with_pandas(report, tmp_path, sep):
    frame = pd.read_csv(write_pages_csv(report, tmp_path / "pages.csv", sep=sep), sep=sep, encoding="utf-8-sig",
                        keep_default_na=False)
    assert list(frame.columns) == list(PAGE_COLUMNS)
    assert list(frame["url"]) == [p.url for p in report.pages]
    assert list(frame["status"]) == [p.status.value for p in report.pages]
    assert list(frame["roles"]) == [";".join(p.roles) for p in report.pages]


# --------------------------------------------------------------------------- HTML


class _Collector(HTMLParser):
    """Collects tags, attributes and text to make assertions on the parsed document."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Collector:
    parser = _Collector()
    parser.feed(html)
    return parser


def test_html_escapes_hostile_content(report):
    html = render_html(report)
    doc = _parse(html)
    # no script elements at all, and no event handler attributes
    assert not [t for t, _ in doc.tags if t in ("script", "img", "iframe", "object", "embed")]
    for _, attrs in doc.tags:
        assert not [a for a in attrs if a.startswith("on")], attrs
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html
    # javascript: URL shown as text, never as a link
    hrefs = [a.get("href") or "" for t, a in doc.tags if t == "a"]
    assert hrefs and not [h for h in hrefs if "javascript" in h.lower()]
    for href in hrefs:
        assert href.startswith(("#", "http://", "https://")), href
    assert "javascript:alert(&#39;xss&#39;)" in html
    # the hostile title survives as text
    assert SCRIPT_TITLE in "".join(doc.text)


def test_html_structure(report):
    html = render_html(report)
    doc = _parse(html)
    assert html.startswith("<!DOCTYPE html>")
    assert doc.tags[0] == ("html", {"lang": "nl"})
    names = [t for t, _ in doc.tags]
    assert names.count("h1") == 1
    for landmark in ("header", "nav", "main", "footer"):
        assert names.count(landmark) == 1, landmark
    # no external resources of any kind
    for tag, attrs in doc.tags:
        assert "src" not in attrs or tag == "img"
        if tag == "link":
            raise AssertionError(f"external link element: {attrs}")
    # every table has a caption, and every th a scope
    assert names.count("table") == names.count("caption") > 0
    assert all(a.get("scope") in ("col", "row") for t, a in doc.tags if t == "th")
    # scroll containers are focusable and named
    scrollers = [a for t, a in doc.tags if "table-scroll" in (a.get("class") or "")]
    assert scrollers and all(a.get("tabindex") == "0" and a.get("aria-labelledby") for a in scrollers)
    ids = [a["id"] for _, a in doc.tags if "id" in a]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for href in (a.get("href") for t, a in doc.tags if t == "a"):
        if href and href.startswith("#"):
            assert href[1:] in ids, href
    # heading levels never skip
    levels = [int(t[1]) for t in names if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels


def test_html_content(report):
    html = render_html(report)
    text = " ".join(_parse(html).text)
    assert "Gemeente Zélzate-Noord — Dienst Burgerzaken &amp; Welzijn" in html
    assert "74%" in text  # overall score
    for name in ("Standaard digitaal", "Gebruiker centraal", "Digitaal herdacht",
                 "Datagedreven", "Betrouwbaar"):
        assert name in text
    assert "niet gescoord" in text
    assert "Controles achter GC-1" in text
    assert "Staat bij elke dienst hoe je die ook aan het loket" in text  # manual question
    assert "1.1.1" in text and "main &gt; img.logo" in html
    assert "Reglement%20gemeentebelasting%202025.pdf" in html
    assert "1,5 MB" in text
    assert "dienstverleningsstrategie 2022.1-proxy" in text
    assert "4.10.2" in text and "131.0.6778.85" in text
    assert "(standaardwaarde)" in text and "doelgroepen, contact" in text
    assert "Maximum aantal pagina's bereikt" in text
    assert "De eerste 100 van 252 worden getoond" in text
    assert "14 maart 2025 om 10:30 CET" in text  # Brussels time
    assert "<svg" in html and 'role="img"' in html
    # rows of the skipped table are capped
    assert html.count('href="https://www.zélzate-noord.example/nieuws?page=') == 99


def test_html_english(report):
    html = render_html(report, lang="en")
    assert '<html lang="en">' in html
    text = " ".join(_parse(html).text)
    assert "Overall score" in text and "Pages visited" in text and "14 March 2025" in text
    assert "Totaalscore" not in text
    with pytest.raises(ValueError):
        render_html(report, lang="fr")


def test_html_not_assessable(tmp_path):
    path = write_html(not_assessable_report(), tmp_path / "report.html")
    html = path.read_text(encoding="utf-8")
    text = " ".join(_parse(html).text)
    assert "Niet te beoordelen" in text
    assert "De startpagina gaf 403 Forbidden" in text
    assert "Onvolledige audit" in text
    assert "Geen bevindingen." in text
    assert "https://geblokkeerd.example/" in text  # the name falls back to the start URL


def test_safe_href():
    assert safe_href("https://example.be/a?b=1#c") == "https://example.be/a?b=1#c"
    assert safe_href("HTTP://example.be") == "HTTP://example.be"
    for bad in (JS_URL, "java\tscript:alert(1)", " javascript:x", "data:text/html,x",
                "vbscript:x", "//evil.example", "/relative", "https://ex ample.be", "", None,
                "https://example.be/\nx", "http:/x"):
        assert safe_href(bad) is None, bad


SVG = "{http://www.w3.org/2000/svg}"


def _svg_tree(svg: str):
    from lxml import etree

    return etree.fromstring(svg.encode("utf-8"))


def test_svg_chart_escapes_labels():
    svg = svg_bar_chart([("<b>x</b>", 0.5, "50%"), ("leeg", None, "niet gescoord")],
                        title="T & t", desc="D <i>", chart_id="c1")
    assert "<b>" not in svg and "&lt;b&gt;x&lt;/b&gt;" in svg and "<i>" not in svg
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    root = _svg_tree(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root[0], root[1]  # the accessible name and description come first
    assert (title.tag, title.get("id"), title.text) == (f"{SVG}title", "c1-title", "T & t")
    assert (desc.tag, desc.get("id")) == (f"{SVG}desc", "c1-desc")
    assert desc.text == "D <i> <b>x</b>: 50%; leeg: niet gescoord"
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert texts == ["<b>x</b>", "50%", "leeg", "niet gescoord"]


def test_svg_chart_draws_one_track_per_row_and_one_bar_per_scored_row():
    rows = [("a", 1.0, "100%"), ("b", 0.25, "25%"), ("c", None, "niet gescoord"), ("d", 0.0, "0%")]
    root = _svg_tree(svg_bar_chart(rows, title="t", desc="d", chart_id="c2"))
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert [i for i in ids if i.startswith("c2-track-")] == ["c2-track-0", "c2-track-1", "c2-track-2", "c2-track-3"]
    assert [i for i in ids if i.startswith("c2-bar-")] == ["c2-bar-0", "c2-bar-1"]  # None and 0 stay empty

    def bar_width(i: int) -> float:
        path = root.find(f".//*[@id='c2-bar-{i}']/{SVG}path").get("d").split()
        xs = [float(v) for v in path if v.replace(".", "").isdigit()][::2]
        return max(xs) - min(xs)

    assert bar_width(0) == pytest.approx(300) and bar_width(1) == pytest.approx(75)
    assert all(i.startswith("c2-") for i in ids)  # matplotlib's own ids are prefixed too


def test_svg_chart_is_inline_markup_and_deterministic():
    rows = [("Principe $\\frac{", 0.5, "50%"), ("x" * 40, 0.9, "90%")]
    svg = svg_bar_chart(rows, title="t", desc="d", chart_id="c3")
    assert svg.startswith("<svg ") and "<?xml" not in svg and "DOCTYPE" not in svg
    assert "<style" not in svg and "<metadata" not in svg  # nothing that styles the page around it
    assert svg == svg_bar_chart(rows, title="t", desc="d", chart_id="c3")
    texts = ["".join(t.itertext()) for t in _svg_tree(svg).iter(f"{SVG}text")]
    assert texts[0] == "Principe $\\frac{"  # dollar signs are text, never mathtext
    assert texts[2] == "x" * 28 + "…"


def test_svg_chart_keeps_labels_with_control_characters_on_one_line():
    svg = svg_bar_chart([("a\x01b\nc\ud800", 0.5, "5\x00%")], title="t\x02", desc="d", chart_id="c5")
    root = _svg_tree(svg)  # still well-formed XML
    assert ["".join(t.itertext()) for t in root.iter(f"{SVG}text")] == ["a b c ", "5 %"]
    assert root[0].text == "t " and root[1].text == "d a b c : 5 %"


def test_svg_chart_colours_meet_contrast_minimums():
    from reports.charts import BACKGROUND, contrast_ratio

    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    svg = svg_bar_chart([("a", 0.5, "50%")], title="t", desc="d", chart_id="c4", colour="#8b2c1f")
    root = _svg_tree(svg)
    checked = 0
    for element in root.iter(f"{SVG}text", f"{SVG}path"):
        style = dict(part.split(":", 1) for part in element.get("style", "").split(";") if ":" in part)
        style = {k.strip(): v.strip() for k, v in style.items()}
        if element.tag == f"{SVG}text":
            assert contrast_ratio(style["fill"], BACKGROUND) >= 4.5
            checked += 1
        elif style.get("fill") not in (None, BACKGROUND, "#e8e8e8"):  # a filled bar
            assert contrast_ratio(style["fill"], BACKGROUND) >= 3
            checked += 1
        elif "stroke" in style:  # the empty track is outlined
            assert contrast_ratio(style["stroke"], BACKGROUND) >= 3
            checked += 1
    assert checked == 4  # two texts, one bar, one track outline


def test_minimal_report_renders_everywhere(tmp_path):
    from datetime import datetime, timezone

    from auditor.model import Coverage, Method, Site

    bare = SiteReport(run_id="r1", site=Site(start_urls=["https://x.example/"]),
                      started_at=datetime(2025, 1, 1, tzinfo=timezone.utc), method=Method(),
                      coverage=Coverage())
    for lang in ("nl", "en"):
        html = render_html(bare, lang=lang)
        assert html.count("<h1>") == 1
    assert load_json(write_json(bare, tmp_path / "r.json")) == bare
    assert pd.read_csv(write_csv(bare, tmp_path / "f.csv"), encoding="utf-8-sig").empty
    assert pd.read_excel(write_xlsx(bare, tmp_path / "f.xlsx")).empty


def test_data_dictionary_documents_every_column_and_field():

    doc = (PROJECT_ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")
    for i, column in enumerate(FINDING_COLUMNS, start=1):
        assert f"| {i} | `{column}` |" in doc, column
    for column in CRITERIA_COLUMNS:
        assert f"`{column}`" in doc, column
    for name in SiteReport.model_fields:
        assert f"`{name}`" in doc, name


def test_chart_descriptions_are_real_svg_elements_referenced_by_the_chart():
    html = render_html(sample_report())
    assert '<desc id="chart-principles-desc">' in html and "&lt;desc" not in html
    assert 'id="chart-trend-title"' in html  # the trend of the previous runs is drawn
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # several charts, no id twice


def test_findings_by_criterion_chart_counts_failed_and_warning_findings_of_each_criterion():
    from auditor.model import Outcome

    report = sample_report()
    html = render_html(report, lang="en")
    section = html[html.index('id="criterion-chart-title"'):html.index('id="principles"')]
    rows = re.findall(r'<th scope="row"><a href="#c-\d+">([^ <]+) [^<]*</a></th><td>(\d+)</td>', section)
    problems = [f for r in report.results for f in r.findings if f.outcome in (Outcome.FAIL, Outcome.WARNING)]
    expected = []
    for c in report.criteria:
        checks = {ch.check_id for ch in c.checks}
        count = sum(f.check_id in checks for f in problems)
        if count:
            expected.append((c.criterion_id, count))
    expected.sort(key=lambda row: -row[1])
    assert rows and [(cid, int(n)) for cid, n in rows] == expected[:10]
    assert len(re.findall(r'id="chart-criteria-bar-\d+"', section)) == len(rows)  # one bar per row
    assert 'aria-labelledby="chart-criteria-title chart-criteria-desc"' in section


# --------------------------------------------------------------------------- how to fix


def _finding_article(soup, title: str):
    return next(a for a in soup.select("article.finding") if a.h4.get_text(strip=True) == title)


def _fix_links(article) -> list[tuple[str, str]]:
    return [(a.get_text(strip=True), a["href"]) for a in article.select("ul.fix-links a")]


def test_each_finding_links_to_how_to_fix_it(report):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(render_html(report), "html.parser")
    axe = next(f for f in report.findings() if f.rule == "image-alt")
    # the Dutch report shows axe's rule in Dutch (configs/axe-rules.nl.toml)
    assert _fix_links(_finding_article(soup, "Afbeeldingen moeten een alternatieve tekst hebben")) == [
        ("Uitleg bij de axe-regel image-alt (Deque University)", axe.help_url),
        ("WCAG 1.1.1 begrijpen (W3C)", "https://www.w3.org/WAI/WCAG21/Understanding/non-text-content.html"),
    ]
    # a check with guidance: its text once above its findings, each finding links to it
    broken = next(f for f in report.findings() if f.check_id == "links.broken")
    links = _fix_links(_finding_article(soup, broken.title))
    assert links[-1][0] == "Aanpak voor de controle ‘Gebroken links’"
    target = soup.find(id=links[-1][1].removeprefix("#"))
    assert target.get_text(" ", strip=True).startswith("Hoe oplossen: Herstel of verwijder de links.")
    assert [(a.get_text(), a["href"]) for a in target.find_all("a")] == [
        ("Meer uitleg (overheid.vlaanderen.be)", "https://overheid.vlaanderen.be/webrichtlijnen")]
    # a hostile guidance URL is no link, and its text is escaped
    headers = next(f for f in report.findings() if f.check_id == "security.headers")
    article = _finding_article(soup, headers.title)
    fix = soup.find(id=_fix_links(article)[-1][1].removeprefix("#"))
    assert fix.find("b") is None and "<b>nu</b>" in fix.get_text() and fix.find("a") is None
    # the contrast finding's own help URL is javascript: — shown as text, never a link
    contrast = _finding_article(soup, "Elementen moeten voldoen aan de drempels voor minimaal kleurcontrast")
    assert all(href.startswith(("https://", "#")) for _, href in _fix_links(contrast))
    assert JS_URL in contrast.select_one("ul.fix-links").get_text()


def test_how_to_fix_in_english(report):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(render_html(report, lang="en"), "html.parser")
    axe = next(f for f in report.findings() if f.rule == "image-alt")
    assert [text for text, _ in _fix_links(_finding_article(soup, axe.title))] == [
        "Guidance for the axe rule image-alt (Deque University)", "Understanding WCAG 1.1.1 (W3C)"]
    assert [p.get_text(" ", strip=True) for p in soup.select("p.fix")] == [
        "How to fix: Repair or remove the links. More guidance (overheid.vlaanderen.be)",
        "How to fix: Set the headers on the server."]


def test_understanding_map_covers_every_success_criterion():
    from auditor.shared.wcag import ADDED_IN_22, SUCCESS_CRITERIA
    from reports.how_to_fix import understanding_url

    for sc in SUCCESS_CRITERIA:
        version = "WCAG22" if sc in ADDED_IN_22 else "WCAG21"
        assert re.fullmatch(rf"https://www\.w3\.org/WAI/{version}/Understanding/[a-z0-9-]+\.html", understanding_url(sc)), sc
    assert understanding_url("1.4.3").endswith("/WCAG21/Understanding/contrast-minimum.html")
    assert understanding_url("2.5.8").endswith("/WCAG22/Understanding/target-size-minimum.html")
    assert understanding_url("9.9.9") == "" and understanding_url("") == ""
    assert len({understanding_url(sc) for sc in SUCCESS_CRITERIA}) == len(SUCCESS_CRITERIA)


def test_every_registered_check_says_how_to_fix_it():
    from checks.registry import load_all

    checks = load_all()
    for check_id, check in checks.items():
        guidance = check.info().guidance
        assert guidance is not None and guidance.nl.strip() and guidance.en.strip(), check_id
        assert guidance.nl != guidance.en, check_id
        assert guidance.url == "" or safe_href(guidance.url) and guidance.url.startswith("https://"), check_id
    # the Flemish checks point to the Flemish government's own pages
    for check_id in ("mbp-global-header", "vlaanderen-domain", "accessibility-statement-linked",
                     "accessibility-statement-content", "login-identity-provider"):
        assert ".vlaanderen.be/" in checks[check_id].guidance.url, check_id


def test_guidance_needs_both_languages():
    from checks.registry import _guidance

    assert _guidance("x", None) is None
    assert _guidance("x", {"nl": "Doe dit.", "en": "Do this."}).url == ""
    with pytest.raises(ValueError, match="check 'x': guidance needs a Dutch and an English text"):
        _guidance("x", {"nl": "Doe dit.", "en": " "})


# --------------------------------------------------------------------------- manager summary


def test_summary_tells_a_newcomer_where_the_site_stands(report):
    """The top of the report: overall score, each principle's score with its coverage, the five
    worst problems (with pages affected, linked to the finding), then what changed."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(render_html(report), "html.parser")
    summary = soup.find(id="summary")
    assert [h.get_text(strip=True) for h in summary.find_all("h3")][:3] == [
        "Score per principe", "Belangrijkste problemen", "Veranderd sinds de vorige audit"]
    # the formula is one click away, not in the way
    details = summary.find("details")
    assert details.summary.get_text(strip=True) == "Hoe de scores berekend worden" and not details.has_attr("open")
    table = soup.find(id="principles-caption").find_parent("table")
    assert [th.get_text(strip=True) for th in table.thead.find_all("th")] == [
        "Principe", "Score", "Dekking", "Criteria gescoord", "Handmatig te beoordelen"]
    rows = [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])] for tr in table.tbody.find_all("tr")]
    assert rows[0] == ["Standaard digitaal", "100%", "50%", "1 van 2", "1"]
    assert rows[3][:3] == ["Datagedreven", "niet gescoord", "0%"]
    # the five most important problems: worst first, each with its page count and a link to the finding
    top = summary.select("ol.top-findings > li")
    problems = sorted((f for f in report.findings() if f.outcome.value in ("fail", "warning")),
                      key=lambda f: (f.outcome.value != "fail", -f.severity.rank))
    assert 0 < len(top) <= 5 and len(top) == min(5, len(problems))
    for item in top:
        anchor = item.a["href"].removeprefix("#")
        finding = soup.find(id=anchor)
        assert finding.name == "article" and finding.h4.get_text(strip=True) == item.a.get_text(strip=True)
        assert "Pagina's getroffen:" in item.get_text()
        assert finding.select("ul.fix-links a"), anchor  # and from there: how to fix it
    assert top[0].a.get_text(strip=True) == "Afbeeldingen moeten een alternatieve tekst hebben"  # axe's rule in Dutch
    first = next(f for f in report.findings() if f.rule == "image-alt")
    assert first.severity.value == "critical" and f"Pagina's getroffen: {first.pages_total}" in top[0].get_text()
    changes = summary.find(id="changes").find_next("p").get_text(" ", strip=True)
    assert changes.startswith("1 nieuwe, 2 opgeloste en 3 blijvende bevindingen; vorige totaalscore 61%")


def test_top_problems_weigh_severity_by_pages_affected(report):
    """A serious problem in the template (20 pages) comes before a critical one on 5 pages; a
    warning never comes before a failure, however many pages it touches."""
    from bs4 import BeautifulSoup

    for result in report.results:
        for finding in result.findings:
            if finding.rule == "color-contrast":
                finding.pages_total = 20
            if finding.check_id == "security.headers":
                finding.pages_total = 500
    top = [a.get_text(strip=True) for a in
           BeautifulSoup(render_html(report, lang="en"), "html.parser").select("ol.top-findings > li > a")]
    titles = {f.rule: f.title for f in report.findings()}  # the English report shows the stored titles
    assert top == [titles["color-contrast"], titles["image-alt"], titles["http-404"], titles["content-security-policy"]]
