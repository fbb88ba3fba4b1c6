"""Criteria frameworks: which checks count toward which criterion of which principle, and how much.

A framework is data (a TOML file in ``configs/frameworks``), so weights and criteria change
without touching a check. A framework file with a mistake must never produce a quietly wrong
score, so loading is strict: every problem (an unknown check id, a bad weight, a duplicate or
dangling id, a misspelt key, a TOML syntax error) raises ``FrameworkError`` with one line that
names the file and the offending id.
"""

from __future__ import annotations

from auditor.shared.paths import config_path
import math
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional, Union

KINDS = ("user", "inclusion")
AUTOMATION_LEVELS = ("automated", "partly_automated", "manual")
DEFAULT_FRAMEWORK_FILE = "dienstverleningsstrategie.toml"

_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

_TOP_LEVEL_KEYS = {"framework", "principles", "criteria"}
_FRAMEWORK_KEYS = {"id", "version", "name", "source", "note"}
_PRINCIPLE_KEYS = {"id", "name", "name_en", "definition", "definition_en"}
_CRITERION_KEYS = {
    "id", "principle", "title", "title_en", "kind", "automation", "question", "official_ref",
    "checks", "description",
}
_CHECK_REF_KEYS = {"id", "weight"}


class FrameworkError(ValueError):
    """A framework file that cannot be used; the message is one line a user can act on."""


@dataclass(frozen=True)
class CheckWeight:
    check_id: str
    weight: float


@dataclass(frozen=True)
class Principle:
    id: str
    name: str
    definition: str
    name_en: str = ""
    definition_en: str = ""


@dataclass(frozen=True)
class Criterion:
    id: str
    principle_id: str
    title: str
    kind: str  # user | inclusion
    automation: str  # automated | partly_automated | manual
    checks: tuple[CheckWeight, ...] = ()
    title_en: str = ""
    question: str = ""
    official_ref: str = ""
    description: str = ""

    @property
    def total_weight(self) -> float:
        return sum(check.weight for check in self.checks)


@dataclass(frozen=True)
class Framework:
    id: str
    version: str
    name: str
    principles: tuple[Principle, ...]
    criteria: tuple[Criterion, ...]
    source: str = ""
    note: str = ""
    path: Optional[Path] = None

    def principle(self, principle_id: str) -> Principle:
        for principle in self.principles:
            if principle.id == principle_id:
                return principle
        raise KeyError(principle_id)

    def criteria_of(self, principle_id: str) -> list[Criterion]:
        return [criterion for criterion in self.criteria if criterion.principle_id == principle_id]

    def check_ids(self) -> set[str]:
        """Every check some criterion uses: the runner may skip checks no criterion needs."""
        return {check.check_id for criterion in self.criteria for check in criterion.checks}

    def criteria_using(self, check_id: str) -> list[Criterion]:
        """The criteria a check counts toward (a finding's criterion and principle in exports)."""
        return [c for c in self.criteria if any(ref.check_id == check_id for ref in c.checks)]


def default_framework_path() -> Path:
    return config_path("frameworks", DEFAULT_FRAMEWORK_FILE)


def bundled_framework(framework_id: str) -> Optional["Framework"]:
    """The framework of this id among the files shipped in ``configs/frameworks/``, or None
    (a run scored against a framework file from elsewhere); each file is read once."""
    return _bundled_frameworks().get(framework_id)


@lru_cache(maxsize=1)
def _bundled_frameworks() -> dict[str, "Framework"]:
    frameworks: dict[str, Framework] = {}
    for path in sorted(default_framework_path().parent.glob("*.toml")):
        framework = load_framework(path)
        frameworks.setdefault(framework.id, framework)
    return frameworks


# ----------------------------------------------------------------------------- loading

RegistryLike = Union[Mapping[str, Any], Collection[str]]


class _Reader:
    """Validation helpers that know which file they read, so every message names it."""

    def __init__(self, path: Path, text: str = "") -> None:
        self.path = path
        self.lines = text.splitlines()
        self.line = 0  # line of the table being read, for messages ("file:12: ...")

    def fail(self, message: str) -> FrameworkError:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return FrameworkError(f"{where}: {message}")

    def locate(self, key: str, value: str, after: int = 0) -> None:
        """Point messages at the line where ``key = "value"`` is written (at or after line
        ``after``): tomllib gives no positions, so the raw text is searched."""
        pattern = re.compile(rf'(^|[{{,\s]){re.escape(key)}\s*=\s*["\']{re.escape(value)}["\']')
        for number, line in enumerate(self.lines[max(after - 1, 0):], start=max(after, 1)):
            if pattern.search(line):
                self.line = number
                return

    def table(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"{where} must be a table")
        return value

    def no_unknown_keys(self, table: dict[str, Any], allowed: set[str], where: str) -> None:
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise self.fail(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")

    def text(self, table: dict[str, Any], key: str, where: str, *, required: bool) -> str:
        value = table.get(key)
        if value is None:
            if required:
                raise self.fail(f"{where}: missing {key!r}")
            return ""
        if not isinstance(value, str):
            raise self.fail(f"{where}: {key!r} must be a string")
        if required and not value.strip():
            raise self.fail(f"{where}: {key!r} is empty")
        return value.strip()

    def identifier(self, table: dict[str, Any], where: str) -> str:
        value = self.text(table, "id", where, required=True)
        if not _ID_PATTERN.match(value):
            raise self.fail(f"{where}: id {value!r} may only contain letters, digits, '.', '_' and '-'")
        return value


def _known_check_ids(registry: Optional[RegistryLike]) -> set[str]:
    if registry is None:
        from checks.registry import load_all

        return set(load_all())
    return set(registry.keys()) if isinstance(registry, Mapping) else set(registry)


def load_framework(path: Union[str, Path], registry: Optional[RegistryLike] = None) -> Framework:
    """Read and validate a framework file.

    ``registry`` is the check registry (``checks.registry.load_all()``) or a collection of check
    ids; every check a criterion names must be in it. ``None`` loads the real registry.
    """
    path = Path(path)
    reader = _Reader(path)
    try:
        raw_text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise reader.fail(f"cannot read the framework file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise reader.fail("the framework file is not UTF-8 text") from None
    try:
        data = tomllib.loads(raw_text)
    except tomllib.TOMLDecodeError as exc:
        raise reader.fail(f"TOML syntax error: {exc}") from None
    reader = _Reader(path, raw_text)
    known_checks = _known_check_ids(registry)

    reader.no_unknown_keys(data, _TOP_LEVEL_KEYS, "top level")
    meta = reader.table(data.get("framework"), "[framework]")
    reader.line = next((n for n, line in enumerate(reader.lines, 1) if line.strip() == "[framework]"), 0)
    reader.no_unknown_keys(meta, _FRAMEWORK_KEYS, "[framework]")
    framework_id = reader.identifier(meta, "[framework]")
    version = meta.get("version")
    if isinstance(version, (int, float)) and not isinstance(version, bool):
        version = str(version)
    if not isinstance(version, str) or not version.strip():
        raise reader.fail(f"[framework] {framework_id!r}: 'version' must be a non-empty string")

    reader.line = 0
    principles = _read_principles(reader, data.get("principles"))
    criteria = _read_criteria(reader, data.get("criteria"), {p.id for p in principles}, known_checks)
    return Framework(
        id=framework_id,
        version=version.strip(),
        name=reader.text(meta, "name", "[framework]", required=False) or framework_id,
        source=reader.text(meta, "source", "[framework]", required=False),
        note=reader.text(meta, "note", "[framework]", required=False),
        principles=principles,
        criteria=criteria,
        path=path,
    )


def _read_principles(reader: _Reader, raw: Any) -> tuple[Principle, ...]:
    if not isinstance(raw, list) or not raw:
        raise reader.fail("no [[principles]] defined")
    principles: list[Principle] = []
    seen: set[str] = set()
    for index, item in enumerate(raw, start=1):
        table = reader.table(item, f"principle #{index}")
        if isinstance(table.get("id"), str):
            reader.locate("id", table["id"], after=reader.line + 1)
        principle_id = reader.identifier(table, f"principle #{index}")
        where = f"principle {principle_id!r}"
        if principle_id in seen:
            raise reader.fail(f"duplicate principle id {principle_id!r}")
        seen.add(principle_id)
        reader.no_unknown_keys(table, _PRINCIPLE_KEYS, where)
        principles.append(Principle(
            id=principle_id,
            name=reader.text(table, "name", where, required=True),
            definition=reader.text(table, "definition", where, required=True),
            name_en=reader.text(table, "name_en", where, required=False),
            definition_en=reader.text(table, "definition_en", where, required=False),
        ))
    return tuple(principles)


def _read_weight(reader: _Reader, value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise reader.fail(f"{where}: weight must be a positive number, got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise reader.fail(f"{where}: weight must be a positive number, got {value!r}")
    return float(value)


def _read_check_refs(
    reader: _Reader, raw: Any, criterion_id: str, known_checks: set[str]
) -> tuple[CheckWeight, ...]:
    where = f"criterion {criterion_id!r}"
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise reader.fail(f"{where}: 'checks' must be a list of {{ id = ..., weight = ... }}")
    refs: list[CheckWeight] = []
    for item in raw:
        table = reader.table(item, f"{where}: each entry of 'checks'")
        reader.no_unknown_keys(table, _CHECK_REF_KEYS, f"{where} checks")
        check_id = reader.text(table, "id", f"{where} checks", required=True)
        criterion_line = reader.line
        reader.locate("id", check_id, after=criterion_line)
        if check_id not in known_checks:
            raise reader.fail(f"{where}: unknown check id {check_id!r}")
        if any(ref.check_id == check_id for ref in refs):
            raise reader.fail(f"{where}: check {check_id!r} is listed twice")
        if "weight" not in table:
            raise reader.fail(f"{where}: check {check_id!r} has no weight")
        refs.append(CheckWeight(check_id, _read_weight(reader, table["weight"], f"{where}, check {check_id!r}")))
        reader.line = criterion_line
    return tuple(refs)


def _read_criteria(
    reader: _Reader, raw: Any, principle_ids: set[str], known_checks: set[str]
) -> tuple[Criterion, ...]:
    if not isinstance(raw, list) or not raw:
        raise reader.fail("no [[criteria]] defined")
    criteria: list[Criterion] = []
    seen: set[str] = set()
    for index, item in enumerate(raw, start=1):
        table = reader.table(item, f"criterion #{index}")
        if isinstance(table.get("id"), str):
            reader.locate("id", table["id"], after=reader.line + 1)
        criterion_id = reader.identifier(table, f"criterion #{index}")
        where = f"criterion {criterion_id!r}"
        if criterion_id in seen:
            raise reader.fail(f"duplicate criterion id {criterion_id!r}")
        seen.add(criterion_id)
        reader.no_unknown_keys(table, _CRITERION_KEYS, where)

        principle_id = reader.text(table, "principle", where, required=True)
        if principle_id not in principle_ids:
            raise reader.fail(f"{where}: unknown principle {principle_id!r}")
        kind = reader.text(table, "kind", where, required=True)
        if kind not in KINDS:
            raise reader.fail(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
        automation = reader.text(table, "automation", where, required=True)
        if automation not in AUTOMATION_LEVELS:
            raise reader.fail(
                f"{where}: automation must be one of {', '.join(AUTOMATION_LEVELS)}, got {automation!r}"
            )
        checks = _read_check_refs(reader, table.get("checks"), criterion_id, known_checks)
        question = reader.text(table, "question", where, required=False)

        if automation == "automated" and not checks:
            raise reader.fail(f"{where}: automated criterion has no checks")
        if automation == "partly_automated" and not checks:
            raise reader.fail(f"{where}: partly_automated criterion has no checks (mark it manual)")
        if automation == "manual" and checks:
            raise reader.fail(f"{where}: manual criterion lists checks (mark it partly_automated)")
        if automation != "automated" and not question:
            raise reader.fail(f"{where}: {automation} criterion needs a 'question' a person answers")

        criteria.append(Criterion(
            id=criterion_id,
            principle_id=principle_id,
            title=reader.text(table, "title", where, required=True),
            kind=kind,
            automation=automation,
            checks=checks,
            title_en=reader.text(table, "title_en", where, required=False),
            question=question,
            official_ref=reader.text(table, "official_ref", where, required=False),
            description=reader.text(table, "description", where, required=False),
        ))
    return tuple(criteria)


# ----------------------------------------------------------------------------- display


@dataclass(frozen=True)
class FrameworkRow:
    """One criterion as a table row (``auditor criteria``)."""

    principle: str  # "P2 Gebruiker centraal"
    criterion_id: str
    title: str
    kind: str
    automation: str
    checks: tuple[CheckWeight, ...]

    @property
    def checks_text(self) -> str:
        """``axe-violations ×10, html-lang ×2``; a dash for manual criteria."""
        if not self.checks:
            return "—"
        return ", ".join(f"{ref.check_id} ×{ref.weight:g}" for ref in self.checks)


def framework_rows(framework: Framework) -> list[FrameworkRow]:
    """Criteria in principle order, for a table a person can read."""
    rows: list[FrameworkRow] = []
    for principle in framework.principles:
        for criterion in framework.criteria_of(principle.id):
            rows.append(FrameworkRow(
                principle=f"{principle.id} {principle.name}",
                criterion_id=criterion.id,
                title=criterion.title,
                kind=criterion.kind,
                automation=criterion.automation,
                checks=criterion.checks,
            ))
    return rows


def load_checks_and_framework(framework_path: Optional[str]) -> tuple[dict[str, Any], Framework]:
    """Every registered check and the framework (the default one without a path), validated
    against each other. Here rather than in ``auditor.run.site_audit`` so ``auditor rescore`` and
    ``auditor criteria`` do not import the browser and the probes."""
    from checks.registry import load_all

    checks = load_all()
    framework = load_framework(Path(framework_path) if framework_path else default_framework_path(), checks)
    return checks, framework
