#!/usr/bin/env bash
# tests/patho/run.sh - pathological inputs through `whosaid extract`, each
# with a wall-time bound (timeout) and a peak-memory bound (/usr/bin/time
# -f %M) asserted, exit status 0 and one valid JSON record checked:
#   line.txt    a 100 MB single line (news text, no newline)
#   quotes.txt  1M quotation marks, mixed " “ ” « » ' ‘ ’ (2.2 MB)
#   sentence.txt a sentence of 1M tokens (no sentence end, 6 MB)
# The inputs are generated (seeded) in a temp dir. The bounds are the
# measured figures with about 2x headroom (docs/TESTING.md); a sanitizer
# build (PATHO_SAN=1) has its own measured bounds.
# Usage: bash tests/patho/run.sh WHOSAID JSON_OK
# The last line is "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
W=${1:?usage: run.sh WHOSAID JSON_OK}
J=${2:?usage: run.sh WHOSAID JSON_OK}
pass=0
fail=0
[ -x /usr/bin/time ] || { echo "patho: /usr/bin/time missing (apt-get install time)"; echo "0 passed, 1 failed"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

python3 - "$T" <<'PY'
import random, sys
d = sys.argv[1]
rng = random.Random(6)
text = open("samples/tass-lavrov.txt", "rb").read()
text = text.replace(b"\r", b" ").replace(b"\n", b" ")
n = 100 * 1000 * 1000
with open(d + "/line.txt", "wb") as f:
    block, w = text * 64, 0
    while w + len(block) <= n:
        f.write(block)
        w += len(block)
    while w < n:
        k = min(len(text), n - w)
        f.write(text[:k])
        w += k
marks = ['"', "\u201c", "\u201d", "\u00ab", "\u00bb", "'", "\u2018", "\u2019"]
with open(d + "/quotes.txt", "w", encoding="utf-8") as f:
    f.write("".join(rng.choice(marks) for _ in range(1000000)))
words = ("the minister said that officials in Moscow told reporters according "
         "to a statement which Lavrov and Smith say will not be accepted").split()
with open(d + "/sentence.txt", "w") as f:
    f.write(" ".join(words[i % len(words)] for i in range(1000000)))
PY
[ -s "$T/line.txt" ] || { echo "patho: generating the inputs failed"; echo "0 passed, 1 failed"; exit 1; }

# check NAME SECONDS MAX_RSS_MB
check() {
    local name=$1 tmax=$2 rssmax=$3 start=$SECONDS
    timeout "$tmax" /usr/bin/time -f %M -o "$T/rss" "$W" extract "$T/$name" >"$T/out.jsonl" 2>"$T/err"
    local rc=$? secs=$((SECONDS - start))
    local rss_kb
    rss_kb=$(tail -n 1 "$T/rss" 2>/dev/null)
    local rss_mb=$(( ${rss_kb:-0} / 1024 ))
    local why=""
    if [ "$rc" -eq 124 ]; then
        why="over the time bound of ${tmax}s"
    elif [ "$rc" -ne 0 ]; then
        why="exit status $rc: $(head -c 300 "$T/err")"
    elif [ "$rss_mb" -gt "$rssmax" ]; then
        why="peak RSS ${rss_mb} MB over the bound of ${rssmax} MB"
    elif ! "$J" "$T/out.jsonl" >"$T/json" 2>&1; then
        why="$(cat "$T/json")"
    fi
    if [ -z "$why" ]; then
        pass=$((pass + 1))
        echo "ok   $name: ${secs}s (bound ${tmax}s), ${rss_mb} MB (bound ${rssmax} MB), valid JSON"
    else
        fail=$((fail + 1))
        echo "FAIL $name: $why (${secs}s, ${rss_mb} MB)"
    fi
    rm -f "$T/out.jsonl"
}

if [ "${PATHO_SAN:-0}" = 1 ]; then
    # clang ASan+UBSan build: 164-180 s / 2.4 GB, 1.0 s / 192 MB, 24-32 s / 647 MB measured.
    check line.txt 420 5500
    check quotes.txt 10 500
    check sentence.txt 90 1400
else
    # gcc -O3 build: 46-78 s / 1.9-2.1 GB, 0.35-1 s / 161 MB, 6-15 s / 372 MB
    # measured (the range is the load of the 2-core machine).
    check line.txt 180 4500
    check quotes.txt 5 400
    check sentence.txt 40 800
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
