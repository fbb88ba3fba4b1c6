"""``findings.csv`` and ``findings.xlsx``: one row per finding and per criterion it counts toward;
beside them ``criteria.csv``, ``summary.csv``, ``pages.csv`` and ``occurrences.csv``, each also a
sheet of the workbook.

A check can inform several criteria (the framework file decides), so a finding of such a check
appears once for each criterion; a finding whose check informs no criterion appears once with
an empty ``criterion_id``. Columns are stable and documented in ``docs/outputs.md``.

CSV: UTF-8 with a byte order mark (``utf-8-sig``) so Excel shows accents correctly, comma as
the separator by default (pass ``sep=";"`` for Excel with a Belgian/Dutch locale: fractional numbers then get a decimal
comma, as that Excel expects), fields quoted
when needed. Every text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading apostrophe, so a spreadsheet never runs text taken from a site as a
formula.
"""

from __future__ import annotations

import csv
import os
import re
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Iterator, Union

from auditor.model import CheckResult, CriterionScore, Finding, SiteReport

__all__ = [
    "CRITERIA_COLUMNS",
    "FINDING_COLUMNS",
    "criterion_rows",
    "finding_rows",
    "guard_cell",
    "OCCURRENCE_COLUMNS",
    "PAGE_COLUMNS",
    "occurrence_rows",
    "page_rows",
    "SUMMARY_COLUMNS",
    "summary_columns",
    "summary_row",
    "write_criteria_csv",
    "write_csv",
    "write_summary_csv",
    "write_occurrences_csv",
    "write_pages_csv",
    "write_rows",
    "write_sheets",
    "write_xlsx",
]

PathLike = Union[str, "os.PathLike[str]"]

FINDING_COLUMNS: tuple[str, ...] = (
    "site",
    "organisation",
    "run_id",
    "page_url",
    "check_id",
    "check_title",
    "criterion_id",
    "principle",
    "outcome",
    "severity",
    "wcag_sc",
    "rule",
    "selector",
    "evidence",
    "occurrences",
    "pages_total",
    "help_url",
    "fingerprint",
    "wcag_level",
)

# occurrences.csv: one row per flagged element per page (the findings merged in findings.csv,
# unfolded again), read from the run's occurrence log.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "site",
    "organisation",
    "run_id",
    "started_at",
    "framework",
    "pages",
    "findings",
    "overall_score",
    "overall_coverage",
)
# after the per-principle columns: limit=times hit, joined with "; " ("max_links=1; page_timeout_s=2")
SUMMARY_LAST_COLUMNS: tuple[str, ...] = ("limits_hit",)

OCCURRENCE_COLUMNS: tuple[str, ...] = (
    "site",
    "run_id",
    "page_url",
    "check_id",
    "rule",
    "title",
    "outcome",
    "severity",
    "wcag_sc",
    "wcag_level",
    "selector",
    "snippet",
    "value",
    "expected",
    "help_url",
    "fingerprint",
)

# pages.csv: one row per page visited, as result.json's ``pages`` (without the link lists)
PAGE_COLUMNS: tuple[str, ...] = (
    "site",
    "run_id",
    "url",
    "final_url",
    "status",
    "http_status",
    "title",
    "lang",
    "roles",
    "depth",
    "found_on",
    "error",
    "limits_hit",
)

CRITERIA_COLUMNS: tuple[str, ...] = (
    "site",
    "organisation",
    "run_id",
    "criterion_id",
    "principle",
    "title",
    "kind",
    "automation",
    "outcome",
    "score",
    "coverage",
    "checks",
    "question",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# characters an XLSX file cannot hold (openpyxl refuses them)
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_XLSX_MAX_CELL = 32_000  # Excel's limit is 32,767 characters per cell
XLSX_MAX_ROWS = 1_048_575  # rows of a worksheet under its header; occurrences.csv keeps every row


def guard_cell(value: Any) -> Any:
    """Neutralise a text cell a spreadsheet would read as a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def finding_rows(report: SiteReport) -> Iterator[dict[str, Any]]:
    """One dict per finding × criterion, keys in :data:`FINDING_COLUMNS` order, cells guarded."""
    criteria_by_check = _criteria_by_check(report)
    site = _site(report)
    for result in report.results:
        for finding in result.findings:
            info = report.check_info(finding.check_id)
            base = {
                "site": site,
                "organisation": report.site.organisation,
                "run_id": report.run_id,
                "page_url": _first_page(finding, result),
                "check_id": finding.check_id,
                "check_title": info.title if info else finding.title,
                "criterion_id": "",
                "principle": "",
                "outcome": finding.outcome.value,
                "severity": finding.severity.value,
                "wcag_sc": ";".join(finding.wcag_sc),
                "rule": finding.rule,
                "selector": finding.evidence[0].selector if finding.evidence else "",
                "evidence": _evidence_text(finding),
                "occurrences": finding.occurrences,
                "pages_total": finding.pages_total or len(finding.pages),
                "help_url": finding.help_url,
                "fingerprint": finding.fingerprint,
                "wcag_level": finding.wcag_level,
            }
            for criterion in criteria_by_check.get(finding.check_id) or [None]:
                row = dict(base)
                if criterion is not None:
                    row["criterion_id"] = criterion.criterion_id
                    row["principle"] = criterion.principle_id
                yield {k: guard_cell(v) for k, v in row.items()}


def criterion_rows(report: SiteReport) -> Iterator[dict[str, Any]]:
    """One dict per criterion, keys in :data:`CRITERIA_COLUMNS` order, cells guarded."""
    site = _site(report)
    for c in report.criteria:
        row = {
            "site": site,
            "organisation": report.site.organisation,
            "run_id": report.run_id,
            "criterion_id": c.criterion_id,
            "principle": c.principle_id,
            "title": c.title,
            "kind": c.kind,
            "automation": c.automation,
            "outcome": c.outcome.value,
            "score": c.score,
            "coverage": c.coverage,
            "checks": ";".join(ch.check_id for ch in c.checks),
            "question": c.question,
        }
        yield {k: guard_cell(v) for k, v in row.items()}


def _csv_cell(value: Any, sep: str) -> Any:
    """A cell ready for the CSV: formula-guarded, and with ``sep=";"`` a decimal comma in
    fractional numbers, as Excel with a Belgian/Dutch locale reads them."""
    if sep == ";" and isinstance(value, float):
        return repr(value).replace(".", ",")
    return guard_cell(value)


def write_csv(report: SiteReport, path: PathLike, sep: str = ",") -> Path:
    """Write ``findings.csv`` (UTF-8 with BOM, ``sep`` as separator, header always present)."""
    return write_rows(path, FINDING_COLUMNS, finding_rows(report), sep)


def occurrence_rows(report: SiteReport, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The occurrence log's rows with the columns :data:`OCCURRENCE_COLUMNS` (missing ones empty)
    and this run's site and run id, cells guarded."""
    site = _site(report)
    for row in rows:
        full = {**{column: row.get(column, "") for column in OCCURRENCE_COLUMNS}, "site": site, "run_id": report.run_id}
        yield {k: guard_cell(v) for k, v in full.items()}


def write_occurrences_csv(report: SiteReport, rows: Iterable[dict[str, Any]], path: PathLike, sep: str = ",") -> Path:
    """Write ``occurrences.csv``: every flagged element on every page (same encoding and
    formula guard as ``findings.csv``). ``rows`` come from the run's occurrence log."""
    return write_rows(path, OCCURRENCE_COLUMNS, occurrence_rows(report, rows), sep)


def page_rows(report: SiteReport) -> Iterator[dict[str, Any]]:
    """One dict per page visited, keys in :data:`PAGE_COLUMNS` order, cells guarded."""
    site = _site(report)
    for page in report.pages:
        row = {"site": site, "run_id": report.run_id, "url": page.url, "final_url": page.final_url,
               "status": page.status.value, "http_status": page.http_status, "title": page.title,
               "lang": page.lang, "roles": ";".join(page.roles), "depth": page.depth,
               "found_on": page.found_on, "error": page.error, "limits_hit": ";".join(page.limits_hit)}
        yield {k: guard_cell(v) for k, v in row.items()}


def write_pages_csv(report: SiteReport, path: PathLike, sep: str = ",") -> Path:
    """Write ``pages.csv``: one row per page visited (columns :data:`PAGE_COLUMNS`)."""
    return write_rows(path, PAGE_COLUMNS, page_rows(report), sep)


def write_criteria_csv(report: SiteReport, path: PathLike, sep: str = ",") -> Path:
    """Write ``criteria.csv``: one row per criterion (columns :data:`CRITERIA_COLUMNS`)."""
    return write_rows(path, CRITERIA_COLUMNS, criterion_rows(report), sep)


def summary_columns(report: SiteReport) -> list[str]:
    """:data:`SUMMARY_COLUMNS`, then ``score_<principle>`` and ``coverage_<principle>`` for each
    principle of the framework, in the framework's order, then :data:`SUMMARY_LAST_COLUMNS`."""
    per_principle = [f"{kind}_{p.principle_id}" for p in report.principles for kind in ("score", "coverage")]
    return [*SUMMARY_COLUMNS, *per_principle, *SUMMARY_LAST_COLUMNS]


def summary_row(report: SiteReport) -> dict[str, Any]:
    """The one row of ``summary.csv``: the run, its overall score and each principle's."""
    row: dict[str, Any] = {
        "site": _site(report),
        "organisation": report.site.organisation,
        "run_id": report.run_id,
        "started_at": report.started_at.isoformat(),
        "framework": report.method.framework_id,
        "pages": len(report.pages),
        "findings": sum(len(r.findings) for r in report.results),
        "overall_score": report.overall_score,
        "overall_coverage": report.overall_coverage,
    }
    for p in report.principles:
        row[f"score_{p.principle_id}"] = p.score
        row[f"coverage_{p.principle_id}"] = p.coverage
    row["limits_hit"] = "; ".join(f"{name}={count}" for name, count in report.limits_hit.items())
    return {k: guard_cell(v) for k, v in row.items()}


def write_summary_csv(report: SiteReport, path: PathLike, sep: str = ",") -> Path:
    """Write ``summary.csv``: one row for this site run (columns :func:`summary_columns`)."""
    return write_rows(path, summary_columns(report), [summary_row(report)], sep)


def write_rows(path: PathLike, columns: Iterable[str], rows: Iterable[dict[str, Any]], sep: str) -> Path:
    """UTF-8 with BOM, ``sep`` between fields, CRLF, header always present, cells guarded."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), delimiter=sep, lineterminator="\r\n",
                                extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_cell(v, sep) for k, v in row.items()})
    return path


def write_xlsx(report: SiteReport, path: PathLike, occurrences: Iterable[dict[str, Any]] = ()) -> Path:
    """Write ``findings.xlsx``, one sheet per table with the columns of its CSV: ``findings``,
    ``criteria``, ``summary``, ``pages`` and ``occurrences`` (from the occurrence log's
    ``occurrences``; the first :data:`XLSX_MAX_ROWS` fit a sheet); frozen header row,
    autofilter and sensible column widths."""
    import pandas as pd  # heavy; only needed here

    def frame(columns: Iterable[str], rows: Iterable[dict[str, Any]]) -> Any:
        return pd.DataFrame([_xlsx_row(r) for r in islice(rows, XLSX_MAX_ROWS)], columns=list(columns))

    sheets = {
        "findings": frame(FINDING_COLUMNS, finding_rows(report)),
        "criteria": frame(CRITERIA_COLUMNS, criterion_rows(report)),
        "summary": frame(summary_columns(report), [summary_row(report)]),
        "pages": frame(PAGE_COLUMNS, page_rows(report)),
        "occurrences": frame(OCCURRENCE_COLUMNS, occurrence_rows(report, occurrences)),
    }
    return write_sheets(sheets, path)


def write_sheets(sheets: dict[str, Any], path: PathLike, frozen_columns: int = 0) -> Path:
    """Write pandas frames to one workbook, one sheet each, with xlsxwriter (fast): header row
    (and ``frozen_columns`` first columns) frozen, an autofilter over the table, and column
    widths fitted to the first 200 values (10 to 60 characters)."""
    import pandas as pd  # heavy; only needed here

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # text stays text: never a formula, hyperlink or number guessed from what a site wrote
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with pd.ExcelWriter(path, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes(1, frozen_columns)
            sheet.autofilter(0, 0, len(frame), max(len(frame.columns) - 1, 0))
            for idx, column in enumerate(frame.columns):
                longest = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
                sheet.set_column(idx, idx, min(max(10, longest + 2), 60))
    return path


# --------------------------------------------------------------------------- helpers


def _site(report: SiteReport) -> str:
    """The site column of every table: the first start URL."""
    return report.site.start_urls[0] if report.site.start_urls else ""


def _criteria_by_check(report: SiteReport) -> dict[str, list[CriterionScore]]:
    found: dict[str, list[CriterionScore]] = {}
    for criterion in report.criteria:
        for contribution in criterion.checks:
            bucket = found.setdefault(contribution.check_id, [])
            if criterion not in bucket:
                bucket.append(criterion)
    return found


def _first_page(finding: Finding, result: CheckResult) -> str:
    if finding.pages:
        return finding.pages[0]
    for ev in finding.evidence:
        if ev.page_url:
            return ev.page_url
    return result.page_url


def _evidence_text(finding: Finding) -> str:
    """The first example: the snippet, else what was seen vs. expected."""
    if not finding.evidence:
        return ""
    ev = finding.evidence[0]
    if ev.snippet:
        return ev.snippet
    parts = []
    if ev.value:
        parts.append(ev.value)
    if ev.expected:
        parts.append(f"expected: {ev.expected}")
    return "; ".join(parts)


def _xlsx_row(row: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, str):
            value = _XLSX_ILLEGAL.sub("", value)[:_XLSX_MAX_CELL]
            value = guard_cell(value)  # removing characters may expose a formula start
        clean[key] = value
    return clean
