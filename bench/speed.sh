#!/usr/bin/env bash
# The speed table: deboil with every default rule, the line model and language detection, at
# -j 1 and -j 2, beside the previous release and ripgrep (`rg -v -f ../shared/bench/rules.txt`
# over the same documents' text), in one run with the runs interleaved (the machines are shared
# and noisy: compare ratios, not absolutes). Prints MB/s of input and peak RSS per row.
#
# Usage: bench/speed.sh [--corpus real|make] [--bytes N] [--runs R] [--baseline REV]
#   --corpus real  documents and lines as the real dumps in ../shared/eval/*.jsonl have them
#                  (short lines, few blank ones), repeated to N bytes (default)
#   --corpus make  ../shared/bench/make-corpus (long lines, a third of them blank)
#   --bytes N      corpus size (default 300 MB)
#   --runs R       runs of each command, median reported (default 3)
#   --baseline REV the previous release, built from git in a cached worktree (default: the
#                  revision in bench/BASELINE)
# Needs: cargo, python3, git, ripgrep (apt-get install ripgrep), GNU time (/usr/bin/time).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${DEBOIL_SHARED:-$root/../shared}
kind=real; bytes=300000000; runs=3; baseline=$(cat "$root/bench/BASELINE")
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) kind=$2; shift 2 ;;
    --bytes) bytes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --baseline) baseline=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
command -v rg >/dev/null || { echo "ripgrep is needed: apt-get install ripgrep" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/deboil-speed.XXXXXX"); trap 'rm -rf "$work"' EXIT

cd "$root"; cargo build --release --quiet
bin=$root/target/release/deboil
# The previous release, built once per revision and kept between runs.
base_dir=${TMPDIR:-/tmp}/deboil-baseline-$(git rev-parse --short "$baseline")
if [ ! -x "$base_dir/target/release/deboil" ]; then
  rm -rf "$base_dir"; git worktree prune
  git worktree add --detach --quiet "$base_dir" "$baseline"
  (cd "$base_dir" && cargo build --release --quiet)
fi
base=$base_dir/target/release/deboil

corpus=$work/corpus.jsonl
case "$kind" in
  real) python3 - "$shared/eval" "$corpus" "$bytes" <<'PY' ;;
import glob, sys
src = b"".join(open(f, "rb").read() for f in sorted(glob.glob(sys.argv[1] + "/*.jsonl")))
with open(sys.argv[2], "wb") as out:
    written = 0
    while written < int(sys.argv[3]):
        out.write(src)
        written += len(src)
PY
  make) python3 "$shared/bench/make-corpus" "$corpus" --bytes "$bytes" >/dev/null ;;
  *) echo "--corpus is real or make" >&2; exit 2 ;;
esac
# The same documents' text, one stream, for ripgrep.
python3 - "$corpus" "$work/corpus.txt" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in f:
        out.write(json.loads(line)["text"])
        out.write("\n")
PY
size=$(stat -c %s "$corpus"); text_size=$(stat -c %s "$work/corpus.txt")

names=("deboil -j 1 (rules, model, languages)" "deboil -j 2" "deboil -j 1 --ignore model"
  "previous release ($(git rev-parse --short "$baseline")) -j 1" "previous release -j 2"
  "ripgrep rg -v -f rules.txt (text only)")
cmds=("$bin clean $corpus -o $work/out.jsonl -q -j 1"
  "$bin clean $corpus -o $work/out.jsonl -q -j 2"
  "$bin clean $corpus -o $work/out.jsonl -q -j 1 --ignore model"
  "$base clean $corpus -o $work/out.jsonl -q -j 1"
  "$base clean $corpus -o $work/out.jsonl -q -j 2"
  "rg -v -f $shared/bench/rules.txt -j 1 --no-filename $work/corpus.txt")
sizes=("$size" "$size" "$size" "$size" "$size" "$text_size")
declare -a times rss
for _ in $(seq "$runs"); do
  for i in "${!cmds[@]}"; do
    # shellcheck disable=SC2086
    /usr/bin/time -f "%e %M" -o "$work/t" ${cmds[$i]} >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    read -r t m <"$work/t"
    times[$i]="${times[$i]:-} $t"
    [ "$m" -gt "${rss[$i]:-0}" ] && rss[$i]=$m
  done
done
median() { tr ' ' '\n' | grep . | sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }
rg_rate=$(awk -v b="$text_size" -v s="$(echo "${times[5]}" | median)" 'BEGIN { print b / 1e6 / s }')
echo "corpus: $kind, $((size / 1000000)) MB of JSONL ($((text_size / 1000000)) MB of text), $(wc -l <"$corpus") documents; median of $runs interleaved runs"
echo
echo "| run | MB/s | s | peak RSS MiB | vs ripgrep |"
echo "|---|---:|---:|---:|---:|"
for i in "${!cmds[@]}"; do
  s=$(echo "${times[$i]}" | median)
  awk -v n="${names[$i]}" -v b="${sizes[$i]}" -v s="$s" -v r="${rss[$i]}" -v g="$rg_rate" \
    'BEGIN { printf "| %s | %.1f | %.2f | %.0f | %.2fx |\n", n, b / 1e6 / s, s, r / 1024, b / 1e6 / s / g }'
done
