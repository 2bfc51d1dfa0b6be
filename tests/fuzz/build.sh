#!/usr/bin/env bash
# tests/fuzz/build.sh - builds the libFuzzer binary of the text fuzz target
# with clang (Debian: clang, libclang-rt-14-dev):
#   library in $B (default build-fuzz) with -fsanitize=fuzzer-no-link,address,undefined,
#   target in $B/fuzz/fuzz_text.
# Run it with, for example (one core, one process):
#   build-fuzz/fuzz/fuzz_text -max_len=4096 -max_total_time=1800 \
#       -print_final_stats=1 WORK_DIR tests/fuzz/corpus/text
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build-fuzz}
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
make -s CC=clang B="$B" OPT="-g -O1" \
    CFLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $SAN" \
    "$B/libwhosaid.a"
mkdir -p "$B/fuzz"
clang -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer $SAN \
    -std=c11 -D_POSIX_C_SOURCE=200809L -DWS_FUZZ_LIBFUZZER -Iinclude \
    -Wall -Wextra -pedantic -Wshadow -Wstrict-prototypes -Werror \
    tests/fuzz/fuzz_text.c "$B/libwhosaid.a" -lutf8proc -lm -lpthread \
    -o "$B/fuzz/fuzz_text"
echo "built $B/fuzz/fuzz_text"
