#!/usr/bin/env bash
# Split-half check of the rule packs on the dev pages of ../shared/eval.
#
# The 90 dev pages are split into two fixed halves by a hash of the page id: first byte of
# md5(id) even -> A, odd -> B. The rules on disk are run once over dev.jsonl (so site rules
# see each page's URL), each half is scored on its own with score.py (through a --data
# folder per half that mirrors the eval layout with symlinks), and one Markdown table row is
# printed per half, plus the whole of dev.
#
# Usage: bench/quality/split.sh [options]
#   --rules PATH     rule file or folder to load (repeatable; default: the default packs,
#                    <repo>/rules/*.toml, without rules/sites/ whose rules only run on named hosts)
#   --bin PATH       deboil binary (default: $DEBOIL_BIN, else target/release/deboil, built first)
#   --show A|B|ALL   also list, for that half only, every removed line (TP/FP, with the rule)
#                    and every missed BOILERPLATE line (FN). Look at one half only.
#   --keep DIR       keep the working folder (cleaned files, per-half data, score JSON) in DIR
#   --label TEXT     name for the rows (default: "rules")
#   -- OPTIONS...    pass the rest to `deboil clean` (e.g. -- --max-removed 0.7)
#
# Columns: lineP/lineR/lineF1 of removed lines vs BOILERPLATE labels, rmC = CONTENT lines
# removed, lost = pages losing >10% of the article text the dump held (lost>10%dump), and
# lineR-h = recall with likely headline lines left out. The labels have no headline subtype
# (subtypes are only "-" and "duplicate"), so headlines are marked here by a heuristic and
# scored with score.py --ignore-subtypes headline: the first BOILERPLATE line among the first
# three dump lines that has 3-25 words, is not a link, list item, date, credit or teaser label
# and does not end like a sentence or in brackets (and an exact copy of it right below).
# It is an approximation, for orientation only.
#
# Needs bash and python3 (standard library). Reads the eval data; writes nothing into the
# project (all working files go to a temporary folder unless --keep is given).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
eval_dir=${DEBOIL_EVAL:-$root/../shared/eval}
bin=${DEBOIL_BIN:-}
rules=()
show=""
keep=""
label="rules"
while [ $# -gt 0 ]; do
  case "$1" in
    --rules) rules+=(--rules "$2"); shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --show) show=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --label) label=$2; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n 2,30p "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
if [ -z "$bin" ]; then
  (cd "$root" && cargo build --release --quiet)
  bin=$root/target/release/deboil
fi
if [ ${#rules[@]} -eq 0 ]; then
  for f in "$root"/rules/*.toml; do rules+=(--rules "$f"); done
fi

if [ -n "$keep" ]; then
  rm -rf "$keep"; mkdir -p "$keep"; tmp=$(cd "$keep" && pwd)
else
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fi

"$bin" clean "$eval_dir/dev.jsonl" -o "$tmp/clean.jsonl" --quiet --no-default-rules \
  "${rules[@]}" --annotate deboil_removed "$@"

python3 - "$eval_dir" "$tmp" <<'PY'
import hashlib, json, os, re, sys
ev, tmp = sys.argv[1], sys.argv[2]
out = os.path.join(tmp, "out"); os.makedirs(out, exist_ok=True)
halves = {}
with open(os.path.join(tmp, "clean.jsonl"), encoding="utf-8") as fh:
    for line in fh:
        rec = json.loads(line)
        with open(os.path.join(out, rec["id"] + ".txt"), "w", encoding="utf-8") as o:
            o.write(rec["text"])
ids = sorted(f[:-4] for f in os.listdir(os.path.join(ev, "dev", "dump")) if f.endswith(".txt"))
for i in ids:
    halves[i] = "A" if hashlib.md5(i.encode()).digest()[0] % 2 == 0 else "B"

SENT = re.compile(r"[.!?…][\"”’')\]]*$")
DATE = re.compile(r"\b(?:19|20)\d\d\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d", re.I)
def headline_labels(src):
    rows = open(src, encoding="utf-8").read().split("\n")
    head, body = rows[0], [r for r in rows[1:] if r]
    fixed, title = [], None
    for n, r in enumerate(body):
        p = r.split("\t")
        t = p[4].strip() if len(p) > 4 else ""
        if title is None and (n < 3 and p[1] == "BOILERPLATE" and 3 <= len(t.split()) <= 25
                and not SENT.search(t) and not t.endswith(")") and not DATE.search(t)
                and not re.match(r"^(?:https?://|www\.|/|-\s|related|also|read|more|see)", t, re.I)
                and not re.search(r"©|--|/|\b(?:photo|image|getty|credit)", t, re.I)):
            title = t
            p[3] = "headline"
        elif title is not None and t == title and n < 4:
            p[3] = "headline"
        fixed.append("\t".join(p))
    return "\n".join([head] + fixed) + "\n"

for name, members in (("A", [i for i in ids if halves[i] == "A"]),
                      ("B", [i for i in ids if halves[i] == "B"]),
                      ("ALL", ids)):
    d = os.path.join(tmp, "data_" + name, "dev")
    for sub in ("dump", "gold", "labels"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    for i in members:
        for sub, ext in (("dump", "txt"), ("gold", "txt")):
            os.symlink(os.path.join(ev, "dev", sub, f"{i}.{ext}"), os.path.join(d, sub, f"{i}.{ext}"))
        with open(os.path.join(d, "labels", i + ".tsv"), "w", encoding="utf-8") as o:
            o.write(headline_labels(os.path.join(ev, "dev", "labels", i + ".tsv")))
with open(os.path.join(tmp, "halves.tsv"), "w") as o:
    for i in ids:
        o.write(f"{i}\t{halves[i]}\n")
PY

for h in A B ALL; do
  python3 "$eval_dir/score.py" "$tmp/out" --split dev --data "$tmp/data_$h" --quiet \
    --json "$tmp/score_$h.json" --per-doc "$tmp/perdoc_$h.tsv"
  python3 "$eval_dir/score.py" "$tmp/out" --split dev --data "$tmp/data_$h" --quiet \
    --ignore-subtypes headline --json "$tmp/score_${h}_nohead.json"
done

python3 - "$tmp" "$label" <<'PY'
import json, os, sys
tmp, label = sys.argv[1], sys.argv[2]
print("| rules | half | docs | boil | lineP | lineR | lineF1 | rmC | lost>10%dump | lineR-h |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for h in ("A", "B", "ALL"):
    r = json.load(open(os.path.join(tmp, f"score_{h}.json")))["ALL"]
    n = json.load(open(os.path.join(tmp, f"score_{h}_nohead.json")))["ALL"]
    print(f"| {label} | {h} | {r['docs']} | {r['boilerplate_lines']} | {r['line_P']:.3f} | {r['line_R']:.3f} | "
          f"{r['line_F1']:.3f} | {r['removed_content_lines']} | {r['docs_lost_vs_dump']} | {n['line_R']:.3f} |")
PY

if [ -n "$show" ]; then
  python3 - "$eval_dir" "$tmp" "$show" <<'PY'
import json, os, sys
ev, tmp, want = sys.argv[1:4]
sys.path.insert(0, ev)
import score
halves = dict(l.split() for l in open(os.path.join(tmp, "halves.tsv")))
lines = {"FP": [], "TP": [], "FN": []}
for raw in open(os.path.join(tmp, "clean.jsonl"), encoding="utf-8"):
    rec = json.loads(raw)
    i = rec["id"]
    if want != "ALL" and halves[i] != want:
        continue
    dump_path = os.path.join(ev, "dev", "dump", i + ".txt")
    dump_raw = open(dump_path, encoding="utf-8").read()
    dump = score.read_lines(dump_path)
    kept = score.kept_mask(dump, score.read_lines(os.path.join(tmp, "out", i + ".txt")))
    labels = score.read_labels(os.path.join(ev, "dev", "labels", i + ".tsv"))
    # map removal byte ranges of the JSONL text to rule ids, by line text
    src = next(json.loads(l) for l in open(os.path.join(ev, "dev.jsonl"), encoding="utf-8") if json.loads(l)["id"] == i)["text"].encode("utf-8")
    by_text = {}
    for rm in rec.get("deboil_removed", []):
        for ln in src[rm["start"]:rm["end"]].decode("utf-8", "replace").split("\n"):
            if ln.strip():
                by_text[score.norm_line(ln)] = rm["rule"]
    for n, (k, (lab, sub), t) in enumerate(zip(kept, labels, dump)):
        rule = by_text.get(t, "?")
        if not k:
            lines["FP" if lab == "CONTENT" else "TP"].append(f"{i}\t{n}\t{rule}\t{t[:200]}")
        elif lab == "BOILERPLATE":
            lines["FN"].append(f"{i}\t{n}\t{sub}\t{t[:200]}")
for k in ("FP", "TP", "FN"):
    print(f"\n## {k} ({len(lines[k])}) half={want}")
    for x in lines[k]:
        print(k, x)
PY
fi
