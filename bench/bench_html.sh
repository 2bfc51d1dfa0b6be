#!/usr/bin/env bash
# bench/bench_html.sh - HTML main-content extraction: whosaid (ws_html_extract,
# via tools/html_dump) against Mozilla Readability + jsdom on node, on the
# same AEB dev pages in one run: ms/page (wall and CPU) and AEB F1 of each.
# Not a test: it prints figures and the ratio, and never fails on timing.
#   bash bench/bench_html.sh [BUILD_DIR]      (default build; REPEAT=5 runs
#   of whosaid per page, READABILITY_REPEAT=1 of Readability)
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-build}
DATA=../shared/data/article/aeb-dev
REPEAT=${REPEAT:-5}
RREPEAT=${READABILITY_REPEAT:-1}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
make -s -j2 B="$B" "$B/tools/html_dump" >/dev/null
if [ ! -d bench/node/node_modules/@mozilla/readability ] || [ ! -d bench/node/node_modules/jsdom ]; then
    (cd bench/node 2>/dev/null && npm install --no-audit --no-fund @mozilla/readability jsdom >/dev/null) ||
        { echo "bench_html: npm packages @mozilla/readability and jsdom are missing (bench/node)"; exit 1; }
fi
python3 - "$DATA/ground-truth.json" > "$OUT/urls.tsv" <<'PY'
import json, sys
for k, v in json.load(open(sys.argv[1])).items():
    print(f"{k}\t{v.get('url', '')}")
PY
echo "== $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$B/tools/html_dump" -n "$REPEAT" -u "$OUT/urls.tsv" "$DATA"/html/*.html.gz > "$OUT/ws.jsonl" 2> "$OUT/ws.time"
node bench/html_readability.cjs "$DATA/html" "$RREPEAT" > "$OUT/rd.json" 2> "$OUT/rd.time"
cat "$OUT/ws.time" "$OUT/rd.time"
echo "whosaid AEB dev:     $(python3 ../shared/eval/score_article.py --aeb "$DATA" "$OUT/ws.jsonl" | sed -n 2p)"
echo "readability AEB dev: $(python3 ../shared/eval/score_article.py --aeb "$DATA" "$OUT/rd.json" | sed -n 2p)"
python3 - "$OUT/ws.time" "$OUT/rd.time" <<'PY'
import re, sys
def ms(path):
    t = open(path).read()
    return [float(x) for x in re.findall(r"(?:wall|cpu) ([0-9.]+) ms/page", t)]
w, r = ms(sys.argv[1]), ms(sys.argv[2])
print(f"speed-up per page: wall {r[0] / w[0]:.1f}x, cpu {r[1] / w[1]:.1f}x (target >= 20x)")
PY
