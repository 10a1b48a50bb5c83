#!/usr/bin/env bash
# Quality of the built-in rules and line classifier on the evaluation pages in ../shared/eval:
# builds deboil, cleans dev.jsonl (so site rules see each page's URL) with the model and
# without it, writes one file per page and scores it; the same for the foreign ml-dev pages
# (score_snippets.py); then prints each training source held out in turn (a model trained as bench/train-model.sh trains the shipped one, on the other
# sources, scored on it: the phrase rules alone, and with the model).
# Usage: bench/quality.sh [--per-doc FILE] [--no-holdout] [extra deboil clean options...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
eval_dir=${DEBOIL_EVAL:-$root/../shared/eval}
cd "$root"
cargo build --release --quiet
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
per_doc=()
holdout=1
while [ $# -gt 0 ]; do
  case "$1" in
    --per-doc) per_doc=(--per-doc "$2"); shift 2 ;;
    --no-holdout) holdout=0; shift ;;
    *) break ;;
  esac
done

score_dev() { # score_dev LABEL [clean options...]
  local label=$1; shift
  rm -rf "$tmp/out"; mkdir "$tmp/out"
  target/release/deboil clean "$eval_dir/dev.jsonl" -o "$tmp/clean.jsonl" --quiet "$@"
  python3 - "$tmp/clean.jsonl" "$tmp/out" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        rec = json.loads(line)
        with open(f"{sys.argv[2]}/{rec['id']}.txt", "w", encoding="utf-8") as out:
            out.write(rec["text"])
PY
  echo "== dev: $label"
  python3 "$eval_dir/score.py" "$tmp/out" --split dev "${per_doc[@]}" | sed -n '2,3p'
}

score_dev "built-in rules and line classifier" "$@"
per_doc=()   # --per-doc is for the default run
score_dev "phrase rules only (--ignore model)" --ignore model "$@"
for run in "built-in rules and line classifier:" "phrase rules only (--ignore model):--ignore model"; do
  label=${run%%:*}; opts=${run#*:}
  rm -rf "$tmp/ml"; mkdir -p "$tmp/ml"
  # shellcheck disable=SC2086
  target/release/deboil clean "$eval_dir/ml-dev/snip/dump" -o "$tmp/ml/snip" --quiet $opts "$@"
  echo "== ml-dev (foreign pages, snippet labels): $label"
  python3 "$eval_dir/score_snippets.py" "$tmp/ml" | sed -n '2p;/ ALL /p'
done
if [ "$holdout" = 1 ]; then
  echo "== each training source held out (model trained on the others, as bench/train-model.sh trains the shipped one)"
  DEBOIL_MODEL_OUT="$tmp/model.toml" bench/train-model.sh | sed -n '2,/^ALL/p'
fi
