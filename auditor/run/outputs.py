"""Write every output of a site report into its folder, from the one result model."""

from __future__ import annotations

from pathlib import Path

from auditor.model import SiteReport
from auditor.run.run_folder import RunFolder
from auditor.run.occurrences import FILE_NAME as OCCURRENCES_LOG, read_occurrences
from reports.csv_report import (write_criteria_csv, write_csv, write_occurrences_csv, write_pages_csv,
                                write_summary_csv, write_xlsx)
from reports.html_report import write_html
from reports.json_report import write_json


def write_outputs(report: SiteReport, out_dir: Path, lang: str = "nl", csv_sep: str = ",") -> dict[str, Path]:
    folder = RunFolder(out_dir)
    paths = {
        "html": folder.path(RunFolder.REPORT_HTML),
        "json": folder.path(RunFolder.RESULT_JSON),
        "csv": folder.path(RunFolder.FINDINGS_CSV),
        "xlsx": folder.path(RunFolder.FINDINGS_XLSX),
    }
    write_json(report, paths["json"])
    write_csv(report, paths["csv"], sep=csv_sep)
    paths["summary"] = write_summary_csv(report, folder.path("summary.csv"), sep=csv_sep)
    paths["criteria"] = write_criteria_csv(report, folder.path("criteria.csv"), sep=csv_sep)
    paths["pages"] = write_pages_csv(report, folder.path("pages.csv"), sep=csv_sep)
    logged = (folder.artifacts / OCCURRENCES_LOG).is_file()
    if logged:  # every flagged element, one row each
        paths["occurrences"] = write_occurrences_csv(
            report, read_occurrences(folder.artifacts), folder.path("occurrences.csv"), sep=csv_sep)
    write_xlsx(report, paths["xlsx"], occurrences=read_occurrences(folder.artifacts) if logged else ())
    write_html(report, paths["html"], lang=lang)
    return paths
