#!/usr/bin/env bash
# bench/robustness.sh - whosaid on hostile inputs (figures only, no verdict):
#   random.bin   10 MB of seeded pseudo-random bytes
#   big.txt      100 MB of repeated news-like text
#   quotes.txt   1M quotation marks, mixed " “ ” « »
# Each runs `whosaid extract` under /usr/bin/time -v with timeout 300 and
# prints seconds, max RSS, exit status and whether the JSON parses.
# Usage: bash bench/robustness.sh   (WHOSAID=path)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
W=${WHOSAID:-build/whosaid}
[ -x "$W" ] || { echo "robustness: $W not built (run make)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "robustness: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# Seeded generators: same bytes on every run.
python3 - "$T" <<'PY'
import random, sys
d = sys.argv[1]
rng = random.Random(20261129)
with open(d + "/random.bin", "wb") as f:
    for _ in range(10):
        f.write(rng.randbytes(1 << 20) if hasattr(rng, "randbytes")
                else bytes(rng.getrandbits(8) for _ in range(1 << 20)))
para = ("MOSCOW, March 3. Russia will respond to any new sanctions, the Foreign "
        "Minister said on Tuesday. \"We will not leave this without an answer,\" he "
        "told reporters, according to a ministry statement. Officials in Brussels "
        "said the measures were \"proportionate\" and would take effect next week. "
        "The spokeswoman, Maria Alvarez, declined to comment.\n\n")
block = (para * 64).encode()
with open(d + "/big.txt", "wb") as f:
    n = 0
    while n < 100 * 1000 * 1000:
        f.write(block)
        n += len(block)
marks = ['"', "\u201c", "\u201d", "\u00ab", "\u00bb"]
with open(d + "/quotes.txt", "w", encoding="utf-8") as f:
    f.write("".join(rng.choice(marks) for _ in range(1000000)))
PY

printf '%-12s %9s %8s %12s %5s %s\n' input MB seconds max_RSS_MB exit json
for name in random.bin big.txt quotes.txt; do
    in=$T/$name
    timeout 300 /usr/bin/time -v "$W" extract "$in" >"$T/out.jsonl" 2>"$T/time.txt"
    rc=$?
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
        for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$T/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$T/time.txt")
    if python3 -c 'import json,sys
lines = open(sys.argv[1], "rb").read().decode("utf-8").splitlines()
assert len(lines) == 1
json.loads(lines[0])' "$T/out.jsonl" 2>/dev/null; then json=ok; else json=INVALID; fi
    [ "$rc" -eq 124 ] && json="timeout"
    mb=$(awk -v b="$(wc -c <"$in")" 'BEGIN { printf "%.1f", b / 1e6 }')
    printf '%-12s %9s %8s %12s %5s %s\n' "$name" "$mb" "${secs:-?}" "${rss:-?}" "$rc" "$json"
done
