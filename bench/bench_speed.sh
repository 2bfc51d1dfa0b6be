#!/usr/bin/env bash
# bench/bench_speed.sh - throughput of `whosaid extract` on news text (a
# benchmark, not a test). Builds a corpus of at least 30 MB by copying the
# PolNeAR train texts repeatedly into a temporary directory, times
# `whosaid extract DIR > /dev/null` (best of 3) and, on the same bytes
# concatenated into one file, `wc -w` (best of 3) as the reading limit.
# Prints MB/s, documents/s and the time ratio whosaid / wc. Single core
# (taskset -c 0) when taskset is available.
# Usage: bash bench/bench_speed.sh   (WHOSAID=path, MIN_MB=30, RUNS=3)
set -euo pipefail
cd "$(dirname "$0")/.."
W=${WHOSAID:-build/whosaid}
SRC=../shared/data/polnear/train
MIN_MB=${MIN_MB:-30}
RUNS=${RUNS:-3}

[ -x "$W" ] || { echo "bench: $W not built (run make)" >&2; exit 1; }
compgen -G "$SRC/*.txt" >/dev/null || { echo "bench: no texts in $SRC" >&2; exit 1; }
PIN=()
command -v taskset >/dev/null 2>&1 && PIN=(taskset -c 0)

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir "$T/corpus"
round_bytes=$(cat "$SRC"/*.txt | wc -c)
min_bytes=$((MIN_MB * 1000 * 1000))
rounds=$(((min_bytes + round_bytes - 1) / round_bytes))
python3 - "$SRC" "$T/corpus" "$rounds" <<'PY'
import glob, os, shutil, sys
src, dst, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
for r in range(1, rounds + 1):
    for f in sorted(glob.glob(os.path.join(src, "*.txt"))):
        stem = os.path.basename(f)[:-4]
        shutil.copyfile(f, os.path.join(dst, "%s_r%d.txt" % (stem, r)))
PY
bytes=$((round_bytes * rounds))
docs=$(find "$T/corpus" -name '*.txt' | wc -l)
find "$T/corpus" -name '*.txt' -print0 | sort -z | xargs -0 cat >"$T/all.txt"

# best_of CMD...: the fastest wall time of RUNS runs, in seconds.
best_of() {
    local best="" s e t
    for _ in $(seq "$RUNS"); do
        s=$(date +%s%N)
        "$@" >/dev/null
        e=$(date +%s%N)
        t=$(((e - s) / 1000))
        if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
    done
    awk -v us="$best" 'BEGIN { printf "%.3f", us / 1e6 }'
}

t_ws=$(best_of "${PIN[@]}" "$W" extract "$T/corpus")
t_wc=$(best_of "${PIN[@]}" wc -w "$T/all.txt")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')

echo "corpus: $docs documents, $mb MB ($rounds copies of $SRC)"
echo "core:   ${PIN[*]:-(not pinned)}"
awk -v b="$bytes" -v d="$docs" -v tw="$t_ws" -v tc="$t_wc" 'BEGIN {
    printf "whosaid extract: %8.3f s  %8.2f MB/s  %9.1f documents/s\n", tw, b / 1e6 / tw, d / tw
    printf "wc -w:           %8.3f s  %8.2f MB/s\n", tc, b / 1e6 / tc
    printf "ratio whosaid/wc (time): %.1fx\n", tw / tc
}'
