#!/usr/bin/env bash
# bench/bench_server.sh - latency of `whosaid serve` over HTTP (a benchmark,
# not a test). Builds a synthetic store with bench/make_corpus.py (ARTICLES
# articles of 8 statements), starts the server on a free loopback port with
# THREADS threads, and runs bench/server_latency.mjs: p50/p90/p99 per request
# kind (sequential, keep-alive), then CLIENTS concurrent clients, with an
# embedded static asset as the floor measured in the same run.
# Usage: bash bench/bench_server.sh   (WHOSAID=path, ARTICLES=5000,
#        N=100, CLIENTS=4, THREADS=2, DB=path to reuse a store)
set -euo pipefail
cd "$(dirname "$0")/.."
W=${WHOSAID:-build/whosaid}
ARTICLES=${ARTICLES:-5000}
N=${N:-100}
CLIENTS=${CLIENTS:-4}
THREADS=${THREADS:-2}
[ -x "$W" ] || { echo "bench: $W not built (run make)" >&2; exit 1; }
command -v node >/dev/null || { echo "bench: node missing (bash scripts/setup.sh --bench)" >&2; exit 1; }
T=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"' EXIT
DB=${DB:-}
if [ -z "$DB" ]; then
    DB=$T/bench.db
    python3 bench/make_corpus.py --articles "$ARTICLES" --statements-per-article 8 >"$T/corpus.jsonl"
    start=$(date +%s%N)
    "$W" index --quiet --db "$DB" "$T/corpus.jsonl"
    echo "# indexed $ARTICLES articles in $((($(date +%s%N) - start) / 1000000)) ms"
fi
"$W" stats --db "$DB" | grep -E '^(articles|statements|db_bytes) ' | tr '\n' ' '
echo
"$W" serve --db "$DB" --listen 127.0.0.1:0 --threads "$THREADS" 2>"$T/serve.log" &
PID=$!
for _ in $(seq 1 100); do
    URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$T/serve.log" || true)
    [ -n "$URL" ] && break
    sleep 0.1
done
[ -n "$URL" ] || { cat "$T/serve.log"; exit 1; }
echo "# whosaid serve --threads $THREADS, nproc $(nproc), load $(cut -d' ' -f1-3 /proc/loadavg)"
node bench/server_latency.mjs "$URL" "$N" "$CLIENTS"
