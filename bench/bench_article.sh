#!/usr/bin/env bash
# bench/bench_article.sh - the article path against Mozilla Readability, and
# WARC throughput and memory. Not a test: no pass/fail on timings.
#
#   1. AEB dev pages (../shared/data/article/aeb-dev/html, 85 pages), in ONE
#      run: bench_article (bench/bench_article.c, public API: charset, HTML
#      parse, extraction, metadata; reading and gunzip not timed) and
#      Readability 0.6 + jsdom under node (bench/readability.mjs: new JSDOM +
#      parse() timed) on the same pages, ROUNDS rounds each. Both outputs are
#      scored with ../shared/eval/score_article.py --aeb. Reports ms/page
#      (wall and CPU) and the ratio Readability / whosaid.
#   2. A WARC of >= WARC_MB MB (bench/make_big_warc.py, in /tmp, repeating the
#      records of aeb-dev.warc.gz): MB/s and peak RSS (/usr/bin/time -v) for
#      the reader alone, reader + article extraction, and `whosaid extract
#      -j 1` (the whole attribution) unless FULL=0.
# Usage: B=build-x ROUNDS=3 WARC_MB=500 FULL=1 bash bench/bench_article.sh
# Needs node and npm (npm install in bench/node/, git-ignored).
set -eu
cd "$(dirname "$0")/.."
B=${B:-build}
ROUNDS=${ROUNDS:-3}
WARC_MB=${WARC_MB:-500}
FULL=${FULL:-1}
DATA=${WS_DATA:-../shared/data}
PAGES=$DATA/article/aeb-dev/html
SCORE=../shared/eval/score_article.py
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
[ -f "$B/libwhosaid.a" ] && [ -x "$B/whosaid" ] || { echo "bench: build first (make B=$B)" >&2; exit 1; }
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude bench/bench_article.c "$B/libwhosaid.a" \
    -lutf8proc -lgumbo -lz -lsqlite3 -lmicrohttpd -ljansson -lm -lpthread -o "$T/bench_article"
if [ ! -d bench/node/node_modules/@mozilla/readability ] || [ ! -d bench/node/node_modules/jsdom ]; then
    (cd bench/node 2>/dev/null || { mkdir -p bench/node && cd bench/node; }
     npm install --no-audit --no-fund @mozilla/readability jsdom >/dev/null)
fi
echo "== AEB dev pages: $(ls "$PAGES" | wc -l) pages, $ROUNDS rounds; load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$T/bench_article" article "$ROUNDS" "$T/whosaid.jsonl" "$PAGES" | tee "$T/w.txt"
ABS_PAGES=$(cd "$PAGES" && pwd)
(cd bench/node && node ../readability.mjs "$ROUNDS" "$T/readability.jsonl" "$ABS_PAGES"/*) | tee "$T/r.txt"
get() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" "$1"; }
w_ms=$(get "$T/w.txt" ms_per_record); r_ms=$(get "$T/r.txt" ms_per_record)
w_cpu=$(get "$T/w.txt" cpu_ms_per_record); r_cpu=$(get "$T/r.txt" cpu_ms_per_record)
w_f1=$(python3 "$SCORE" --aeb "$DATA/article/aeb-dev" "$T/whosaid.jsonl" | sed -n 's/^F1 \([0-9.]*\).*/\1/p')
r_f1=$(python3 "$SCORE" --aeb "$DATA/article/aeb-dev" "$T/readability.jsonl" | sed -n 's/^F1 \([0-9.]*\).*/\1/p')
echo "whosaid:     $w_ms ms/page wall, $w_cpu ms/page CPU, AEB F1 $w_f1"
echo "readability: $r_ms ms/page wall, $r_cpu ms/page CPU, AEB F1 $r_f1"
python3 -c "print(f'speed ratio readability/whosaid: {$r_ms/$w_ms:.1f}x wall, {$r_cpu/$w_cpu:.1f}x CPU')"

BIG=/tmp/whosaid-bench-big.warc.gz
[ -f "$BIG" ] && [ "$(stat -c %s "$BIG")" -ge $((WARC_MB * 1000000)) ] || python3 bench/make_big_warc.py "$BIG" "$WARC_MB"
MB=$(python3 -c "import os; print(f'{os.path.getsize(\"$BIG\")/1e6:.1f}')")
echo "== $BIG: $MB MB (gzip); load: $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # NAME COMMAND...: wall seconds, MB/s of the gzip input, peak RSS
    local name=$1; shift
    /usr/bin/time -v -o "$T/time" "$@" >"$T/out" 2>"$T/err" || { echo "$name failed"; tail -3 "$T/err"; return; }
    local wall rss
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$T/time" |
           awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T/time")
    python3 -c "print(f'$name: {$wall:.1f} s, {$MB/$wall:.1f} MB/s, peak RSS {$rss/1024:.0f} MB')"
    grep -h "records=\|documents" "$T/out" "$T/err" | tail -1 || true
}
run "reader only (ws_reader_next)" "$T/bench_article" read 1 - "$BIG"
run "reader + article extraction" "$T/bench_article" article 1 - "$BIG"
if [ "$FULL" = 1 ]; then
    run "whosaid extract -j 1 --no-text (attribution)" "$B/whosaid" extract -j 1 --stats --no-text -o /dev/null "$BIG"
fi
