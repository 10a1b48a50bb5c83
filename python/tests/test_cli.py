"""The package's output equals the command line's (`deboil clean in.jsonl -o out.jsonl`)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import deboil
from conftest import FIXTURE_DOCS, REPO

# The release binary of the checkout; DEBOIL_CLI names another one.
BINARY = Path(os.environ.get("DEBOIL_CLI") or REPO / "target" / "release" / "deboil")


@pytest.fixture(scope="module")
def cli() -> Path:
    if not BINARY.exists():
        if "DEBOIL_CLI" in os.environ:
            pytest.fail(f"DEBOIL_CLI={BINARY} does not exist")
        if shutil.which("cargo") is None:
            pytest.skip("no deboil binary and no cargo to build it")
        subprocess.run(
            ["cargo", "build", "--release", "--manifest-path", str(REPO / "Cargo.toml")],
            check=True,
        )
    return BINARY


def newest(*paths: Path) -> float:
    return max(p.stat().st_mtime for root in paths for p in ([root] if root.is_file() else root.rglob("*")) if p.is_file())


def records():
    recs = []
    for i, path in enumerate(sorted(FIXTURE_DOCS.glob("*.txt"))):
        prefix = path.name.split("_")[0]
        lang = prefix if prefix.isalpha() else None
        recs.append({"id": path.stem, "text": path.read_text(encoding="utf-8"), "url": f"https://example.com/{i}", "lang": lang})
    recs.append({"id": "credit", "text": "Über die Brücke — 🎉, officials said.\nREUTERS/Jane Doe\n", "url": None, "lang": None})
    recs.append({"id": "all-junk", "text": "Advertisement\nREUTERS/Jane Doe\n", "url": None, "lang": "en"})
    return recs


def run_cli(cli: Path, tmp_path: Path, recs, *args: str):
    src = tmp_path / "in.jsonl"
    out = tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    subprocess.run([str(cli), "clean", str(src), "-o", str(out), "--quiet", "--lang-field", "lang", *args], check=True)
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [g["id"] for g in got] == [r["id"] for r in recs]
    return [g["text"] for g in got]


def python_texts(cleaner: deboil.Cleaner, recs):
    out = cleaner.clean_batch([r["text"] for r in recs], urls=[r["url"] for r in recs], langs=[r["lang"] for r in recs])
    return [c.text for c in out]


def test_same_as_cli_rules_from_disk(cli, tmp_path):
    """The rule files of the checkout, loaded at run time by both (so edits to rules/ made after
    the binary was built do not matter)."""
    if BINARY.stat().st_mtime < newest(REPO / "src"):
        pytest.skip(f"{BINARY} is older than src/: rebuild it to compare")
    recs = records()
    want = run_cli(cli, tmp_path, recs, "--no-default-rules", "--rules", str(REPO / "rules"))
    cleaner = deboil.Cleaner(rules=REPO / "rules", default_rules=False, max_removed=deboil.DEFAULT_MAX_REMOVED)
    got = python_texts(cleaner, recs)
    assert got == want
    assert any(g != r["text"] for g, r in zip(got, recs))


def test_same_as_cli_defaults(cli, tmp_path):
    if BINARY.stat().st_mtime < newest(REPO / "src", REPO / "rules"):
        pytest.skip(f"{BINARY} is older than src/ or rules/: rebuild it to compare the built-in rules")
    recs = records()
    want = run_cli(cli, tmp_path, recs)
    got = python_texts(deboil.Cleaner(max_removed=deboil.DEFAULT_MAX_REMOVED), recs)
    assert got == want
    # Without the guard, the all-junk record is cleaned rather than left as it was.
    unguarded = python_texts(deboil.Cleaner(max_removed=None), recs)
    assert unguarded[-1] != recs[-1]["text"]
    want_unguarded = run_cli(cli, tmp_path, recs, "--max-removed", "1")
    assert unguarded == want_unguarded


def test_the_package_installs_the_deboil_command(cli, tmp_path):
    """The wheel's `deboil` command (console script) is the command line itself: the same output
    as the binary, the same exit codes."""
    import sys

    command = Path(sys.executable).parent / "deboil"
    assert command.exists(), "pip install puts `deboil` on the PATH"
    doc = tmp_path / "doc.txt"
    doc.write_text("Troops crossed the river at dawn, officials said.\n\nAdvertisement\n\nMore text.\n", encoding="utf-8")
    want = subprocess.run([str(cli), "clean", str(doc)], capture_output=True, check=True).stdout
    for argv in ([str(command)], [sys.executable, "-m", "deboil"]):
        got = subprocess.run([*argv, "clean", str(doc)], capture_output=True, check=True)
        assert got.stdout == want
        bad = subprocess.run([*argv, "clean", str(tmp_path / "missing.txt")], capture_output=True)
        assert bad.returncode != 0 and b"missing.txt" in bad.stderr
    version = subprocess.run([str(command), "--version"], capture_output=True, check=True).stdout
    assert version.startswith(b"deboil ")
