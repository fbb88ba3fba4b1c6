"""``auditor criteria``: the framework as a table (terminal), Markdown or CSV."""

from __future__ import annotations

import csv
import sys

from rich.console import Console
from rich.table import Table

from auditor.score.framework import Framework, framework_rows

COLUMNS = ("principle", "criterion", "title", "kind", "automation", "checks (weight)")


def _cells(framework: Framework) -> list[tuple[str, ...]]:
    return [
        (row.principle, row.criterion_id, row.title, row.kind, row.automation, row.checks_text)
        for row in framework_rows(framework)
    ]


def print_criteria(framework: Framework, fmt: str = "table") -> None:
    rows = _cells(framework)
    header = f"{framework.name} — {framework.id} {framework.version}"
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    elif fmt == "markdown":
        print(f"### {header}\n")
        print("| " + " | ".join(COLUMNS) + " |")
        print("|" + "---|" * len(COLUMNS))
        for row in rows:
            print("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    else:
        table = Table(title=header, show_lines=False)
        for column in COLUMNS:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*row)
        Console().print(table)
