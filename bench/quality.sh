#!/usr/bin/env bash
# Quality of the built-in rules on the evaluation pages in ../shared/eval: builds deboil,
# cleans dev.jsonl (so site rules see each page's URL), writes one file per page and scores it.
# Usage: bench/quality.sh [--per-doc FILE] [extra deboil clean options...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
eval_dir=${DEBOIL_EVAL:-$root/../shared/eval}
cd "$root"
cargo build --release --quiet
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
per_doc=()
if [ "${1:-}" = "--per-doc" ]; then per_doc=(--per-doc "$2"); shift 2; fi
target/release/deboil clean "$eval_dir/dev.jsonl" -o "$tmp/clean.jsonl" --quiet "$@"
mkdir "$tmp/out"
python3 - "$tmp/clean.jsonl" "$tmp/out" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        rec = json.loads(line)
        with open(f"{sys.argv[2]}/{rec['id']}.txt", "w", encoding="utf-8") as out:
            out.write(rec["text"])
PY
python3 "$eval_dir/score.py" "$tmp/out" --split dev "${per_doc[@]}"
