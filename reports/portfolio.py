"""Portfolio of a fleet: the latest run of every site in one table, as CSV, XLSX and a small
self-contained HTML page (``templates/portfolio.html.j2``). Rows come from
``auditor.fleet.history.portfolio_rows``, shared findings from ``auditor.fleet.history.common_findings``;
scores are 0–100.

Text cells taken from sites (organisation names come from site lists, report paths from the
database) are guarded against spreadsheet formulas and escaped in HTML.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional
from urllib.parse import quote

from auditor.model import Audience
from reports.csv_report import guard_cell, write_rows, write_sheets
from reports.finding_texts import title_in_language
from reports.html_report import svg_bar_chart, template_environment
from reports.labels import Texts, catalog

__all__ = ["portfolio_columns", "render_portfolio_html", "write_portfolio_csv", "write_portfolio_html",
           "write_portfolio_xlsx"]


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


SCORE_BANDS = ((0, 20), (20, 40), (40, 60), (60, 80), (80, 100))
TEMPLATE = "portfolio.html.j2"


def render_portfolio_html(rows: list[dict[str, Any]], page_dir: Path | str = ".", title: str = "Portfolio",
                          common: Iterable[dict[str, Any]] = (), lang: str = "nl",
                          principle_names: Optional[Mapping[str, str]] = None) -> str:
    """The portfolio page: league table with filters by kind of organisation and by audience that
    work without JavaScript, principle names as column heads (``principle_names``: principle id →
    name in ``lang``; an id without a name is shown as the id), the distribution of overall scores
    and the findings most sites share. Links to site reports are relative to ``page_dir`` and
    only made when the report file exists."""
    labels = catalog(lang)  # reports/labels/<lang>.toml; an unknown language is a ValueError
    # the page's own labels over the ones a site report has too
    t = Texts({**labels.labels, **labels.section("portfolio")}, labels.path, "portfolio")
    kind_names = labels.values["site_kind"]
    ranked = sorted(rows, key=_rank_key)
    kinds = list(dict.fromkeys(str(row.get("kind") or "other") for row in ranked))
    # CSS selectors use our own tokens, never text from the database
    kind_token = {kind: f"k{i}" for i, kind in enumerate(kinds)}
    present = {audience for row in ranked for audience in _row_audiences(row)}
    # the model's order first, then any audience a newer site list knows
    audiences = [a.value for a in Audience if a.value in present] + sorted(present - {a.value for a in Audience})
    audience_token = {audience: f"a{i}" for i, audience in enumerate(audiences)}
    audience_names = labels.values["audience"]
    principle_columns = [c for c in portfolio_columns(rows) if c.startswith("score_")]
    principle_names = principle_names or {}
    league = []
    previous, rank = object(), 0
    for position, row in enumerate(ranked, start=1):
        score = row.get("overall_score") if row.get("assessable", True) else None
        if score != previous:
            rank, previous = position, score
        kind = str(row.get("kind") or "other")
        league.append({
            "rank": rank, "row": row, "token": kind_token[kind], "kind": kind_names.get(kind, kind),
            "audience_tokens": [audience_token[a] for a in _row_audiences(row)],
            "overall": _score_text(row.get("overall_score"), row, t),
            "principles": [_score_text(row.get(c), row, t) for c in principle_columns],
            "pages_ok": int(row.get("pages_ok") or 0), "pages_visited": int(row.get("pages_visited") or 0),
            "failing": int(row.get("findings_fail") or 0), "report_href": _report_href(row, Path(page_dir)),
        })
    scores = [float(r["overall_score"]) for r in rows
              if r.get("assessable", True) and r.get("overall_score") is not None]
    counts = [sum(1 for s in scores if low <= s < high or (high == 100 and s == 100)) for low, high in SCORE_BANDS]
    most = max(counts, default=0) or 1
    chart = svg_bar_chart([(f"{low}–{high}", count / most, t["sites_n"].format(n=count))
                           for (low, high), count in zip(SCORE_BANDS, counts)],
                          title=t["distribution"], desc=t["distribution_desc"], chart_id="chart-distribution")
    return template_environment().get_template(TEMPLATE).render(
        lang=lang, title=title, t=t, league=league, kinds=[(kind_token[k], kind_names.get(k, k)) for k in kinds],
        audiences=[(audience_token[a], audience_names.get(a, a)) for a in audiences],
        principles=[principle_names.get(c.removeprefix("score_"), c.removeprefix("score_")) for c in principle_columns],
        chart=chart,
        unscored=len(rows) - len(scores), common=[_common_in_language(group, lang) for group in common],
        outcome_names=labels.values["outcome"],
        site_count=len(rows))


def write_portfolio_html(rows: list[dict[str, Any]], path: Path | str, title: str = "Portfolio",
                         common: Iterable[dict[str, Any]] = (), lang: str = "nl",
                         principle_names: Optional[Mapping[str, str]] = None) -> Path:
    """``portfolio.html``: :func:`render_portfolio_html` written next to the links it makes."""
    path = Path(path)
    path.write_text(render_portfolio_html(rows, path.parent, title, common, lang, principle_names), encoding="utf-8")
    return path


def _common_in_language(group: dict[str, Any], lang: str) -> dict[str, Any]:
    """A group of ``common_findings`` with its title in the report's language."""
    title = title_in_language(str(group.get("check_id") or ""), str(group.get("rule") or ""),
                              str(group.get("title") or ""), str(group.get("title_nl") or ""), lang)
    return {**group, "title": title}


def _row_audiences(row: dict[str, Any]) -> list[str]:
    """The audience ids of a portfolio row (``"citizens,entrepreneurs"``), in their own order."""
    return list(dict.fromkeys(a.strip() for a in str(row.get("audiences") or "").split(",") if a.strip()))


def _rank_key(row: dict[str, Any]) -> tuple:
    score = row.get("overall_score") if row.get("assessable", True) else None
    return (score is None, -(score or 0.0), str(row.get("site", "")))


def _report_href(row: dict[str, Any], page_dir: Path) -> Optional[str]:
    """The site report as a path relative to the portfolio page, if the run folder holds one."""
    report = row.get("report") or ""
    if not report or not Path(report).is_file():
        return None
    try:
        relative = os.path.relpath(Path(report).resolve(), page_dir.resolve())
    except ValueError:  # another drive on Windows: no relative path exists
        return Path(report).resolve().as_uri()
    return quote(Path(relative).as_posix())


def _score_text(value: Any, row: dict[str, Any], t: dict[str, str]) -> str:
    if not row.get("assessable", True):
        return t["not_assessable"]
    return t["no_score"] if value is None else f"{float(value):.0f}"


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return guard_cell(value) if isinstance(value, str) else value
