#!/usr/bin/env bash
# Browser test of `deboil report`: opens the generated page from disk in headless Chromium and
# checks that it renders the summary and documents, that filtering by a rule hides the others,
# that hostile document text stays text, and that no script error is logged. Keeps a
# screenshot at target/report-screenshot.png.
# Usage: tests/browser/report.sh [path/to/deboil]   (needs Debian's chromium)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$root/target/release/deboil}
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "report.sh: chromium not found (apt-get install chromium)"; exit 2; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir "$work/docs"
cp "$root"/tests/fixtures/docs/*.txt "$work/docs/"
printf 'Harbor talks stall <script>window.__pwned = 1</script>\n\nAdvertisement\n\n<img src=x onerror="window.__pwned = 2"> and </textarea> stay text.\n' >"$work/docs/99_hostile.txt"
"$bin" report "$work/docs" -o "$work/report.html" --max-docs 50

chrome() { # url, extra args...
  local url=$1; shift
  "$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$work/profile-$RANDOM" \
    --enable-logging=stderr --v=0 "$@" "$url"
}
fail=0; passed=0
check() { if eval "$2"; then echo "ok   $1"; passed=$((passed + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi; }

chrome "file://$work/report.html" --dump-dom >"$work/all.html" 2>"$work/all.log"
check "page script ran to the end" 'grep -q "data-ready=\"1\"" "$work/all.html"'
check "summary rendered" 'grep -q "documents changed" "$work/all.html"'
check "documents rendered" '[ "$(grep -o "<section class=\"doc\"" "$work/all.html" | wc -l)" -ge 20 ]'
check "no document hidden without a filter" '! grep -q "<section class=\"doc\" hidden" "$work/all.html"'
check "hostile markup stays text" '! grep -q "<img" "$work/all.html" && grep -q "&lt;img src=x" "$work/all.html"'
check "no script error logged" '! grep -Eiq "Uncaught|SyntaxError|TypeError|ReferenceError" "$work/all.log"'

chrome "file://$work/report.html#rule=by-author-line" --dump-dom >"$work/rule.html" 2>"$work/rule.log"
shown=$(grep -o "<section class=\"doc\">" "$work/rule.html" | wc -l)
hidden=$(grep -o "<section class=\"doc\" hidden" "$work/rule.html" | wc -l)
check "filtering by a rule hides the other documents ($shown shown, $hidden hidden)" '[ "$shown" -ge 1 ] && [ "$hidden" -ge 1 ]'
check "every shown document has the rule" 'python3 - "$work/rule.html" <<PY
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
docs = re.findall(r"<section class=\"doc\">(.*?)</section>", html, re.S)
sys.exit(0 if docs and all("data-rule=\"by-author-line\"" in d for d in docs) else 1)
PY'
check "no script error logged with a filter" '! grep -Eiq "Uncaught|SyntaxError|TypeError|ReferenceError" "$work/rule.log"'

mkdir -p "$root/target"
chrome "file://$work/report.html" --screenshot="$root/target/report-screenshot.png" --window-size=1200,1600 >/dev/null 2>&1 || true
check "screenshot kept at target/report-screenshot.png" '[ -s "$root/target/report-screenshot.png" ]'
echo "browser: $passed passed, $fail failed"
[ "$fail" -eq 0 ]
