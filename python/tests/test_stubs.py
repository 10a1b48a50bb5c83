"""The type stubs match the compiled module (mypy's stubtest), and type-check in use."""

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mypy")


def test_stubtest():
    r = subprocess.run([sys.executable, "-m", "mypy.stubtest", "deboil._deboil"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_typed_usage(tmp_path: Path):
    src = tmp_path / "use.py"
    src.write_text(
        "import deboil\n"
        "c = deboil.Cleaner(rules=['x.toml'], ignore='model', max_removed=0.7)\n"
        "out: list[deboil.Cleaned] = c.clean_batch(['a'], urls=[None], langs='de', jobs=2)\n"
        "r: deboil.Removal = c.clean('a').removals[0]\n"
        "n: int = r.start + r.byte_end\n"
        "try:\n"
        "    deboil.Cleaner()\n"
        "except deboil.RuleError as e:\n"
        "    line: 'int | None' = e.line\n"
    )
    r = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-version", "3.10", str(src)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr
