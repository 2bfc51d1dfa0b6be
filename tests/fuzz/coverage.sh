#!/usr/bin/env bash
# tests/fuzz/coverage.sh [NAME...] - line coverage by the committed corpora:
# builds the library and the replay programs with clang source-based
# coverage (-fprofile-instr-generate -fcoverage-mapping) in $B (default
# build-cov), replays tests/fuzz/corpus/<NAME without fuzz_>/ for each
# target (default: every tests/fuzz/fuzz_*.c) and prints llvm-cov's TOTAL
# line for the files the target is about (its parser) and for all of src/.
# Needs clang and llvm (bash scripts/setup.sh --sanitizers).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build-cov}
COV="-fprofile-instr-generate -fcoverage-mapping"
mkdir -p "$B"
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    for src in tests/fuzz/fuzz_*.c; do names+=("$(basename "$src" .c)"); done
fi
# The files each target is about.
own() {
    case $1 in
    fuzz_text) ls src/*.c src/text/*.c src/attrib/*.c src/model/*.c src/output/*.c ;;
    fuzz_html) ls src/article/*.c src/io/charset.c ;;
    fuzz_warc | fuzz_jsonl) ls src/io/*.c ;;
    fuzz_date) ls src/article/date.c src/article/dateline.c ;;
    fuzz_http) ls src/server/*.c src/store/*.c ;;
    *) ls src/*/*.c ;;
    esac
}
for name in "${names[@]}"; do
    # The build runs tools/bin2c, itself instrumented: its profile stays apart.
    LLVM_PROFILE_FILE="$B/tools.profraw" \
        make -s CC=clang B="$B" OPT="-g -O1" CFLAGS="-g -O1 $COV" "$B/tests/fuzz/$name"
    rm -rf "$B/profiles-$name"
    mkdir -p "$B/profiles-$name"
    echo "== $name: $(LLVM_PROFILE_FILE="$B/profiles-$name/%p.profraw" \
        "$B/tests/fuzz/$name" "tests/fuzz/corpus/${name#fuzz_}" 2>/dev/null | tail -n 1)"
    llvm-profdata merge -sparse "$B/profiles-$name"/*.profraw -o "$B/$name.profdata"
    # shellcheck disable=SC2046
    echo "its files: $(llvm-cov report "$B/tests/fuzz/$name" -instr-profile="$B/$name.profdata" \
        $(own "$name") | grep '^TOTAL')"
    # shellcheck disable=SC2046
    echo "all of src/: $(llvm-cov report "$B/tests/fuzz/$name" -instr-profile="$B/$name.profdata" \
        $(ls src/*.c src/*/*.c) | grep '^TOTAL')"
done
