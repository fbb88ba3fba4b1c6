"""The text of the reports, one TOML file per language: ``reports/labels/<lang>.toml``.

Every file has the same keys (sections ``calendar``, ``labels``, ``values``, ``portfolio`` and
``diff``); every value is a non-empty string, except ``calendar.months`` (twelve of them). The
loader is strict, so a translator's slip stops the first report instead of showing a key or an
empty cell: a broken file, a wrong shape or a key one language lacks is a :class:`LabelError`
whose message is one line naming the file and the key. The files are read once per process.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from auditor.shared.toml_file import leaves

__all__ = ["LABELS_DIR", "LANGUAGES", "Catalog", "LabelError", "Texts", "catalog", "load_catalogs"]

LANGUAGES = ("nl", "en")
LABELS_DIR = Path(__file__).parent / "labels"
SECTIONS = ("calendar", "labels", "values", "portfolio", "diff")
MONTHS = 12


class LabelError(ValueError):
    """A label file is broken or lacks a key; the message names the file and the key."""


class Texts(dict):
    """Labels of one section; a key it lacks is a :class:`LabelError` naming the file and the key
    (a ``KeyError`` would reach a template as a vague "undefined")."""

    def __init__(self, data: dict[str, Any], path: Path, section: str):
        super().__init__(data)
        self.path = path
        self.section = section

    def __missing__(self, key: str) -> Any:
        raise LabelError(f"{self.path}: no key {self.section}.{key}")


@dataclass(frozen=True)
class Catalog:
    """The report text of one language."""

    lang: str
    path: Path
    data: dict[str, Any]

    def section(self, name: str) -> Texts:
        return Texts(self.data[name], self.path, name)

    @property
    def labels(self) -> Texts:
        return self.section("labels")

    @property
    def values(self) -> dict[str, dict[str, str]]:
        return self.data["values"]

    @property
    def months(self) -> tuple[str, ...]:
        return tuple(self.data["calendar"]["months"])


def catalog(lang: str) -> Catalog:
    """The report text in ``lang`` (one of :data:`LANGUAGES`)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown report language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return load_catalogs(LABELS_DIR)[lang]


@lru_cache(maxsize=4)
def load_catalogs(directory: Path) -> dict[str, Catalog]:
    """Every language's file in ``directory``, checked on its own and against the others."""
    catalogs = {lang: _load(directory / f"{lang}.toml", lang) for lang in LANGUAGES}
    keys = {lang: {key for key, _ in leaves(c.data)} for lang, c in catalogs.items()}
    for lang, c in catalogs.items():
        for other in LANGUAGES:
            missing = sorted(keys[other] - keys[lang])
            if missing:
                more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
                raise LabelError(f"{c.path}: missing key {missing[0]}{more}, which {other}.toml has")
    return catalogs


def _load(path: Path, lang: str) -> Catalog:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelError(f"{path}: cannot read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LabelError(f"{path}: not valid TOML: {exc}") from None
    for name in SECTIONS:
        if not isinstance(data.get(name), dict):
            raise LabelError(f"{path}: missing key {name} (a table)")
    months = data["calendar"].get("months")
    if not (isinstance(months, list) and len(months) == MONTHS and all(_text(m) for m in months)):
        raise LabelError(f"{path}: key calendar.months must list {MONTHS} month names")
    for key, value in leaves(data):
        if key != "calendar.months" and not _text(value):
            raise LabelError(f"{path}: key {key} must be a non-empty string")
    return Catalog(lang, path, data)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())
