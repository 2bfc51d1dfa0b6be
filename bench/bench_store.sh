#!/usr/bin/env bash
# bench/bench_store.sh - the store's ingest and search speed (a benchmark,
# not a test). In one run:
#   1. bench/make_corpus.py writes a synthetic corpus of whosaid output:
#      ARTICLES articles x 8 statements (default 125,000 x 8 = 1,000,000
#      statements), kept in CORPUS_DIR (default /tmp/whosaid-bench-store)
#      and reused when it is already there;
#   2. `whosaid index --quiet` (default settings: a reader thread and the
#      writer, batches of 10,000) builds a fresh store from it on cores
#      CORES (default 0,1: the machine's 2); prints articles/s and
#      statements/s by wall time and by CPU time (user + system, both
#      threads), with the load average before and after (wall time on a
#      shared machine depends on it), and the peak RSS;
#   3. database bytes per statement (the .db file and, schema v5, its text
#      index .db-fts, after a checkpoint);
#   4. bench_search (bench/bench_search.c, public API, one read-only handle):
#      p50/p99 latency of 14 realistic queries, REPEATS runs each after a
#      warm-up, and of the article, speaker and quote-cluster views.
# Targets (issue 4): >= 5,000 articles/s, search p50 < 10 ms.
# Usage: bash bench/bench_store.sh   (WHOSAID=build/whosaid B=build CORES=0,1
#        ARTICLES=125000 REPEATS=20 CORPUS_DIR=/tmp/whosaid-bench-store)
set -euo pipefail
cd "$(dirname "$0")/.."
B=${B:-build}
W=${WHOSAID:-$B/whosaid}
ARTICLES=${ARTICLES:-125000}
REPEATS=${REPEATS:-20}
CD=${CORPUS_DIR:-/tmp/whosaid-bench-store}
[ -x "$W" ] || { echo "bench: $W not built (run make)" >&2; exit 1; }
[ -f "$B/libwhosaid.a" ] || { echo "bench: $B/libwhosaid.a not built" >&2; exit 1; }
CORES=${CORES:-0,1}
PIN=() PIN1=()
command -v taskset >/dev/null 2>&1 && PIN=(taskset -c "$CORES") PIN1=(taskset -c 0)
mkdir -p "$CD"
C=$CD/corpus-$ARTICLES.jsonl
if [ ! -s "$C" ]; then
    echo "== writing the corpus ($ARTICLES articles) to $C"
    python3 bench/make_corpus.py --articles "$ARTICLES" >"$C.tmp" && mv "$C.tmp" "$C"
fi
echo "== corpus: $C, $(wc -l <"$C") lines, $(($(stat -L -c %s "$C") / 1048576)) MB"
DB=$CD/bench.db
rm -f "$DB" "$DB"-*  # the store, its WAL, and (schema v5) its text index DB-fts
echo "== index (cores $CORES; load before: $(cut -d' ' -f1-3 /proc/loadavg))"
/usr/bin/time -f "%e %U %S %M" -o "$CD/time" "${PIN[@]}" "$W" index --quiet --db "$DB" "$C"
read -r wall user sys rss <"$CD/time"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); peak RSS $((rss / 1024)) MB"
stats=$("$W" stats --db "$DB" --format json)
get() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$stats" "$1"; }
na=$(get articles)
ns=$(get statements)
python3 - "$na" "$ns" "$wall" "$user" "$sys" <<'PY'
import sys
na, ns, wall, user, sys_ = int(sys.argv[1]), int(sys.argv[2]), *map(float, sys.argv[3:])
cpu = user + sys_
print("articles %d, statements %d" % (na, ns))
print("wall %.1f s: %.0f articles/s, %.0f statements/s" % (wall, na / wall, ns / wall))
print("cpu  %.1f s (user %.1f + sys %.1f): %.0f articles/s, %.0f statements/s" % (cpu, user, sys_, na / cpu, ns / cpu))
print("target 5,000 articles/s: wall %.2fx, cpu %.2fx of it" % (na / wall / 5000, na / cpu / 5000))
PY
for f in "$DB" "$DB-fts"; do
    [ -e "$f" ] && python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_checkpoint(TRUNCATE)')" "$f"
done
bytes=$(stat -c %s "$DB")
fbytes=$(stat -c %s "$DB-fts" 2>/dev/null || echo 0)
python3 -c "import sys; b,f,n=int(sys.argv[1]),int(sys.argv[2]),int(sys.argv[3]); print('database %.1f MB + text index %.1f MB, %.0f bytes per statement (body, FTS5 and indexes included)' % (b/1048576, f/1048576, (b+f)/n))" "$bytes" "$fbytes" "$ns"
echo "== search latency ($REPEATS runs per query after a warm-up)"
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude bench/bench_search.c "$B/libwhosaid.a" \
    -lutf8proc -lgumbo -lz -lsqlite3 -lmicrohttpd -ljansson -lm -lpthread -o "$CD/bench_search"
"${PIN1[@]}" "$CD/bench_search" "$DB" "$REPEATS"
