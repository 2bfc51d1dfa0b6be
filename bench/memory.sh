#!/usr/bin/env bash
# bench/memory.sh - peak RSS of whosaid extract on a 1 GB stream of news
# text (a benchmark, not a test: the test with mostly skipped bytes is in
# tests/parallel/run.sh). Streams SIZE_MB of JSONL (the PolNeAR train texts
# repeated, one article per line, each with its own url) into
# `whosaid extract --jobs JOBS -` under /usr/bin/time -v, and prints the
# documents, wall time, MB/s and the peak RSS, beside the peak RSS of the
# same run over the first 1% of the stream (so growth would show).
# Usage: bash bench/memory.sh   (WHOSAID=path, SIZE_MB=1000, JOBS=2)
set -euo pipefail
cd "$(dirname "$0")/.."
W=${WHOSAID:-build/whosaid}
SIZE_MB=${SIZE_MB:-1000}
JOBS=${JOBS:-2}
SRC=../shared/data/polnear/train
[ -x "$W" ] || { echo "bench: $W not built (run make)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing" >&2; exit 1; }
compgen -G "$SRC/*.txt" >/dev/null || { echo "bench: no texts in $SRC" >&2; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

gen() { # gen MB: JSONL articles on stdout
    python3 - "$SRC" "$1" <<'PY'
import glob, json, os, sys
src, mb = sys.argv[1], float(sys.argv[2])
texts = [open(f, encoding="utf-8").read() for f in sorted(glob.glob(os.path.join(src, "*.txt")))]
limit, n, out = int(mb * 1e6), 0, 0
w = sys.stdout
while out < limit:
    t = texts[n % len(texts)]
    line = json.dumps({"id": "a%d" % n, "url": "https://example.org/%d" % n, "maintext": t}) + "\n"
    w.write(line)
    out += len(line.encode())
    n += 1
PY
}

# run MB: "docs wall_s rss_kb"
run() {
    gen "$1" | /usr/bin/time -v "$W" extract --jobs "$JOBS" --format jsonl - 2>"$T/time.txt" | wc -l >"$T/n"
    echo "$(cat "$T/n") $(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; print s }
        /Maximum resident set size/ { print $2 }' "$T/time.txt" | paste -sd' ')"
}
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
small=$(awk -v m="$SIZE_MB" 'BEGIN { printf "%.1f", m / 100 }')
read -r d1 t1 r1 <<<"$(run "$small")"
read -r d2 t2 r2 <<<"$(run "$SIZE_MB")"
awk -v s="$small" -v m="$SIZE_MB" -v d1="$d1" -v t1="$t1" -v r1="$r1" -v d2="$d2" -v t2="$t2" -v r2="$r2" -v j="$JOBS" 'BEGIN {
    printf "%-10s %9s %9s %9s %12s\n", "stream", "docs", "wall s", "MB/s", "peak RSS MB"
    printf "%-10s %9d %9.1f %9.2f %12.1f\n", s " MB", d1, t1, s / t1, r1 / 1024
    printf "%-10s %9d %9.1f %9.2f %12.1f\n", m " MB", d2, t2, m / t2, r2 / 1024
    printf "--jobs %d; peak RSS ratio (full / 1%%): %.2f\n", j, r2 / r1
}'
echo "machine: load average $(cut -d' ' -f1-3 /proc/loadavg) after the run"
