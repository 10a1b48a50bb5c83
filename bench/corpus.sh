#!/usr/bin/env bash
# Whole-corpus benchmark: deboil side by side with ripgrep and the Python `re` baseline on the
# same input, in one run (the machines are shared and noisy: compare ratios, not absolutes).
#
# Usage: bench/corpus.sh [CORPUS.jsonl] [--bytes N] [--runs R]
#   CORPUS.jsonl  an existing JSONL corpus; default: generated with ../shared/bench/make-corpus
#                 into $TMPDIR (never into the project), 1 GB unless --bytes says otherwise.
# Needs: cargo, python3, ripgrep (apt-get install ripgrep), GNU time (/usr/bin/time).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${DEBOIL_SHARED:-$root/../shared}
bytes=1000000000; runs=3; corpus=""
while [ $# -gt 0 ]; do
  case "$1" in
    --bytes) bytes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) corpus=$1; shift ;;
  esac
done
work=$(mktemp -d "${TMPDIR:-/tmp}/deboil-bench.XXXXXX"); shm=""; trap 'rm -rf "$work" ${shm:+"$shm"}' EXIT
if [ -z "$corpus" ]; then
  corpus=$work/corpus.jsonl
  python3 "$shared/bench/make-corpus" "$corpus" --bytes "$bytes" >/dev/null
fi
cd "$root"; cargo build --release --quiet
bin=$root/target/release/deboil
size=$(stat -c %s "$corpus")

# The first 20,000 records as one .txt file each, for the line-rule comparison with ripgrep
# (both read the same directory of documents).
python3 - "$corpus" "$work/docs" <<'PY'
import json, os, sys
os.makedirs(sys.argv[2])
with open(sys.argv[1], encoding="utf-8") as f:
    for i, line in enumerate(f):
        if i == 20000:
            break
        with open(f"{sys.argv[2]}/{i:06d}.txt", "w", encoding="utf-8") as out:
            out.write(json.loads(line)["text"])
PY
plain_size=$(du -sb --apparent-size "$work/docs" | cut -f1)
# shared/bench/rules.txt as deboil line rules (same regexes, matched on trimmed lines).
python3 - "$shared/bench/rules.txt" "$work/rg-rules.toml" <<'PY'
import sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    for i, pat in enumerate(l.rstrip("\n") for l in f if l.strip()):
        out.write(f'[[rule]]\nid = "rg-{i}"\ncategory = "residue"\nkind = "line"\n'
                  f'description = "rules.txt line {i + 1}"\npattern = """{pat.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"""\n\n')
PY

# Median wall time (s) and max RSS (KiB) of R runs of a command; output to /dev/null.
measure() {
  local times=() rss=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; return 1; }
    read -r t m <"$work/t"; times+=("$t"); [ "$m" -gt "$rss" ] && rss=$m
  done
  printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")" "$rss"
}
row() { # name bytes seconds rss baseline_seconds
  awk -v n="$1" -v b="$2" -v s="$3" -v r="$4" -v base="$5" \
    'BEGIN { printf "| %-44s | %8.1f | %7.2f | %8.0f | %6.2f |\n", n, b / 1e6 / s, s, r / 1024, base / s }'
}
echo "corpus: $corpus ($((size / 1000000)) MB JSONL, $((plain_size / 1000000)) MB of text); median of $runs runs"
echo
echo "| run | MB/s | s | RSS MiB | speed vs first row |"
echo "|---|---:|---:|---:|---:|"
read -r t1 m1 < <(measure "$bin" clean "$corpus" -q -j 1)
row "deboil clean, default rules, JSONL, -j 1" "$size" "$t1" "$m1" "$t1"
read -r t m < <(measure "$bin" clean "$corpus" -q -j 2)
row "deboil clean, default rules, JSONL, -j 2" "$size" "$t" "$m" "$t1"
zstd -q -3 -T2 "$corpus" -o "$work/corpus.jsonl.zst" 2>/dev/null || "$bin" clean "$corpus" -o "$work/corpus.jsonl.zst" -q --no-default-rules --rules "$work/rg-rules.toml" --select rg-0
if [ -f "$work/corpus.jsonl.zst" ]; then
  read -r t m < <(measure "$bin" clean "$work/corpus.jsonl.zst" -o "$work/out.jsonl.zst" -q -j 1)
  row "deboil clean, default rules, .zst in and out, -j 1" "$size" "$t" "$m" "$t1"
fi
if command -v rg >/dev/null; then
  read -r tr mr < <(measure rg -v -f "$shared/bench/rules.txt" -j 1 --no-filename "$work/docs")
  row "ripgrep rg -v -f rules.txt, 20k .txt docs, 1 thread" "$plain_size" "$tr" "$mr" "$t1"
  # deboil writes one output file per document (ripgrep one stream): creating 20,000 files
  # costs ~0.4 ms each on this VM's ext4, so the comparison also runs with the outputs in RAM.
  read -r td m < <(measure "$bin" clean "$work/docs" -o "$work/docs-out" -q -j 1 --no-default-rules --rules "$work/rg-rules.toml" --max-removed 1)
  row "deboil clean, rules.txt as line rules, same docs, -j 1" "$plain_size" "$td" "$m" "$t1"
  t=$td
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    shm=$(mktemp -d /dev/shm/deboil-bench.XXXXXX)
    read -r t m < <(measure "$bin" clean "$work/docs" -o "$shm/out" -q -j 1 --no-default-rules --rules "$work/rg-rules.toml" --max-removed 1)
    rm -rf "$shm"
    row "the same, output files on tmpfs (/dev/shm)" "$plain_size" "$t" "$m" "$t1"
  fi
  awk -v a="$tr" -v b="$t" 'BEGIN { printf "\ndeboil vs ripgrep on the same line rules and text: %.2fx its throughput\n", a / b }'
else
  echo "(ripgrep not installed: apt-get install ripgrep)"
fi
head -c $((size / 10)) "$corpus" | sed '$d' >"$work/tenth.jsonl"
tenth=$(stat -c %s "$work/tenth.jsonl")
read -r t m < <(measure python3 "$shared/bench/clean_py.py" "$shared/bench/rules.txt" "$work/tenth.jsonl" /dev/null 1)
row "python re baseline (clean_py.py), 1 process, 1/10 corpus" "$tenth" "$t" "$m" "$(awk -v a="$t1" -v s="$size" -v b="$tenth" 'BEGIN{print a*b/s}')"
