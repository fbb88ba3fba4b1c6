"""``result.json``: the whole result model as JSON, its JSON Schema, and loading it back.

The file is ``SiteReport.model_dump(mode="json")`` written as UTF-8 (non-ASCII kept as is)
with an indent, so analysts can read it and ``auditor rescore`` can load it back unchanged.
``schema_version`` inside the file says which version of the schema it follows; a file with a
different *major* version is refused by :func:`load_json` because fields were removed or
renamed in between.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Union

from auditor.model import RESULT_SCHEMA_VERSION, SiteReport

__all__ = [
    "SCHEMA_ID",
    "dumps_json",
    "load_json",
    "result_json_schema",
    "write_json",
    "write_json_schema",
]

PathLike = Union[str, "os.PathLike[str]"]

SCHEMA_ID = f"https://auditor.invalid/schemas/result-{RESULT_SCHEMA_VERSION}.schema.json"


def dumps_json(report: SiteReport, indent: int = 2) -> str:
    """The report as a JSON string (what :func:`write_json` writes)."""
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=indent) + "\n"


def write_json(report: SiteReport, path: PathLike, indent: int = 2) -> Path:
    """Write the whole result model to ``path`` (UTF-8); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # write then rename, so a reader never sees half a file
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(dumps_json(report, indent=indent), encoding="utf-8")
    os.replace(tmp, path)
    return path


def load_json(path: PathLike) -> SiteReport:
    """Read a ``result.json`` back into a :class:`SiteReport`.

    Raises ``ValueError`` when the file is not JSON, does not match the model, or was written
    with another major schema version.
    """
    text = Path(path).read_text(encoding="utf-8-sig")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not a JSON file ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a result file (expected a JSON object)")
    found = str(data.get("schema_version", ""))
    if found and _major(found) != _major(RESULT_SCHEMA_VERSION):
        raise ValueError(
            f"{path}: schema version {found} cannot be read by this version of the tool "
            f"(expects {RESULT_SCHEMA_VERSION})"
        )
    return SiteReport.model_validate(data)


def result_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``result.json``, tagged with its version."""
    schema = SiteReport.model_json_schema(mode="serialization")
    head = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "auditor result (SiteReport)",
        "x-schema-version": RESULT_SCHEMA_VERSION,
    }
    return {**head, **{k: v for k, v in schema.items() if k != "title"}}


def write_json_schema(path: PathLike) -> Path:
    """Write :func:`result_json_schema` to ``path`` (to publish it in the repository)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(result_json_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return path


def _major(version: str) -> str:
    return version.split(".", 1)[0]
