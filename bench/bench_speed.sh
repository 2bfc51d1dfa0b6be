#!/usr/bin/env bash
# bench/bench_speed.sh - throughput of `whosaid extract` on news text (a
# benchmark, not a test). Builds a corpus of at least 30 MB by copying the
# PolNeAR train texts repeatedly into a temporary directory, times
# `whosaid extract DIR > /dev/null` (best of 3) and, on the same bytes
# concatenated into one file, `wc -w` (best of 3) as the reading limit.
# Prints MB/s, documents/s and the time ratio whosaid / wc, by wall time and
# by CPU time (user + system; steadier on a shared machine). Single core
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

# best_of CMD...: "WALL CPU" seconds of the fastest of RUNS runs (by wall
# time). CPU is user + system time, which other load on the machine barely
# changes; wall time is what a user waits.
best_of() {
    local best="" line
    for _ in $(seq "$RUNS"); do
        line=$(/usr/bin/time -f '%e %U %S' "$@" 2>&1 >/dev/null | tail -n 1)
        line=$(awk '{ printf "%.3f %.3f", $1, $2 + $3 }' <<<"$line")
        if [ -z "$best" ] || awk -v a="${line% *}" -v b="${best% *}" 'BEGIN { exit !(a < b) }'; then
            best=$line
        fi
    done
    echo "$best"
}

[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
read -r t_ws c_ws <<<"$(best_of "${PIN[@]}" "$W" extract "$T/corpus")"
read -r t_wc c_wc <<<"$(best_of "${PIN[@]}" wc -w "$T/all.txt")"
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')

echo "corpus: $docs documents, $mb MB ($rounds copies of $SRC)"
echo "core:   ${PIN[*]:-(not pinned)}"
awk -v b="$bytes" -v d="$docs" -v tw="$t_ws" -v cw="$c_ws" -v tc="$t_wc" -v cc="$c_wc" '
function rate(x, t) { return t > 0 ? x / t : 0 }
BEGIN {
    printf "%-16s %9s %9s %10s %10s %12s\n", "", "wall s", "cpu s", "MB/s wall", "MB/s cpu", "docs/s wall"
    printf "%-16s %9.3f %9.3f %10.2f %10.2f %12.1f\n", "whosaid extract", tw, cw, rate(b / 1e6, tw), rate(b / 1e6, cw), rate(d, tw)
    printf "%-16s %9.3f %9.3f %10.2f %10.2f\n", "wc -w", tc, cc, rate(b / 1e6, tc), rate(b / 1e6, cc)
    printf "ratio whosaid/wc: %.1fx (wall), %.1fx (cpu)\n", rate(tw, tc), rate(cw, cc)
}'
