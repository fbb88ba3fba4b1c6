"""The text catalogs of the checks: both languages agree, every check and every key a check
uses has its texts, and a broken catalog is refused in one line naming file and key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auditor.shared import texts
from auditor.shared.texts import TextCatalogError, catalog, placeholders, say
from checks.registry import load_all

CHECKS_DIR = Path(__file__).resolve().parents[2] / "checks"
# a key passed as a literal to the text functions: say("focus-visible.summary.fail", ...), or
# an f-string whose literal start names the keys' table: say(f"security-txt.finding.{rule}")
KEY_LITERAL = re.compile(r"""\b(?:say|t_en|t_nl)\(\s*["']([^"']+)["']""")
KEY_FSTRING = re.compile(r"""\b(?:say|t_en|t_nl)\(\s*f["']([^"'{]+)\{""")


def test_both_catalogs_have_the_same_keys_and_placeholders():
    en, nl = catalog("en"), catalog("nl")
    assert sorted(en) == sorted(nl)
    for key in en:
        assert placeholders(en[key]) == placeholders(nl[key]), key


def test_no_text_is_empty_and_english_and_dutch_differ_for_titles():
    for lang in ("en", "nl"):
        assert all(value.strip() for value in catalog(lang).values())
    en, nl = catalog("en"), catalog("nl")
    same = [key for key in en if key.endswith((".title", ".guidance")) and en[key] == nl[key]]
    assert same == []


def test_every_registered_check_has_its_titles_in_both_languages():
    registry = load_all()
    assert len(registry) >= 50
    for check_id, check in registry.items():
        assert check.title and check.title_nl and check.title != check.title_nl, check_id
        assert check.failure_title and check.failure_title_nl, check_id
        assert check.description, check_id
        assert f"{check_id}.title" in catalog("en"), check_id


def test_every_key_a_check_uses_exists():
    keys = set(catalog("en"))
    used = {key for path in CHECKS_DIR.glob("*.py") for key in KEY_LITERAL.findall(path.read_text("utf-8"))}
    assert len(used) > 20  # the scan finds the checks' keys at all
    assert sorted(used - keys) == []
    prefixes = {prefix for path in CHECKS_DIR.glob("*.py") for prefix in KEY_FSTRING.findall(path.read_text("utf-8"))}
    assert sorted(prefix for prefix in prefixes if not any(key.startswith(prefix) for key in keys)) == []


def test_text_fills_placeholders_in_both_languages():
    key = next(k for k, v in catalog("en").items() if placeholders(v))
    values = {name: 7 for name in placeholders(catalog("en")[key])}
    en, nl = say(key, **values)
    assert "7" in en and "7" in nl and "{" not in en + nl
    assert say(key, **values).fields("summary") == {"summary": en, "summary_nl": nl}


def test_unknown_key_and_missing_value_are_one_line_errors():
    with pytest.raises(TextCatalogError, match=r"checks\.en\.toml: key 'no-such-check\.title' is missing$"):
        say("no-such-check.title")
    key = next(k for k, v in catalog("en").items() if placeholders(v))
    with pytest.raises(TextCatalogError, match=r"placeholder \{\w+\} was not given a value$"):
        say(key)


def _write(folder: Path, en: str, nl: str) -> Path:
    (folder / "checks.en.toml").write_text(en, encoding="utf-8")
    (folder / "checks.nl.toml").write_text(nl, encoding="utf-8")
    return folder


@pytest.mark.parametrize("en, nl, message", [
    ('[a]\ntitle = "A"\n', '[a]\ntitle = "B"\ndescription = "C"\n',
     r"checks\.en\.toml: key 'a\.description' is missing"),
    ('[a]\ntitle = "{count} A"\n', '[a]\ntitle = "{total} B"\n',
     r"checks\.nl\.toml: key 'a\.title': unknown placeholder \{total\}"),
    ('[a]\ntitle = "A"\n', '[a]\ntitle = "   "\n', r"checks\.nl\.toml: key 'a\.title' must be a non-empty string"),
    ('[a]\ntitle = "A"\n', '[a]\ntitle = 3\n', r"checks\.nl\.toml: key 'a\.title' must be a non-empty string"),
    ('[a]\ntitle = "A {"\n', '[a]\ntitle = "B"\n', r"checks\.en\.toml: key 'a\.title': Single '\{'"),
    ('[a]\ntitle = "A {0}"\n', '[a]\ntitle = "B {0}"\n', r"key 'a\.title': placeholder \{0\} is not a name"),
    ('[a\ntitle = "A"\n', '[a]\ntitle = "B"\n', r"checks\.en\.toml is not valid TOML"),
    ('[a]\nguidance_url = "https://x"\n', '[a]\nguidance_url = "https://y"\n',
     r"key 'a\.guidance_url' differs between the languages"),
])
def test_a_broken_catalog_is_refused_in_one_line(tmp_path, en, nl, message):
    folder = _write(tmp_path, en, nl)
    with pytest.raises(TextCatalogError, match=message) as raised:
        texts.catalog("en", folder)
    assert "\n" not in str(raised.value)
    assert str(folder) in str(raised.value)


def test_a_missing_catalog_is_refused_in_one_line(tmp_path):
    with pytest.raises(TextCatalogError, match=r"cannot read text catalog .*checks\.en\.toml"):
        texts.catalog("en", tmp_path)
