"""Portfolio of a fleet: the latest run of every site in one table, as CSV, XLSX and a small
self-contained HTML page. Rows come from ``auditor.history.portfolio_rows``; scores are 0–100.

Text cells taken from sites (organisation names come from site lists, report paths from the
database) are guarded against spreadsheet formulas and escaped in HTML.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Iterable

from reports.csv_report import guard_cell, write_rows, write_sheets

__all__ = ["portfolio_columns", "write_portfolio_csv", "write_portfolio_html", "write_portfolio_xlsx"]


def portfolio_columns(rows: Iterable[dict[str, Any]]) -> list[str]:
    """Columns in first-seen order over all rows (principle columns may differ by framework)."""
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    return columns


def write_portfolio_csv(rows: list[dict[str, Any]], path: Path | str, sep: str = ",") -> Path:
    """``portfolio.csv``: UTF-8 with BOM, cells guarded; with ``sep=";"`` a decimal comma."""
    columns = portfolio_columns(rows)
    return write_rows(path, columns, ({k: _cell(row.get(k)) for k in columns} for row in rows), sep)


def write_portfolio_xlsx(rows: list[dict[str, Any]], path: Path | str) -> Path:
    """Sheet ``portfolio``: one row per site, header and site column frozen, autofilter."""
    import pandas as pd  # heavy; only needed here

    columns = portfolio_columns(rows)
    frame = pd.DataFrame([[_cell(row.get(k)) for k in columns] for row in rows], columns=columns)
    return write_sheets({"portfolio": frame}, path, frozen_columns=1)


def write_portfolio_html(rows: list[dict[str, Any]], path: Path | str, title: str = "Portfolio") -> Path:
    path = Path(path)
    principle_columns = [c for c in portfolio_columns(rows) if c.startswith("score_")]
    head = ["Site", "Organisation", "Kind", "Score", *[c.removeprefix("score_") for c in principle_columns],
            "Pages OK / visited", "Failing findings", "Run", "Date"]
    body = []
    for row in rows:
        report = row.get("report") or ""
        run_cell = (f'<a href="{html.escape(Path(report).as_uri() if report.startswith("/") else report)}">'
                    f'{html.escape(str(row.get("run_id", "")))}</a>' if report else html.escape(str(row.get("run_id", ""))))
        cells = [
            f'<th scope="row">{html.escape(str(row.get("site", "")))}</th>',
            f"<td>{html.escape(str(row.get('organisation', '')))}</td>",
            f"<td>{html.escape(str(row.get('kind', '')))}</td>",
            f'<td class="num">{_score_text(row.get("overall_score"), row)}</td>',
            *[f'<td class="num">{_score_text(row.get(c), row)}</td>' for c in principle_columns],
            f'<td class="num">{int(row.get("pages_ok") or 0)} / {int(row.get("pages_visited") or 0)}</td>',
            f'<td class="num">{int(row.get("findings_fail") or 0)}</td>',
            f"<td>{run_cell}</td>",
            f"<td>{html.escape(str(row.get('started_at', '')))}</td>",
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    header = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in head)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:1.5rem;color:#1a1a1a;background:#fff}}
table{{border-collapse:collapse;width:100%}} th,td{{border:1px solid #767676;padding:.35rem .5rem;text-align:left}}
thead th{{background:#e8e8e8}} td.num{{text-align:right;font-variant-numeric:tabular-nums}}
caption{{text-align:left;font-weight:bold;margin-bottom:.5rem}} a{{color:#0645ad}}
</style></head>
<body><main>
<h1>{html.escape(title)}</h1>
<p>Latest run of each of {len(rows)} site(s). Scores are 0–100 over the automated criteria only; criteria that
need a person are not part of them. “not assessable” means the site could not be audited.</p>
<table><caption>Sites and their latest scores</caption>
<thead><tr>{header}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody></table>
</main></body></html>
"""
    path.write_text(page, encoding="utf-8")
    return path


def _score_text(value: Any, row: dict[str, Any]) -> str:
    if not row.get("assessable", True):
        return "not assessable"
    return "—" if value is None else f"{float(value):.0f}"


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return guard_cell(value) if isinstance(value, str) else value
