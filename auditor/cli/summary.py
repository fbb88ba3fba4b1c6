"""The short summary printed at the end of an audit: score per principle, worst findings, files."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from auditor.model import Outcome, SiteReport


def _pct(score) -> str:
    return "—" if score is None else f"{score * 100:.0f}"


def worst_findings(report: SiteReport, limit: int = 5):
    failing = [f for f in report.findings() if f.outcome in (Outcome.FAIL, Outcome.WARNING)]
    failing.sort(key=lambda f: (f.outcome != Outcome.FAIL, -f.severity.rank, -f.pages_total, -f.occurrences))
    return failing[:limit]


def print_summary(report: SiteReport, paths: dict[str, Path], console: Console | None = None) -> None:
    console = console or Console(stderr=True, highlight=False)
    cov = report.coverage
    state = " (partial)" if report.partial else ""
    console.print(f"[bold]{report.site.name}[/bold]{state}: overall score {_pct(report.overall_score)}/100")
    console.print(
        f"pages: {cov.pages_ok} audited, {cov.pages_failed} failed, {cov.pages_blocked} blocked, "
        f"{cov.pages_skipped} skipped; {cov.resources} documents"
    )
    table = Table(show_header=True, header_style="bold", box=None)
    table.add_column("principle")
    table.add_column("score", justify="right")
    table.add_column("criteria scored", justify="right")
    for principle in report.principles:
        table.add_row(
            principle.name, _pct(principle.score),
            f"{principle.criteria_scored}/{principle.criteria_total} ({principle.criteria_manual} manual)",
        )
    console.print(table)
    worst = worst_findings(report)
    if worst:
        console.print("[bold]worst findings[/bold]")
        for finding in worst:
            console.print(
                f"  {finding.outcome.value:<7} {finding.severity.value:<8} {finding.title} "
                f"({finding.pages_total or len(finding.pages)} pages, {finding.occurrences}×)",
                markup=False,
            )
    for kind, path in paths.items():
        console.print(f"{kind:>5}: {path}", markup=False)
