"""The framework loader: a valid file loads, every kind of mistake is refused with one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.score.framework import (
    Framework,
    FrameworkError,
    default_framework_path,
    framework_rows,
    load_framework,
)
from checks.registry import load_all

KNOWN_CHECKS = {"axe-violations", "html-lang", "https-everywhere"}

VALID = """
[framework]
id = "test-framework"
version = "1.2"

[[principles]]
id = "P1"
name = "Standaard digitaal"
definition = "Onze dienstverlening evolueert."

[[principles]]
id = "P2"
name = "Gebruiker centraal"
definition = "De noden van alle gebruikers staan centraal."

[[criteria]]
id = "P2-I-01"
principle = "P2"
title = "Toegankelijk"
kind = "inclusion"
automation = "partly_automated"
question = "Did an expert confirm it?"
checks = [{ id = "axe-violations", weight = 10 }, { id = "html-lang", weight = 2.5 }]

[[criteria]]
id = "P1-G-01"
principle = "P1"
title = "Volledig online"
kind = "user"
automation = "manual"
question = "Can it be completed online?"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "framework.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_file_loads_into_principles_and_criteria(tmp_path):
    framework = load_framework(write(tmp_path, VALID), KNOWN_CHECKS)
    assert isinstance(framework, Framework)
    assert (framework.id, framework.version) == ("test-framework", "1.2")
    assert [p.id for p in framework.principles] == ["P1", "P2"]
    accessible = framework.criteria[0]
    assert accessible.principle_id == "P2"
    assert [(c.check_id, c.weight) for c in accessible.checks] == [("axe-violations", 10.0), ("html-lang", 2.5)]
    assert accessible.total_weight == 12.5
    assert framework.criteria[1].checks == ()
    assert framework.check_ids() == {"axe-violations", "html-lang"}
    assert [c.id for c in framework.criteria_using("html-lang")] == ["P2-I-01"]


def test_rows_follow_principle_order_for_the_criteria_table(tmp_path):
    rows = framework_rows(load_framework(write(tmp_path, VALID), KNOWN_CHECKS))
    assert [(r.principle, r.criterion_id) for r in rows] == [
        ("P1 Standaard digitaal", "P1-G-01"), ("P2 Gebruiker centraal", "P2-I-01")]
    assert rows[0].checks_text == "—"
    assert rows[1].checks_text == "axe-violations ×10, html-lang ×2.5"
    assert rows[1].automation == "partly_automated"


INVALID_CASES = {
    "unknown check": (
        ('{ id = "html-lang", weight = 2.5 }', '{ id = "html-langg", weight = 2.5 }'),
        "criterion 'P2-I-01': unknown check id 'html-langg'",
    ),
    "zero weight": (
        ("weight = 2.5", "weight = 0"), "criterion 'P2-I-01', check 'html-lang': weight must be a positive number",
    ),
    "negative weight": (("weight = 2.5", "weight = -1"), "weight must be a positive number, got -1"),
    "text weight": (('weight = 2.5', 'weight = "heavy"'), "weight must be a positive number, got 'heavy'"),
    "boolean weight": (("weight = 2.5", "weight = true"), "weight must be a positive number, got True"),
    "missing weight": ((', weight = 2.5', ''), "check 'html-lang' has no weight"),
    "duplicate criterion": (('id = "P1-G-01"', 'id = "P2-I-01"'), "duplicate criterion id 'P2-I-01'"),
    "duplicate principle": (('id = "P2"\nname', 'id = "P1"\nname'), "duplicate principle id 'P1'"),
    "unknown principle": (('principle = "P1"', 'principle = "P9"'), "criterion 'P1-G-01': unknown principle 'P9'"),
    "automated without checks": (
        ('automation = "manual"', 'automation = "automated"'), "criterion 'P1-G-01': automated criterion has no checks",
    ),
    "manual with checks": (
        ('automation = "partly_automated"', 'automation = "manual"'), "manual criterion lists checks",
    ),
    "partly without question": (
        ('question = "Did an expert confirm it?"\n', ''), "partly_automated criterion needs a 'question'",
    ),
    "bad kind": (('kind = "user"', 'kind = "citizen"'), "kind must be one of user, inclusion, got 'citizen'"),
    "bad automation": (('automation = "manual"', 'automation = "by hand"'), "automation must be one of"),
    "misspelt key": (('title = "Volledig online"', 'titel = "Volledig online"'), "unknown key 'titel'"),
    "check listed twice": (
        ('{ id = "html-lang", weight = 2.5 }', '{ id = "axe-violations", weight = 2.5 }'),
        "check 'axe-violations' is listed twice",
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID_CASES))
def test_invalid_framework_is_refused_with_a_one_line_message(tmp_path, case):
    (old, new), expected = INVALID_CASES[case]
    assert old in VALID, "the test's replacement must apply"
    path = write(tmp_path, VALID.replace(old, new, 1))
    with pytest.raises(FrameworkError) as caught:
        load_framework(path, KNOWN_CHECKS)
    message = str(caught.value)
    assert expected in message
    assert message.startswith(str(path))
    assert "\n" not in message


def test_toml_syntax_error_names_the_line(tmp_path):
    broken_line = VALID.splitlines().index('title = "Toegankelijk"') + 1
    path = write(tmp_path, VALID.replace('title = "Toegankelijk"', 'title = "Toegankelijk'))
    with pytest.raises(FrameworkError) as caught:
        load_framework(path, KNOWN_CHECKS)
    message = str(caught.value)
    assert "TOML syntax error" in message and f"line {broken_line}" in message
    assert "\n" not in message


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(FrameworkError, match="cannot read"):
        load_framework(tmp_path / "nope.toml", KNOWN_CHECKS)


def test_registry_mapping_is_accepted_like_a_set_of_ids(tmp_path):
    registry = {check_id: object() for check_id in KNOWN_CHECKS}
    assert load_framework(write(tmp_path, VALID), registry).id == "test-framework"


# ----------------------------------------------------------------------------- the shipped file


def test_shipped_framework_validates_against_the_real_registry():
    registry = load_all()
    framework = load_framework(default_framework_path(), registry)
    assert framework.id == "dienstverleningsstrategie"
    assert [p.id for p in framework.principles] == ["P1", "P2", "P3", "P4", "P5"]
    assert [p.name for p in framework.principles] == [
        "Standaard digitaal", "Gebruiker centraal", "Digitaal herdacht", "Datagedreven", "Betrouwbaar"]
    # the official definitions are quoted, not paraphrased
    assert framework.principle("P5").definition.startswith("De digitale dienstverlening is herkenbaar, veilig")
    for principle in framework.principles:
        kinds = {c.kind for c in framework.criteria_of(principle.id)}
        assert kinds == {"user", "inclusion"}, f"{principle.id} needs user and inclusion criteria"
    automations = {c.automation for c in framework.criteria}
    assert automations == {"automated", "partly_automated", "manual"}
    assert all(c.question for c in framework.criteria if c.automation != "automated")
    # every check this issue ships counts toward some criterion
    shipped = {"axe-violations", "axe-needs-review", "html-lang", "page-title", "viewport-meta",
               "https-everywhere", "broken-links", "accessibility-statement-linked",
               "privacy-statement-linked", "contact-page-linked", "structured-data"}
    assert shipped <= framework.check_ids()


def test_shipped_file_says_its_criteria_are_not_the_official_text():
    header = default_framework_path().read_text(encoding="utf-8")[:2000]
    assert "NOT the official criteria text" in header
    assert "Bijlage 1" in header


# ----------------------------------------------------------------------------- line-precise messages

LINE_CASE = """[framework]
id = "x"
version = "1"
name = "x"

[[principles]]
id = "P1"
name = "a"
definition = "d"

[[criteria]]
id = "C1"
principle = "P1"
title = "t"
kind = "user"
automation = "automated"
checks = [{ id = "html-lang", weight = 1 },
          { id = "CHECK", weight = WEIGHT }]

[[criteria]]
id = "DUP"
principle = "P1"
title = "t"
kind = "user"
automation = "automated"
checks = [{ id = "html-lang", weight = 1 }]
"""


@pytest.mark.parametrize(
    "check, weight, duplicate, line, words",
    [
        ("no-such-check", "1", "C2", 18, "unknown check id 'no-such-check'"),
        ("page-title", "0", "C2", 18, "weight must be a positive number"),
        ("page-title", "1", "C1", 21, "duplicate criterion id 'C1'"),
    ],
)
def test_messages_name_the_line(tmp_path, check, weight, duplicate, line, words):
    path = tmp_path / "framework.toml"
    path.write_text(LINE_CASE.replace("CHECK", check).replace("WEIGHT", weight).replace("DUP", duplicate))
    with pytest.raises(FrameworkError) as error:
        load_framework(path, {"html-lang", "page-title"})
    assert str(error.value).startswith(f"{path}:{line}: ")
    assert words in str(error.value)


def test_second_example_framework_loads_against_the_real_registry():
    from checks.registry import load_all

    path = default_framework_path().parent / "wad-monitoring.toml"
    framework = load_framework(path, load_all())
    assert framework.id == "wad-monitoring"
    assert {p.id for p in framework.principles} == {"W1", "W2", "W3", "W4", "WS"}
    assert any(c.automation == "manual" for c in framework.criteria)


def test_every_check_of_the_project_is_mapped_in_the_shipped_framework():
    """Issue 8: the framework file is the single source of truth, so no check runs unmapped."""
    registry = load_all()
    framework = load_framework(default_framework_path(), registry)
    assert set(registry) - framework.check_ids() == set()
    assert all(c.automation in ("automated", "partly_automated", "manual") for c in framework.criteria)
