"""The output folder of one audit: reports at the top, artifacts underneath.

```
results/
  report.html  result.json  findings.csv  findings.xlsx
  artifacts/
    run.json        the site, settings and method of the run
    pages.jsonl     one PageArtifacts per line, written as each page is gathered
    site.json       the SiteArtifacts (probes, page summaries, skipped URLs…)
```
Pages are appended and flushed one by one, so an interrupted run keeps what it gathered and
``auditor rescore`` can recompute everything without a browser.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator, Optional

from auditor.model import PageArtifacts, SiteArtifacts, SiteReport
from auditor.run.redact import redact_text


class RunFolderError(RuntimeError):
    pass


class RunFolder:
    REPORT_HTML = "report.html"
    RESULT_JSON = "result.json"
    FINDINGS_CSV = "findings.csv"
    FINDINGS_XLSX = "findings.xlsx"

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.artifacts = self.root / "artifacts"
        self.evidence = self.root / "evidence"  # screenshots and other evidence files

    # ----------------------------------------------------------------- writing

    def create(self) -> "RunFolder":
        try:
            self.artifacts.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RunFolderError(f"cannot create output folder {self.root}: {exc.strerror}") from exc
        (self.artifacts / "pages.jsonl").write_text("")
        return self

    def reopen(self) -> int:
        """Prepare an interrupted run's folder for ``--resume``: keep every complete page
        line (a line cut short by a killed process is dropped) and return how many."""
        path = self._require("pages.jsonl")
        kept = []
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if not line.endswith("\n"):
                    break
                try:
                    PageArtifacts.model_validate_json(line)
                except ValueError:
                    break
                kept.append(line)
        path.write_text("".join(kept), encoding="utf-8")
        return len(kept)

    def write_run_meta(self, meta: dict[str, Any]) -> None:
        _write_json(self.artifacts / "run.json", meta)

    def append_page(self, page: PageArtifacts) -> None:
        with open(self.artifacts / "pages.jsonl", "a", encoding="utf-8") as out:
            out.write(redact_text(page.model_dump_json()))
            out.write("\n")

    def write_site(self, site: SiteArtifacts) -> None:
        (self.artifacts / "site.json").write_text(redact_text(site.model_dump_json(indent=1)), encoding="utf-8")

    def path(self, name: str) -> Path:
        return self.root / name

    # ----------------------------------------------------------------- reading (rescore)

    def read_run_meta(self) -> dict[str, Any]:
        return json.loads(self._require("run.json").read_text(encoding="utf-8"))

    def read_site(self) -> SiteArtifacts:
        return SiteArtifacts.model_validate_json(self._require("site.json").read_text(encoding="utf-8"))

    def iter_pages(self) -> Iterator[PageArtifacts]:
        for number, line in self.iter_page_lines():
            page = parse_page_line(number, line)
            if page is None:
                return
            yield page

    def iter_page_lines(self) -> Iterator[tuple[int, str]]:
        """(line number, line) of every non-empty line of pages.jsonl, unparsed: ``auditor
        rescore`` hands the raw lines to its worker processes, which parse them with
        ``parse_page_line`` (sending parsed pages would pickle every page twice)."""
        with open(self._require("pages.jsonl"), encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if line.strip():
                    yield number, line

    def read_report(self) -> SiteReport:
        return SiteReport.model_validate_json(self._require(self.RESULT_JSON, top=True).read_text("utf-8"))

    def _require(self, name: str, top: bool = False) -> Path:
        path = (self.root if top else self.artifacts) / name
        if not path.is_file():
            raise RunFolderError(f"{path} not found: is {self.root} the output folder of an audit?")
        return path


def parse_page_line(number: int, line: str) -> Optional[PageArtifacts]:
    """One pages.jsonl line as a page; None for a last line cut short by a killed process (the
    pages before it still count); RunFolderError for any other invalid line."""
    try:
        return PageArtifacts.model_validate_json(line)
    except ValueError as exc:
        if not line.endswith("\n"):
            return None
        raise RunFolderError(f"pages.jsonl line {number} is not valid: {exc}") from exc


def _write_json(path: Path, data: Any) -> None:
    path.write_text(redact_text(json.dumps(data, indent=1, ensure_ascii=False, default=str)), encoding="utf-8")
