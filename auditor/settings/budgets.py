"""Performance budgets for the page-weight check, read from ``configs/budgets.toml``.

The engine loads them once per run and passes them to the checks through the run's settings
(``AuditSettings.budgets`` → ``CheckContext.settings["budgets"]``), so checks stay pure and a
rescore uses the budgets of the original run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from auditor.shared.paths import config_path
from auditor.shared.toml_file import read_toml

BUDGET_KEYS: dict[str, type] = {
    "page_bytes": int,
    "lcp_ms": float,
    "requests": int,
    "oversized_image_ratio": float,
    "oversized_image_min_bytes": int,
}


class BudgetsError(ValueError):
    """The budgets file cannot be used; the message says why in one line."""


def default_budgets_path() -> Path:
    return config_path("budgets.toml")


def load_budgets(path: Optional[Path | str] = None) -> dict[str, float]:
    """The budgets: the defaults file, with the keys of ``path`` (when given) on top."""
    budgets = _read(default_budgets_path(), defaults=True)
    if path is not None:
        budgets.update(_read(Path(path), defaults=False))
    return budgets


def _read(path: Path, defaults: bool) -> dict[str, float]:
    data = read_toml(path, BudgetsError, "budgets file")
    table = data.get("budgets")
    if not isinstance(table, dict):
        raise BudgetsError(f"budgets file {path} has no [budgets] table")
    budgets: dict[str, float] = {}
    for key, value in table.items():
        kind = BUDGET_KEYS.get(key)
        if kind is None:
            raise BudgetsError(f"budgets file {path}: unknown budget {key!r} (known: {', '.join(BUDGET_KEYS)})")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise BudgetsError(f"budgets file {path}: {key} must be a positive number, not {value!r}")
        budgets[key] = kind(value)
    missing = set(BUDGET_KEYS) - set(budgets)
    if defaults and missing:
        raise BudgetsError(f"budgets file {path} lacks {', '.join(sorted(missing))}")
    return budgets
