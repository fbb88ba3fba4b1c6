"""The report text files (reports/labels/<lang>.toml) and their strict loader (reports/labels.py)."""

from __future__ import annotations

import re
import shutil
import string
import tomllib
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
from markupsafe import escape

from auditor.shared.paths import PROJECT_ROOT
from reports.diff_report import render_diff_text
from reports.html_report import render_html
from reports.labels import LABELS_DIR, LANGUAGES, LabelError, catalog, load_catalogs
from tests.fixtures.sample_report import sample_report

REPORTS = PROJECT_ROOT / "reports"
TEMPLATES = REPORTS / "templates"


def _leaves(data: dict, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(_leaves(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _file(lang: str) -> dict[str, object]:
    return _leaves(tomllib.loads((LABELS_DIR / f"{lang}.toml").read_text(encoding="utf-8")))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# --------------------------------------------------------------------------- the files


def test_every_key_exists_in_every_language():
    keys = {lang: set(_file(lang)) for lang in LANGUAGES}
    assert len(keys["nl"]) > 250  # the tables were read, nested keys included
    assert "values.outcome.pass" in keys["nl"] and "labels.wcag_principles.robust" in keys["nl"]
    for lang in LANGUAGES:
        for other in LANGUAGES:
            assert keys[other] - keys[lang] == set(), f"{lang}.toml lacks keys {other}.toml has"


def test_no_value_is_empty_and_placeholders_agree():
    files = {lang: _file(lang) for lang in LANGUAGES}
    for lang, leaves in files.items():
        for key, value in leaves.items():
            values = value if isinstance(value, list) else [value]
            assert values and all(isinstance(v, str) and v.strip() for v in values), f"{lang}.toml: {key}"
    # a translation that drops or renames a {placeholder} would raise or lose a number at render time
    for key, value in files["nl"].items():
        if isinstance(value, str):
            assert _fields(value) == _fields(files["en"][key]), key


def test_months_are_twelve_names():
    assert catalog("nl").months[2] == "maart" and catalog("en").months[11] == "December"
    assert all(len(catalog(lang).months) == 12 for lang in LANGUAGES)


# --------------------------------------------------------------------------- the loader


@pytest.fixture
def label_dir(tmp_path):
    for lang in LANGUAGES:
        shutil.copy(LABELS_DIR / f"{lang}.toml", tmp_path / f"{lang}.toml")
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_loader_accepts_a_copy(label_dir):
    assert load_catalogs(label_dir)["en"].labels["fix_more"] == "More guidance ({host})"


def test_loader_rejects_a_missing_key_in_one_line(label_dir):
    _edit(label_dir / "en.toml", 'fix_more = "More guidance ({host})"\n', "")
    with pytest.raises(LabelError) as caught:
        load_catalogs(label_dir)
    message = str(caught.value)
    assert "\n" not in message
    assert str(label_dir / "en.toml") in message and "labels.fix_more" in message


def test_loader_rejects_a_missing_nested_key(label_dir):
    _edit(label_dir / "nl.toml", 'robust = "Robuust"\n', "")
    with pytest.raises(LabelError, match=r"nl\.toml: missing key labels\.wcag_principles\.robust"):
        load_catalogs(label_dir)


def test_loader_rejects_bad_toml_in_one_line(label_dir):
    _edit(label_dir / "nl.toml", 'toc = "Inhoud"', 'toc = "Inhoud')
    with pytest.raises(LabelError) as caught:
        load_catalogs(label_dir)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{label_dir / 'nl.toml'}: not valid TOML") and "line" in message


def test_loader_rejects_an_empty_value_and_a_missing_file(label_dir):
    _edit(label_dir / "en.toml", 'toc = "Contents"', 'toc = " "')
    with pytest.raises(LabelError, match=r"en\.toml: key labels\.toc must be a non-empty string"):
        load_catalogs(label_dir)
    (label_dir / "en.toml").unlink()
    with pytest.raises(LabelError, match=r"en\.toml: cannot read"):
        load_catalogs(label_dir)


def test_an_unknown_key_at_render_time_names_the_file():
    with pytest.raises(LabelError, match=r"nl\.toml: no key labels\.no_such_label"):
        catalog("nl").labels["no_such_label"]
    with pytest.raises(ValueError, match="unknown report language"):
        catalog("fr")


# --------------------------------------------------------------------------- keys in use


def _keys_used() -> dict[str, set[str]]:
    """Label keys the templates and renderers name literally, by the section they read."""
    used: dict[str, set[str]] = {"labels": set(), "values": set(), "portfolio": set(), "diff": set()}
    report_templates = "".join(p.read_text(encoding="utf-8") for p in TEMPLATES.glob("*.j2")
                               if p.name != "portfolio.html.j2")
    used["labels"] |= set(re.findall(r"""\btr\(\s*["'](\w+)["']\s*[,)]""", report_templates))
    used["labels"] |= set(re.findall(r"""f\.t\[["'](\w+)["']\]""", report_templates))
    used["values"] |= set(re.findall(r"""f\.value\(\s*["'](\w+)["']""", report_templates))
    # tr("data_" ~ key) if key in ("trackerdb", "consent_rules")
    for prefix, names in re.findall(r"""tr\(["'](\w+)["']\s*~\s*\w+\)\s*if\s+\w+\s+in\s+\(([^)]*)\)""",
                                    report_templates):
        used["labels"] |= {prefix + name for name in re.findall(r"""["'](\w+)["']""", names)}
    used["portfolio"] |= set(re.findall(r"\bt\.(\w+)", (TEMPLATES / "portfolio.html.j2").read_text(encoding="utf-8")))

    html = (REPORTS / "html_report.py").read_text(encoding="utf-8")
    used["labels"] |= set(re.findall(r"""\btr\(\s*["'](\w+)["']""", html))
    used["labels"] |= set(re.findall(r"""self\.t\[["'](\w+)["']\]""", html))
    used["values"] |= set(re.findall(r"""\.value\(\s*["'](\w+)["']""", html))
    # fix links are worded by kind: tr(f"fix_{fix.kind}"); the kinds are FixLink's first argument
    how_to_fix = (REPORTS / "how_to_fix.py").read_text(encoding="utf-8")
    for call in re.findall(r"FixLink\((.*)\)", how_to_fix):
        head = call.split(",")[0]
        used["labels"] |= {f"fix_{kind}" for kind in re.findall(r"""["'](\w+)["']""", head)}
    portfolio = (REPORTS / "portfolio.py").read_text(encoding="utf-8")
    used["portfolio"] |= set(re.findall(r"""\bt\[["'](\w+)["']\]""", portfolio))
    used["values"] |= set(re.findall(r"""values\[["'](\w+)["']\]""", portfolio))
    diff = (REPORTS / "diff_report.py").read_text(encoding="utf-8")
    used["diff"] |= set(re.findall(r"""\bt\[["'](\w+)["']\]""", diff))
    return used


def test_every_key_the_templates_and_renderers_name_exists():
    used = _keys_used()
    # the extraction found what it looks for, so an empty result cannot pass silently
    assert len(used["labels"]) > 150 and {"fix_rule_deque", "fix_understanding", "data_trackerdb"} <= used["labels"]
    assert {"outcome", "severity", "skip_reason", "site_kind", "audience"} <= used["values"]
    assert {"league", "intro", "overall_score"} <= used["portfolio"] and {"header", "levels"} <= used["diff"]
    for lang in LANGUAGES:
        labels = catalog(lang)
        portfolio = {**labels.data["labels"], **labels.data["portfolio"]}
        assert used["labels"] - set(labels.data["labels"]) == set(), lang
        assert used["values"] - set(labels.data["values"]) == set(), lang
        assert used["portfolio"] - set(portfolio) == set(), lang
        assert used["diff"] - set(labels.data["diff"]) == set(), lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sample_report_renders_in_every_language(lang):
    html = render_html(sample_report(), lang=lang)  # a label the report names but lacks raises LabelError
    labels = catalog(lang).labels
    for key in ("summary", "wcag_title", "pages", "method"):
        assert str(escape(labels[key])) in html, key


def _diff(**changes):
    run = SimpleNamespace(run_id="r1", started_at=datetime(2025, 3, 14, 9, 30, tzinfo=timezone.utc),
                          score=0.5, partial=False)
    later = SimpleNamespace(run_id="r2", started_at=None, score=0.75, partial=True)
    change = SimpleNamespace(severity="serious", check_id="a11y.axe", rule="image-alt", title="Images need alt",
                             first_page="https://example.org/", occurrences_before=1, occurrences_after=3)
    moved = SimpleNamespace(level="criterion", ref_id="C1", title="Toegankelijk", before=0.5, after=1.0,
                            outcome_before=None, outcome_after=None)
    return SimpleNamespace(site_key="example.org", before=run, after=later, method_differences=["axe 4.9 → 4.10"],
                           new=[change], fixed=[change], persisting=[change], score_changes=[moved], **changes)


def test_diff_text_in_both_languages():
    english = render_diff_text(_diff())
    assert english.splitlines()[:2] == ["Site example.org: run r1 (2025-03-14 09:30 UTC) → run r2 (?)",
                                        "Overall score: 50 → 75 (+25)"]
    assert "New:\n  + [serious] a11y.axe/image-alt: Images need alt (e.g. https://example.org/)\n" in english
    assert "  criterion C1 Toegankelijk: 50 → 100 (+50)" in english
    dutch = render_diff_text(_diff(), lang="nl")
    assert "Totaalscore: 50 → 75 (+25)" in dutch and "  criterium C1 Toegankelijk: 50 → 100 (+50)" in dutch
    assert "Overall score" not in dutch
