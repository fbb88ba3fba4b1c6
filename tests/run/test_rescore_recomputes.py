"""``auditor rescore`` recomputes every value derived from page content from the saved
artifacts: an edited marker file changes the Flemish verdicts without a new crawl."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli.demo import serve_demo_site
from auditor.cli.main import main
from auditor.shared.markers import default_markers_path

pytestmark = pytest.mark.browser

EXTRA_MARKERS = '''
[[markers]]
id = "test-eloket-link"
kind = "link"
pattern = "Aanmelden e-loket"
proves = "eloket-mbp"
confidence = "high"
source = "test: the demo's own e-loket link taken for Mijn Burgerprofiel"

[[markers]]
id = "test-header-element"
kind = "dom_selector"
pattern = "body > header"
proves = "mbp-header-mounted"
confidence = "low"
source = "test: any page header taken for the global header (never evaluated in the browser)"
'''


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo-run")
    with serve_demo_site() as base_url:
        result = CliRunner().invoke(main, [
            "audit", base_url, "--out", str(out), "--organisation", "Gemeente Voorbeeldegem",
            "--kind", "municipality", "--audience", "citizens", "--max-pages", "4", "--delay", "0",
            "--block-third-party", "--consent-pages", "-1", "--no-mobile", "-q"])
    assert result.exit_code == 0, result.output
    return out


def _results(run: Path) -> dict[str, dict]:
    data = json.loads((run / "result.json").read_text("utf-8"))
    return {r["check_id"]: r for r in data["results"]}


def _rescore(run: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditor.cli.main", "rescore", str(run), *args],
                          capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120)


def _marker_ids(result: dict) -> set[str]:
    return {m["id"] for m in result.get("details", {}).get("markers", [])} | {
        e.get("value", "") for f in result["findings"] for e in f.get("evidence", [])}


def test_rescore_with_an_edited_marker_file_changes_the_flemish_verdicts(demo_run, tmp_path):
    before = _results(demo_run)
    assert _rescore(demo_run).returncode == 0
    unchanged = _results(demo_run)
    for check in ("eloket-links", "mbp-global-header"):  # same markers: same verdicts
        assert unchanged[check]["outcome"] == before[check]["outcome"]
        assert unchanged[check]["findings"] == before[check]["findings"]
    assert "eloket-mbp-missing" in {f["rule"] for f in before["eloket-links"]["findings"]}

    edited = tmp_path / "flemish.toml"
    edited.write_text(default_markers_path().read_text("utf-8") + EXTRA_MARKERS, "utf-8")
    done = _rescore(demo_run, "--markers", str(edited))
    assert done.returncode == 0, done.stderr
    after = _results(demo_run)
    rules = {f["rule"] for f in after["eloket-links"]["findings"]}
    assert "eloket-mbp-missing" not in rules and "eloket-mbp-found" in rules
    assert after["mbp-global-header"] != before["mbp-global-header"]
    assert "body > header" in json.dumps(after["mbp-global-header"])  # matched on the saved DOM
    site = json.loads((demo_run / "artifacts" / "site.json").read_text("utf-8"))
    assert site["flemish_pages"] and not any("test-eloket-link" in json.dumps(p) for p in site["flemish_pages"])

    # the same edit in the bundled file's place (AUDITOR_MARKERS) is what a plain rescore reads
    assert _rescore(demo_run, env={"AUDITOR_MARKERS": str(edited)}).returncode == 0
    assert _results(demo_run)["eloket-links"]["findings"] == after["eloket-links"]["findings"]


def test_rescore_refuses_a_broken_marker_file_in_one_line(demo_run, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('version = "x"\n[[markers]]\nid = "no-kind"\n', "utf-8")
    done = _rescore(demo_run, "--markers", str(broken))
    assert done.returncode == 1
    assert done.stderr.startswith("Error: ") and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
