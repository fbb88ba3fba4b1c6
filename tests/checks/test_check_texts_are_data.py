"""The words a check shows to people come from the text catalogs, not from Python literals: a
string of two or more words in a check module is a key, a pattern, a docstring or one of the
few listed exceptions (word lists matched against the page, values that are identifiers)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

CHECKS_DIR = Path(__file__).resolve().parents[2] / "checks"
WORDS = re.compile(r"[a-z]{2,} [a-z]{2,}")
REGEX = re.compile(r"\\[sbdw]|\(\?")
# calls whose string arguments are keys, patterns or internal errors, never shown as literal text
NOT_SHOWN = {"say", "t_en", "t_nl", "compile", "_rx", "search", "match", "fullmatch", "sub", "split",
             "findall", "TextCatalogError", "ValueError", "DuplicateCheckError"}
EXCEPTIONS = {
    # the 'source' identifier in the cookie checks' details (result.json), compared in code
    ("cookie_statement.py", "cookie statement"),
    ("cookie_statement.py", "privacy statement"),
    # markup rebuilt as evidence snippet
    ("mobile.py", '<meta name="viewport" content="'),
}


def _literal_texts(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text("utf-8"))
    ignored: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant):
            ignored.add(id(body[0].value))  # a docstring
        called = ((getattr(node.func, "id", None) or getattr(node.func, "attr", None))
                  if isinstance(node, ast.Call) else None)
        if called in NOT_SHOWN:
            ignored.update(id(sub) for sub in ast.walk(node) if sub is not node)
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) else [])
        if any(getattr(target, "id", "") == "GENERIC_LINK_TEXTS" for target in targets):
            ignored.update(id(sub) for sub in ast.walk(node.value))  # matched against link texts
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in ignored
            and WORDS.search(node.value) and not REGEX.search(node.value)
            and (path.name, node.value) not in EXCEPTIONS]


def test_no_check_module_holds_text_of_several_words_as_a_literal():
    found = [f"{path.name}:{line}: {text!r}" for path in sorted(CHECKS_DIR.glob("*.py"))
             for line, text in _literal_texts(path)]
    assert found == []


def test_the_scan_finds_a_literal_text(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text('"""Doc string of words."""\n'
                      'def f(x):\n    return Evidence(value=f"text cut off at {x} px", expected=t_en("a.b"))\n')
    assert [text for _, text in _literal_texts(module)] == ["text cut off at "]
