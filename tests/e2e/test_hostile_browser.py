"""Sites that attack the browser: endless JavaScript, dialogs, pop-ups and downloads. The audit
records each honestly, goes on with the next page, and never writes or runs a download."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli.main import main
from tests.fixtures.hostile_browser_sites import BROWSER_TRAPS, DOWNLOAD_MARKER, browser_trap_site

pytestmark = pytest.mark.browser

SKIP_DIRS = {".venv", "node_modules", ".git", "__pycache__", "proc", "sys"}


def _files_with_marker(roots: list[Path], since: float, exclude: Path) -> list[Path]:
    """Files changed since ``since`` under ``roots`` (outside ``exclude``) holding the marker."""
    found = []
    for root in roots:
        for folder, dirs, files in os.walk(root, onerror=lambda _e: None):
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS and Path(folder, d) != exclude]
            for name in files:
                path = Path(folder, name)
                try:
                    info = path.stat()
                    if info.st_mtime < since or info.st_size > 5_000_000 or not path.is_file():
                        continue
                    if DOWNLOAD_MARKER in path.read_bytes():
                        found.append(path)
                except OSError:
                    continue
    return found


@pytest.fixture(scope="module")
def trap_audit(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile-browser") / "out"
    site = browser_trap_site()
    started = time.time() - 1
    with site:
        result = CliRunner().invoke(main, [
            "audit", site.url("/"), "--out", str(out), "--max-pages", "20", "--delay", "0",
            "--concurrency", "1", "--page-timeout", "4", "--quiet"], catch_exceptions=False)
        hits = site.hits
    report = json.loads((out / "result.json").read_text(encoding="utf-8")) if out.exists() else {}
    return result, out, report, hits, started


def _page(report: dict, path: str) -> dict:
    return next(p for p in report["pages"] if p["url"].split("?")[0].endswith(path))


def test_endless_script_times_out_and_the_next_pages_are_still_audited(trap_audit):
    result, _out, report, _hits, _started = trap_audit
    assert result.exit_code == 0, result.output
    loop = _page(report, "/loop")
    assert loop["status"] == "timeout", loop
    # the browser is not wedged: every page after the loop is read
    after = _page(report, "/after")
    assert after["status"] == "ok" and after["title"] == "Daarna"


@pytest.mark.parametrize("path", ["/alert", "/confirm", "/prompt", "/beforeunload", "/popup"])
def test_dialogs_and_popups_do_not_block_the_page(trap_audit, path):
    _result, _out, report, _hits, _started = trap_audit
    page = _page(report, path)
    assert page["status"] == "ok", page
    assert page["title"] == path[1:].capitalize()


def test_popups_are_not_counted_as_audited_pages(trap_audit):
    _result, _out, report, _hits, _started = trap_audit
    assert not any("popup-target" in p["url"] for p in report["pages"])
    assert set(BROWSER_TRAPS) <= {"/" + p["url"].split("/", 3)[-1] for p in report["pages"]}


def test_downloads_are_recorded_and_never_written_outside_the_run_folder(trap_audit):
    _result, out, report, hits, started = trap_audit
    resources = {r["url"].rsplit("/", 1)[-1]: r for r in report["resources"]}
    assert "setup.exe" in resources and resources["setup.exe"]["content_type"] == "application/x-msdownload"
    assert "bestand" in resources, resources.keys()
    assert resources["bestand"]["content_type"] == "application/octet-stream"
    assert resources["bestand"]["http_status"] == 200
    attachment = _page(report, "/bestand")
    assert attachment["status"] == "not_html" and "download" in attachment["error"]
    roots = [Path.cwd(), Path.home(), Path(tempfile.gettempdir())]
    assert _files_with_marker(roots, started, exclude=out) == []
