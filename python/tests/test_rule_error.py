import deboil
import pytest

from conftest import MARKER_RULE, write_rules

BAD_REGEX = """\
[[rule]]
id = "test-bad-regex"
category = "promo"
kind = "line"
description = "A rule with a bad regex."
pattern = '^(unclosed$'
"""


def test_bad_regex(tmp_path):
    path = write_rules(tmp_path / "bad.toml", BAD_REGEX)
    with pytest.raises(deboil.RuleError) as info:
        deboil.Cleaner(rules=path)
    e = info.value
    assert isinstance(e, ValueError)
    assert e.file == str(path)
    assert e.line == 6
    assert e.column == 11
    assert e.rule == "test-bad-regex"
    assert "regex" in e.message
    assert str(e).startswith(f"{path}:6:11: rule \"test-bad-regex\"")


def test_toml_syntax_error(tmp_path):
    path = write_rules(tmp_path / "syntax.toml", "[[rule]]\nid = \n")
    with pytest.raises(deboil.RuleError) as info:
        deboil.Cleaner(rules=[path], default_rules=False)
    e = info.value
    assert e.file == str(path) and e.line == 2 and e.column is not None
    assert e.rule is None and e.message


def test_duplicate_id(tmp_path):
    write_rules(tmp_path / "a.toml", MARKER_RULE)
    write_rules(tmp_path / "b.toml", MARKER_RULE)
    with pytest.raises(deboil.RuleError) as info:
        deboil.Cleaner(rules=tmp_path, default_rules=False)
    e = info.value
    assert e.rule == "test-zz-marker" and e.file.endswith("b.toml") and "duplicate id" in e.message


def test_missing_and_empty(tmp_path):
    with pytest.raises(deboil.RuleError) as info:
        deboil.Cleaner(rules=tmp_path / "missing.toml")
    assert info.value.file == str(tmp_path / "missing.toml")
    assert info.value.line is None and info.value.rule is None
    assert "cannot read" in str(info.value)
    (tmp_path / "empty").mkdir()
    with pytest.raises(deboil.RuleError, match="no rules found") as info:
        deboil.Cleaner(rules=tmp_path / "empty")
    assert info.value.file == str(tmp_path / "empty")


def test_bad_rules_argument():
    with pytest.raises(TypeError, match=r"rules\[1\]"):
        deboil.Cleaner(rules=["a.toml", 5])
