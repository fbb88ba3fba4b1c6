"""The walls between the rooms hold: the import-linter contracts of pyproject.toml are kept,
they cover every stage package, and they really fail on a planted violation."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import auditor
from auditor.shared.paths import PROJECT_ROOT

LINT_IMPORTS = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
                "sys.exit(lint_imports_command())"]
OPEN_TO_ALL = {"auditor.model", "auditor.shared"}  # what checks and reports may import of the engine


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*LINT_IMPORTS, "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"})


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"]
    return {contract["id"]: contract for contract in config["contracts"]}


def test_the_import_contracts_are_kept():
    result = _lint(PROJECT_ROOT)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_the_walls_name_every_stage_package():
    """A new stage package must be placed in the contracts: forbidden to checks and reports,
    and given a layer."""
    stages = {f"auditor.{m.name}" for m in pkgutil.iter_modules(auditor.__path__)} - OPEN_TO_ALL
    stages -= {"auditor.__main__"}
    contracts = _contracts()
    for wall in ("checks", "reports", "shared"):
        assert stages <= set(contracts[wall]["forbidden_modules"]), (wall, stages - set(contracts[wall]["forbidden_modules"]))
    layered = {name.strip() for layer in contracts["stages"]["layers"] for name in layer.split("|")}
    assert stages | OPEN_TO_ALL <= layered


def _planted_copy(tmp_path: Path, module: str, line: str) -> Path:
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "demo_site", "migrations", "templates", "static")
    for package in ("auditor", "checks", "reports"):
        shutil.copytree(PROJECT_ROOT / package, copy / package, ignore=ignore)
    shutil.copy(PROJECT_ROOT / "pyproject.toml", copy / "pyproject.toml")
    target = copy / module
    target.write_text(target.read_text("utf-8") + f"\n{line}\n", "utf-8")
    return copy


def test_a_check_importing_the_crawl_breaks_the_contract(tmp_path):
    result = _lint(_planted_copy(tmp_path, "checks/media.py", "from auditor.crawl.http import fetch  # planted"))
    assert result.returncode == 1
    assert "checks.media -> auditor.crawl.http" in result.stdout


def test_a_report_importing_a_private_check_module_breaks_two_contracts(tmp_path):
    result = _lint(_planted_copy(tmp_path, "reports/charts.py", "from checks._dom import parse_dom  # planted"))
    assert result.returncode == 1
    assert "reports.charts -> checks._dom" in result.stdout
    assert "reports is not allowed to import checks" in result.stdout
    assert "Private modules may only be imported from within their parent package" in result.stdout


def test_a_cycle_between_stages_breaks_the_contract(tmp_path):
    result = _lint(_planted_copy(tmp_path, "auditor/crawl/frontier.py", "import auditor.run.site_audit  # planted"))
    assert result.returncode == 1
    assert "auditor.crawl.frontier -> auditor.run.site_audit" in result.stdout
