"""Read a TOML configuration file, every failure as one line in the caller's own error type."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Iterator


def read_toml(path: Path, error: type[Exception], what: str) -> dict:
    """The parsed file; ``error("cannot read {what} {path}: …")`` or ``error("{what} {path} is
    not valid TOML: …")`` when it cannot be used."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"cannot read {what} {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise error(f"{what} {path} is not valid TOML: {exc}") from None


def check_text_fields(entry: dict, required: tuple[str, ...], optional: tuple[str, ...],
                      error: type[Exception], where: str) -> None:
    """``error("{where}: unknown field(s): …")`` for a field outside ``required`` and ``optional``,
    ``error("{where}: field 'x' must be a non-empty string")`` for a required one that is not."""
    unknown = set(entry) - set(required) - set(optional)
    if unknown:
        raise error(f"{where}: unknown field(s): {', '.join(sorted(unknown))}")
    for name in required:
        value = entry.get(name)
        if not isinstance(value, str) or not value.strip():
            raise error(f"{where}: field {name!r} must be a non-empty string")


def leaves(table: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every non-table value of a parsed TOML document with its dotted key
    (``[labels.values] ok = "…"`` → ``("labels.values.ok", "…")``)."""
    for key, value in table.items():
        if isinstance(value, dict):
            yield from leaves(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value
