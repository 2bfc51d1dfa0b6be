#!/usr/bin/env bash
# tests/fuzz/coverage.sh - line coverage of src/ by the committed text corpus:
# builds the library and the replay program with clang source-based coverage
# (-fprofile-instr-generate -fcoverage-mapping) in $B (default build-cov),
# replays tests/fuzz/corpus/text and prints llvm-cov's report for src/.
# Needs clang and llvm (bash scripts/setup.sh --sanitizers).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build-cov}
COV="-fprofile-instr-generate -fcoverage-mapping"
mkdir -p "$B"
# The build runs tools/bin2c, itself instrumented: its profile stays apart.
LLVM_PROFILE_FILE="$B/tools.profraw" \
    make -s CC=clang B="$B" OPT="-g -O1" CFLAGS="-g -O1 $COV" "$B/tests/fuzz/fuzz_text"
rm -rf "$B/profiles"
mkdir -p "$B/profiles"
LLVM_PROFILE_FILE="$B/profiles/%p.profraw" "$B/tests/fuzz/fuzz_text" tests/fuzz/corpus/text | tail -n 1
llvm-profdata merge -sparse "$B"/profiles/*.profraw -o "$B/fuzz_text.profdata"
llvm-cov report "$B/tests/fuzz/fuzz_text" -instr-profile="$B/fuzz_text.profdata" \
    $(ls src/*.c src/*/*.c)
