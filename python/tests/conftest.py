from pathlib import Path

import pytest

import deboil

PYTHON_DIR = Path(__file__).resolve().parents[1]
REPO = PYTHON_DIR.parent
FIXTURE_DOCS = REPO / "tests" / "fixtures" / "docs"

CREDIT_DOC = "Troops crossed the river at dawn, officials said.\nREUTERS/Jane Doe\n"


@pytest.fixture(scope="session")
def cleaner() -> deboil.Cleaner:
    # The guard off, as the tests clean short documents that are mostly junk.
    return deboil.Cleaner(max_removed=None)


@pytest.fixture(scope="session")
def fixture_texts() -> list[str]:
    paths = sorted(FIXTURE_DOCS.glob("*.txt"))
    assert paths, f"no fixture documents under {FIXTURE_DOCS}"
    return [p.read_text(encoding="utf-8") for p in paths]


def write_rules(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


MARKER_RULE = """
[[rule]]
id = "test-zz-marker"
category = "promo"
kind = "line"
description = "A test marker line."
pattern = '^ZZ marker line$'
"""
