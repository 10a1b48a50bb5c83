#!/usr/bin/env bash
# Retrains the built-in line classifier, rules/model.toml, from the training pages in
# ../shared/eval (never from dev/), printing each source held out in turn. The rule's id,
# description and examples in rules/model.toml are kept; the model table is replaced.
# Usage: bench/train-model.sh [extra deboil train options...]
#   DEBOIL_MODEL_OUT=FILE writes FILE instead of rules/model.toml (bench/quality.sh uses it to
#   print the held-out table without touching the shipped model).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
eval_dir=${DEBOIL_EVAL:-../shared/eval}
cd "$root"
cargo build --release --quiet
provenance="Training pages: ../shared/eval/train and ../shared/eval/train-fullpage (the same 742 pages as main-content and as full-page text, with per-line labels), from three public sources: mozilla/readability test pages at ab4027a8 (Apache-2.0); AndyTheFactory/newspaper4k test fixtures at a012967c (MIT); WCXB, Murrough Foley, 2026 (CC-BY-4.0, https://creativecommons.org/licenses/by/4.0/; changed: pages turned into text dumps with per-line labels). No evaluation (dev) page was used. Only the fitted trees ship, no page text."
# The model's rule features come from the phrase rules on disk, without the model itself (so
# that a model written for other features never stands in the way of retraining).
packs=()
for f in rules/*.toml rules/sites/*.toml; do
  [ "$f" = rules/model.toml ] || packs+=(--rules "$f")
done
exec target/release/deboil train "$eval_dir/train" "$eval_dir/train-fullpage" \
  --no-default-rules "${packs[@]}" --weight train-fullpage=2 --rounds 60 --learning-rate 0.25 --threshold 0.975 --seed 1 \
  --provenance "$provenance" -o "${DEBOIL_MODEL_OUT:-rules/model.toml}" "$@"
