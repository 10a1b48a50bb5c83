#!/usr/bin/env bash
# Builds the Python package into python/.venv and runs its tests. Needs python3 (>= 3.9, with
# venv) and cargo. Reuses the venv, and rebuilds only when a source changed since the last build.
# Extra arguments go to pytest (`python/test.sh -k fork -x`).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
python="${PYTHON:-python3}"
venv="$here/.venv"

if [ ! -x "$venv/bin/python" ]; then
    if ! "$python" -m venv "$venv" 2>/dev/null; then
        rm -rf "$venv"
        # Debian ships venv apart from python3.
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            ver="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
            apt-get install -y -q "python$ver-venv" >/dev/null || apt-get install -y -q python3-venv >/dev/null
            "$python" -m venv "$venv"
        else
            echo "test.sh: '$python -m venv' failed: install python3-venv" >&2
            exit 1
        fi
    fi
fi
vpy="$venv/bin/python"
# datatrove (with orjson, for its JSONL reader and writer), datasets and pyspark (which needs a
# Java runtime, 17 or later: ./test installs one): for the tests of the integrations.
if ! "$venv/bin/maturin" --version >/dev/null 2>&1 \
    || ! "$vpy" -c "import pytest, mypy, datatrove, datasets, orjson, pyspark" 2>/dev/null; then
    "$vpy" -m pip install -q --disable-pip-version-check "maturin>=1.5,<2" pytest mypy datatrove datasets orjson pyspark
fi

# Rebuild when anything the extension is built from is newer than the last build.
stamp="$here/.build-stamp"
sources=(src py_src Cargo.toml Cargo.lock pyproject.toml ../src ../rules ../Cargo.toml)
if [ ! -f "$stamp" ] || [ -n "$(find "${sources[@]}" -newer "$stamp" -print -quit)" ] \
    || ! "$vpy" -c 'import deboil' 2>/dev/null; then
    touch "$stamp.new"
    VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" "$venv/bin/maturin" develop --release --quiet
    mv "$stamp.new" "$stamp"
fi

"$vpy" -m pytest -q tests "$@"
