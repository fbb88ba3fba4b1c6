"""The texts of the checks, in English and Dutch: read from ``configs/texts/checks.<lang>.toml``.

Each catalog holds one table per check id: its metadata texts (``title``, ``failure_title``,
``description``, ``guidance``, ``guidance_url``) and keyed texts for its findings and summaries,
with named placeholders in ``str.format`` style (``"{count} of {total} images"``). Both catalogs
have the same keys and, per key, the same placeholders; tables nest, so ``"focus-visible.summary.fail"``
is key ``fail`` of table ``[focus-visible.summary]``. A check asks for a key and gets both
languages at once::

    from auditor.shared.texts import say
    page_result(..., **say("focus-visible.summary.fail", invisible=3, total=9).fields("summary"))

A value may itself be a ``Text`` (a word that differs per language, such as the site's kind):
each language's text is filled with that language's word.

Texts shared by the checks of one module live in ``[family.<module>]`` (``family.tls``), the
words for the site's kind and audiences in ``[site]``. Values measured on the site (numbers,
hosts, page titles) are placeholders, never part of a key.

``t_en(key, ...)`` gives the English text alone, for what result.json has only ever carried in
English: the summaries of checks that gave no Dutch one, and evidence (what was seen, what was
expected). Their Dutch text waits in the catalog until a report is meant to show it; the call
then becomes ``say`` and the result field gets its ``_nl`` twin.
A catalog that cannot be used (broken TOML, a key in one language only, a placeholder the other
language lacks, an empty text) raises ``TextCatalogError`` with one line naming file and key; a
key a check asks for that is missing, or a placeholder it does not fill, does the same.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from auditor.shared.paths import config_path
from auditor.shared.toml_file import leaves, read_toml

__all__ = ["LANGUAGES", "Text", "TextCatalogError", "catalog", "catalog_path", "check_texts",
           "joined", "placeholders", "say", "t_en", "t_nl"]

LANGUAGES = ("en", "nl")
# the metadata texts a check's table holds (``guidance_url`` is a link, the same in both files)
METADATA_KEYS = ("title", "failure_title", "description", "guidance", "guidance_url")


class TextCatalogError(ValueError):
    """A text catalog cannot be used, or a check asked for a text it does not hold; one line."""


class Text(NamedTuple):
    """One text in both languages."""

    en: str
    nl: str

    def fields(self, name: str) -> dict[str, str]:
        """``{name: en, name_nl: nl}``: the keyword arguments of a result or finding field."""
        return {name: self.en, f"{name}_nl": self.nl}


def catalog_path(lang: str, folder: Path | None = None) -> Path:
    return (folder or config_path("texts")) / f"checks.{lang}.toml"


def placeholders(value: str) -> frozenset[str]:
    """The named placeholders of a text (``{count}`` → ``count``)."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(value) if name)


def _read(path: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    for key, value in leaves(read_toml(path, TextCatalogError, "text catalog")):
        if not isinstance(value, str) or not value.strip():
            raise TextCatalogError(f"text catalog {path}: key {key!r} must be a non-empty string")
        texts[key] = value
    for key, value in texts.items():
        try:
            names = placeholders(value)
        except ValueError as exc:  # a lone "{" or "}"
            raise TextCatalogError(f"text catalog {path}: key {key!r}: {exc}") from None
        bad = [name for name in names if not name.isidentifier()]
        if bad:
            raise TextCatalogError(f"text catalog {path}: key {key!r}: placeholder {{{bad[0]}}} is not a name")
    return texts


@lru_cache(maxsize=4)
def _catalogs(folder: Path | None = None) -> dict[str, dict[str, str]]:
    """Both catalogs, checked against each other: same keys, same placeholders per key."""
    catalogs = {lang: _read(catalog_path(lang, folder)) for lang in LANGUAGES}
    first, *others = LANGUAGES
    for lang in others:
        for key in sorted(set(catalogs[first]) ^ set(catalogs[lang])):
            missing_in = lang if key in catalogs[first] else first
            raise TextCatalogError(f"text catalog {catalog_path(missing_in, folder)}: key {key!r} is missing")
        for key, value in catalogs[first].items():
            ours, theirs = placeholders(value), placeholders(catalogs[lang][key])
            if ours != theirs:
                extra = sorted(theirs - ours) or sorted(ours - theirs)
                where = catalog_path(lang if theirs - ours else first, folder)
                raise TextCatalogError(f"text catalog {where}: key {key!r}: unknown placeholder {{{extra[0]}}}")
            if key.endswith(".guidance_url") and value != catalogs[lang][key]:
                raise TextCatalogError(f"text catalog {catalog_path(lang, folder)}: key {key!r} differs "
                                       f"between the languages")
    return catalogs


def catalog(lang: str, folder: Path | None = None) -> dict[str, str]:
    """Every dotted key of one language's catalog and its text."""
    if lang not in LANGUAGES:
        raise TextCatalogError(f"no text catalog for language {lang!r}")
    return _catalogs(folder)[lang]


def _format(lang: str, key: str, values: dict[str, Any]) -> str:
    texts = catalog(lang)
    values = {name: getattr(value, lang) if isinstance(value, Text) else value for name, value in values.items()}
    try:
        template = texts[key]
    except KeyError:
        raise TextCatalogError(f"text catalog {catalog_path(lang)}: key {key!r} is missing") from None
    try:
        return template.format(**values)
    except KeyError as exc:
        raise TextCatalogError(f"text catalog {catalog_path(lang)}: key {key!r}: placeholder "
                               f"{{{exc.args[0]}}} was not given a value") from None


def say(key: str, **values: Any) -> Text:
    """The text of ``key`` in English and Dutch, its placeholders filled from ``values``."""
    return Text(_format("en", key, values), _format("nl", key, values))


def t_en(key: str, **values: Any) -> str:
    return _format("en", key, values)


def t_nl(key: str, **values: Any) -> str:
    return _format("nl", key, values)


def check_texts(check_id: str, **values: Any) -> dict[str, Text]:
    """A check's metadata texts found in the catalogs (``title``, ``failure_title``,
    ``description``, ``guidance``, ``guidance_url``), placeholders filled from ``values`` (a
    description may quote the check's thresholds); absent ones are left out."""
    texts = catalog("en")
    return {name: say(f"{check_id}.{name}", **values) for name in METADATA_KEYS if f"{check_id}.{name}" in texts}


def joined(parts: list[Text], separator: str) -> Text:
    """Texts put one after the other, in each language: ``joined(parts, "; ")``."""
    return Text(separator.join(part.en for part in parts), separator.join(part.nl for part in parts))
